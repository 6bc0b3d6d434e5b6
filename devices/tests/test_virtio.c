/* test_virtio.c - the virtio-mmio transport and the virtio-console device end to end, in fake
 * guest RAM: registers and feature negotiation, queue setup, transmit (with back-pressure),
 * receive, terminal resize and the configuration space, interrupts, reset, and a slot with no
 * device. Well-formed driver behaviour only; test_vqueue.c feeds malformed rings. */
#include <string.h>

#include "fake_guest.h"
#include "test.h"

#define RAM_SIZE (1u << 20)
#define RX_BASE (FG_RAM_BASE + 0x1000)
#define TX_BASE (FG_RAM_BASE + 0x8000)
#define RX_BUF (FG_RAM_BASE + 0x20000) /* receive buffers, 0x1000 apart */
#define TX_BUF (FG_RAM_BASE + 0x60000) /* transmit data */
#define ISR_USED VIRTIO_INT_USED_RING
#define ISR_CONFIG VIRTIO_INT_CONFIG

static fg_t *boot(void)
{
    fg_t *g = fg_new(RAM_SIZE);
    fg_device_start(g, 80, 24);
    fg_driver_init(g, 256, RX_BASE, 256, TX_BASE);
    return g;
}

static uint64_t cfg_read(fg_t *g, unsigned off, unsigned size)
{
    uint64_t v = 0xdeadbeef;
    CHECK(virtio_mmio_read(&g->t, VIRTIO_MMIO_CONFIG + off, size, &v));
    return v;
}

/* Puts a one-descriptor transmit buffer holding s in descriptor d and publishes it. */
static void tx_put(fg_t *g, uint16_t d, uint64_t addr, const char *s)
{
    fg_poke(g, addr, s, strlen(s));
    fg_set_desc(g, &g->tx, d, addr, (uint32_t)strlen(s), 0, 0);
    fg_publish(g, &g->tx, d);
}

static void rx_put(fg_t *g, uint16_t d, uint64_t addr, uint32_t len)
{
    fg_set_desc(g, &g->rx, d, addr, len, VIRTQ_DESC_F_WRITE, 0);
    fg_publish(g, &g->rx, d);
}

static int out_is(fg_t *g, const char *s)
{
    return g->out_len == strlen(s) && memcmp(g->out, s, g->out_len) == 0;
}

