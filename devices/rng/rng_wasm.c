/* Wasm entry points of the virtio-rng module, in its own worker. The worker fills the module's
 * buffer from the host's cryptographic generator (host_random); guest RAM is reached through
 * the checked imports of vdev_wasm.c. */
#include "../virtio/vdev_wasm.h"
#include "virtio_rng.h"

IMPORT(host_random) void host_random(uint8_t *buf, uint32_t len);

static void entropy(void *o, uint8_t *buf, uint32_t len) { host_random(buf, len); }

static vrng_t rng;

EXPORT(rng_init) void rng_init(uint32_t ram_base_lo, uint32_t ram_base_hi, uint32_t ram_mib)
{
    vrng_init(&rng, vdev_wasm_host(ram_base_lo, ram_base_hi, ram_mib), entropy, 0);
}

EXPORT(rng_poll) void rng_poll(void) { vrng_poll(&rng); }

/* Counters, in the order of rng_stats_t. */
EXPORT(rng_stat) double rng_stat(uint32_t i)
{
    const uint64_t *s = &rng.stats.requests;
    return i < sizeof rng.stats / sizeof *s ? (double)s[i] : 0;
}
