/* virtio-mmio transport, CPU side (see virtio_mmio.h and docs/rings.md). Register offsets are
 * from the virtio 1.2 specification, 4.2.2. */
#include "virtio_mmio.h"

#include "../../shared/tvm_layout.h"
#include "virtio_spec.h"

static uint32_t load(const virtio_mmio_t *t, unsigned w)
{
    return __atomic_load_n(&t->blk[w], __ATOMIC_ACQUIRE);
}
static void store(virtio_mmio_t *t, unsigned w, uint32_t v)
{
    __atomic_store_n(&t->blk[w], v, __ATOMIC_RELEASE);
}

void virtio_mmio_init(virtio_mmio_t *t, uint32_t *blk, void (*wake)(void *, uint32_t *),
                      void *opaque)
{
    t->blk = blk;
    t->device_features_sel = t->driver_features_sel = t->queue_sel = 0;
    t->wake = wake;
    t->opaque = opaque;
}

bool virtio_mmio_present(const virtio_mmio_t *t) { return load(t, TVM_V_READY) == 1; }

bool virtio_mmio_irq_level(const virtio_mmio_t *t) { return load(t, TVM_V_ISR) != 0; }

static void wake_device(virtio_mmio_t *t)
{
    __atomic_fetch_add(&t->blk[TVM_V_WAKE], 1, __ATOMIC_SEQ_CST);
    if (t->wake) t->wake(t->opaque, &t->blk[TVM_V_WAKE]);
}

/* Config space: byte-addressable, little-endian, read from the device block. */
static uint64_t config_read(const virtio_mmio_t *t, unsigned off, unsigned size)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++) {
        unsigned b = off + i;
        if (b >= TVM_V_CONFIG_BYTES) break;
        uint32_t w = load(t, TVM_V_CONFIG + b / 4);
        v |= (uint64_t)((w >> (8 * (b % 4))) & 0xff) << (8 * i);
    }
    return v;
}

bool virtio_mmio_read(virtio_mmio_t *t, uint64_t off, unsigned size, uint64_t *val)
{
    if (off >= VIRTIO_MMIO_CONFIG) {
        *val = config_read(t, (unsigned)(off - VIRTIO_MMIO_CONFIG), size);
        return true;
    }
    if (size != 4 || (off & 3)) return false;
    bool present = virtio_mmio_present(t);
    uint32_t q = t->queue_sel;
    unsigned qw = TVM_V_QUEUE(q < TVM_V_MAX_QUEUES ? q : 0);
    bool q_ok = present && q < load(t, TVM_V_NUM_QUEUES);
    uint32_t v = 0;
    switch (off) {
    case VIRTIO_MMIO_MAGIC_VALUE: v = VIRTIO_MMIO_MAGIC; break;
    case VIRTIO_MMIO_VERSION: v = VIRTIO_MMIO_VERSION_MODERN; break;
    case VIRTIO_MMIO_DEVICE_ID: v = present ? load(t, TVM_V_DEVICE_ID) : 0; break;
    case VIRTIO_MMIO_VENDOR_ID: v = present ? load(t, TVM_V_VENDOR_ID) : 0; break;
    case VIRTIO_MMIO_DEVICE_FEATURES:
        if (t->device_features_sel == 0)
            v = load(t, TVM_V_FEATURES_LO);
        else if (t->device_features_sel == 1)
            v = load(t, TVM_V_FEATURES_HI);
        break;
    case VIRTIO_MMIO_QUEUE_NUM_MAX: v = q_ok ? load(t, TVM_V_QUEUE_NUM_MAX) : 0; break;
    case VIRTIO_MMIO_QUEUE_READY: v = q_ok ? load(t, qw + TVM_VQ_READY) : 0; break;
    case VIRTIO_MMIO_INTERRUPT_STATUS: v = load(t, TVM_V_ISR); break;
    case VIRTIO_MMIO_STATUS: v = load(t, TVM_V_STATUS); break;
    case VIRTIO_MMIO_CONFIG_GENERATION: v = load(t, TVM_V_CONFIG_GENERATION); break;
    default: v = 0; break; /* write-only or reserved registers read as zero */
    }
    *val = v;
    return true;
}