static void test_identity(void)
{
    TEST_CASE("identity and register access");
    fg_t *g = fg_new(RAM_SIZE);
    fg_device_start(g, 80, 24);
    CHECK(virtio_mmio_present(&g->t));
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_MAGIC_VALUE), 0x74726976);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_VERSION), 2);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_CONSOLE);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_VENDOR_ID), 0x4d565454);
    fg_wr(g, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_DEVICE_FEATURES),
             1u << 0 | 1u << VIRTIO_F_RING_EVENT_IDX); /* F_SIZE */
    fg_wr(g, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_DEVICE_FEATURES), 1u << (VIRTIO_F_VERSION_1 - 32));
    fg_wr(g, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 2);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_DEVICE_FEATURES), 0);
    fg_wr(g, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0xffffffff);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_DEVICE_FEATURES), 0);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_STATUS), 0);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_INTERRUPT_STATUS), 0);
    CHECK(!virtio_mmio_irq_level(&g->t));

    /* Unknown and write-only registers read as zero; writing them changes nothing. */
    static const unsigned unknown[] = {0x018, 0x01c, 0x028, 0x03c, 0x040, 0x048, 0x04c, 0x054,
                                       0x05c, 0x068, 0x074, 0x08c, 0x0b0, 0x0c0, 0x0f8};
    uint32_t before[TVM_V_WORDS];
    memcpy(before, g->blk, sizeof before);
    for (unsigned i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        CHECK_EQ(fg_rd(g, unknown[i]), 0);
        fg_wr(g, unknown[i], 0xffffffff);
    }
    CHECK(memcmp(before, g->blk, sizeof before) == 0);
    static const unsigned write_only[] = {
        VIRTIO_MMIO_DEVICE_FEATURES_SEL, VIRTIO_MMIO_DRIVER_FEATURES,
        VIRTIO_MMIO_DRIVER_FEATURES_SEL, VIRTIO_MMIO_QUEUE_SEL,
        VIRTIO_MMIO_QUEUE_NUM,           VIRTIO_MMIO_QUEUE_NOTIFY,
        VIRTIO_MMIO_INTERRUPT_ACK,       VIRTIO_MMIO_QUEUE_DESC_LOW,
        VIRTIO_MMIO_QUEUE_DEVICE_HIGH};
    for (unsigned i = 0; i < sizeof write_only / sizeof write_only[0]; i++)
        CHECK_EQ(fg_rd(g, write_only[i]), 0);

    /* Registers take only aligned 4-byte accesses. */
    uint64_t v;
    CHECK(!virtio_mmio_read(&g->t, VIRTIO_MMIO_MAGIC_VALUE, 2, &v));
    CHECK(!virtio_mmio_read(&g->t, VIRTIO_MMIO_MAGIC_VALUE, 1, &v));
    CHECK(!virtio_mmio_read(&g->t, VIRTIO_MMIO_MAGIC_VALUE, 8, &v));
    CHECK(!virtio_mmio_read(&g->t, VIRTIO_MMIO_VERSION + 1, 4, &v));
    CHECK(!virtio_mmio_write(&g->t, VIRTIO_MMIO_STATUS, 2, 1));
    CHECK(!virtio_mmio_write(&g->t, VIRTIO_MMIO_STATUS + 2, 4, 1));
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_STATUS), 0);

    /* Configuration space: cols, rows, max_nr_ports = 1, little-endian, any access size. */
    CHECK_EQ(cfg_read(g, 0, 2), 80);
    CHECK_EQ(cfg_read(g, 2, 2), 24);
    CHECK_EQ(cfg_read(g, 0, 4), 80 | 24u << 16);
    CHECK_EQ(cfg_read(g, 0, 1), 80);
    CHECK_EQ(cfg_read(g, 1, 1), 0);
    CHECK_EQ(cfg_read(g, 2, 1), 24);
    CHECK_EQ(cfg_read(g, 1, 2), 24u << 8);
    CHECK_EQ(cfg_read(g, 4, 4), 1);
    CHECK_EQ(cfg_read(g, 0, 8), 80 | 24u << 16 | 1ull << 32);
    CHECK_EQ(cfg_read(g, 8, 4), 0);
    /* Past the 256 bytes of config space: zero, not the host words that follow it, and no
     * access beyond the block (ASan). */
    for (unsigned w = TVM_V_HOST; w < TVM_V_HOST + TVM_V_HOST_WORDS; w++)
        g->blk[w] = 0xa5a5a5a5;
    CHECK_EQ(cfg_read(g, 0xfe, 4), 0);
    CHECK_EQ(cfg_read(g, 0x100, 4), 0);
    CHECK_EQ(cfg_read(g, 0xefc, 4), 0);
    CHECK_EQ(cfg_read(g, 0xef8, 8), 0);
    memset(g->blk + TVM_V_HOST, 0, 4 * TVM_V_HOST_WORDS);
    /* Config writes are accepted and ignored. */
    CHECK(virtio_mmio_write(&g->t, VIRTIO_MMIO_CONFIG, 2, 1000));
    CHECK(virtio_mmio_write(&g->t, VIRTIO_MMIO_CONFIG, 4, 0xffffffff));
    CHECK_EQ(cfg_read(g, 0, 4), 80 | 24u << 16);
    CHECK_EQ(g->ram_reads + g->ram_writes, 0);
    fg_free(g);
}

static void test_not_ready(void)
{
    TEST_CASE("slot without a device");
    fg_t *g = fg_new(RAM_SIZE);
    /* A worker that wrote its identity but has not set READY yet. */
    g->blk[TVM_V_DEVICE_ID] = VIRTIO_ID_CONSOLE;
    g->blk[TVM_V_VENDOR_ID] = 0x4d565454;
    g->blk[TVM_V_NUM_QUEUES] = 2;
    g->blk[TVM_V_QUEUE_NUM_MAX] = 256;
    CHECK(!virtio_mmio_present(&g->t));
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_MAGIC_VALUE), 0x74726976);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_VERSION), 2);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_DEVICE_ID), 0);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_VENDOR_ID), 0);
    fg_wr(g, VIRTIO_MMIO_QUEUE_SEL, 0);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_QUEUE_NUM_MAX), 0);
    fg_wr(g, VIRTIO_MMIO_QUEUE_NUM, 16);
    fg_wr(g, VIRTIO_MMIO_QUEUE_DESC_LOW, 0x1000);
    fg_wr(g, VIRTIO_MMIO_QUEUE_READY, 1);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_QUEUE_READY), 0);
    for (unsigned w = TVM_V_QUEUES; w < TVM_V_CONFIG; w++)
        CHECK_EQ(g->blk[w], 0);
    /* Any other READY value is not "ready" either. */
    g->blk[TVM_V_READY] = 2;
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_DEVICE_ID), 0);
    g->blk[TVM_V_READY] = 1;
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_CONSOLE);
    fg_free(g);
}

