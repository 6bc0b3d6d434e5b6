/* Device-side virtio core (see vdev.h): status and reset, and split virtqueues (virtio 1.2,
 * 2.7) walked with every guest-supplied index, address and length checked before use. */
#include "vdev.h"

#include <string.h>

#include "virtio_spec.h"

/* Split virtqueue layout offsets (2.7.6, 2.7.8). */
#define AVAIL_FLAGS 0
#define AVAIL_IDX 2
#define AVAIL_RING 4
#define USED_FLAGS 0
#define USED_IDX 2
#define USED_RING 4
#define USED_ELEM_SIZE 8

static uint32_t reg(vdev_t *d, unsigned w) { return d->host->reg_load(d->host->opaque, w); }
static void reg_set(vdev_t *d, unsigned w, uint32_t v)
{
    d->host->reg_store(d->host->opaque, w, v);
}

/* Whether [gpa, gpa + len) lies in guest RAM, without overflow. */
static bool in_ram(const vdev_t *d, uint64_t gpa, uint64_t len)
{
    uint64_t off = gpa - d->host->ram_base;
    return gpa >= d->host->ram_base && off <= d->host->ram_size && len <= d->host->ram_size - off;
}

static uint16_t rd16(vdev_t *d, uint64_t gpa)
{
    uint8_t b[2];
    d->host->ram_read(d->host->opaque, gpa, b, 2);
    return (uint16_t)(b[0] | b[1] << 8);
}
static void wr16(vdev_t *d, uint64_t gpa, uint16_t v)
{
    uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    d->host->ram_write(d->host->opaque, gpa, b, 2);
}
static void wr32(vdev_t *d, uint64_t gpa, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    d->host->ram_write(d->host->opaque, gpa, b, 4);
}

/* EVENT_IDX fields (2.7.10): used_event trails the available ring, avail_event the used ring. */
static uint64_t used_event_addr(const virtq_t *vq)
{
    return vq->avail + AVAIL_RING + 2ull * vq->num;
}
static uint64_t avail_event_addr(const virtq_t *vq)
{
    return vq->used + USED_RING + (uint64_t)USED_ELEM_SIZE * vq->num;
}

static void log_once(vdev_t *d, const char *msg)
{
    if (d->logged_bad_chain) return;
    d->logged_bad_chain = true;
    if (d->host->log) d->host->log(d->host->opaque, msg);
}

void vdev_init(vdev_t *d, const vdev_host_t *host, const vdev_ops_t *ops, uint32_t device_id,
               uint64_t features, unsigned num_queues, uint16_t queue_num_max, void *priv)
{
    memset(d, 0, sizeof *d);
    d->host = host;
    d->ops = ops;
    d->num_queues = num_queues > TVM_V_MAX_QUEUES ? TVM_V_MAX_QUEUES : num_queues;
    d->priv = priv;
    reg_set(d, TVM_V_DEVICE_ID, device_id);
    reg_set(d, TVM_V_VENDOR_ID, 0x4d565454); /* "TTVM" */
    reg_set(d, TVM_V_FEATURES_LO, (uint32_t)features);
    reg_set(d, TVM_V_FEATURES_HI, (uint32_t)(features >> 32));
    reg_set(d, TVM_V_NUM_QUEUES, d->num_queues);
    reg_set(d, TVM_V_QUEUE_NUM_MAX, queue_num_max);
    d->seen_status_seq = reg(d, TVM_V_STATUS_SEQ);
    d->seen_reset_gen = reg(d, TVM_V_RESET_GEN);
}

void vdev_publish(vdev_t *d) { reg_set(d, TVM_V_READY, 1); }

static void load_queue(vdev_t *d, unsigned q)
{
    virtq_t *vq = &d->vq[q];
    unsigned w = TVM_V_QUEUE(q);
    memset(vq, 0, sizeof *vq);
    vq->ready = reg(d, w + TVM_VQ_READY) & 1;
    if (!vq->ready) return;
    vq->num = (uint16_t)reg(d, w + TVM_VQ_NUM);
    vq->desc = reg(d, w + TVM_VQ_DESC_LO) | (uint64_t)reg(d, w + TVM_VQ_DESC_HI) << 32;
    vq->avail = reg(d, w + TVM_VQ_DRIVER_LO) | (uint64_t)reg(d, w + TVM_VQ_DRIVER_HI) << 32;
    vq->used = reg(d, w + TVM_VQ_DEVICE_LO) | (uint64_t)reg(d, w + TVM_VQ_DEVICE_HI) << 32;
    uint64_t n = vq->num;
    if (n == 0 || n > VIRTQ_MAX_SIZE || !in_ram(d, vq->desc, n * VIRTQ_DESC_SIZE) ||
        !in_ram(d, vq->avail, AVAIL_RING + 2 * n + 2) ||
        !in_ram(d, vq->used, USED_RING + USED_ELEM_SIZE * n + 2)) {
        vq->broken = true;
        log_once(d, "virtqueue rings lie outside guest RAM; queue ignored");
    }
}

