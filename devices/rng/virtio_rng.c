/* virtio-rng (see virtio_rng.h). */
#include "virtio_rng.h"

#include <string.h>

#include "../virtio/virtio_spec.h"

#define RNG_QUEUE 0
#define RNG_QUEUE_SIZE 64

static const vdev_ops_t rng_ops = {0};

void vrng_init(vrng_t *r, const vdev_host_t *host,
               void (*entropy)(void *opaque, uint8_t *buf, uint32_t len), void *opaque)
{
    memset(r, 0, sizeof *r);
    r->entropy = entropy;
    r->opaque = opaque;
    uint64_t features = 1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_F_RING_EVENT_IDX;
    vdev_init(&r->dev, host, &rng_ops, VIRTIO_ID_RNG, features, 1, RNG_QUEUE_SIZE, r);
    vdev_publish(&r->dev);
}

void vrng_poll(vrng_t *r)
{
    vdev_poll(&r->dev);
    if (!r->dev.active) return;
    bool done_any = false;
    vchain_t c;
    uint8_t buf[RNG_MAX_PER_REQUEST];
    while (virtq_pop(&r->dev, RNG_QUEUE, &c)) {
        /* Readable segments mean nothing to this device (the spec has the driver offer only
         * writable ones); they are skipped, and a buffer with no writable part completes empty. */
        uint32_t n = c.in_len < sizeof buf ? c.in_len : (uint32_t)sizeof buf;
        if (n) {
            r->entropy(r->opaque, buf, n);
            n = vchain_write(&r->dev, &c, 0, buf, n);
            memset(buf, 0, n); /* no copy of what the guest was given stays behind */
        } else {
            r->stats.empty++;
        }
        r->stats.requests++;
        r->stats.bytes += n;
        virtq_fill(&r->dev, RNG_QUEUE, &c, n);
        done_any = true;
    }
    if (done_any) virtq_flush(&r->dev, RNG_QUEUE);
}