static void test_negotiation(void)
{
    TEST_CASE("status, features and queue setup");
    fg_t *g = fg_new(RAM_SIZE);
    fg_device_start(g, 80, 24);
    uint32_t seq = g->blk[TVM_V_STATUS_SEQ], gen = g->blk[TVM_V_RESET_GEN];
    uint32_t wake = g->blk[TVM_V_WAKE];
    CHECK_EQ(fg_driver_features(g),
             VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
    CHECK_EQ(g->blk[TVM_V_STATUS_SEQ], seq + 4); /* reset, ACK, DRIVER, FEATURES_OK */
    CHECK_EQ(g->blk[TVM_V_RESET_GEN], gen + 1);
    CHECK_EQ(g->blk[TVM_V_WAKE], wake + 4);
    CHECK_EQ(g->wakes, 4);
    CHECK_EQ(g->blk[TVM_V_DRIVER_FEAT_LO], 1);
    CHECK_EQ(g->blk[TVM_V_DRIVER_FEAT_HI], 1);
    fg_wr(g, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 2); /* no such word: ignored */
    fg_wr(g, VIRTIO_MMIO_DRIVER_FEATURES, 0xffffffff);
    CHECK_EQ(g->blk[TVM_V_DRIVER_FEAT_LO], 1);
    CHECK_EQ(g->blk[TVM_V_DRIVER_FEAT_HI], 1);

    for (unsigned q = 0; q < 2; q++) {
        fg_wr(g, VIRTIO_MMIO_QUEUE_SEL, q);
        CHECK_EQ(fg_rd(g, VIRTIO_MMIO_QUEUE_READY), 0);
        CHECK_EQ(fg_rd(g, VIRTIO_MMIO_QUEUE_NUM_MAX), 256);
    }
    for (unsigned q = 2; q < 12; q++) { /* queues the device does not have */
        fg_wr(g, VIRTIO_MMIO_QUEUE_SEL, q);
        CHECK_EQ(fg_rd(g, VIRTIO_MMIO_QUEUE_NUM_MAX), 0);
        fg_wr(g, VIRTIO_MMIO_QUEUE_NUM, 16);
        fg_wr(g, VIRTIO_MMIO_QUEUE_DESC_LOW, 0x1000);
        fg_wr(g, VIRTIO_MMIO_QUEUE_READY, 1);
        CHECK_EQ(fg_rd(g, VIRTIO_MMIO_QUEUE_READY), 0);
    }
    for (unsigned w = TVM_V_QUEUES; w < TVM_V_CONFIG; w++)
        CHECK_EQ(g->blk[w], 0);

    /* QueueNum takes only powers of two from 1 to QueueNumMax. */
    unsigned num1 = TVM_V_QUEUE(1) + TVM_VQ_NUM;
    fg_wr(g, VIRTIO_MMIO_QUEUE_SEL, 1);
    static const uint32_t bad[] = {0,   3,    6,     100,   255,     257,         384,
                                   512, 1024, 32768, 65536, 0x10100, 0x80000000u, 0xffffffffu};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fg_wr(g, VIRTIO_MMIO_QUEUE_NUM, bad[i]);
        CHECK_EQ(g->blk[num1], 0);
    }
    static const uint32_t good[] = {1, 2, 4, 64, 128, 256};
    for (unsigned i = 0; i < sizeof good / sizeof good[0]; i++) {
        fg_wr(g, VIRTIO_MMIO_QUEUE_NUM, good[i]);
        CHECK_EQ(g->blk[num1], good[i]);
    }
    fg_wr(g, VIRTIO_MMIO_QUEUE_NUM, 512); /* a bad size keeps the last good one */
    CHECK_EQ(g->blk[num1], 256);
    CHECK_EQ(g->blk[TVM_V_QUEUE(0) + TVM_VQ_NUM], 0);

    /* Addresses land in the selected queue's words. */
    fg_wr(g, VIRTIO_MMIO_QUEUE_DESC_LOW, 0x11111000);
    fg_wr(g, VIRTIO_MMIO_QUEUE_DESC_HIGH, 0x1);
    fg_wr(g, VIRTIO_MMIO_QUEUE_DRIVER_LOW, 0x22222000);
    fg_wr(g, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, 0x2);
    fg_wr(g, VIRTIO_MMIO_QUEUE_DEVICE_LOW, 0x33333000);
    fg_wr(g, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, 0x3);
    unsigned q1 = TVM_V_QUEUE(1);
    CHECK_EQ(g->blk[q1 + TVM_VQ_DESC_LO], 0x11111000);
    CHECK_EQ(g->blk[q1 + TVM_VQ_DESC_HI], 1);
    CHECK_EQ(g->blk[q1 + TVM_VQ_DRIVER_LO], 0x22222000);
    CHECK_EQ(g->blk[q1 + TVM_VQ_DRIVER_HI], 2);
    CHECK_EQ(g->blk[q1 + TVM_VQ_DEVICE_LO], 0x33333000);
    CHECK_EQ(g->blk[q1 + TVM_VQ_DEVICE_HI], 3);
    fg_wr(g, VIRTIO_MMIO_QUEUE_READY, 3); /* only bit 0 counts */
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_QUEUE_READY), 1);
    CHECK_EQ(g->blk[q1 + TVM_VQ_READY], 1);
    fg_wr(g, VIRTIO_MMIO_QUEUE_READY, 0);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_QUEUE_READY), 0);
    fg_wr(g, VIRTIO_MMIO_QUEUE_SEL, 0);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_QUEUE_READY), 0);

    /* The real setup, then DRIVER_OK activates the device; nothing was logged. */
    fg_queue_layout(&g->rx, 0, 256, RX_BASE);
    fg_queue_layout(&g->tx, 1, 256, TX_BASE);
    fg_queue_setup(g, &g->rx);
    fg_queue_setup(g, &g->tx);
    CHECK(!g->con.dev.active);
    fg_driver_ok(g);
    CHECK(g->con.dev.active);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_STATUS), 15);
    CHECK_EQ(g->logs, 0);
    fg_free(g);
}