void vdev_poll(vdev_t *d)
{
    uint32_t gen = reg(d, TVM_V_RESET_GEN);
    if (gen != d->seen_reset_gen) {
        d->seen_reset_gen = gen;
        d->active = false;
        memset(d->vq, 0, sizeof d->vq);
        if (d->ops->reset) d->ops->reset(d);
        reg_set(d, TVM_V_RESET_ACK, gen);
    }
    uint32_t seq = reg(d, TVM_V_STATUS_SEQ);
    if (seq != d->seen_status_seq) {
        d->seen_status_seq = seq;
        uint32_t status = reg(d, TVM_V_STATUS);
        if ((status & VIRTIO_STATUS_DRIVER_OK) && !d->active) {
            uint64_t accepted =
                reg(d, TVM_V_DRIVER_FEAT_LO) | (uint64_t)reg(d, TVM_V_DRIVER_FEAT_HI) << 32;
            uint64_t offered = reg(d, TVM_V_FEATURES_LO) | (uint64_t)reg(d, TVM_V_FEATURES_HI)
                                                               << 32;
            d->event_idx = (accepted & offered) >> VIRTIO_F_RING_EVENT_IDX & 1;
            for (unsigned q = 0; q < d->num_queues; q++)
                load_queue(d, q);
            d->active = true;
            if (d->ops->activate) d->ops->activate(d);
        }
    }
    if (!d->active) return;
    uint32_t notify = d->host->reg_xchg(d->host->opaque, TVM_V_NOTIFY, 0);
    for (unsigned q = 0; q < d->num_queues; q++)
        if ((notify >> q) & 1 && d->ops->queue_notify) d->ops->queue_notify(d, q);
}

/* Completes a chain that cannot be processed so the driver gets its buffer back. */
static void discard(vdev_t *d, unsigned q, uint16_t head, const char *why)
{
    log_once(d, why);
    vchain_t c = {.head = head};
    virtq_push(d, q, &c, 0);
}

int virtq_pop(vdev_t *d, unsigned q, vchain_t *c)
{
    if (q >= d->num_queues) return 0;
    virtq_t *vq = &d->vq[q];
    for (;;) {
        if (!d->active || !vq->ready || vq->broken) return 0;
        uint16_t avail_idx = rd16(d, vq->avail + AVAIL_IDX);
        if (avail_idx == vq->last_avail && d->event_idx) {
            /* Going idle: ask to be notified of the next buffer, then look once more, since the
             * driver may have added one before it could see the request. */
            wr16(d, avail_event_addr(vq), vq->last_avail);
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            avail_idx = rd16(d, vq->avail + AVAIL_IDX);
        }
        if (avail_idx == vq->last_avail) return 0;
        if ((uint16_t)(avail_idx - vq->last_avail) > vq->num) {
            vq->broken = true;
            log_once(d, "driver published more buffers than the queue holds; queue ignored");
            return 0;
        }
        uint16_t head = rd16(d, vq->avail + AVAIL_RING + 2ull * (vq->last_avail % vq->num));
        vq->last_avail++;
        if (head >= vq->num) {
            log_once(d, "descriptor index out of range");
            continue; /* no valid head to return */
        }
        memset(c, 0, sizeof *c);
        c->head = head;
        uint16_t i = head;
        bool seen_write = false, bad = false;
        const char *why = NULL;
        for (unsigned n = 0;; n++) {
            if (n >= vq->num || n >= VCHAIN_MAX_SEGS) {
                why = "descriptor chain loops or is too long";
                bad = true;
                break;
            }
            uint8_t desc[VIRTQ_DESC_SIZE];
            d->host->ram_read(d->host->opaque, vq->desc + (uint64_t)i * VIRTQ_DESC_SIZE, desc,
                              VIRTQ_DESC_SIZE);
            uint64_t addr = 0;
            for (int k = 7; k >= 0; k--)
                addr = addr << 8 | desc[k];
            uint32_t len = desc[8] | desc[9] << 8 | desc[10] << 16 | (uint32_t)desc[11] << 24;
            uint16_t flags = (uint16_t)(desc[12] | desc[13] << 8);
            uint16_t next = (uint16_t)(desc[14] | desc[15] << 8);
            if (flags & VIRTQ_DESC_F_INDIRECT) {
                why = "indirect descriptor, not negotiated";
                bad = true;
                break;
            }
            if (!in_ram(d, addr, len)) {
                why = "descriptor points outside guest RAM";
                bad = true;
                break;
            }
            bool w = (flags & VIRTQ_DESC_F_WRITE) != 0;
            if (!w && seen_write) {
                why = "device-readable descriptor after a writable one";
                bad = true;
                break;
            }
            seen_write |= w;
            c->seg[c->nseg].addr = addr;
            c->seg[c->nseg].len = len;
            c->seg[c->nseg].write = w;
            c->nseg++;
            uint64_t total = (uint64_t)(w ? c->in_len : c->out_len) + len;
            if (total > (1u << 30)) {
                why = "descriptor chain longer than 1 GiB";
                bad = true;
                break;
            }
            if (w)
                c->in_len += len;
            else
                c->out_len += len;
            if (!(flags & VIRTQ_DESC_F_NEXT)) break;
            if (next >= vq->num) {
                why = "descriptor index out of range";
                bad = true;
                break;
            }
            i = next;
        }
        if (!bad) return 1;
        discard(d, q, head, why);
    }
}

