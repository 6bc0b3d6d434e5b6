/* virtio-console device (see virtio_console.h). Queues: 0 = receiveq (host to guest),
 * 1 = transmitq (guest to host). */
#include "virtio_console.h"

#include <string.h>

#include "../virtio/virtio_spec.h"

#define VIRTIO_CONSOLE_F_SIZE 0
#define CON_RX 0
#define CON_TX 1
#define CON_QUEUE_SIZE 256
#define CON_CHUNK 4096

/* struct virtio_console_config (5.3.4) */
#define CON_CFG_COLS 0
#define CON_CFG_ROWS 2
#define CON_CFG_MAX_NR_PORTS 4

static void set_size(vcon_t *c, uint16_t cols, uint16_t rows)
{
    uint8_t b[4] = {(uint8_t)cols, (uint8_t)(cols >> 8), (uint8_t)rows, (uint8_t)(rows >> 8)};
    vdev_config_write(&c->dev, CON_CFG_COLS, b, 4);
}

static void con_reset(vdev_t *d)
{
    vcon_t *c = d->priv;
    c->tx_pending = 0;
}

static const vdev_ops_t con_ops = {.reset = con_reset};

void vcon_init(vcon_t *c, const vdev_host_t *host, const con_io_t *io, uint16_t cols, uint16_t rows)
{
    memset(c, 0, sizeof *c);
    c->io = *io;
    uint64_t features = (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_CONSOLE_F_SIZE) |
                        (1ull << VIRTIO_F_RING_EVENT_IDX);
    vdev_init(&c->dev, host, &con_ops, VIRTIO_ID_CONSOLE, features, 2, CON_QUEUE_SIZE, c);
    uint8_t ports[4] = {1, 0, 0, 0};
    vdev_config_write(&c->dev, CON_CFG_MAX_NR_PORTS, ports, 4);
    set_size(c, cols, rows);
    c->seen_resize_seq = host->reg_load(host->opaque, TVM_CON_RESIZE_SEQ);
    vdev_publish(&c->dev);
}

/* Guest output: copy each transmit buffer to the host, keeping our place when it is full. */
static int drain_tx(vcon_t *c)
{
    uint8_t buf[CON_CHUNK];
    for (;;) {
        if (!c->tx_pending) {
            if (!virtq_pop(&c->dev, CON_TX, &c->tx_chain)) {
                virtq_flush(&c->dev, CON_TX);
                return 0;
            }
            c->tx_pending = 1;
            c->tx_off = 0;
        }
        while (c->tx_off < c->tx_chain.out_len) {
            uint32_t n = vchain_read(&c->dev, &c->tx_chain, c->tx_off, buf, sizeof buf);
            uint32_t took = c->io.out_write(c->io.opaque, buf, n);
            c->tx_off += took;
            if (took < n) { /* the host's output is full: resume later */
                virtq_flush(&c->dev, CON_TX);
                return 1;
            }
        }
        virtq_fill(&c->dev, CON_TX, &c->tx_chain, 0);
        c->tx_pending = 0;
    }
}

/* Host input: fill receive buffers while there is input and buffers to put it in. */
static void fill_rx(vcon_t *c)
{
    uint8_t buf[CON_CHUNK];
    vchain_t chain;
    while (c->io.in_avail(c->io.opaque) > 0 && virtq_pop(&c->dev, CON_RX, &chain)) {
        uint32_t max = chain.in_len < sizeof buf ? chain.in_len : sizeof buf;
        uint32_t n = c->io.in_read(c->io.opaque, buf, max);
        vchain_write(&c->dev, &chain, 0, buf, n);
        virtq_fill(&c->dev, CON_RX, &chain, n);
    }
    virtq_flush(&c->dev, CON_RX);
}

static void check_resize(vcon_t *c)
{
    const vdev_host_t *h = c->dev.host;
    uint32_t seq = h->reg_load(h->opaque, TVM_CON_RESIZE_SEQ);
    if (seq == c->seen_resize_seq) return;
    c->seen_resize_seq = seq;
    uint32_t cols = h->reg_load(h->opaque, TVM_CON_COLS),
             rows = h->reg_load(h->opaque, TVM_CON_ROWS);
    if (cols == 0 || rows == 0 || cols > 0xffff || rows > 0xffff) return;
    set_size(c, (uint16_t)cols, (uint16_t)rows);
    if (c->dev.active) vdev_interrupt(&c->dev, VIRTIO_INT_CONFIG);
}

int vcon_poll(vcon_t *c)
{
    vdev_poll(&c->dev);
    check_resize(c);
    if (!c->dev.active) return 0;
    fill_rx(c);
    return drain_tx(c);
}
