/* test_vqueue.c - malformed virtqueues from the guest, through the transport and the console:
 * each must be survived with no access outside guest RAM (the fake RAM aborts), the buffer
 * returned with used length 0 when its head index is valid, one log line per device, and later
 * well-formed requests still served. Ends with a deterministic fuzz of rings and registers. */
#include <string.h>

#include "fake_guest.h"
#include "test.h"

#define RAM_SIZE (1u << 20)
#define RAM_END (FG_RAM_BASE + RAM_SIZE)
#define RX_BASE (FG_RAM_BASE + 0x1000)
#define TX_BASE (FG_RAM_BASE + 0x8000)
#define BUF (FG_RAM_BASE + 0x20000)
#define F_NEXT VIRTQ_DESC_F_NEXT
#define F_WRITE VIRTQ_DESC_F_WRITE
#define F_INDIRECT VIRTQ_DESC_F_INDIRECT

static fg_t *boot_n(uint64_t ram_size, uint16_t rx_num, uint16_t tx_num)
{
    fg_t *g = fg_new(ram_size);
    fg_device_start(g, 80, 24);
    fg_driver_init(g, rx_num, RX_BASE, tx_num, TX_BASE);
    return g;
}
static fg_t *boot(void) { return boot_n(RAM_SIZE, 256, 256); }

/* The buffer at used position n was returned with head and length 0. */
static void check_returned(fg_t *g, const fg_queue_t *q, uint16_t n, uint16_t head)
{
    uint32_t id, len;
    CHECK(fg_used_idx(g, q) > n);
    fg_used_elem(g, q, n, &id, &len);
    CHECK_EQ(id, head);
    CHECK_EQ(len, 0);
}

/* A well-formed transmit of s through descriptor d goes out and is returned. */
static void check_tx_works(fg_t *g, uint16_t d, const char *s)
{
    uint32_t n = (uint32_t)strlen(s), before = g->out_len;
    uint16_t used = fg_used_idx(g, &g->tx);
    fg_poke(g, BUF + 0x8000, s, n);
    fg_set_desc(g, &g->tx, d, BUF + 0x8000, n, 0, 0);
    fg_publish(g, &g->tx, d);
    fg_notify(g, &g->tx);
    CHECK_EQ(g->out_len, before + n);
    CHECK(g->out_len >= n && memcmp(g->out + g->out_len - n, s, n) == 0);
    CHECK_EQ(fg_used_idx(g, &g->tx), (uint16_t)(used + 1));
    check_returned(g, &g->tx, used, d);
}

/* A well-formed receive buffer in descriptor d gets the input s. */
static void check_rx_works(fg_t *g, uint16_t d, const char *s)
{
    uint32_t n = (uint32_t)strlen(s), id, len;
    uint16_t used = fg_used_idx(g, &g->rx);
    fg_set_desc(g, &g->rx, d, BUF + 0x9000, 64, F_WRITE, 0);
    fg_publish(g, &g->rx, d);
    fg_notify(g, &g->rx);
    fg_input(g, s, n);
    CHECK_EQ(fg_used_idx(g, &g->rx), (uint16_t)(used + 1));
    fg_used_elem(g, &g->rx, used, &id, &len);
    CHECK_EQ(id, d);
    CHECK_EQ(len, n);
    char buf[64];
    fg_peek(g, BUF + 0x9000, buf, n);
    CHECK(memcmp(buf, s, n) == 0);
}

/* ---- one bad chain at a time --------------------------------------------------------------- */

/* Writes a bad chain into q's descriptors 0.. and returns its head. */
typedef uint16_t (*bad_chain_fn)(fg_t *g, const fg_queue_t *q);

