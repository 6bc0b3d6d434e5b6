/* test_net.c - virtio-net on the fake machine, with a fake link (a frame queue each way, a
 * room flag, a link flag): identity and config space (MAC, link status); transmit (frames
 * reach the link without their header, partial checksums completed, malformed, oversized and
 * GSO frames dropped and counted, back-pressure while the link is full, drops while it is
 * down); receive (header and frame in one buffer or spread over mergeable buffers with
 * num_buffers, DATA_VALID only for a correct checksum, a frame waiting on the link while the
 * guest has no buffers, oversized frames dropped, buffers too small returned empty); link
 * changes raising the configuration interrupt; descriptors outside RAM never followed (the
 * fake machine aborts on any access outside RAM); and a deterministic fuzz of both queues. */
#include <stdlib.h>
#include <string.h>

#include "../net/virtio_net.h"
#include "fake_guest.h"
#include "test.h"

#define RAM_SIZE (1u << 20)
#define RXQ (FG_RAM_BASE + 0x1000)
#define TXQ (FG_RAM_BASE + 0x8000)
#define BUF (FG_RAM_BASE + 0x20000)
#define F_NEXT VIRTQ_DESC_F_NEXT
#define F_WRITE VIRTQ_DESC_F_WRITE
#define ALL_FEATURES (~0ull)

/* ---- the fake link ------------------------------------------------------------------------ */
#define LINK_MAX 64
typedef struct frame {
    uint8_t data[2048];
    uint32_t len;
} frame_t;
static frame_t sent[LINK_MAX], inbox[LINK_MAX];
static unsigned nsent, ninbox, inbox_pos;
static bool room = true, up = true;

static bool l_room(void *o, uint32_t len) { return room && nsent < LINK_MAX; }
static void l_tx(void *o, const uint8_t *f, uint32_t len)
{
    if (nsent >= LINK_MAX || len > sizeof sent[0].data) abort();
    memcpy(sent[nsent].data, f, len);
    sent[nsent++].len = len;
}
static uint32_t l_peek(void *o) { return inbox_pos < ninbox ? inbox[inbox_pos].len : 0; }
static uint32_t l_take(void *o, uint8_t *buf, uint32_t max)
{
    if (inbox_pos >= ninbox) abort();
    frame_t *f = &inbox[inbox_pos++];
    memcpy(buf, f->data, f->len < max ? f->len : max);
    return f->len;
}
static bool l_up(void *o) { return up; }
static const vnet_link_t fake_link = {l_room, l_tx, l_peek, l_take, l_up};

static void arrive(const uint8_t *f, uint32_t len)
{
    if (ninbox >= LINK_MAX) abort();
    memcpy(inbox[ninbox].data, f, len < 2048 ? len : 2048);
    inbox[ninbox++].len = len;
}

static vnet_t net;
static int poll_net(fg_t *g)
{
    vnet_poll(&net);
    return 0;
}

static const uint8_t MAC[6] = {0x52, 0x54, 0x00, 0xab, 0xcd, 0xef};

static fg_t *boot(uint64_t features)
{
    nsent = ninbox = inbox_pos = 0;
    room = up = true;
    fg_t *g = fg_new(RAM_SIZE);
    g->device_poll = poll_net;
    vnet_init(&net, &g->host, &fake_link, NULL, MAC);
    CHECK_EQ(fg_driver_negotiate(g, features) & 8, 8);
    fg_queue_layout(&g->rx, 0, 64, RXQ);
    fg_queue_layout(&g->tx, 1, 64, TXQ);
    fg_queue_setup(g, &g->rx);
    fg_queue_setup(g, &g->tx);
    fg_driver_ok(g);
    return g;
}

/* ---- frames ------------------------------------------------------------------------------- */

static uint32_t sum(const uint8_t *p, uint32_t n, uint32_t s)
{
    for (uint32_t i = 0; i + 1 < n; i += 2)
        s += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1) s += (uint32_t)p[n - 1] << 8;
    return s;
}
static uint16_t fold(uint32_t s)
{
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)s;
}

