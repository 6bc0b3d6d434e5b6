/* Layout of the machine's shared memory: the words the CPU worker, the device workers and the
 * UI exchange through Atomics. Every offset is a 32-bit word index. shared/layout.js is the
 * JavaScript twin; cli/tests/layout.test.js checks the two agree. The protocol is described in
 * docs/rings.md. */
#ifndef TVM_LAYOUT_H
#define TVM_LAYOUT_H

/* ---- machine block: one per machine ---------------------------------------------------- */
/* Incremented (Atomics.add) by a device after it changed an interrupt status word; the CPU
 * worker compares it between blocks and sleeps on it (Atomics.wait) while the hart idles. */
#define TVM_M_IRQ_SEQ 0
/* Set by the control plane to ask the CPU worker to stop; it notifies TVM_M_IRQ_SEQ too. */
#define TVM_M_STOP 1
/* Written by the CPU worker: enum tvm_run_state. */
#define TVM_M_STATE 2
/* Why the guest stopped (SBI system-reset type) once TVM_M_STATE is TVM_STATE_OFF. */
#define TVM_M_RESET_TYPE 3
/* Incremented (Atomics.add) by a device after it set bits in the DMA bitmap: the CPU then
 * drops decoded code of those pages at its next fence.i (docs/rings.md, "Device writes and
 * decoded code"). */
#define TVM_M_DMA_SEQ 4
/* 1 while the guest has the UART's receive interrupt enabled (a port someone reads): the
 * terminal's input then goes to the UART too. */
#define TVM_M_UART_RX_ON 5
#define TVM_M_WORDS 16

enum tvm_run_state {
    TVM_STATE_LOADING = 0,
    TVM_STATE_RUNNING = 1,
    TVM_STATE_OFF = 2,    /* the guest powered off or rebooted */
    TVM_STATE_FAILED = 3, /* the machine stopped on an emulator error */
};

/* ---- virtio device block: one per virtio-mmio slot ------------------------------------- */
/* Written by the device worker before TVM_V_READY is set, read by the transport. */
#define TVM_V_READY 0 /* 1 once the fields below are valid */
#define TVM_V_DEVICE_ID 1
#define TVM_V_VENDOR_ID 2
#define TVM_V_FEATURES_LO 3
#define TVM_V_FEATURES_HI 4
#define TVM_V_NUM_QUEUES 5
#define TVM_V_QUEUE_NUM_MAX 6
/* Interrupt status (virtio 1.2, 4.2.2): bit 0 used buffer, bit 1 configuration change.
 * The device sets bits with Atomics.or, the transport clears them on InterruptACK. */
#define TVM_V_ISR 7
#define TVM_V_CONFIG_GENERATION 8
/* Written by the transport (CPU worker), read by the device worker. */
#define TVM_V_STATUS 9          /* device status byte as the driver wrote it */
#define TVM_V_STATUS_SEQ 10     /* incremented on every status write */
#define TVM_V_RESET_GEN 11      /* incremented on every reset (status written as 0) */
#define TVM_V_NOTIFY 12         /* queues with new buffers: Atomics.or by the transport */
#define TVM_V_DRIVER_FEAT_LO 13 /* features the driver accepted */
#define TVM_V_DRIVER_FEAT_HI 14
/* Incremented by whoever has work for the device worker (the transport, the UI); the device
 * worker sleeps on it. */
#define TVM_V_WAKE 15
/* Per-queue registers written by the transport: TVM_V_QUEUE(q) + TVM_VQ_*. */
#define TVM_V_QUEUES 16
#define TVM_V_MAX_QUEUES 8
#define TVM_VQ_NUM 0
#define TVM_VQ_READY 1
#define TVM_VQ_DESC_LO 2
#define TVM_VQ_DESC_HI 3
#define TVM_VQ_DRIVER_LO 4 /* the available ring */
#define TVM_VQ_DRIVER_HI 5
#define TVM_VQ_DEVICE_LO 6 /* the used ring */
#define TVM_VQ_DEVICE_HI 7
#define TVM_VQ_WORDS 8
#define TVM_V_QUEUE(q) (TVM_V_QUEUES + (q)*TVM_VQ_WORDS)
/* Device configuration space, 256 bytes, little-endian, written by the device worker. */
#define TVM_V_CONFIG 80
#define TVM_V_CONFIG_BYTES 256
/* Device-specific control words from the host side (e.g. a terminal resize). */
#define TVM_V_HOST 144
#define TVM_V_HOST_WORDS 16
/* Written by the device worker: the TVM_V_RESET_GEN value it has finished resetting for, so a
 * machine reboot can wait until no device still works on the old guest's buffers. */
#define TVM_V_RESET_ACK 160
#define TVM_V_WORDS 168

/* Console host words: the UI writes cols/rows, then increments the sequence number and
 * TVM_V_WAKE. */
#define TVM_CON_RESIZE_SEQ (TVM_V_HOST + 0)
#define TVM_CON_COLS (TVM_V_HOST + 1)
#define TVM_CON_ROWS (TVM_V_HOST + 2)

/* ---- DMA bitmap: one bit per guest RAM page that a device wrote ------------------------- */
/* Bit (p % 32) of 32-bit word p / 32 is page p = (gpa - RAM base) >> TVM_DMA_PAGE_SHIFT. A
 * device sets bits with Atomics.or before it completes the request that wrote the pages; the
 * CPU takes them with an exchange to 0. */
#define TVM_DMA_PAGE_SHIFT 12

/* ---- byte ring: single producer, single consumer ---------------------------------------- */
/* head is advanced by the producer, tail by the consumer; both count bytes modulo 2^32 and
 * index data[] modulo the power-of-two capacity. Each side notifies the other's word after
 * moving its index. */
#define TVM_RING_HEAD 0
#define TVM_RING_TAIL 1
#define TVM_RING_CAPACITY 2 /* bytes, a power of two */
#define TVM_RING_HEADER_WORDS 4
#define TVM_CONSOLE_RING_BYTES 65536

#endif