static uint16_t bad_below_ram(fg_t *g, const fg_queue_t *q)
{
    fg_set_desc(g, q, 0, 0x1000, 16, 0, 0);
    return 0;
}
static uint16_t bad_straddles_start(fg_t *g, const fg_queue_t *q)
{
    fg_set_desc(g, q, 0, FG_RAM_BASE - 1, 2, 0, 0);
    return 0;
}
static uint16_t bad_straddles_end(fg_t *g, const fg_queue_t *q)
{
    fg_set_desc(g, q, 3, RAM_END - 4, 8, 0, 0);
    return 3;
}
static uint16_t bad_at_end(fg_t *g, const fg_queue_t *q)
{
    fg_set_desc(g, q, 1, RAM_END, 1, 0, 0);
    return 1;
}
static uint16_t bad_far(fg_t *g, const fg_queue_t *q)
{
    fg_set_desc(g, q, 2, 0x1000000000000ull, 1, 0, 0);
    return 2;
}
static uint16_t bad_overflow(fg_t *g, const fg_queue_t *q)
{
    fg_set_desc(g, q, 0, 0xfffffffffffffff0ull, 0x20, 0, 0);
    return 0;
}
static uint16_t bad_overflow_max(fg_t *g, const fg_queue_t *q)
{
    fg_set_desc(g, q, 0, 0xffffffffffffffffull, 0xffffffff, 0, 0);
    return 0;
}
static uint16_t bad_too_long(fg_t *g, const fg_queue_t *q)
{
    fg_set_desc(g, q, 0, FG_RAM_BASE + 0x100, 0xffffffff, 0, 0);
    return 0;
}
static uint16_t bad_second_outside(fg_t *g, const fg_queue_t *q)
{
    fg_set_desc(g, q, 0, BUF, 4, F_NEXT, 1);
    fg_set_desc(g, q, 1, RAM_END - 2, 4, 0, 0);
    return 0;
}
static uint16_t bad_loop(fg_t *g, const fg_queue_t *q)
{
    fg_set_desc(g, q, 0, BUF, 4, F_NEXT, 1);
    fg_set_desc(g, q, 1, BUF + 4, 4, F_NEXT, 0);
    return 0;
}
static uint16_t bad_self_loop(fg_t *g, const fg_queue_t *q)
{
    fg_set_desc(g, q, 5, BUF, 1, F_NEXT, 5);
    return 5;
}
/* Longer than the device's limit of VCHAIN_MAX_SEGS descriptors (the queue holds 256). */
static uint16_t bad_longer_than_limit(fg_t *g, const fg_queue_t *q)
{
    for (unsigned i = 0; i <= VCHAIN_MAX_SEGS; i++)
        fg_set_desc(g, q, i, BUF + i, 1, i < VCHAIN_MAX_SEGS ? F_NEXT : 0, (uint16_t)(i + 1));
    return 0;
}
static uint16_t bad_next_is_num(fg_t *g, const fg_queue_t *q)
{
    fg_set_desc(g, q, 0, BUF, 4, F_NEXT, q->num);
    return 0;
}
static uint16_t bad_next_max(fg_t *g, const fg_queue_t *q)
{
    fg_set_desc(g, q, 0, BUF, 4, F_NEXT, 1);
    fg_set_desc(g, q, 1, BUF + 4, 4, F_NEXT, 0xffff);
    return 0;
}
static uint16_t bad_indirect_head(fg_t *g, const fg_queue_t *q)
{
    fg_set_desc(g, q, 0, BUF, 32, F_INDIRECT, 0);
    return 0;
}
static uint16_t bad_indirect_second(fg_t *g, const fg_queue_t *q)
{
    fg_set_desc(g, q, 0, BUF, 4, F_NEXT, 1);
    fg_set_desc(g, q, 1, BUF + 0x100, 32, F_INDIRECT, 0);
    return 0;
}
static uint16_t bad_read_after_write(fg_t *g, const fg_queue_t *q)
{
    fg_set_desc(g, q, 0, BUF, 4, F_WRITE | F_NEXT, 1);
    fg_set_desc(g, q, 1, BUF + 4, 4, 0, 0);
    return 0;
}
static uint16_t bad_zero_len_outside(fg_t *g, const fg_queue_t *q)
{
    fg_set_desc(g, q, 0, 0, 0, q->index == 0 ? F_WRITE : 0, 0);
    return 0;
}

static const struct {
    const char *name;
    bad_chain_fn make;
} bad_chains[] = {
    {"descriptor below RAM", bad_below_ram},
    {"descriptor straddling the start of RAM", bad_straddles_start},
    {"descriptor straddling the end of RAM", bad_straddles_end},
    {"descriptor just past RAM", bad_at_end},
    {"descriptor far outside RAM", bad_far},
    {"address + length overflowing 2^64", bad_overflow},
    {"address and length at their maxima", bad_overflow_max},
    {"length beyond RAM", bad_too_long},
    {"second descriptor outside RAM", bad_second_outside},
    {"chain that loops", bad_loop},
    {"descriptor whose next is itself", bad_self_loop},
    {"chain longer than the device's limit", bad_longer_than_limit},
    {"next index equal to the queue size", bad_next_is_num},
    {"next index 0xffff", bad_next_max},
    {"INDIRECT on the head", bad_indirect_head},
    {"INDIRECT further down the chain", bad_indirect_second},
    {"readable descriptor after a writable one", bad_read_after_write},
    {"zero-length descriptor outside RAM", bad_zero_len_outside},
};
#define N_BAD (sizeof bad_chains / sizeof bad_chains[0])

