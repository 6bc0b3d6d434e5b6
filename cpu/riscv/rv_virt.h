/* The RISC-V board: memory map, PLIC and virtio-mmio slots on the bus, the device tree that
 * describes exactly what is present, and booting a Linux Image under the emulator's SBI.
 * This is the one file that joins the core to devices; the core itself includes none. */
#ifndef RV_VIRT_H
#define RV_VIRT_H

#include <stdint.h>

#include "../../devices/plic/plic.h"
#include "../../devices/rtc/goldfish_rtc.h"
#include "../../devices/uart/uart16550.h"
#include "../../devices/virtio/virtio_mmio.h"
#include "../../devices/virtio/virtio_spec.h"
#include "rv_cpu.h"

#define VIRT_RTC_BASE 0x00101000ull /* where QEMU's virt board has it too */
#define VIRT_RTC_IRQ 11             /* PLIC source; virtio slots take 1..8 and 12..19 */
#define VIRT_PLIC_BASE 0x0c000000ull
#define VIRT_UART_BASE 0x10000000ull /* a 16550A, where QEMU's virt board has it, same source */
#define VIRT_UART_IRQ 10
#define VIRT_VIRTIO_BASE 0x10001000ull
#define VIRT_VIRTIO_SLOTS 16
/* The PLIC source of virtio slot i: 1..8 as on QEMU's virt board, then above the RTC's (and
 * the 10 QEMU gives its UART). */
#define VIRT_VIRTIO_IRQ(i) ((i) < 8 ? 1 + (i) : 12 + ((i)-8))
#define VIRT_RAM_BASE 0x80000000ull
#define VIRT_KERNEL_OFFSET 0x200000ull /* the Image's text_offset for RV64 */
#define VIRT_TIMEBASE_HZ 10000000ull
#define VIRT_DTB_SPACE 0x10000ull /* at the top of RAM */
#define VIRT_RNG_SEED_BYTES 64

typedef struct rv_virt {
    rv_cpu_t *cpu;
    uint8_t *ram;
    uint64_t ram_size;
    plic_t plic;
    goldfish_rtc_t rtc;
    bool has_rtc;
    uart16550_t uart;
    bool has_uart;
    virtio_mmio_t virtio[VIRT_VIRTIO_SLOTS];
    unsigned n_virtio;
    uint32_t *machine; /* machine block (TVM_M_WORDS), shared */
    uint64_t (*time_now)(void *opaque);
    void *time_opaque;
    /* Entropy for the guest's RNG, passed as /chosen/rng-seed (the kernel credits it with
     * CONFIG_RANDOM_TRUST_BOOTLOADER), so its crng is ready at boot instead of ~15 s later. */
    uint8_t rng_seed[VIRT_RNG_SEED_BYTES];
    unsigned rng_seed_len;
} rv_virt_t;

typedef struct rv_virt_config {
    uint8_t *ram;
    uint64_t ram_size;
    uint32_t *machine_block;
    uint32_t *virtio_blocks; /* n_virtio consecutive device blocks of TVM_V_WORDS */
    uint32_t *dma_bitmap;    /* pages devices wrote (tvm_bus_t.dma_bitmap), or NULL */
    unsigned n_virtio;
    void (*wake_device)(void *opaque, uint32_t *word);
    uint64_t (*time_now)(void *opaque); /* ticks of VIRT_TIMEBASE_HZ */
    /* The host's wall clock in ns since the Unix epoch, for the real-time clock; NULL: none. */
    uint64_t (*wall_ns)(void *opaque);
    /* The UART's host side (output, input); without uart.tx the board has no UART. */
    uart16550_host_t uart;
    void *opaque;
    rv_sbi_host_t sbi;
} rv_virt_config_t;

void rv_virt_init(rv_virt_t *v, rv_cpu_t *cpu, const rv_virt_config_t *cfg);
/* Where the caller should copy an initrd of this size (offset into RAM), or 0 if it can't fit. */
uint64_t rv_virt_initrd_offset(const rv_virt_t *v, uint64_t kernel_size, uint64_t initrd_size);
/* Host entropy for the next boot's device tree (up to VIRT_RNG_SEED_BYTES are used). */
void rv_virt_set_rng_seed(rv_virt_t *v, const uint8_t *seed, unsigned len);
/* The kernel Image is in RAM at VIRT_KERNEL_OFFSET and the initrd (if initrd_size) at
 * initrd_offset. Checks them, writes the device tree and points the hart at the kernel.
 * Returns NULL or an error message. */
const char *rv_virt_boot(rv_virt_t *v, uint64_t kernel_size, uint64_t initrd_offset,
                         uint64_t initrd_size, const char *cmdline);

#endif