void virtq_fill(vdev_t *d, unsigned q, const vchain_t *c, uint32_t written)
{
    virtq_t *vq = &d->vq[q];
    if (!vq->ready || vq->broken) return;
    uint64_t elem = vq->used + USED_RING + (uint64_t)USED_ELEM_SIZE * (vq->used_idx % vq->num);
    wr32(d, elem, c->head);
    wr32(d, elem + 4, written);
    vq->used_idx++;
}

/* vring_need_event (2.7.10): whether new_idx has passed event since old_idx. */
static bool need_event(uint16_t event, uint16_t new_idx, uint16_t old_idx)
{
    return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old_idx);
}

void virtq_flush(vdev_t *d, unsigned q)
{
    virtq_t *vq = &d->vq[q];
    if (!vq->ready || vq->broken || vq->used_idx == vq->signalled_used) return;
    /* The elements must be visible before the index that publishes them, and the index before
     * the driver's suppression fields are read (the driver orders them the other way). */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    wr16(d, vq->used + USED_IDX, vq->used_idx);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    uint16_t old = vq->signalled_used;
    vq->signalled_used = vq->used_idx;
    bool notify = d->event_idx ? need_event(rd16(d, used_event_addr(vq)), vq->used_idx, old)
                               : !(rd16(d, vq->avail + AVAIL_FLAGS) & VIRTQ_AVAIL_F_NO_INTERRUPT);
    if (notify) vdev_interrupt(d, VIRTIO_INT_USED_RING);
}

void virtq_push(vdev_t *d, unsigned q, const vchain_t *c, uint32_t written)
{
    virtq_fill(d, q, c, written);
    virtq_flush(d, q);
}

static uint32_t chain_copy(vdev_t *d, const vchain_t *c, bool write, uint32_t off, void *buf,
                           uint32_t len)
{
    uint32_t done = 0;
    for (unsigned s = 0; s < c->nseg && done < len; s++) {
        if (c->seg[s].write != write) continue;
        uint32_t seg_len = c->seg[s].len;
        if (off >= seg_len) {
            off -= seg_len;
            continue;
        }
        uint32_t n = seg_len - off;
        if (n > len - done) n = len - done;
        if (write)
            d->host->ram_write(d->host->opaque, c->seg[s].addr + off, (uint8_t *)buf + done, n);
        else
            d->host->ram_read(d->host->opaque, c->seg[s].addr + off, (uint8_t *)buf + done, n);
        done += n;
        off = 0;
    }
    return done;
}

uint32_t vchain_read(vdev_t *d, const vchain_t *c, uint32_t off, void *dst, uint32_t len)
{
    return chain_copy(d, c, false, off, dst, len);
}

uint32_t vchain_write(vdev_t *d, const vchain_t *c, uint32_t off, const void *src, uint32_t len)
{
    return chain_copy(d, c, true, off, (void *)src, len);
}

void vdev_config_write(vdev_t *d, unsigned off, const void *data, unsigned len)
{
    const uint8_t *p = data;
    /* One store per word: the driver may read at any moment, and an aligned field of up to 32
     * bits must never be seen half updated (virtio 1.2, 2.5.1). */
    for (unsigned i = 0; i < len && off + i < TVM_V_CONFIG_BYTES;) {
        unsigned w = TVM_V_CONFIG + (off + i) / 4;
        uint32_t v = reg(d, w);
        do {
            unsigned sh = 8 * ((off + i) % 4);
            v = (v & ~(0xffu << sh)) | (uint32_t)p[i] << sh;
            i++;
        } while (i < len && off + i < TVM_V_CONFIG_BYTES && (off + i) % 4 != 0);
        reg_set(d, w, v);
    }
    reg_set(d, TVM_V_CONFIG_GENERATION, reg(d, TVM_V_CONFIG_GENERATION) + 1);
}

void vdev_interrupt(vdev_t *d, uint32_t isr_bits)
{
    d->host->reg_or(d->host->opaque, TVM_V_ISR, isr_bits);
    d->host->raise_irq(d->host->opaque);
}