/* An IPv4 UDP frame of payload bytes (pattern seed) with a correct checksum; returns its length. */
static uint32_t udp_frame(uint8_t *f, uint32_t payload, uint8_t seed)
{
    memset(f, 0, 14 + 28);
    memcpy(f, MAC, 6);
    f[12] = 0x08;
    uint8_t *ip = f + 14, *u = ip + 20;
    uint32_t total = 28 + payload;
    ip[0] = 0x45, ip[2] = (uint8_t)(total >> 8), ip[3] = (uint8_t)total, ip[8] = 64, ip[9] = 17;
    ip[12] = 10, ip[13] = 0, ip[14] = 2, ip[15] = 2, ip[16] = 10, ip[17] = 0, ip[18] = 2,
    ip[19] = 15;
    uint16_t ic = (uint16_t)~fold(sum(ip, 20, 0));
    ip[10] = (uint8_t)(ic >> 8), ip[11] = (uint8_t)ic;
    u[0] = 0x12, u[1] = 0x34, u[2] = 0x56, u[3] = 0x78;
    u[4] = (uint8_t)((8 + payload) >> 8), u[5] = (uint8_t)(8 + payload);
    for (uint32_t i = 0; i < payload; i++)
        u[8 + i] = (uint8_t)(seed + i * 7);
    uint16_t c = (uint16_t)~fold(sum(u, 8 + payload, sum(ip + 12, 8, 0) + 17 + 8 + payload));
    if (!c) c = 0xffff;
    u[6] = (uint8_t)(c >> 8), u[7] = (uint8_t)c;
    return 14 + total;
}

/* Puts hdr + frame in RAM at addr as one readable descriptor chain of nseg parts, publishes it. */
static void tx_submit(fg_t *g, uint16_t head, uint64_t addr, const uint8_t *hdr, const uint8_t *f,
                      uint32_t len, unsigned nseg)
{
    fg_poke(g, addr, hdr, VNET_HDR_LEN);
    fg_poke(g, addr + VNET_HDR_LEN, f, len);
    uint32_t total = VNET_HDR_LEN + len, per = (total + nseg - 1) / nseg, off = 0;
    for (unsigned s = 0; s < nseg; s++) {
        uint32_t n = total - off < per ? total - off : per;
        fg_set_desc(g, &g->tx, head + s, addr + off, n, s + 1 < nseg ? F_NEXT : 0,
                    (uint16_t)(head + s + 1));
        off += n;
    }
    fg_publish(g, &g->tx, head);
}

static const uint8_t HDR0[VNET_HDR_LEN] = {0};

static void test_identity(void)
{
    TEST_CASE("identity and config space");
    nsent = ninbox = inbox_pos = 0;
    up = false;
    fg_t *g = fg_new(RAM_SIZE);
    g->device_poll = poll_net;
    vnet_init(&net, &g->host, &fake_link, NULL, MAC);
    CHECK_EQ(fg_rd(g, 0x008), 1); /* DeviceID: network card */
    fg_wr(g, 0x014, 0);
    uint32_t lo = fg_rd(g, 0x010);
    CHECK_EQ(lo & (1u << VIRTIO_NET_F_MAC | 1u << VIRTIO_NET_F_STATUS |
                   1u << VIRTIO_NET_F_MRG_RXBUF | 1u << VIRTIO_NET_F_CSUM |
                   1u << VIRTIO_NET_F_GUEST_CSUM),
             1u << VIRTIO_NET_F_MAC | 1u << VIRTIO_NET_F_STATUS | 1u << VIRTIO_NET_F_MRG_RXBUF |
                 1u << VIRTIO_NET_F_CSUM | 1u << VIRTIO_NET_F_GUEST_CSUM);
    CHECK_EQ(lo & (1u << 7 | 1u << 11), 0); /* no TSO: segmentation was not implemented */
    uint32_t w0 = fg_rd(g, 0x100), w1 = fg_rd(g, 0x104);
    CHECK_EQ(w0, 0xab005452u); /* 52:54:00:ab */
    CHECK_EQ(w1 & 0xffff, 0xefcd);
    CHECK_EQ(w1 >> 16, 0); /* link down */
    fg_free(g);
}

