/* The one table through which a CPU core reaches the machine: RAM, MMIO, time and interrupt
 * lines. ISA-neutral: the machine, devices and rings never include a CPU header. */
#ifndef TVM_BUS_H
#define TVM_BUS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct tvm_bus {
    /* Guest RAM: [ram_base, ram_base + ram_size) maps to host memory at ram. */
    uint8_t *ram;
    uint64_t ram_base;
    uint64_t ram_size;

    void *opaque;
    /* Any physical address outside RAM and the core's own per-hart devices. A false return
     * means no device answers there: the core raises an access fault. */
    bool (*mmio_read)(void *opaque, uint64_t paddr, unsigned size, uint64_t *val);
    bool (*mmio_write)(void *opaque, uint64_t paddr, unsigned size, uint64_t val);
    /* Platform time in ticks of timebase_hz (monotonic). */
    uint64_t (*time_now)(void *opaque);
    uint64_t timebase_hz;
    /* Interrupt doorbell: a word the machine (or a device in another thread) changes whenever
     * an interrupt line may have changed. The core compares it between blocks, one load, and on
     * a change asks irq_update for the interrupt controller's outputs, one bit per line the core
     * defines (for RISC-V: the MEIP and SEIP bits of mip). */
    volatile uint32_t *irq_seq;
    uint64_t (*irq_update)(void *opaque);
    /* Pages of RAM that devices in other threads wrote (DMA), one bit per 4 KiB page, and a
     * word they increment after setting bits (shared/tvm_layout.h, TVM_M_DMA_SEQ). The core
     * never sees those writes itself; before it trusts decoded code again (fence.i) it takes
     * the bits and drops what it decoded from those pages. NULL when no device does DMA. */
    volatile uint32_t *dma_seq;
    uint32_t *dma_bitmap;
} tvm_bus_t;

#endif