static void test_tx(void)
{
    TEST_CASE("transmit");
    fg_t *g = boot();
    unsigned irqs = g->irqs;
    tx_put(g, 0, TX_BUF, "hello");
    CHECK_EQ(g->out_len, 0); /* nothing happens before the notification */
    fg_notify(g, &g->tx);
    CHECK(out_is(g, "hello"));
    CHECK_EQ(fg_used_idx(g, &g->tx), 1);
    uint32_t id, len;
    fg_used_elem(g, &g->tx, 0, &id, &len);
    CHECK_EQ(id, 0);
    CHECK_EQ(len, 0); /* the device wrote nothing into a transmit buffer */
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_INTERRUPT_STATUS), ISR_USED);
    CHECK(virtio_mmio_irq_level(&g->t));
    CHECK_EQ(g->irqs, irqs + 1);
    fg_wr(g, VIRTIO_MMIO_INTERRUPT_ACK, ISR_USED);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_INTERRUPT_STATUS), 0);
    CHECK(!virtio_mmio_irq_level(&g->t));

    /* A chain of three readable descriptors, in order, in an odd descriptor order. */
    fg_poke(g, TX_BUF + 0x100, ", ", 2);
    fg_poke(g, TX_BUF + 0x200, "wor", 3);
    fg_poke(g, TX_BUF + 0x300, "ld!", 3);
    fg_set_desc(g, &g->tx, 7, TX_BUF + 0x100, 2, VIRTQ_DESC_F_NEXT, 3);
    fg_set_desc(g, &g->tx, 3, TX_BUF + 0x200, 3, VIRTQ_DESC_F_NEXT, 200);
    fg_set_desc(g, &g->tx, 200, TX_BUF + 0x300, 3, 0, 0);
    fg_publish(g, &g->tx, 7);
    fg_notify(g, &g->tx);
    CHECK(out_is(g, "hello, world!"));
    CHECK_EQ(fg_used_idx(g, &g->tx), 2);
    fg_used_elem(g, &g->tx, 1, &id, &len);
    CHECK_EQ(id, 7);
    CHECK_EQ(len, 0);

    /* Several buffers published before one notification come out in ring order. */
    tx_put(g, 10, TX_BUF + 0x400, " one");
    tx_put(g, 11, TX_BUF + 0x500, " two");
    tx_put(g, 12, TX_BUF + 0x600, " three");
    fg_notify(g, &g->tx);
    CHECK(out_is(g, "hello, world! one two three"));
    CHECK_EQ(fg_used_idx(g, &g->tx), 5);
    for (uint16_t n = 2; n < 5; n++) {
        fg_used_elem(g, &g->tx, n, &id, &len);
        CHECK_EQ(id, 8u + n);
    }

    /* VIRTQ_AVAIL_F_NO_INTERRUPT: buffers are used, no interrupt is raised. */
    fg_wr(g, VIRTIO_MMIO_INTERRUPT_ACK, 0xffffffff);
    fg_w16(g, g->tx.avail, VIRTQ_AVAIL_F_NO_INTERRUPT);
    irqs = g->irqs;
    tx_put(g, 0, TX_BUF, "!");
    fg_notify(g, &g->tx);
    CHECK_EQ(fg_used_idx(g, &g->tx), 6);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_INTERRUPT_STATUS), 0);
    CHECK_EQ(g->irqs, irqs);
    fg_w16(g, g->tx.avail, 0);

    /* The avail and used indices wrap at 2^16 (and the ring at its size). */
    for (unsigned i = 0; i < 70000; i++) {
        tx_put(g, (uint16_t)(i % 256), TX_BUF + 0x1000 + (i % 256) * 4, "x");
        if (i % 200 == 199) fg_notify(g, &g->tx);
    }
    fg_notify(g, &g->tx);
    CHECK_EQ(g->out_len, strlen("hello, world! one two three!") + 70000);
    CHECK_EQ(fg_used_idx(g, &g->tx), (uint16_t)(6 + 70000));
    CHECK_EQ(g->logs, 0);
    fg_free(g);
}