static void test_tx(void)
{
    TEST_CASE("transmit");
    fg_t *g = boot(ALL_FEATURES);
    uint8_t f[1600];
    uint32_t len = udp_frame(f, 1000, 3);
    tx_submit(g, 0, BUF, HDR0, f, len, 3);
    fg_notify(g, &g->tx);
    CHECK_EQ(nsent, 1);
    CHECK_EQ(sent[0].len, len);
    CHECK(!memcmp(sent[0].data, f, len));
    CHECK_EQ(fg_used_idx(g, &g->tx), 1);
    CHECK_EQ(net.stats.tx_frames, 1);

    TEST_CASE("transmit: checksum completed for the guest");
    uint8_t partial[1600], hdr[VNET_HDR_LEN] = {VIRTIO_NET_HDR_F_NEEDS_CSUM};
    memcpy(partial, f, len);
    /* As Linux hands it over: the field holds the pseudo-header's sum, not complemented. */
    uint8_t *u = partial + 14 + 20;
    uint16_t ph = fold(sum(partial + 14 + 12, 8, 0) + 17 + (len - 34));
    u[6] = (uint8_t)(ph >> 8), u[7] = (uint8_t)ph;
    hdr[6] = 34, hdr[8] = 6; /* csum_start, csum_offset */
    tx_submit(g, 4, BUF + 0x1000, hdr, partial, len, 1);
    fg_notify(g, &g->tx);
    CHECK_EQ(nsent, 2);
    CHECK(!memcmp(sent[1].data, f, len)); /* exactly the correctly summed frame */
    CHECK(vnet_l4_csum_ok(sent[1].data, len));
    CHECK_EQ(net.stats.tx_csum_done, 1);

    TEST_CASE("transmit: malformed, oversized, GSO, bad offsets dropped and counted");
    uint16_t used = fg_used_idx(g, &g->tx);
    tx_submit(g, 8, BUF + 0x2000, HDR0, f, 10, 1); /* shorter than an Ethernet header */
    uint8_t gso[VNET_HDR_LEN] = {0, 1};
    tx_submit(g, 9, BUF + 0x3000, gso, f, len, 1);
    uint8_t bad[VNET_HDR_LEN] = {VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, 0, 0, 0, 0xff, 0x05, 6, 0};
    tx_submit(g, 10, BUF + 0x4000, bad, f, len, 1);
    static uint8_t big[4000];
    tx_submit(g, 11, BUF + 0x5000, HDR0, big, 1600, 2);
    fg_notify(g, &g->tx);
    CHECK_EQ(nsent, 2);
    CHECK_EQ(fg_used_idx(g, &g->tx), (uint16_t)(used + 4)); /* every buffer returned */
    CHECK_EQ(net.stats.tx_malformed, 3);
    CHECK_EQ(net.stats.tx_oversized, 1);

    TEST_CASE("transmit: back-pressure while the link is full, drops while it is down");
    room = false;
    used = fg_used_idx(g, &g->tx);
    tx_submit(g, 20, BUF + 0x6000, HDR0, f, len, 1);
    fg_notify(g, &g->tx);
    CHECK_EQ(fg_used_idx(g, &g->tx), used); /* held in the guest's queue */
    room = true;
    fg_wake(g); /* the link freed room */
    CHECK_EQ(nsent, 3);
    CHECK_EQ(fg_used_idx(g, &g->tx), (uint16_t)(used + 1));
    up = false;
    fg_wake(g);
    tx_submit(g, 21, BUF + 0x7000, HDR0, f, len, 1);
    fg_notify(g, &g->tx);
    CHECK_EQ(nsent, 3);
    CHECK_EQ(net.stats.tx_dropped_link_down, 1);
    CHECK_EQ(fg_used_idx(g, &g->tx), (uint16_t)(used + 2));
    fg_free(g);
}

/* Offers n receive buffers of size bytes each, from descriptor first on. */
static void rx_offer(fg_t *g, unsigned first, unsigned n, uint32_t size, uint64_t at)
{
    for (unsigned i = 0; i < n; i++) {
        fg_set_desc(g, &g->rx, first + i, at + (uint64_t)i * 0x800, size, F_WRITE, 0);
        fg_publish(g, &g->rx, (uint16_t)(first + i));
    }
    fg_notify(g, &g->rx);
}

