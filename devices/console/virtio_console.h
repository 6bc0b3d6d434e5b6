/* virtio-console (virtio 1.2, 5.3): one port, the guest's hvc0, with the terminal size in the
 * configuration space. Bytes go to and come from the host through con_io_t (byte rings to the
 * UI in a worker, buffers in a test). */
#ifndef VIRTIO_CONSOLE_H
#define VIRTIO_CONSOLE_H

#include <stdint.h>

#include "../virtio/vdev.h"

typedef struct con_io {
    void *opaque;
    /* Takes up to len bytes of guest output; returns how many it took (0 when full). */
    uint32_t (*out_write)(void *opaque, const uint8_t *buf, uint32_t len);
    /* Gives up to max bytes of input for the guest; returns how many. */
    uint32_t (*in_read)(void *opaque, uint8_t *buf, uint32_t max);
    /* Bytes of input waiting. */
    uint32_t (*in_avail)(void *opaque);
} con_io_t;

typedef struct vcon {
    vdev_t dev;
    con_io_t io;
    int tx_pending; /* a guest buffer partly written to a full output */
    vchain_t tx_chain;
    uint32_t tx_off;
    uint32_t seen_resize_seq;
} vcon_t;

void vcon_init(vcon_t *c, const vdev_host_t *host, const con_io_t *io, uint16_t cols,
               uint16_t rows);
/* Does all pending work; call after every wake. Returns 1 if guest output is waiting for room
 * in the host's output (call again after the host consumed some). */
int vcon_poll(vcon_t *c);

#endif