/* Output the host cannot take yet stays with the device until it has room. */
static void test_backpressure(void)
{
    TEST_CASE("transmit back-pressure");
    fg_t *g = boot();
    static uint8_t big[10000], want[10000 + 64];
    for (unsigned i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)(i * 7 + i / 251);
    /* Buffer 1: a 3-descriptor chain "abc" "defgh" "ij"; buffer 2: 10000 bytes (more than the
     * device copies at once); buffer 3: "XYZ". */
    fg_poke(g, TX_BUF, "abc", 3);
    fg_poke(g, TX_BUF + 0x10, "defgh", 5);
    fg_poke(g, TX_BUF + 0x20, "ij", 2);
    fg_set_desc(g, &g->tx, 0, TX_BUF, 3, VIRTQ_DESC_F_NEXT, 1);
    fg_set_desc(g, &g->tx, 1, TX_BUF + 0x10, 5, VIRTQ_DESC_F_NEXT, 2);
    fg_set_desc(g, &g->tx, 2, TX_BUF + 0x20, 2, 0, 0);
    fg_publish(g, &g->tx, 0);
    fg_poke(g, TX_BUF + 0x1000, big, sizeof big);
    fg_set_desc(g, &g->tx, 3, TX_BUF + 0x1000, sizeof big, 0, 0);
    fg_publish(g, &g->tx, 3);
    tx_put(g, 4, TX_BUF + 0x4000, "XYZ");
    memcpy(want, "abcdefghij", 10);
    memcpy(want + 10, big, sizeof big);
    memcpy(want + 10 + sizeof big, "XYZ", 3);
    unsigned total = 10 + sizeof big + 3;

    g->out_room = 0;
    fg_notify(g, &g->tx);
    CHECK_EQ(g->poll_ret, 1); /* output is waiting for room */
    CHECK_EQ(g->out_len, 0);
    CHECK_EQ(fg_used_idx(g, &g->tx), 0);
    /* Room for 4 bytes at a time: the first chain completes only once all of it is out. */
    g->out_room = 4;
    fg_wake(g);
    CHECK_EQ(g->out_len, 4);
    CHECK_EQ(fg_used_idx(g, &g->tx), 0);
    CHECK_EQ(g->poll_ret, 1);
    g->out_room = 4;
    fg_wake(g);
    CHECK_EQ(g->out_len, 8);
    CHECK_EQ(fg_used_idx(g, &g->tx), 0);
    g->out_room = 3; /* "ij" ends chain 1, one byte of chain 2 */
    fg_wake(g);
    CHECK_EQ(g->out_len, 11);
    CHECK_EQ(fg_used_idx(g, &g->tx), 1);
    /* A notification while stalled does not reorder or duplicate anything. */
    g->out_room = 0;
    fg_notify(g, &g->tx);
    CHECK_EQ(g->out_len, 11);
    unsigned rounds = 0;
    while (g->poll_ret && rounds < 100000) {
        g->out_room = 1 + (rounds * 37) % 1500; /* uneven room, crossing the 4 KiB copies */
        fg_wake(g);
        rounds++;
    }
    CHECK_EQ(g->poll_ret, 0);
    CHECK_EQ(g->out_len, total);
    CHECK(memcmp(g->out, want, total) == 0);
    CHECK_EQ(fg_used_idx(g, &g->tx), 3);
    uint32_t id, len;
    for (uint16_t n = 0; n < 3; n++) {
        fg_used_elem(g, &g->tx, n, &id, &len);
        CHECK_EQ(id, n == 0 ? 0 : n == 1 ? 3 : 4);
        CHECK_EQ(len, 0);
    }
    /* Back-pressure is not an error. */
    CHECK_EQ(g->logs, 0);
    fg_free(g);
}