static void test_rx(void)
{
    TEST_CASE("receive: one buffer, checksum checked");
    fg_t *g = boot(ALL_FEATURES);
    uint8_t f[1600], got[2048];
    uint32_t len = udp_frame(f, 1400, 9);
    arrive(f, len);
    fg_wake(g);
    CHECK_EQ(fg_used_idx(g, &g->rx), 0); /* no buffers yet: it waits on the link */
    CHECK_EQ(inbox_pos, 0);
    unsigned irqs = g->irqs;
    rx_offer(g, 0, 4, 2048, BUF);
    CHECK_EQ(fg_used_idx(g, &g->rx), 1);
    CHECK(g->irqs > irqs);
    uint32_t id, used_len;
    fg_used_elem(g, &g->rx, 0, &id, &used_len);
    CHECK_EQ(id, 0);
    CHECK_EQ(used_len, VNET_HDR_LEN + len);
    fg_peek(g, BUF, got, used_len);
    CHECK_EQ(got[0], VIRTIO_NET_HDR_F_DATA_VALID);
    CHECK_EQ(got[10], 1); /* num_buffers */
    CHECK(!memcmp(got + VNET_HDR_LEN, f, len));

    TEST_CASE("receive: a wrong checksum is left to the guest");
    f[14 + 28 + 5] ^= 0x40;
    arrive(f, len);
    fg_wake(g);
    fg_used_elem(g, &g->rx, 1, &id, &used_len);
    fg_peek(g, BUF + 0x800, got, used_len);
    CHECK_EQ(got[0], 0);
    CHECK_EQ(net.stats.rx_csum_valid, 1);

    TEST_CASE("receive: oversized and runt frames from the link dropped");
    static uint8_t big[3000];
    arrive(big, 3000);
    arrive(big, 5);
    fg_wake(g);
    CHECK_EQ(net.stats.rx_oversized, 2);
    CHECK_EQ(fg_used_idx(g, &g->rx), 2);
    CHECK_EQ(inbox_pos, ninbox);
    fg_free(g);

    TEST_CASE("receive: mergeable buffers");
    g = boot(ALL_FEATURES);
    len = udp_frame(f, 1472, 1); /* 1514 bytes: four 400-byte buffers */
    rx_offer(g, 0, 3, 400, BUF);
    arrive(f, len);
    fg_wake(g);
    CHECK_EQ(fg_used_idx(g, &g->rx), 0); /* three are not enough: it waits for a fourth */
    rx_offer(g, 3, 1, 400, BUF + 3 * 0x800);
    CHECK_EQ(fg_used_idx(g, &g->rx), 4);
    uint8_t all[2048];
    uint32_t off = 0;
    for (unsigned i = 0; i < 4; i++) {
        fg_used_elem(g, &g->rx, (uint16_t)i, &id, &used_len);
        CHECK_EQ(id, i);
        CHECK_EQ(used_len, i < 3 ? 400 : VNET_HDR_LEN + len - 1200);
        fg_peek(g, BUF + (uint64_t)i * 0x800, all + off, used_len);
        off += used_len;
    }
    CHECK_EQ(all[10], 4);
    CHECK(!memcmp(all + VNET_HDR_LEN, f, len));
    fg_free(g);

    TEST_CASE("receive: without mergeable buffers, a buffer too small is returned empty");
    g = boot(ALL_FEATURES & ~(1ull << VIRTIO_NET_F_MRG_RXBUF));
    rx_offer(g, 0, 2, 400, BUF);
    arrive(f, len);
    fg_wake(g);
    CHECK_EQ(net.stats.rx_no_room, 1);
    CHECK_EQ(fg_used_idx(g, &g->rx), 1);
    fg_used_elem(g, &g->rx, 0, &id, &used_len);
    CHECK_EQ(used_len, 0);
    fg_free(g);
}

