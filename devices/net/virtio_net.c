/* virtio-net (see virtio_net.h). */
#include "virtio_net.h"

#include <string.h>

#include "../../shared/inet_csum.h"
#include "../virtio/virtio_spec.h"

static bool has(const vnet_t *n, unsigned bit) { return (n->features >> bit) & 1; }

static void write_config(vnet_t *n)
{
    uint8_t cfg[10];
    memcpy(cfg, n->mac, 6);
    uint16_t status = n->link_up ? VIRTIO_NET_S_LINK_UP : 0;
    cfg[6] = (uint8_t)status;
    cfg[7] = (uint8_t)(status >> 8);
    cfg[8] = 1; /* max_virtqueue_pairs (meaningful only with MQ, which is not offered) */
    cfg[9] = 0;
    vdev_config_write(&n->dev, 0, cfg, sizeof cfg);
}

static void net_reset(vdev_t *d)
{
    vnet_t *n = d->priv;
    n->features = 0;
    n->rx_nstash = 0; /* the old driver's buffers are gone with it */
}

static void net_activate(vdev_t *d)
{
    vnet_t *n = d->priv;
    n->features = d->host->reg_load(d->host->opaque, TVM_V_DRIVER_FEAT_LO) |
                  (uint64_t)d->host->reg_load(d->host->opaque, TVM_V_DRIVER_FEAT_HI) << 32;
    n->rx_nstash = 0;
}

static const vdev_ops_t net_ops = {.reset = net_reset, .activate = net_activate};

void vnet_init(vnet_t *n, const vdev_host_t *host, const vnet_link_t *link, void *opaque,
               const uint8_t mac[6])
{
    memset(n, 0, sizeof *n);
    n->link = link;
    n->opaque = opaque;
    memcpy(n->mac, mac, 6);
    n->rx_nstash = 0;
    uint64_t features = 1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_F_RING_EVENT_IDX |
                        1ull << VIRTIO_NET_F_MAC | 1ull << VIRTIO_NET_F_STATUS |
                        1ull << VIRTIO_NET_F_MRG_RXBUF | 1ull << VIRTIO_NET_F_CSUM |
                        1ull << VIRTIO_NET_F_GUEST_CSUM;
    vdev_init(&n->dev, host, &net_ops, VIRTIO_ID_NET, features, 2, VNET_QUEUE_SIZE, n);
    n->link_up = link->link_up(opaque);
    write_config(n);
    vdev_publish(&n->dev);
}

/* ---- checksums (shared/inet_csum.h) ------------------------------------------------------- */

bool vnet_complete_csum(uint8_t *frame, uint32_t len, uint32_t start, uint32_t offset)
{
    if (start >= len || offset > len - start || len - start - offset < 2) return false;
    /* The field holds the pseudo-header's sum already; the sum covers it and the rest. */
    uint16_t c = (uint16_t)~inet_fold(inet_sum(frame + start, len - start, 0));
    if (c == 0) c = 0xffff; /* 0 means "no checksum" to UDP; the same value to TCP */
    frame[start + offset] = (uint8_t)(c >> 8);
    frame[start + offset + 1] = (uint8_t)c;
    return true;
}

bool vnet_l4_csum_ok(const uint8_t *f, uint32_t len)
{
    if (len < 14 + 20 || f[12] != 0x08 || f[13] != 0x00) return false;
    const uint8_t *ip = f + 14;
    uint32_t ihl = (ip[0] & 15) * 4u, total = (uint32_t)(ip[2] << 8 | ip[3]);
    if (ip[0] >> 4 != 4 || ihl < 20 || total < ihl || total > len - 14) return false;
    if ((ip[6] & 0x3f) || ip[7]) return false; /* a fragment (MF or an offset) */
    uint8_t proto = ip[9];
    uint32_t l4_len = total - ihl;
    if (proto == 6 ? l4_len < 20 : proto == 17 ? l4_len < 8 : true) return false;
    const uint8_t *l4 = ip + ihl;
    if (proto == 17 && !l4[6] && !l4[7])
        return false; /* UDP without a checksum: nothing to check */
    uint32_t s = inet_sum(ip + 12, 8, 0) + proto + l4_len;
    return inet_fold(inet_sum(l4, l4_len, s)) == 0xffff;
}

/* ---- transmit ------------------------------------------------------------------------------ */

/* Reads one transmit chain into n->frame and checks it; returns the frame's length (after the
 * header), or 0 if it is dropped. */
static uint32_t tx_frame(vnet_t *n, const vchain_t *c)
{
    if (c->out_len < VNET_HDR_LEN + VNET_MIN_FRAME) {
        n->stats.tx_malformed++;
        return 0;
    }
    if (c->out_len > VNET_HDR_LEN + VNET_MAX_FRAME) {
        n->stats.tx_oversized++;
        return 0;
    }
    uint32_t got = vchain_read(&n->dev, c, 0, n->frame, c->out_len);
    uint8_t *h = n->frame, *frame = n->frame + VNET_HDR_LEN;
    uint32_t len = got - VNET_HDR_LEN;
    if (h[1] != VIRTIO_NET_HDR_GSO_NONE) { /* no segmentation offload was offered */
        n->stats.tx_malformed++;
        return 0;
    }
    if (h[0] & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
        uint32_t start = (uint32_t)(h[6] | h[7] << 8), offset = (uint32_t)(h[8] | h[9] << 8);
        if (!has(n, VIRTIO_NET_F_CSUM) || !vnet_complete_csum(frame, len, start, offset)) {
            n->stats.tx_malformed++;
            return 0;
        }
        n->stats.tx_csum_done++;
    }
    return len;
}

