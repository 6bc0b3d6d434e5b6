/* test_rng.c - virtio-rng on the fake machine: it is device 4 with only VERSION_1 and
 * EVENT_IDX; each writable buffer gets the generator's next bytes (at most RNG_MAX_PER_REQUEST
 * per buffer, the used length saying how many); readable segments are never written; a buffer
 * with nothing writable completes empty; a buffer outside RAM is refused without a device
 * access outside RAM (the fake machine aborts on one). */
#include <stdlib.h>
#include <string.h>

#include "../rng/virtio_rng.h"
#include "fake_guest.h"
#include "test.h"

#define RAM_SIZE (1u << 20)
#define Q_BASE (FG_RAM_BASE + 0x1000)
#define BUF (FG_RAM_BASE + 0x20000)
#define F_NEXT VIRTQ_DESC_F_NEXT
#define F_WRITE VIRTQ_DESC_F_WRITE

static vrng_t rng;
static uint8_t next_byte; /* the fake generator: 0, 1, 2, ... */
static unsigned entropy_calls;
static void entropy(void *o, uint8_t *buf, uint32_t len)
{
    entropy_calls++;
    for (uint32_t i = 0; i < len; i++)
        buf[i] = next_byte++;
}
static int poll_rng(fg_t *g)
{
    vrng_poll(&rng);
    return 0;
}

static fg_queue_t q;

static fg_t *boot(void)
{
    fg_t *g = fg_new(RAM_SIZE);
    g->device_poll = poll_rng;
    vrng_init(&rng, &g->host, entropy, NULL);
    CHECK_EQ(fg_driver_negotiate(g, ~0ull) & 8, 8); /* FEATURES_OK */
    fg_queue_layout(&q, 0, 16, Q_BASE);
    fg_queue_setup(g, &q);
    fg_driver_ok(g);
    next_byte = 0;
    return g;
}

/* Submits the chain at head and returns the used length. */
static uint32_t submit(fg_t *g, uint16_t head)
{
    uint16_t before = fg_used_idx(g, &q);
    fg_publish(g, &q, head);
    fg_notify(g, &q);
    CHECK_EQ(fg_used_idx(g, &q), (uint16_t)(before + 1));
    uint32_t id, len;
    fg_used_elem(g, &q, before, &id, &len);
    CHECK_EQ(id, head);
    return len;
}

static void test_identity(void)
{
    TEST_CASE("device id and features");
    fg_t *g = fg_new(RAM_SIZE);
    g->device_poll = poll_rng;
    vrng_init(&rng, &g->host, entropy, NULL);
    CHECK_EQ(fg_rd(g, 0x008), 4); /* DeviceID */
    fg_wr(g, 0x014, 0);           /* DeviceFeaturesSel: low word */
    CHECK_EQ(fg_rd(g, 0x010), 1u << 29);
    fg_wr(g, 0x014, 1);
    CHECK_EQ(fg_rd(g, 0x010), 1); /* VERSION_1 */
    fg_free(g);
}

static void test_fill(void)
{
    TEST_CASE("buffers filled");
    fg_t *g = boot();
    uint8_t got[8192];
    fg_set_desc(g, &q, 0, BUF, 64, F_WRITE, 0);
    CHECK_EQ(submit(g, 0), 64);
    fg_peek(g, BUF, got, 64);
    for (unsigned i = 0; i < 64; i++)
        CHECK_EQ(got[i], i);
    /* Two writable segments: filled in order, across the boundary. */
    memset(got, 0xee, sizeof got);
    fg_poke(g, BUF, got, sizeof got);
    fg_set_desc(g, &q, 1, BUF, 10, F_NEXT | F_WRITE, 2);
    fg_set_desc(g, &q, 2, BUF + 0x1000, 20, F_WRITE, 0);
    CHECK_EQ(submit(g, 1), 30);
    fg_peek(g, BUF, got, 11);
    CHECK_EQ(got[0], 64);
    CHECK_EQ(got[9], 73);
    CHECK_EQ(got[10], 0xee);
    fg_peek(g, BUF + 0x1000, got, 21);
    CHECK_EQ(got[0], 74);
    CHECK_EQ(got[19], 93);
    CHECK_EQ(got[20], 0xee);
    /* More than the per-request cap: the cap is written, and said. */
    fg_set_desc(g, &q, 3, BUF, 10000, F_WRITE, 0);
    CHECK_EQ(submit(g, 3), RNG_MAX_PER_REQUEST);
    CHECK_EQ(rng.stats.requests, 3);
    CHECK_EQ(rng.stats.bytes, 94 + RNG_MAX_PER_REQUEST);
    fg_free(g);
}

static void test_odd_buffers(void)
{
    TEST_CASE("readable and bad buffers");
    fg_t *g = boot();
    uint8_t got[32];
    memset(got, 0x11, sizeof got);
    fg_poke(g, BUF, got, sizeof got);
    /* Only readable: completes with nothing written, and nothing is drawn. */
    unsigned calls = entropy_calls;
    fg_set_desc(g, &q, 0, BUF, 32, 0, 0);
    CHECK_EQ(submit(g, 0), 0);
    CHECK_EQ(entropy_calls, calls);
    CHECK_EQ(rng.stats.empty, 1);
    fg_peek(g, BUF, got, sizeof got);
    CHECK_EQ(got[0], 0x11);
    CHECK_EQ(got[31], 0x11);
    /* Readable then writable: only the writable part changes. */
    fg_set_desc(g, &q, 1, BUF, 16, F_NEXT, 2);
    fg_set_desc(g, &q, 2, BUF + 16, 16, F_WRITE, 0);
    CHECK_EQ(submit(g, 1), 16);
    fg_peek(g, BUF, got, sizeof got);
    CHECK_EQ(got[15], 0x11);
    CHECK_EQ(got[16], 0);
    /* Outside RAM, or running past its end: refused (completed empty), never touched. */
    fg_set_desc(g, &q, 3, FG_RAM_BASE + RAM_SIZE - 8, 64, F_WRITE, 0);
    CHECK_EQ(submit(g, 3), 0);
    fg_set_desc(g, &q, 4, 0x1000, 64, F_WRITE, 0);
    CHECK_EQ(submit(g, 4), 0);
    CHECK(g->logs >= 1);
    fg_free(g);
}

int main(void)
{
    test_identity();
    test_fill();
    test_odd_buffers();
    return test_report();
}