static void test_rx(void)
{
    TEST_CASE("receive");
    fg_t *g = boot();
    uint8_t buf[256];
    uint32_t id, len;
    /* Input with no receive buffer waits for one. */
    fg_input(g, "ab", 2);
    CHECK_EQ(fg_used_idx(g, &g->rx), 0);
    rx_put(g, 5, RX_BUF, 64);
    fg_notify(g, &g->rx);
    CHECK_EQ(fg_used_idx(g, &g->rx), 1);
    fg_used_elem(g, &g->rx, 0, &id, &len);
    CHECK_EQ(id, 5);
    CHECK_EQ(len, 2);
    fg_peek(g, RX_BUF, buf, 2);
    CHECK(memcmp(buf, "ab", 2) == 0);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_INTERRUPT_STATUS), ISR_USED);
    fg_wr(g, VIRTIO_MMIO_INTERRUPT_ACK, ISR_USED);

    /* Buffers posted first are filled when input arrives; the rest of a buffer is untouched. */
    memset(buf, 0xee, sizeof buf);
    fg_poke(g, RX_BUF + 0x1000, buf, 64);
    rx_put(g, 6, RX_BUF + 0x1000, 64);
    rx_put(g, 7, RX_BUF + 0x2000, 64);
    fg_notify(g, &g->rx);
    CHECK_EQ(fg_used_idx(g, &g->rx), 1);
    fg_input(g, "xyz", 3);
    CHECK_EQ(fg_used_idx(g, &g->rx), 2);
    fg_used_elem(g, &g->rx, 1, &id, &len);
    CHECK_EQ(id, 6);
    CHECK_EQ(len, 3);
    fg_peek(g, RX_BUF + 0x1000, buf, 4);
    CHECK(memcmp(buf, "xyz\xee", 4) == 0);

    /* More input than one buffer holds spills into the next; nothing is lost. */
    uint8_t in[100];
    for (unsigned i = 0; i < sizeof in; i++)
        in[i] = (uint8_t)(0x20 + i);
    fg_input(g, in, sizeof in);
    CHECK_EQ(fg_used_idx(g, &g->rx), 3);
    fg_used_elem(g, &g->rx, 2, &id, &len);
    CHECK_EQ(id, 7);
    CHECK_EQ(len, 64);
    CHECK_EQ(g->in_len - g->in_pos, 36);
    rx_put(g, 8, RX_BUF + 0x3000, 64);
    fg_notify(g, &g->rx);
    fg_used_elem(g, &g->rx, 3, &id, &len);
    CHECK_EQ(id, 8);
    CHECK_EQ(len, 36);
    fg_peek(g, RX_BUF + 0x2000, buf, 64);
    fg_peek(g, RX_BUF + 0x3000, buf + 64, 36);
    CHECK(memcmp(buf, in, sizeof in) == 0);

    /* A receive chain of two writable descriptors is filled across both. */
    fg_set_desc(g, &g->rx, 9, RX_BUF + 0x4000, 3, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 10);
    fg_set_desc(g, &g->rx, 10, RX_BUF + 0x5000, 10, VIRTQ_DESC_F_WRITE, 0);
    fg_publish(g, &g->rx, 9);
    fg_notify(g, &g->rx);
    fg_input(g, "12345678", 8);
    fg_used_elem(g, &g->rx, 4, &id, &len);
    CHECK_EQ(id, 9);
    CHECK_EQ(len, 8);
    fg_peek(g, RX_BUF + 0x4000, buf, 3);
    fg_peek(g, RX_BUF + 0x5000, buf + 3, 5);
    CHECK(memcmp(buf, "12345678", 8) == 0);
    /* Input and output are independent: the transmit queue was never touched. */
    CHECK_EQ(fg_used_idx(g, &g->tx), 0);
    CHECK_EQ(g->out_len, 0);
    CHECK_EQ(g->logs, 0);
    fg_free(g);
}