static void reset(virtio_mmio_t *t)
{
    for (unsigned q = 0; q < TVM_V_MAX_QUEUES; q++)
        for (unsigned w = 0; w < TVM_VQ_WORDS; w++)
            store(t, TVM_V_QUEUE(q) + w, 0);
    store(t, TVM_V_DRIVER_FEAT_LO, 0);
    store(t, TVM_V_DRIVER_FEAT_HI, 0);
    __atomic_store_n(&t->blk[TVM_V_NOTIFY], 0, __ATOMIC_SEQ_CST);
    __atomic_store_n(&t->blk[TVM_V_ISR], 0, __ATOMIC_SEQ_CST);
    __atomic_fetch_add(&t->blk[TVM_V_RESET_GEN], 1, __ATOMIC_SEQ_CST);
    t->device_features_sel = t->driver_features_sel = t->queue_sel = 0;
}

void virtio_mmio_reset(virtio_mmio_t *t)
{
    reset(t);
    store(t, TVM_V_STATUS, 0);
    __atomic_fetch_add(&t->blk[TVM_V_STATUS_SEQ], 1, __ATOMIC_SEQ_CST);
    wake_device(t);
}

bool virtio_mmio_reset_done(const virtio_mmio_t *t)
{
    return !virtio_mmio_present(t) || load(t, TVM_V_RESET_ACK) == load(t, TVM_V_RESET_GEN);
}

bool virtio_mmio_write(virtio_mmio_t *t, uint64_t off, unsigned size, uint64_t val)
{
    if (off >= VIRTIO_MMIO_CONFIG) return true; /* no device here takes config writes */
    if (size != 4 || (off & 3)) return false;
    uint32_t v = (uint32_t)val;
    uint32_t q = t->queue_sel;
    bool q_ok = virtio_mmio_present(t) && q < load(t, TVM_V_NUM_QUEUES);
    unsigned qw = TVM_V_QUEUE(q < TVM_V_MAX_QUEUES ? q : 0);
    switch (off) {
    case VIRTIO_MMIO_DEVICE_FEATURES_SEL: t->device_features_sel = v; break;
    case VIRTIO_MMIO_DRIVER_FEATURES_SEL: t->driver_features_sel = v; break;
    case VIRTIO_MMIO_DRIVER_FEATURES:
        if (t->driver_features_sel == 0)
            store(t, TVM_V_DRIVER_FEAT_LO, v);
        else if (t->driver_features_sel == 1)
            store(t, TVM_V_DRIVER_FEAT_HI, v);
        break;
    case VIRTIO_MMIO_QUEUE_SEL: t->queue_sel = v; break;
    case VIRTIO_MMIO_QUEUE_NUM:
        if (q_ok && v && v <= load(t, TVM_V_QUEUE_NUM_MAX) && (v & (v - 1)) == 0)
            store(t, qw + TVM_VQ_NUM, v);
        break;
    case VIRTIO_MMIO_QUEUE_READY:
        if (q_ok) store(t, qw + TVM_VQ_READY, v & 1);
        break;
    case VIRTIO_MMIO_QUEUE_DESC_LOW:
        if (q_ok) store(t, qw + TVM_VQ_DESC_LO, v);
        break;
    case VIRTIO_MMIO_QUEUE_DESC_HIGH:
        if (q_ok) store(t, qw + TVM_VQ_DESC_HI, v);
        break;
    case VIRTIO_MMIO_QUEUE_DRIVER_LOW:
        if (q_ok) store(t, qw + TVM_VQ_DRIVER_LO, v);
        break;
    case VIRTIO_MMIO_QUEUE_DRIVER_HIGH:
        if (q_ok) store(t, qw + TVM_VQ_DRIVER_HI, v);
        break;
    case VIRTIO_MMIO_QUEUE_DEVICE_LOW:
        if (q_ok) store(t, qw + TVM_VQ_DEVICE_LO, v);
        break;
    case VIRTIO_MMIO_QUEUE_DEVICE_HIGH:
        if (q_ok) store(t, qw + TVM_VQ_DEVICE_HI, v);
        break;
    case VIRTIO_MMIO_QUEUE_NOTIFY:
        if (v < TVM_V_MAX_QUEUES) {
            __atomic_fetch_or(&t->blk[TVM_V_NOTIFY], 1u << v, __ATOMIC_SEQ_CST);
            wake_device(t);
        }
        break;
    case VIRTIO_MMIO_INTERRUPT_ACK:
        __atomic_fetch_and(&t->blk[TVM_V_ISR], ~v, __ATOMIC_SEQ_CST);
        break;
    case VIRTIO_MMIO_STATUS:
        if (v == 0) reset(t);
        store(t, TVM_V_STATUS, v & 0xff);
        __atomic_fetch_add(&t->blk[TVM_V_STATUS_SEQ], 1, __ATOMIC_SEQ_CST);
        wake_device(t);
        break;
    default: break;
    }
    return true;
}