static void test_link_change(void)
{
    TEST_CASE("link status follows the relay, with a configuration interrupt");
    fg_t *g = boot(ALL_FEATURES);
    CHECK_EQ(fg_rd(g, 0x104) >> 16, VIRTIO_NET_S_LINK_UP);
    uint32_t gen = fg_rd(g, 0x0fc);
    up = false;
    fg_wake(g);
    CHECK_EQ(fg_rd(g, 0x104) >> 16, 0);
    CHECK(fg_rd(g, 0x060) & VIRTIO_INT_CONFIG);
    CHECK(fg_rd(g, 0x0fc) != gen);
    fg_wr(g, 0x064, VIRTIO_INT_CONFIG);
    up = true;
    fg_wake(g);
    CHECK_EQ(fg_rd(g, 0x104) >> 16, VIRTIO_NET_S_LINK_UP);
    CHECK(fg_rd(g, 0x060) & VIRTIO_INT_CONFIG);
    CHECK_EQ(net.stats.link_changes, 2);
    fg_free(g);
}

static void test_outside_ram(void)
{
    TEST_CASE("descriptors outside RAM: never followed");
    fg_t *g = boot(ALL_FEATURES);
    fg_set_desc(g, &g->tx, 0, FG_RAM_BASE + RAM_SIZE - 4, 100, 0, 0);
    fg_publish(g, &g->tx, 0);
    fg_set_desc(g, &g->tx, 1, 0x1000, 100, 0, 0);
    fg_publish(g, &g->tx, 1);
    fg_notify(g, &g->tx);
    CHECK_EQ(nsent, 0);
    CHECK_EQ(fg_used_idx(g, &g->tx), 2);
    fg_set_desc(g, &g->rx, 0, ~0ull - 10, 2000, F_WRITE, 0);
    fg_publish(g, &g->rx, 0);
    fg_notify(g, &g->rx);
    uint8_t f[1600];
    arrive(f, udp_frame(f, 100, 0));
    fg_wake(g);
    CHECK_EQ(fg_used_idx(g, &g->rx), 1); /* the bad buffer came back empty; the frame waits */
    CHECK_EQ(net.stats.rx_frames, 0);
    fg_free(g);
}

static void test_fuzz(void)
{
    TEST_CASE("deterministic fuzz of both queues");
    srand(20261202);
    for (int round = 0; round < 300; round++) {
        fg_t *g =
            boot(rand() & 1 ? ALL_FEATURES : ALL_FEATURES & ~(1ull << VIRTIO_NET_F_MRG_RXBUF));
        for (int step = 0; step < 40; step++) {
            fg_queue_t *q = rand() & 1 ? &g->rx : &g->tx;
            unsigned i = (unsigned)rand() % q->num;
            uint64_t addr = rand() % 8 ? BUF + (uint64_t)(rand() % 0x60000)
                                       : FG_RAM_BASE + RAM_SIZE - (uint64_t)(rand() % 64);
            uint16_t flags = (uint16_t)(rand() % 8 ? rand() & (F_NEXT | F_WRITE) : rand());
            fg_set_desc(g, q, i, addr, (uint32_t)(rand() % 3000), flags,
                        (uint16_t)(rand() % (q->num + 2)));
            if (rand() % 3 == 0) {
                fg_publish(g, q, (uint16_t)(rand() % (q->num + 1)));
                if (rand() % 2) fg_notify(g, q);
            }
            if (rand() % 5 == 0 && ninbox < LINK_MAX) {
                uint8_t f[2048];
                arrive(f, rand() % 2 ? udp_frame(f, (uint32_t)(rand() % 1472), 0)
                                     : (uint32_t)(rand() % 2000));
            }
            room = rand() % 4 != 0;
            up = rand() % 8 != 0;
            if (rand() % 4 == 0) fg_wake(g);
        }
        fg_free(g);
    }
    CHECK(1); /* reaching here: no access outside RAM, no crash (ASan/UBSan build too) */
}

int main(void)
{
    test_start();
    test_identity();
    test_tx();
    test_rx();
    test_link_change();
    test_outside_ram();
    test_fuzz();
    return test_report();
}
