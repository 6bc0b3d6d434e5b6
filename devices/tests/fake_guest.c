/* fake_guest.c - the fake machine and minimal virtio driver used by the virtio tests (see
 * fake_guest.h). Everything runs in one thread: a wake of the device polls it at once. */
#include "fake_guest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the device's host --------------------------------------------------------------------- */

static uint32_t reg_load(void *o, unsigned w)
{
    fg_t *g = o;
    if (w >= TVM_V_WORDS) abort();
    return __atomic_load_n(&g->blk[w], __ATOMIC_SEQ_CST);
}
static void reg_store(void *o, unsigned w, uint32_t v)
{
    fg_t *g = o;
    if (w >= TVM_V_WORDS) abort();
    if (w == TVM_V_CONFIG && g->n_cfg0_stores < 16) g->cfg0_stores[g->n_cfg0_stores++] = v;
    __atomic_store_n(&g->blk[w], v, __ATOMIC_SEQ_CST);
}
static uint32_t reg_or(void *o, unsigned w, uint32_t v)
{
    fg_t *g = o;
    if (w >= TVM_V_WORDS) abort();
    return __atomic_fetch_or(&g->blk[w], v, __ATOMIC_SEQ_CST);
}
static uint32_t reg_xchg(void *o, unsigned w, uint32_t v)
{
    fg_t *g = o;
    if (w >= TVM_V_WORDS) abort();
    return __atomic_exchange_n(&g->blk[w], v, __ATOMIC_SEQ_CST);
}

/* The invariant: a device reaches only [FG_RAM_BASE, FG_RAM_BASE + ram_size). */
static uint8_t *ram_at(fg_t *g, uint64_t gpa, uint64_t len, const char *who)
{
    uint64_t off = gpa - FG_RAM_BASE;
    if (gpa < FG_RAM_BASE || off > g->ram_size || len > g->ram_size - off) {
        fprintf(stderr, "FATAL: %s outside guest RAM: gpa %#llx len %#llx\n", who,
                (unsigned long long)gpa, (unsigned long long)len);
        abort();
    }
    return g->ram + off;
}

static void watch(fg_t *g, uint64_t gpa, uint32_t len)
{
    if (len && gpa < g->watch_hi && gpa + len > g->watch_lo) g->watch_hits++;
}

static void ram_read(void *o, uint64_t gpa, void *dst, uint32_t len)
{
    fg_t *g = o;
    g->ram_reads++;
    watch(g, gpa, len);
    memcpy(dst, ram_at(g, gpa, len, "device read"), len);
}
static void ram_write(void *o, uint64_t gpa, const void *src, uint32_t len)
{
    fg_t *g = o;
    g->ram_writes++;
    watch(g, gpa, len);
    memcpy(ram_at(g, gpa, len, "device write"), src, len);
}
static void raise_irq(void *o) { ((fg_t *)o)->irqs++; }
static void dev_log(void *o, const char *msg)
{
    fg_t *g = o;
    g->logs++;
    g->last_log = msg;
}

static uint32_t out_write(void *o, const uint8_t *buf, uint32_t len)
{
    fg_t *g = o;
    g->out_calls++;
    uint32_t n = len < g->out_room ? len : g->out_room;
    if (n > FG_OUT_MAX - g->out_len) n = FG_OUT_MAX - g->out_len;
    memcpy(g->out + g->out_len, buf, n);
    g->out_len += n;
    if (g->out_room != FG_ROOM_UNLIMITED) g->out_room -= n;
    return n;
}
static uint32_t in_read(void *o, uint8_t *buf, uint32_t max)
{
    fg_t *g = o;
    uint32_t n = g->in_len - g->in_pos;
    if (n > max) n = max;
    memcpy(buf, g->in + g->in_pos, n);
    g->in_pos += n;
    return n;
}
static uint32_t in_avail(void *o)
{
    fg_t *g = o;
    return g->in_len - g->in_pos;
}

/* The transport's wake: the device worker runs now, synchronously. */
static void wake(void *o, uint32_t *word)
{
    fg_t *g = o;
    if (word != &g->blk[TVM_V_WAKE]) abort();
    g->wakes++;
    g->poll_ret = g->device_poll ? g->device_poll(g) : vcon_poll(&g->con);
}

