/* The virtio-mmio transport as the CPU worker sees it: it answers the driver's register accesses
 * synchronously from the device block in shared memory (shared/tvm_layout.h) and its own
 * selector registers, and wakes the device worker for everything that needs work. */
#ifndef VIRTIO_MMIO_H
#define VIRTIO_MMIO_H

#include <stdbool.h>
#include <stdint.h>

typedef struct virtio_mmio {
    uint32_t *blk; /* device block: TVM_V_WORDS words of shared memory */
    uint32_t device_features_sel, driver_features_sel, queue_sel;
    /* Wakes the device worker after TVM_V_WAKE was incremented. */
    void (*wake)(void *opaque, uint32_t *word);
    void *opaque;
} virtio_mmio_t;

void virtio_mmio_init(virtio_mmio_t *t, uint32_t *blk, void (*wake)(void *, uint32_t *),
                      void *opaque);
bool virtio_mmio_read(virtio_mmio_t *t, uint64_t off, unsigned size, uint64_t *val);
bool virtio_mmio_write(virtio_mmio_t *t, uint64_t off, unsigned size, uint64_t val);
/* The level of the device's interrupt line. */
bool virtio_mmio_irq_level(const virtio_mmio_t *t);
/* Resets the device as a driver writing status 0 would (used when the machine reboots). */
void virtio_mmio_reset(virtio_mmio_t *t);
/* Whether the device worker has finished the last reset. */
bool virtio_mmio_reset_done(const virtio_mmio_t *t);
/* Whether a device worker has published its registers in this slot. */
bool virtio_mmio_present(const virtio_mmio_t *t);

#endif
