/* The device side of a virtio device, shared by every device: its registers in the device block,
 * status and reset handling, and split virtqueues over guest RAM reached only through the
 * bounds-checked host accessors. The same code runs natively on fake RAM in unit tests and in
 * a device worker on the machine's shared RAM. */
#ifndef VDEV_H
#define VDEV_H

#include <stdbool.h>
#include <stdint.h>

#include "../../shared/tvm_layout.h"

/* What a device needs from its host (the worker glue or a test harness). */
typedef struct vdev_host {
    void *opaque;
    uint64_t ram_base, ram_size;
    /* Atomic access to the device block's words. */
    uint32_t (*reg_load)(void *opaque, unsigned word);
    void (*reg_store)(void *opaque, unsigned word, uint32_t v);
    uint32_t (*reg_or)(void *opaque, unsigned word, uint32_t v);   /* returns the old value */
    uint32_t (*reg_xchg)(void *opaque, unsigned word, uint32_t v); /* returns the old value */
    /* Copies between guest RAM and device memory; called only with ranges inside RAM. */
    void (*ram_read)(void *opaque, uint64_t gpa, void *dst, uint32_t len);
    void (*ram_write)(void *opaque, uint64_t gpa, const void *src, uint32_t len);
    /* Rings the CPU's interrupt doorbell (TVM_M_IRQ_SEQ). */
    void (*raise_irq)(void *opaque);
    void (*log)(void *opaque, const char *msg);
} vdev_host_t;

typedef struct virtq {
    bool ready;
    bool broken; /* its rings lie outside RAM: ignored until the next reset */
    uint16_t num;
    uint16_t last_avail;
    uint16_t used_idx;
    uint16_t signalled_used; /* used_idx when the driver was last considered for an interrupt */
    uint64_t desc, avail, used;
} virtq_t;

#define VCHAIN_MAX_SEGS 64

/* One request: a descriptor chain, device-readable segments first. */
typedef struct vchain {
    uint16_t head;
    uint16_t nseg;
    uint32_t out_len; /* bytes the device may read */
    uint32_t in_len;  /* bytes the device may write */
    struct {
        uint64_t addr;
        uint32_t len;
        bool write;
    } seg[VCHAIN_MAX_SEGS];
} vchain_t;

struct vdev;
typedef struct vdev_ops {
    void (*reset)(struct vdev *d);
    void (*activate)(struct vdev *d); /* the driver set DRIVER_OK */
    void (*queue_notify)(struct vdev *d, unsigned q);
} vdev_ops_t;

typedef struct vdev {
    const vdev_host_t *host;
    const vdev_ops_t *ops;
    unsigned num_queues;
    virtq_t vq[TVM_V_MAX_QUEUES];
    uint32_t seen_status_seq, seen_reset_gen;
    bool active;
    bool event_idx; /* VIRTIO_F_RING_EVENT_IDX negotiated */
    bool logged_bad_chain;
    void *priv; /* the device's own state */
} vdev_t;

void vdev_init(vdev_t *d, const vdev_host_t *host, const vdev_ops_t *ops, uint32_t device_id,
               uint64_t features, unsigned num_queues, uint16_t queue_num_max, void *priv);
/* Publishes the device block fields (after the config space is written): sets TVM_V_READY. */
void vdev_publish(vdev_t *d);
/* Handles status changes, resets and queue notifications. Call after every wake. */
void vdev_poll(vdev_t *d);

/* Takes the next available chain from queue q. Returns 1 with *c filled, 0 if none. A malformed
 * chain is completed with length 0, logged once, and skipped. With EVENT_IDX, finding the queue
 * empty re-arms the driver's notifications (avail_event), so a busy device is not notified for
 * every buffer. */
int virtq_pop(vdev_t *d, unsigned q, vchain_t *c);
/* Returns a chain to the driver with `written` bytes written, without publishing it yet: a
 * device that completes several chains publishes them together with virtq_flush. */
void virtq_fill(vdev_t *d, unsigned q, const vchain_t *c, uint32_t written);
/* Publishes the chains filled so far and raises the used-buffer interrupt unless the driver
 * suppressed it (NO_INTERRUPT, or used_event with EVENT_IDX): one interrupt per batch. */
void virtq_flush(vdev_t *d, unsigned q);
/* virtq_fill then virtq_flush. */
void virtq_push(vdev_t *d, unsigned q, const vchain_t *c, uint32_t written);
/* Copies up to len bytes of the chain's readable part, starting at off; returns bytes copied. */
uint32_t vchain_read(vdev_t *d, const vchain_t *c, uint32_t off, void *dst, uint32_t len);
/* Copies into the chain's writable part, starting at off; returns bytes copied. */
uint32_t vchain_write(vdev_t *d, const vchain_t *c, uint32_t off, const void *src, uint32_t len);

/* Writes config space bytes and bumps the configuration generation. */
void vdev_config_write(vdev_t *d, unsigned off, const void *data, unsigned len);
/* Sets interrupt status bits and rings the doorbell. */
void vdev_interrupt(vdev_t *d, uint32_t isr_bits);

#endif