fg_t *fg_new(uint64_t ram_size)
{
    fg_t *g = calloc(1, sizeof *g);
    if (!g || !(g->ram = calloc(1, ram_size)) || !(g->out = malloc(FG_OUT_MAX)) ||
        !(g->blk = calloc(TVM_V_WORDS, sizeof *g->blk)))
        abort();
    g->ram_size = ram_size;
    g->out_room = FG_ROOM_UNLIMITED;
    g->host = (vdev_host_t){
        .opaque = g,
        .ram_base = FG_RAM_BASE,
        .ram_size = ram_size,
        .reg_load = reg_load,
        .reg_store = reg_store,
        .reg_or = reg_or,
        .reg_xchg = reg_xchg,
        .ram_read = ram_read,
        .ram_write = ram_write,
        .raise_irq = raise_irq,
        .log = dev_log,
    };
    virtio_mmio_init(&g->t, g->blk, wake, g);
    return g;
}

void fg_free(fg_t *g)
{
    free(g->ram);
    free(g->out);
    free(g->blk);
    free(g);
}

void fg_device_start(fg_t *g, uint16_t cols, uint16_t rows)
{
    const con_io_t io = {
        .opaque = g, .out_write = out_write, .in_read = in_read, .in_avail = in_avail};
    vcon_init(&g->con, &g->host, &io, cols, rows);
}

/* ---- the driver ---------------------------------------------------------------------------- */

uint32_t fg_rd(fg_t *g, unsigned off)
{
    uint64_t v = 0;
    if (!virtio_mmio_read(&g->t, off, 4, &v)) {
        fprintf(stderr, "FATAL: transport refused a 4-byte read at %#x\n", off);
        abort();
    }
    return (uint32_t)v;
}

void fg_wr(fg_t *g, unsigned off, uint32_t v)
{
    if (!virtio_mmio_write(&g->t, off, 4, v)) {
        fprintf(stderr, "FATAL: transport refused a 4-byte write at %#x\n", off);
        abort();
    }
}

uint32_t fg_driver_features(fg_t *g)
{
    /* VIRTIO_CONSOLE_F_SIZE and VIRTIO_F_VERSION_1 */
    return fg_driver_negotiate(g, 1ull | 1ull << VIRTIO_F_VERSION_1);
}

