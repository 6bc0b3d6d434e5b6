/* fake_guest.h - a fake machine for the virtio tests: guest RAM whose host accessors abort() on
 * any access outside it (the invariant under test: nothing the guest writes makes a device touch
 * memory outside RAM), one device block served by the virtio-mmio transport and read by a
 * virtio-console whose wake runs synchronously, and a small split-virtqueue driver that
 * programs the transport the way Linux's virtio_mmio and virtio_console drivers do. */
#ifndef FAKE_GUEST_H
#define FAKE_GUEST_H

#include <stdint.h>

#include "../../shared/tvm_layout.h"
#include "../console/virtio_console.h"
#include "../virtio/virtio_mmio.h"
#include "../virtio/virtio_spec.h"

#define FG_RAM_BASE 0x80000000ull
#define FG_OUT_MAX (1u << 20)
#define FG_IN_MAX 65536u
#define FG_ROOM_UNLIMITED 0xffffffffu

/* The driver's view of one split virtqueue. */
typedef struct fg_queue {
    unsigned index;
    uint16_t num;
    uint64_t desc, avail, used;
    uint16_t avail_idx; /* the driver's next available index */
} fg_queue_t;

typedef struct fg fg_t;
struct fg {
    uint8_t *ram;
    uint64_t ram_size;
    uint32_t *blk; /* the device block: its own allocation of TVM_V_WORDS, so ASan sees overruns */
    virtio_mmio_t t;
    vcon_t con;
    /* Another device under test instead of the console: its poll runs on every wake. */
    int (*device_poll)(struct fg *g);
    void *device;
    vdev_host_t host;
    /* Host side of the console: output captured here, input taken from in[]. */
    uint8_t *out;
    uint32_t out_len;
    uint32_t out_room; /* bytes out_write still takes; FG_ROOM_UNLIMITED for no limit */
    uint8_t in[FG_IN_MAX];
    uint32_t in_len, in_pos;
    /* Counters of what the device did. */
    unsigned logs, irqs, wakes, ram_reads, ram_writes, out_calls;
    const char *last_log;
    int poll_ret; /* vcon_poll's result from the last wake */
    /* Guest addresses the device must not touch: an access in [watch_lo, watch_hi) is counted. */
    uint64_t watch_lo, watch_hi;
    unsigned watch_hits;
    /* Every value the device stored to the first config word (cols and rows), oldest first. */
    uint32_t cfg0_stores[16];
    unsigned n_cfg0_stores;
    fg_queue_t rx, tx;
};

/* A zeroed machine with ram_size bytes of RAM at FG_RAM_BASE (lazily allocated) and no device. */
fg_t *fg_new(uint64_t ram_size);
void fg_free(fg_t *g);
/* Starts the console device (as its worker would: vcon_init publishes the block). */
void fg_device_start(fg_t *g, uint16_t cols, uint16_t rows);

/* Register accesses through the transport; 4-byte accesses must succeed or the harness aborts. */
uint32_t fg_rd(fg_t *g, unsigned off);
void fg_wr(fg_t *g, unsigned off, uint32_t v);

/* Driver steps: reset, ACKNOWLEDGE, DRIVER, feature negotiation (VERSION_1 and F_SIZE), then
 * FEATURES_OK; returns the status read back. */
uint32_t fg_driver_features(fg_t *g);
/* The same for any device: accepts the offered features that are also in want. */
uint32_t fg_driver_negotiate(fg_t *g, uint64_t want);
/* Places a queue of num entries at base: descriptors, then the available ring, then the used
 * ring on the next 4 KiB boundary. */
void fg_queue_layout(fg_queue_t *q, unsigned index, uint16_t num, uint64_t base);
/* Programs the queue's registers (QueueSel, QueueNum, addresses, QueueReady) and zeroes the
 * parts of its rings that lie in RAM. */
void fg_queue_setup(fg_t *g, fg_queue_t *q);
void fg_driver_ok(fg_t *g);
/* All of the above: rx at rx_base, tx at tx_base. */
void fg_driver_init(fg_t *g, uint16_t rx_num, uint64_t rx_base, uint16_t tx_num, uint64_t tx_base);

/* Guest RAM as the driver writes it (not counted as device accesses). */
void fg_poke(fg_t *g, uint64_t gpa, const void *src, uint64_t len);
void fg_peek(fg_t *g, uint64_t gpa, void *dst, uint64_t len);
void fg_w16(fg_t *g, uint64_t gpa, uint16_t v);
uint16_t fg_r16(fg_t *g, uint64_t gpa);
uint32_t fg_r32(fg_t *g, uint64_t gpa);

void fg_set_desc(fg_t *g, const fg_queue_t *q, unsigned i, uint64_t addr, uint32_t len,
                 uint16_t flags, uint16_t next);
/* Puts head in the available ring and publishes it (no notification). */
void fg_publish(fg_t *g, fg_queue_t *q, uint16_t head);
/* QueueNotify for q (which wakes the device, which runs synchronously). */
void fg_notify(fg_t *g, const fg_queue_t *q);
uint16_t fg_used_idx(fg_t *g, const fg_queue_t *q);
/* The n-th used element ever written (n counts modulo the queue size). */
void fg_used_elem(fg_t *g, const fg_queue_t *q, uint16_t n, uint32_t *id, uint32_t *len);

/* Host actions: terminal input arrives, the terminal is resized, the device is woken. */
void fg_input(fg_t *g, const void *data, uint32_t len);
void fg_resize(fg_t *g, uint32_t cols, uint32_t rows);
void fg_wake(fg_t *g);

#endif