/* On the transmit queue: returned with length 0, nothing output, logged once. */
static void test_bad_tx(unsigned k)
{
    TEST_CASE(bad_chains[k].name);
    fg_t *g = boot();
    uint16_t head = bad_chains[k].make(g, &g->tx);
    fg_publish(g, &g->tx, head);
    fg_notify(g, &g->tx);
    CHECK_EQ(fg_used_idx(g, &g->tx), 1);
    check_returned(g, &g->tx, 0, head);
    CHECK_EQ(g->out_len, 0);
    CHECK_EQ(g->logs, 1);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_INT_USED_RING);
    /* The same again, and a good buffer behind a bad one in the same notification. */
    fg_publish(g, &g->tx, head);
    fg_notify(g, &g->tx);
    check_returned(g, &g->tx, 1, head);
    head = bad_chains[k].make(g, &g->tx);
    fg_publish(g, &g->tx, head);
    fg_poke(g, BUF + 0x8000, "good", 4);
    fg_set_desc(g, &g->tx, 200, BUF + 0x8000, 4, 0, 0);
    fg_publish(g, &g->tx, 200);
    fg_notify(g, &g->tx);
    CHECK_EQ(fg_used_idx(g, &g->tx), 4);
    check_returned(g, &g->tx, 2, head);
    check_returned(g, &g->tx, 3, 200);
    CHECK_EQ(g->out_len, 4);
    CHECK(memcmp(g->out, "good", 4) == 0);
    CHECK_EQ(g->logs, 1);
    check_tx_works(g, 201, "better");
    check_rx_works(g, 0, "rx ok");
    fg_free(g);
}

/* On the receive queue, with input waiting: the bad buffer gets none of it. */
static void test_bad_rx(unsigned k)
{
    TEST_CASE(bad_chains[k].name);
    fg_t *g = boot();
    fg_input(g, "keep", 4);
    uint16_t head = bad_chains[k].make(g, &g->rx);
    fg_publish(g, &g->rx, head);
    fg_notify(g, &g->rx);
    CHECK_EQ(fg_used_idx(g, &g->rx), 1);
    check_returned(g, &g->rx, 0, head);
    CHECK_EQ(g->in_pos, 0);
    CHECK_EQ(g->logs, 1);
    /* The input goes to the next good buffer. */
    uint32_t id, len;
    fg_set_desc(g, &g->rx, 100, BUF + 0x9000, 64, F_WRITE, 0);
    fg_publish(g, &g->rx, 100);
    fg_notify(g, &g->rx);
    fg_used_elem(g, &g->rx, 1, &id, &len);
    CHECK_EQ(id, 100);
    CHECK_EQ(len, 4);
    char buf[4];
    fg_peek(g, BUF + 0x9000, buf, 4);
    CHECK(memcmp(buf, "keep", 4) == 0);
    CHECK_EQ(g->logs, 1);
    check_rx_works(g, 101, "more");
    check_tx_works(g, 0, "tx ok");
    fg_free(g);
}

static void test_bad_head(void)
{
    TEST_CASE("head index out of range");
    fg_t *g = boot();
    static const uint16_t heads[] = {256, 257, 0x8000, 0xffff};
    for (unsigned i = 0; i < 4; i++)
        fg_publish(g, &g->tx, heads[i]);
    fg_notify(g, &g->tx);
    /* There is no valid head to return: nothing is used. */
    CHECK_EQ(fg_used_idx(g, &g->tx), 0);
    CHECK_EQ(g->logs, 1);
    CHECK_EQ(g->out_len, 0);
    fg_publish(g, &g->tx, 256);
    check_tx_works(g, 1, "after");
    CHECK_EQ(g->logs, 1);
    /* Input waiting, a bad head, then a good buffer: the good buffer gets the input. */
    fg_input(g, "z", 1);
    fg_publish(g, &g->rx, 300);
    fg_set_desc(g, &g->rx, 2, BUF + 0x100, 16, F_WRITE, 0);
    fg_publish(g, &g->rx, 2);
    fg_notify(g, &g->rx);
    CHECK_EQ(fg_used_idx(g, &g->rx), 1);
    uint32_t id, len;
    fg_used_elem(g, &g->rx, 0, &id, &len);
    CHECK_EQ(id, 2);
    CHECK_EQ(len, 1);
    CHECK_EQ(g->in_pos, g->in_len);
    check_rx_works(g, 3, "y");
    CHECK_EQ(g->logs, 1);
    fg_free(g);
}

