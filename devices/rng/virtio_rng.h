/* virtio-rng, the entropy device (virtio 1.2, 5.4): one request queue; each buffer the driver
 * makes available is filled with bytes from the host's cryptographic generator (in the page and
 * under Node: crypto.getRandomValues). It gives a guest without other entropy sources
 * (/dev/random blocked at boot) the host's randomness as /dev/hwrng, which Linux mixes in. */
#ifndef VIRTIO_RNG_H
#define VIRTIO_RNG_H

#include "../virtio/vdev.h"

/* At most this many bytes per buffer: a request for more gets this many (the driver sees the
 * length written and asks again), so one request cannot keep the worker busy for long. */
#define RNG_MAX_PER_REQUEST 4096u

typedef struct rng_stats {
    uint64_t requests, bytes, empty; /* empty: buffers with nothing the device may write */
} rng_stats_t;

typedef struct vrng {
    vdev_t dev;
    /* Fills buf with len random bytes. */
    void (*entropy)(void *opaque, uint8_t *buf, uint32_t len);
    void *opaque;
    rng_stats_t stats;
} vrng_t;

/* Starts the device and publishes its block. */
void vrng_init(vrng_t *r, const vdev_host_t *host,
               void (*entropy)(void *opaque, uint8_t *buf, uint32_t len), void *opaque);
/* Does all pending work; call after every wake. */
void vrng_poll(vrng_t *r);

#endif