uint32_t fg_driver_negotiate(fg_t *g, uint64_t want)
{
    fg_wr(g, VIRTIO_MMIO_STATUS, 0);
    fg_wr(g, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
    fg_wr(g, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    fg_wr(g, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    uint32_t lo = fg_rd(g, VIRTIO_MMIO_DEVICE_FEATURES);
    fg_wr(g, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
    uint32_t hi = fg_rd(g, VIRTIO_MMIO_DEVICE_FEATURES);
    fg_wr(g, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    fg_wr(g, VIRTIO_MMIO_DRIVER_FEATURES, lo & (uint32_t)want);
    fg_wr(g, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    fg_wr(g, VIRTIO_MMIO_DRIVER_FEATURES, hi & (uint32_t)(want >> 32));
    fg_wr(g, VIRTIO_MMIO_STATUS,
          VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
    return fg_rd(g, VIRTIO_MMIO_STATUS);
}

void fg_queue_layout(fg_queue_t *q, unsigned index, uint16_t num, uint64_t base)
{
    memset(q, 0, sizeof *q);
    q->index = index;
    q->num = num;
    q->desc = base;
    q->avail = base + (uint64_t)VIRTQ_DESC_SIZE * num;
    q->used = (q->avail + 6 + 2ull * num + 4095) & ~4095ull;
}

/* Zeroes whatever part of [gpa, gpa + len) lies in RAM. */
static void zero_in_ram(fg_t *g, uint64_t gpa, uint64_t len)
{
    uint64_t lo = gpa < FG_RAM_BASE ? FG_RAM_BASE : gpa;
    uint64_t end = gpa + len < gpa ? UINT64_MAX : gpa + len;
    uint64_t hi = FG_RAM_BASE + g->ram_size;
    if (end < hi) hi = end;
    if (lo < hi) memset(g->ram + (lo - FG_RAM_BASE), 0, hi - lo);
}

void fg_queue_setup(fg_t *g, fg_queue_t *q)
{
    zero_in_ram(g, q->desc, (uint64_t)VIRTQ_DESC_SIZE * q->num);
    zero_in_ram(g, q->avail, 6 + 2ull * q->num);
    zero_in_ram(g, q->used, 6 + 8ull * q->num);
    q->avail_idx = 0;
    fg_wr(g, VIRTIO_MMIO_QUEUE_SEL, q->index);
    fg_wr(g, VIRTIO_MMIO_QUEUE_NUM, q->num);
    fg_wr(g, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)q->desc);
    fg_wr(g, VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(q->desc >> 32));
    fg_wr(g, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)q->avail);
    fg_wr(g, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (uint32_t)(q->avail >> 32));
    fg_wr(g, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)q->used);
    fg_wr(g, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (uint32_t)(q->used >> 32));
    fg_wr(g, VIRTIO_MMIO_QUEUE_READY, 1);
}

void fg_driver_ok(fg_t *g)
{
    fg_wr(g, VIRTIO_MMIO_STATUS,
          VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |
              VIRTIO_STATUS_DRIVER_OK);
}

void fg_driver_init(fg_t *g, uint16_t rx_num, uint64_t rx_base, uint16_t tx_num, uint64_t tx_base)
{
    fg_driver_features(g);
    fg_queue_layout(&g->rx, 0, rx_num, rx_base);
    fg_queue_layout(&g->tx, 1, tx_num, tx_base);
    fg_queue_setup(g, &g->rx);
    fg_queue_setup(g, &g->tx);
    fg_driver_ok(g);
}

/* ---- guest RAM as the driver sees it ------------------------------------------------------- */

void fg_poke(fg_t *g, uint64_t gpa, const void *src, uint64_t len)
{
    memcpy(ram_at(g, gpa, len, "driver write"), src, len);
}
void fg_peek(fg_t *g, uint64_t gpa, void *dst, uint64_t len)
{
    memcpy(dst, ram_at(g, gpa, len, "driver read"), len);
}
void fg_w16(fg_t *g, uint64_t gpa, uint16_t v)
{
    uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    fg_poke(g, gpa, b, 2);
}
uint16_t fg_r16(fg_t *g, uint64_t gpa)
{
    uint8_t b[2];
    fg_peek(g, gpa, b, 2);
    return (uint16_t)(b[0] | b[1] << 8);
}
uint32_t fg_r32(fg_t *g, uint64_t gpa)
{
    uint8_t b[4];
    fg_peek(g, gpa, b, 4);
    return b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24;
}

void fg_set_desc(fg_t *g, const fg_queue_t *q, unsigned i, uint64_t addr, uint32_t len,
                 uint16_t flags, uint16_t next)
{
    uint8_t d[VIRTQ_DESC_SIZE];
    for (int k = 0; k < 8; k++)
        d[k] = (uint8_t)(addr >> (8 * k));
    for (int k = 0; k < 4; k++)
        d[8 + k] = (uint8_t)(len >> (8 * k));
    d[12] = (uint8_t)flags;
    d[13] = (uint8_t)(flags >> 8);
    d[14] = (uint8_t)next;
    d[15] = (uint8_t)(next >> 8);
    fg_poke(g, q->desc + (uint64_t)VIRTQ_DESC_SIZE * i, d, sizeof d);
}

void fg_publish(fg_t *g, fg_queue_t *q, uint16_t head)
{
    fg_w16(g, q->avail + 4 + 2ull * (q->avail_idx % q->num), head);
    q->avail_idx++;
    fg_w16(g, q->avail + 2, q->avail_idx);
}

void fg_notify(fg_t *g, const fg_queue_t *q) { fg_wr(g, VIRTIO_MMIO_QUEUE_NOTIFY, q->index); }

uint16_t fg_used_idx(fg_t *g, const fg_queue_t *q) { return fg_r16(g, q->used + 2); }

void fg_used_elem(fg_t *g, const fg_queue_t *q, uint16_t n, uint32_t *id, uint32_t *len)
{
    uint64_t e = q->used + 4 + 8ull * (n % q->num);
    *id = fg_r32(g, e);
    *len = fg_r32(g, e + 4);
}

/* ---- the host side ------------------------------------------------------------------------- */

void fg_wake(fg_t *g)
{
    __atomic_fetch_add(&g->blk[TVM_V_WAKE], 1, __ATOMIC_SEQ_CST);
    wake(g, &g->blk[TVM_V_WAKE]);
}

void fg_input(fg_t *g, const void *data, uint32_t len)
{
    if (g->in_pos == g->in_len) g->in_pos = g->in_len = 0;
    if (len > FG_IN_MAX - g->in_len) abort();
    memcpy(g->in + g->in_len, data, len);
    g->in_len += len;
    fg_wake(g);
}

void fg_resize(fg_t *g, uint32_t cols, uint32_t rows)
{
    __atomic_store_n(&g->blk[TVM_CON_COLS], cols, __ATOMIC_SEQ_CST);
    __atomic_store_n(&g->blk[TVM_CON_ROWS], rows, __ATOMIC_SEQ_CST);
    __atomic_fetch_add(&g->blk[TVM_CON_RESIZE_SEQ], 1, __ATOMIC_SEQ_CST);
    fg_wake(g);
}