/* In a queue of 8, a chain of all 8 descriptors is fine; one that visits a 9th loops. */
static void test_chain_vs_queue_size(void)
{
    TEST_CASE("chain length against the queue size");
    fg_t *g = boot_n(RAM_SIZE, 8, 8);
    for (unsigned i = 0; i < 8; i++) {
        fg_poke(g, BUF + i, &"ABCDEFGH"[i], 1);
        fg_set_desc(g, &g->tx, (i + 3) % 8, BUF + i, 1, i < 7 ? F_NEXT : 0,
                    (uint16_t)((i + 4) % 8));
    }
    fg_publish(g, &g->tx, 3);
    fg_notify(g, &g->tx);
    CHECK_EQ(g->out_len, 8);
    CHECK(memcmp(g->out, "ABCDEFGH", 8) == 0);
    CHECK_EQ(g->logs, 0);
    /* The same chain with the last one pointing back at the head: longer than the queue. */
    fg_set_desc(g, &g->tx, 2, BUF + 7, 1, F_NEXT, 3);
    fg_publish(g, &g->tx, 3);
    fg_notify(g, &g->tx);
    CHECK_EQ(g->out_len, 8);
    check_returned(g, &g->tx, 1, 3);
    CHECK_EQ(g->logs, 1);
    check_tx_works(g, 0, "fine");
    /* A writable-then-readable receive chain of the same queue is returned too. */
    fg_input(g, "in", 2);
    bad_read_after_write(g, &g->rx);
    fg_publish(g, &g->rx, 0);
    fg_notify(g, &g->rx);
    check_returned(g, &g->rx, 0, 0);
    CHECK_EQ(g->in_pos, 0);
    fg_set_desc(g, &g->rx, 5, BUF + 0x100, 8, F_WRITE, 0);
    fg_publish(g, &g->rx, 5);
    fg_notify(g, &g->rx);
    uint32_t id, len;
    fg_used_elem(g, &g->rx, 1, &id, &len);
    CHECK_EQ(id, 5);
    CHECK_EQ(len, 2);
    CHECK_EQ(g->logs, 1);
    check_rx_works(g, 6, "x");
    fg_free(g);
}

static void test_zero_length(void)
{
    TEST_CASE("zero-length descriptors");
    fg_t *g = boot();
    /* Alone: returned, nothing output. */
    fg_set_desc(g, &g->tx, 0, BUF, 0, 0, 0);
    fg_publish(g, &g->tx, 0);
    fg_notify(g, &g->tx);
    check_returned(g, &g->tx, 0, 0);
    CHECK_EQ(g->out_len, 0);
    /* In the middle of a chain, and at the very end of RAM: skipped over. */
    fg_poke(g, BUF + 0x10, "ab", 2);
    fg_poke(g, BUF + 0x20, "cd", 2);
    fg_set_desc(g, &g->tx, 1, BUF + 0x10, 2, F_NEXT, 2);
    fg_set_desc(g, &g->tx, 2, RAM_END, 0, F_NEXT, 3);
    fg_set_desc(g, &g->tx, 3, BUF + 0x20, 2, 0, 0);
    fg_publish(g, &g->tx, 1);
    fg_notify(g, &g->tx);
    check_returned(g, &g->tx, 1, 1);
    CHECK_EQ(g->out_len, 4);
    CHECK(memcmp(g->out, "abcd", 4) == 0);
    /* A zero-length receive buffer is returned empty and the input waits for the next. */
    fg_input(g, "hi", 2);
    fg_set_desc(g, &g->rx, 0, BUF + 0x100, 0, F_WRITE, 0);
    fg_publish(g, &g->rx, 0);
    fg_notify(g, &g->rx);
    check_returned(g, &g->rx, 0, 0);
    CHECK_EQ(g->in_pos, 0);
    /* So is a receive buffer with only device-readable descriptors. */
    fg_set_desc(g, &g->rx, 1, BUF + 0x100, 16, 0, 0);
    fg_publish(g, &g->rx, 1);
    fg_notify(g, &g->rx);
    check_returned(g, &g->rx, 1, 1);
    CHECK_EQ(g->in_pos, 0);
    fg_set_desc(g, &g->rx, 2, BUF + 0x200, 16, F_WRITE, 0);
    fg_publish(g, &g->rx, 2);
    fg_notify(g, &g->rx);
    uint32_t id, len;
    fg_used_elem(g, &g->rx, 2, &id, &len);
    CHECK_EQ(id, 2);
    CHECK_EQ(len, 2);
    CHECK(g->logs <= 1);
    check_tx_works(g, 9, "still");
    fg_free(g);
}