static bool do_tx(vnet_t *n)
{
    bool done = false;
    vchain_t c;
    for (;;) {
        bool up = n->link_up;
        /* While the link is up, a frame is taken only when the link has room for it: the
         * guest's queue holds the rest (its qdisc then holds back). */
        if (up && !n->link->tx_room(n->opaque, VNET_MAX_FRAME)) break;
        if (!virtq_pop(&n->dev, VNET_TX_QUEUE, &c)) break;
        uint32_t len = tx_frame(n, &c);
        if (len && !up) {
            n->stats.tx_dropped_link_down++;
        } else if (len) {
            n->link->tx(n->opaque, n->frame + VNET_HDR_LEN, len);
            n->stats.tx_frames++;
            n->stats.tx_bytes += len;
        }
        virtq_fill(&n->dev, VNET_TX_QUEUE, &c, 0);
        done = true;
    }
    if (done) virtq_flush(&n->dev, VNET_TX_QUEUE);
    return done;
}

/* ---- receive ------------------------------------------------------------------------------- */

/* Returns the first k stashed chains, shifting the rest down. */
static void stash_drop(vnet_t *n, unsigned k)
{
    memmove(n->rx_stash, n->rx_stash + k, (n->rx_nstash - k) * sizeof *n->rx_stash);
    n->rx_nstash -= k;
}

static void rx_discard(vnet_t *n) { n->link->rx_take(n->opaque, n->frame, 0); }

static bool do_rx(vnet_t *n)
{
    bool done = false;
    unsigned max_bufs = has(n, VIRTIO_NET_F_MRG_RXBUF) ? VNET_RX_STASH : 1;
    uint32_t len;
    while ((len = n->link->rx_peek(n->opaque))) {
        if (len > VNET_MAX_FRAME || len < VNET_MIN_FRAME) {
            rx_discard(n);
            n->stats.rx_oversized++;
            continue;
        }
        uint32_t need = VNET_HDR_LEN + len, have = 0;
        unsigned k = 0;
        for (;;) {
            while (k < n->rx_nstash && have < need)
                have += n->rx_stash[k++].in_len;
            if (have >= need || n->rx_nstash >= max_bufs) break;
            if (!virtq_pop(&n->dev, VNET_RX_QUEUE, &n->rx_stash[n->rx_nstash])) break;
            n->rx_nstash++;
        }
        if (have < need) {
            if (n->rx_nstash < max_bufs) break; /* wait for the guest's next buffers */
            /* Its buffers cannot hold this frame: drop it, give them back unused. */
            rx_discard(n);
            n->stats.rx_no_room++;
            for (unsigned i = 0; i < n->rx_nstash; i++)
                virtq_fill(&n->dev, VNET_RX_QUEUE, &n->rx_stash[i], 0);
            n->rx_nstash = 0;
            done = true;
            continue;
        }
        uint8_t *h = n->frame;
        n->link->rx_take(n->opaque, h + VNET_HDR_LEN, len);
        memset(h, 0, VNET_HDR_LEN);
        if (has(n, VIRTIO_NET_F_GUEST_CSUM) && vnet_l4_csum_ok(h + VNET_HDR_LEN, len)) {
            h[0] = VIRTIO_NET_HDR_F_DATA_VALID;
            n->stats.rx_csum_valid++;
        }
        h[10] = (uint8_t)k; /* num_buffers */
        uint32_t off = 0;
        for (unsigned i = 0; i < k; i++) {
            uint32_t part = need - off < n->rx_stash[i].in_len ? need - off : n->rx_stash[i].in_len;
            vchain_write(&n->dev, &n->rx_stash[i], 0, h + off, part);
            virtq_fill(&n->dev, VNET_RX_QUEUE, &n->rx_stash[i], part);
            off += part;
        }
        stash_drop(n, k);
        n->stats.rx_frames++;
        n->stats.rx_bytes += len;
        done = true;
    }
    if (done) virtq_flush(&n->dev, VNET_RX_QUEUE);
    return done;
}

void vnet_poll(vnet_t *n)
{
    vdev_poll(&n->dev);
    bool up = n->link->link_up(n->opaque);
    if (up != n->link_up) {
        n->link_up = up;
        n->stats.link_changes++;
        write_config(n);
        if (n->dev.active && has(n, VIRTIO_NET_F_STATUS))
            vdev_interrupt(&n->dev, VIRTIO_INT_CONFIG);
    }
    if (!n->dev.active) {
        /* No driver: what arrives has nowhere to go. */
        while (n->link->rx_peek(n->opaque))
            rx_discard(n);
        return;
    }
    /* Until both are idle: delivering frames may free link room, and the other way round. */
    for (;;) {
        bool sent = do_tx(n), received = do_rx(n);
        if (!sent && !received) break;
    }
}