static void test_resize(void)
{
    TEST_CASE("resize and configuration space");
    fg_t *g = fg_new(RAM_SIZE);
    fg_device_start(g, 80, 24);
    uint32_t gen0 = fg_rd(g, VIRTIO_MMIO_CONFIG_GENERATION);
    /* Before DRIVER_OK: config space follows, no interrupt. */
    fg_resize(g, 100, 30);
    CHECK_EQ(cfg_read(g, 0, 4), 100 | 30u << 16);
    CHECK(fg_rd(g, VIRTIO_MMIO_CONFIG_GENERATION) != gen0);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_INTERRUPT_STATUS), 0);
    CHECK_EQ(g->irqs, 0);

    fg_driver_init(g, 256, RX_BASE, 256, TX_BASE);
    uint32_t gen1 = fg_rd(g, VIRTIO_MMIO_CONFIG_GENERATION);
    g->n_cfg0_stores = 0;
    fg_resize(g, 300, 50);
    /* The CPU worker may read cols or rows at any moment: the word holding both changes in one
     * store, so an aligned 16- or 32-bit read never sees half of an update (virtio 1.2, 2.5). */
    CHECK(g->n_cfg0_stores >= 1);
    for (unsigned i = 0; i < g->n_cfg0_stores; i++)
        CHECK(g->cfg0_stores[i] == (100 | 30u << 16) || g->cfg0_stores[i] == (300 | 50u << 16));
    CHECK_EQ(cfg_read(g, 0, 2), 300);
    CHECK_EQ(cfg_read(g, 2, 2), 50);
    CHECK_EQ(cfg_read(g, 0, 4), 300 | 50u << 16);
    CHECK_EQ(cfg_read(g, 0, 1), 300 & 0xff);
    CHECK_EQ(cfg_read(g, 1, 1), 300 >> 8);
    CHECK_EQ(cfg_read(g, 4, 4), 1); /* max_nr_ports untouched */
    uint32_t gen2 = fg_rd(g, VIRTIO_MMIO_CONFIG_GENERATION);
    CHECK(gen2 != gen1);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_INTERRUPT_STATUS), ISR_CONFIG);
    CHECK(virtio_mmio_irq_level(&g->t));
    CHECK_EQ(g->irqs, 1);

    /* A used-buffer interrupt on top: ISR holds both; each ACK clears only its bits. */
    tx_put(g, 0, TX_BUF, "q");
    fg_notify(g, &g->tx);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_INTERRUPT_STATUS), ISR_CONFIG | ISR_USED);
    fg_wr(g, VIRTIO_MMIO_INTERRUPT_ACK, ISR_USED);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_INTERRUPT_STATUS), ISR_CONFIG);
    CHECK(virtio_mmio_irq_level(&g->t));
    fg_wr(g, VIRTIO_MMIO_INTERRUPT_ACK, 0);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_INTERRUPT_STATUS), ISR_CONFIG);
    fg_wr(g, VIRTIO_MMIO_INTERRUPT_ACK, ISR_CONFIG);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_INTERRUPT_STATUS), 0);
    CHECK(!virtio_mmio_irq_level(&g->t));

    /* A wake without a new resize sequence number changes nothing. */
    unsigned irqs = g->irqs;
    g->blk[TVM_CON_COLS] = 1;
    fg_wake(g);
    CHECK_EQ(cfg_read(g, 0, 4), 300 | 50u << 16);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_CONFIG_GENERATION), gen2);
    CHECK_EQ(g->irqs, irqs);
    /* Sizes that do not fit the 16-bit fields, or are zero, are ignored. */
    static const uint32_t bad[][2] = {
        {0, 24}, {80, 0}, {0x10000, 24}, {80, 0x10000}, {0xffffffff, 0xffffffff}};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fg_resize(g, bad[i][0], bad[i][1]);
        CHECK_EQ(cfg_read(g, 0, 4), 300 | 50u << 16);
        CHECK_EQ(fg_rd(g, VIRTIO_MMIO_CONFIG_GENERATION), gen2);
        CHECK_EQ(fg_rd(g, VIRTIO_MMIO_INTERRUPT_STATUS), 0);
    }
    fg_resize(g, 0xffff, 1);
    CHECK_EQ(cfg_read(g, 0, 4), 0xffff | 1u << 16);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_INTERRUPT_STATUS), ISR_CONFIG);

    /* vdev_config_write at any offset and length, clipped to the 256 bytes. */
    uint32_t gen3 = fg_rd(g, VIRTIO_MMIO_CONFIG_GENERATION);
    static const uint8_t bytes[9] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99};
    vdev_config_write(&g->con.dev, 0x13, bytes, 6);
    CHECK_EQ(cfg_read(g, 0x10, 4), 0x11000000);
    CHECK_EQ(cfg_read(g, 0x14, 4), 0x55443322);
    CHECK_EQ(cfg_read(g, 0x18, 4), 0x66);
    CHECK_EQ(cfg_read(g, 0x13, 8), 0x665544332211ull);
    CHECK(fg_rd(g, VIRTIO_MMIO_CONFIG_GENERATION) != gen3);
    uint32_t host0 = g->blk[TVM_V_HOST]; /* the word right after the config space */
    vdev_config_write(&g->con.dev, 0xfd, bytes, 9);
    CHECK_EQ(cfg_read(g, 0xfc, 4), 0x33221100);
    CHECK_EQ(g->blk[TVM_V_HOST], host0);
    vdev_config_write(&g->con.dev, 0x200, bytes, 4);
    CHECK_EQ(cfg_read(g, 0, 4), 0xffff | 1u << 16);
    CHECK_EQ(g->logs, 0);
    fg_free(g);
}