/* A chain of more than 1 GiB in total (in a machine with 1 GiB of RAM). */
static void test_huge_chain(void)
{
    TEST_CASE("chain longer than 1 GiB");
    fg_t *g = boot_n(1ull << 30, 256, 256);
    fg_set_desc(g, &g->tx, 0, FG_RAM_BASE, 0x30000000, F_NEXT, 1);
    fg_set_desc(g, &g->tx, 1, FG_RAM_BASE, 0x30000000, 0, 0);
    fg_publish(g, &g->tx, 0);
    fg_notify(g, &g->tx);
    check_returned(g, &g->tx, 0, 0);
    CHECK_EQ(g->out_len, 0);
    CHECK_EQ(g->logs, 1);
    check_tx_works(g, 2, "ok");
    fg_free(g);
}

/* The driver claims more new buffers than the queue holds: that queue is ignored until the
 * next reset, the other queue keeps working. */
static void test_avail_jump(void)
{
    TEST_CASE("available index jumping ahead");
    static const uint16_t jumps[] = {257, 0x8000, 0xffff};
    for (unsigned j = 0; j < 3; j++) {
        fg_t *g = boot();
        check_tx_works(g, 0, "first");
        fg_set_desc(g, &g->tx, 1, BUF, 1, 0, 0);
        fg_w16(g, g->tx.avail + 2, (uint16_t)(g->tx.avail_idx + jumps[j]));
        fg_notify(g, &g->tx);
        CHECK_EQ(fg_used_idx(g, &g->tx), 1);
        CHECK_EQ(g->logs, 1);
        unsigned reads = g->ram_reads;
        fg_notify(g, &g->tx);
        CHECK_EQ(g->ram_reads, reads); /* the queue is left alone */
        CHECK_EQ(fg_used_idx(g, &g->tx), 1);
        check_rx_works(g, 0, "rx");
        CHECK_EQ(g->logs, 1);
        fg_driver_init(g, 256, RX_BASE, 256, TX_BASE);
        check_tx_works(g, 0, "again");
        fg_free(g);
    }
    /* Exactly a full queue is allowed. */
    fg_t *g = boot_n(RAM_SIZE, 256, 4);
    for (uint16_t i = 0; i < 4; i++) {
        fg_poke(g, BUF + i, &"wxyz"[i], 1);
        fg_set_desc(g, &g->tx, i, BUF + i, 1, 0, 0);
        fg_publish(g, &g->tx, i);
    }
    fg_notify(g, &g->tx);
    CHECK_EQ(g->out_len, 4);
    CHECK(memcmp(g->out, "wxyz", 4) == 0);
    CHECK_EQ(fg_used_idx(g, &g->tx), 4);
    CHECK_EQ(g->logs, 0);
    fg_free(g);
}

/* Rings not wholly in RAM: the queue is ignored (never touched), logged once. */
static void test_bad_rings(void)
{
    TEST_CASE("rings outside RAM");
    static const struct {
        const char *name;
        uint64_t desc, avail, used;
    } rings[] = {
        {"desc straddles the end", RAM_END - 0x800, TX_BASE + 0x1000, TX_BASE + 0x2000},
        {"desc below RAM", FG_RAM_BASE - 0x1000, TX_BASE + 0x1000, TX_BASE + 0x2000},
        {"desc at 0", 0, TX_BASE + 0x1000, TX_BASE + 0x2000},
        {"avail straddles the end", TX_BASE, RAM_END - 0x100, TX_BASE + 0x2000},
        {"avail's used_event past the end", TX_BASE, RAM_END - 0x204, TX_BASE + 0x2000},
        {"avail overflows 2^64", TX_BASE, 0xfffffffffffff000ull, TX_BASE + 0x2000},
        {"used straddles the end", TX_BASE, TX_BASE + 0x1000, RAM_END - 0x800},
        {"used's avail_event past the end", TX_BASE, TX_BASE + 0x1000, RAM_END - 0x804},
        {"used far away", TX_BASE, TX_BASE + 0x1000, 0x100000000000ull},
    };
    for (unsigned k = 0; k < sizeof rings / sizeof rings[0]; k++) {
        TEST_CASE(rings[k].name);
        fg_t *g = fg_new(RAM_SIZE);
        fg_device_start(g, 80, 24);
        fg_driver_features(g);
        fg_queue_layout(&g->rx, 0, 256, RX_BASE);
        fg_queue_setup(g, &g->rx);
        fg_queue_t *q = &g->tx;
        memset(q, 0, sizeof *q);
        q->index = 1;
        q->num = 256;
        q->desc = rings[k].desc;
        q->avail = rings[k].avail;
        q->used = rings[k].used;
        fg_queue_setup(g, q);
        fg_driver_ok(g);
        CHECK_EQ(g->logs, 1);
        unsigned reads = g->ram_reads, writes = g->ram_writes;
        fg_wr(g, VIRTIO_MMIO_QUEUE_NOTIFY, 1);
        fg_wr(g, VIRTIO_MMIO_QUEUE_NOTIFY, 1);
        CHECK_EQ(g->ram_reads, reads);
        CHECK_EQ(g->ram_writes, writes);
        CHECK_EQ(g->out_len, 0);
        CHECK_EQ(g->logs, 1);
        check_rx_works(g, 0, "rx lives");
        /* A reset and good rings bring the queue back. */
        fg_driver_init(g, 256, RX_BASE, 256, TX_BASE);
        check_tx_works(g, 0, "tx lives");
        CHECK_EQ(g->logs, 1);
        fg_free(g);
    }
}

/* ---- fuzz ---------------------------------------------------------------------------------- */

static uint64_t rng_state = 0x243f6a8885a308d3ull;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Addresses near the edges of RAM and a few absurd ones. */
static uint64_t rnd_addr(void)
{
    switch (rnd() % 6) {
    case 0: return FG_RAM_BASE - 64 + rnd() % 128;
    case 1: return RAM_END - 64 + rnd() % 128;
    case 2: return rnd();
    case 3: return ~0ull - rnd() % 64;
    default: return FG_RAM_BASE + rnd() % RAM_SIZE;
    }
}
static uint32_t rnd_len(void)
{
    switch (rnd() % 4) {
    case 0: return (uint32_t)rnd();
    case 1: return 0;
    default: return (uint32_t)(rnd() % 300);
    }
}