static void test_reset(void)
{
    TEST_CASE("reset");
    fg_t *g = boot();
    fg_queue_t old_tx = g->tx, old_rx = g->rx;
    tx_put(g, 0, TX_BUF, "before");
    fg_notify(g, &g->tx);
    rx_put(g, 0, RX_BUF, 64);
    fg_notify(g, &g->rx);
    /* A transmit buffer half written when the reset comes. */
    g->out_room = 2;
    tx_put(g, 1, TX_BUF + 0x100, "abcdef");
    fg_notify(g, &g->tx);
    CHECK(out_is(g, "beforeab"));
    CHECK_EQ(g->poll_ret, 1);
    fg_resize(g, 90, 20); /* leaves ISR bit 1 set */
    CHECK(fg_rd(g, VIRTIO_MMIO_INTERRUPT_STATUS) != 0);

    uint32_t gen = g->blk[TVM_V_RESET_GEN];
    fg_wr(g, VIRTIO_MMIO_STATUS, 0);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_STATUS), 0);
    CHECK_EQ(g->blk[TVM_V_RESET_GEN], gen + 1);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_INTERRUPT_STATUS), 0);
    CHECK(!virtio_mmio_irq_level(&g->t));
    CHECK(!g->con.dev.active);
    CHECK_EQ(g->blk[TVM_V_DRIVER_FEAT_LO], 0);
    CHECK_EQ(g->blk[TVM_V_DRIVER_FEAT_HI], 0);
    for (unsigned q = 0; q < 2; q++) {
        fg_wr(g, VIRTIO_MMIO_QUEUE_SEL, q);
        CHECK_EQ(fg_rd(g, VIRTIO_MMIO_QUEUE_READY), 0);
    }
    for (unsigned w = TVM_V_QUEUES; w < TVM_V_CONFIG; w++)
        CHECK_EQ(g->blk[w], 0);
    /* Config space survives a reset. */
    CHECK_EQ(cfg_read(g, 0, 4), 90 | 20u << 16);

    /* From now on the device must not touch the old rings or buffers, whatever the driver
     * leaves in them and however often it notifies. */
    g->watch_lo = FG_RAM_BASE;
    g->watch_hi = FG_RAM_BASE + 0x80000;
    unsigned reads = g->ram_reads, writes = g->ram_writes;
    g->out_room = FG_ROOM_UNLIMITED;
    fg_wake(g);
    tx_put(g, 2, TX_BUF + 0x200, "stale");
    rx_put(g, 1, RX_BUF + 0x1000, 64);
    fg_notify(g, &old_tx);
    fg_notify(g, &old_rx);
    fg_input(g, "lost?", 5);
    CHECK(out_is(g, "beforeab"));
    CHECK_EQ(g->ram_reads, reads);
    CHECK_EQ(g->ram_writes, writes);
    CHECK_EQ(g->watch_hits, 0);
    CHECK_EQ(fg_r16(g, old_tx.used + 2), 1);
    CHECK_EQ(fg_r16(g, old_rx.used + 2), 0);
    /* DRIVER_OK without queues set up again: still nothing. */
    fg_driver_features(g);
    fg_driver_ok(g);
    fg_notify(g, &old_tx);
    CHECK_EQ(g->watch_hits, 0);
    CHECK(out_is(g, "beforeab"));

    /* The driver starts over with rings elsewhere: the device works there, and the input that
     * arrived meanwhile is delivered, not lost. */
    fg_driver_init(g, 64, FG_RAM_BASE + 0x80000, 16, FG_RAM_BASE + 0x90000);
    tx_put(g, 0, FG_RAM_BASE + 0xa0000, "after");
    fg_notify(g, &g->tx);
    CHECK(out_is(g, "beforeabafter"));
    CHECK_EQ(fg_used_idx(g, &g->tx), 1);
    rx_put(g, 3, FG_RAM_BASE + 0xb0000, 64);
    fg_notify(g, &g->rx);
    uint32_t id, len;
    fg_used_elem(g, &g->rx, 0, &id, &len);
    CHECK_EQ(id, 3);
    CHECK_EQ(len, 5);
    CHECK_EQ(g->watch_hits, 0);
    CHECK_EQ(g->logs, 0);
    fg_free(g);
}

int main(void)
{
    test_start();
    test_identity();
    test_not_ready();
    test_negotiation();
    test_tx();
    test_backpressure();
    test_rx();
    test_resize();
    test_reset();
    return test_report();
}