static void test_fuzz(void)
{
    TEST_CASE("fuzz");
    fg_t *g = boot_n(RAM_SIZE, 16, 16);
    unsigned resets = 0;
    for (unsigned round = 0; round < 20000; round++) {
        fg_queue_t *q = rnd() & 1 ? &g->tx : &g->rx;
        unsigned what = (unsigned)(rnd() % 100);
        if (what < 50) { /* random descriptors */
            for (unsigned n = rnd() % 4; n-- > 0;)
                if (q->desc - FG_RAM_BASE < RAM_SIZE - 16 * q->num)
                    fg_set_desc(g, q, (unsigned)(rnd() % q->num), rnd_addr(), rnd_len(),
                                (uint16_t)(rnd() % 8), (uint16_t)(rnd() % (q->num + 2)));
            if (q->avail - FG_RAM_BASE < RAM_SIZE - 0x100)
                fg_publish(g, q, (uint16_t)(rnd() % (q->num + 1)));
            if (rnd() % 3 == 0) fg_notify(g, q);
        } else if (what < 60) { /* random available index */
            if (q->avail - FG_RAM_BASE < RAM_SIZE - 0x100) {
                q->avail_idx = (uint16_t)(q->avail_idx + rnd() % 20);
                fg_w16(g, q->avail + 2, q->avail_idx);
            }
            fg_notify(g, q);
        } else if (what < 70) {
            char in[40];
            for (unsigned i = 0; i < sizeof in; i++)
                in[i] = (char)rnd();
            if (g->in_len + sizeof in < FG_IN_MAX) fg_input(g, in, (uint32_t)(rnd() % 40));
        } else if (what < 75) {
            g->out_room = rnd() & 1 ? FG_ROOM_UNLIMITED : (uint32_t)(rnd() % 64);
            if (g->out_len > FG_OUT_MAX / 2) g->out_len = 0;
            fg_wake(g);
        } else if (what < 80) {
            fg_resize(g, (uint32_t)rnd() % 300, (uint32_t)rnd() % 100);
        } else if (what < 95) { /* random register write, queue registers mostly */
            static const unsigned regs[] = {
                VIRTIO_MMIO_QUEUE_SEL,         VIRTIO_MMIO_QUEUE_NUM,
                VIRTIO_MMIO_QUEUE_READY,       VIRTIO_MMIO_QUEUE_DESC_LOW,
                VIRTIO_MMIO_QUEUE_DESC_HIGH,   VIRTIO_MMIO_QUEUE_DRIVER_LOW,
                VIRTIO_MMIO_QUEUE_DRIVER_HIGH, VIRTIO_MMIO_QUEUE_DEVICE_LOW,
                VIRTIO_MMIO_QUEUE_DEVICE_HIGH, VIRTIO_MMIO_QUEUE_NOTIFY,
                VIRTIO_MMIO_INTERRUPT_ACK,     VIRTIO_MMIO_STATUS,
                VIRTIO_MMIO_DRIVER_FEATURES,   VIRTIO_MMIO_DEVICE_FEATURES_SEL};
            unsigned r = regs[rnd() % (sizeof regs / sizeof regs[0])];
            uint32_t v = (uint32_t)rnd();
            if (r == VIRTIO_MMIO_QUEUE_SEL || r == VIRTIO_MMIO_QUEUE_NOTIFY) v %= 4;
            if (r == VIRTIO_MMIO_QUEUE_NUM) v = 1u << (rnd() % 10);
            if (r == VIRTIO_MMIO_QUEUE_DESC_LOW || r == VIRTIO_MMIO_QUEUE_DRIVER_LOW ||
                r == VIRTIO_MMIO_QUEUE_DEVICE_LOW)
                v = (uint32_t)rnd_addr();
            if (r == VIRTIO_MMIO_STATUS) v = rnd() & 1 ? 0 : 15;
            fg_wr(g, r, v);
            uint64_t val;
            virtio_mmio_read(&g->t, rnd() % 0x1000, 1u << (rnd() % 4), &val);
        } else { /* a fresh driver, with rings somewhere (sometimes partly outside RAM) */
            resets++;
            uint64_t rx = rnd() % 8 ? FG_RAM_BASE + rnd() % (RAM_SIZE - 0x3000) : rnd_addr();
            uint64_t tx = FG_RAM_BASE + rnd() % (RAM_SIZE - 0x3000);
            fg_driver_features(g);
            fg_queue_layout(&g->rx, 0, (uint16_t)(1u << rnd() % 5), rx & ~1ull);
            fg_queue_layout(&g->tx, 1, (uint16_t)(1u << rnd() % 5), tx & ~1ull);
            fg_queue_setup(g, &g->rx);
            fg_queue_setup(g, &g->tx);
            fg_driver_ok(g);
        }
        /* One log line per device, whatever happens. */
        if (g->logs > 1) break;
    }
    CHECK(g->logs <= 1);
    CHECK(resets > 100);
    /* The fuzz did reach the data paths. */
    CHECK(g->ram_writes > 1000);
    CHECK(g->irqs > 1000);
    /* After all that, a clean start works. */
    g->out_room = FG_ROOM_UNLIMITED;
    g->in_pos = g->in_len = 0;
    fg_driver_init(g, 256, RX_BASE, 256, TX_BASE);
    uint32_t out = g->out_len;
    check_tx_works(g, 0, "survived");
    CHECK_EQ(g->out_len, out + 8);
    check_rx_works(g, 1, "yes");
    fg_free(g);
}

int main(void)
{
    test_start();
    for (unsigned k = 0; k < N_BAD; k++)
        test_bad_tx(k);
    for (unsigned k = 0; k < N_BAD; k++)
        test_bad_rx(k);
    test_bad_head();
    test_chain_vs_queue_size();
    test_zero_length();
    test_huge_chain();
    test_avail_jump();
    test_bad_rings();
    test_fuzz();
    return test_report();
}
