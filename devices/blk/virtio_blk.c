/* virtio-blk device (see virtio_blk.h). Requests (virtio 1.2, 5.2.6): a 16-byte header the
 * device reads, then data (read by the device for writes, written for reads), then one status
 * byte the device writes. Every length, sector range and segment count is checked before the
 * backend sees it; a bad request gets a status (IOERR or UNSUPP) and one log line per kind. */
#include "virtio_blk.h"

#include <string.h>

#include "../virtio/virtio_spec.h"

/* 5.2.3 feature bits */
#define VIRTIO_BLK_F_SEG_MAX 2
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_F_FLUSH 9
#define VIRTIO_BLK_F_TOPOLOGY 10
#define VIRTIO_BLK_F_DISCARD 13
#define VIRTIO_BLK_F_WRITE_ZEROES 14

/* 5.2.4 struct virtio_blk_config: byte offsets */
#define BLK_CFG_CAPACITY 0
#define BLK_CFG_SEG_MAX 12
#define BLK_CFG_BLK_SIZE 20
#define BLK_CFG_PHYSICAL_BLOCK_EXP 24
#define BLK_CFG_MIN_IO_SIZE 26
#define BLK_CFG_OPT_IO_SIZE 28
#define BLK_CFG_MAX_DISCARD_SECTORS 36
#define BLK_CFG_MAX_DISCARD_SEG 40
#define BLK_CFG_DISCARD_SECTOR_ALIGNMENT 44
#define BLK_CFG_MAX_WRITE_ZEROES_SECTORS 48
#define BLK_CFG_MAX_WRITE_ZEROES_SEG 52
#define BLK_CFG_WRITE_ZEROES_MAY_UNMAP 56

/* 5.2.6 request types and status values */
#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_T_GET_ID 8
#define VIRTIO_BLK_T_DISCARD 11
#define VIRTIO_BLK_T_WRITE_ZEROES 13
#define VIRTIO_BLK_S_OK 0
#define VIRTIO_BLK_S_IOERR 1
#define VIRTIO_BLK_S_UNSUPP 2
#define VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP 1
#define VIRTIO_BLK_ID_BYTES 20

#define SECTOR 512u
#define BLK_HDR_BYTES 16
#define BLK_DWZ_SEG_BYTES 16 /* struct virtio_blk_discard_write_zeroes */
#define BLK_QUEUE 0
#define BLK_QUEUE_SIZE 256
/* Header and status take one descriptor each at most. */
#define BLK_SEG_MAX (VCHAIN_MAX_SEGS - 2)
/* Larger than anything Linux sends (its default is 1.25 MiB); bounds a request's work. */
#define BLK_MAX_DATA (8u << 20)
/* 2 GiB per discard or write-zeroes request, one range each, 4 KiB aligned. */
#define BLK_MAX_DWZ_SECTORS (4u << 20)
#define BLK_DISCARD_ALIGN_SECTORS 8

/* One log line per kind of problem, per device. */
enum {
    LOG_SHORT_HEADER = 1u << 0,
    LOG_NO_STATUS = 1u << 1,
    LOG_RANGE = 1u << 2,
    LOG_READ_ONLY = 1u << 3,
    LOG_UNALIGNED = 1u << 4,
    LOG_TOO_LONG = 1u << 5,
    LOG_UNSUPPORTED = 1u << 6,
    LOG_BACKEND = 1u << 7,
    LOG_NO_MEDIUM = 1u << 8,
    LOG_DWZ = 1u << 9,
};

static void log_once(vblk_t *b, unsigned kind, const char *msg)
{
    if (b->logged & kind) return;
    b->logged |= kind;
    if (b->dev.host->log) b->dev.host->log(b->dev.host->opaque, msg);
}

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}
static uint64_t get_le(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = n; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

static void write_capacity(vblk_t *b)
{
    uint8_t cap[8];
    put_le(cap, b->media.sectors, 8);
    vdev_config_write(&b->dev, BLK_CFG_CAPACITY, cap, 8);
}

static void blk_reset(vdev_t *d)
{
    vblk_t *b = d->priv;
    b->pending = false;
}

static const vdev_ops_t blk_ops = {.reset = blk_reset};

void vblk_init(vblk_t *b, const vdev_host_t *host, const blk_backend_t *be,
               const blk_media_t *media, bool ro_feature)
{
    memset(b, 0, sizeof *b);
    b->be = *be;
    b->media = *media;
    b->ro_feature = ro_feature;
    uint64_t features = 1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_F_RING_EVENT_IDX |
                        1ull << VIRTIO_BLK_F_SEG_MAX | 1ull << VIRTIO_BLK_F_BLK_SIZE |
                        1ull << VIRTIO_BLK_F_TOPOLOGY | 1ull << VIRTIO_BLK_F_FLUSH |
                        1ull << VIRTIO_BLK_F_DISCARD | 1ull << VIRTIO_BLK_F_WRITE_ZEROES;
    if (ro_feature) features |= 1ull << VIRTIO_BLK_F_RO;
    vdev_init(&b->dev, host, &blk_ops, VIRTIO_ID_BLOCK, features, 1, BLK_QUEUE_SIZE, b);

    uint8_t cfg[60] = {0};
    put_le(cfg + BLK_CFG_CAPACITY, media->sectors, 8);
    put_le(cfg + BLK_CFG_SEG_MAX, BLK_SEG_MAX, 4);
    put_le(cfg + BLK_CFG_BLK_SIZE, SECTOR, 4);
    /* 4 KiB physical blocks: filesystems align to them, and every backend stores whole
     * multiples of 4 KiB, so a 4 KiB write never straddles a chunk boundary. */
    cfg[BLK_CFG_PHYSICAL_BLOCK_EXP] = 3;
    put_le(cfg + BLK_CFG_MIN_IO_SIZE, 8, 2);
    put_le(cfg + BLK_CFG_OPT_IO_SIZE, 0, 4);
    put_le(cfg + BLK_CFG_MAX_DISCARD_SECTORS, BLK_MAX_DWZ_SECTORS, 4);
    put_le(cfg + BLK_CFG_MAX_DISCARD_SEG, 1, 4);
    put_le(cfg + BLK_CFG_DISCARD_SECTOR_ALIGNMENT, BLK_DISCARD_ALIGN_SECTORS, 4);
    put_le(cfg + BLK_CFG_MAX_WRITE_ZEROES_SECTORS, BLK_MAX_DWZ_SECTORS, 4);
    put_le(cfg + BLK_CFG_MAX_WRITE_ZEROES_SEG, 1, 4);
    cfg[BLK_CFG_WRITE_ZEROES_MAY_UNMAP] = 1;
    vdev_config_write(&b->dev, 0, cfg, sizeof cfg);
    vdev_publish(&b->dev);
}

void vblk_set_media(vblk_t *b, const blk_media_t *media)
{
    if (b->pending) { /* the old medium's request cannot finish on the new one */
        uint8_t st = VIRTIO_BLK_S_IOERR;
        if (b->req.in_len) vchain_write(&b->dev, &b->req, b->req.in_len - 1, &st, 1);
        virtq_push(&b->dev, BLK_QUEUE, &b->req, b->req.in_len ? 1 : 0);
        b->pending = false;
    }
    b->media = *media;
    write_capacity(b);
    if (b->dev.active) vdev_interrupt(&b->dev, VIRTIO_INT_CONFIG);
}

/* Moves chain bytes [off, off + len) of one side (the guest-writable side for reads) to or
 * from the disk at disk_off, one backend call per contiguous piece of guest RAM. */
static int transfer(vblk_t *b, const vchain_t *c, bool to_guest, uint32_t off, uint32_t len,
                    uint64_t disk_off)
{
    for (unsigned s = 0; s < c->nseg && len; s++) {
        if (c->seg[s].write != to_guest) continue;
        if (off >= c->seg[s].len) {
            off -= c->seg[s].len;
            continue;
        }
        uint32_t n = c->seg[s].len - off;
        if (n > len) n = len;
        uint64_t gpa = c->seg[s].addr + off;
        int r = to_guest ? b->be.read(b->be.opaque, disk_off, gpa, n)
                         : b->be.write(b->be.opaque, disk_off, gpa, n);
        if (r != BLK_IO_OK) return r;
        disk_off += n;
        len -= n;
        off = 0;
    }
    return BLK_IO_OK;
}

/* Whether sectors [sector, sector + count) lie on the medium, without overflow. */
static bool in_disk(const vblk_t *b, uint64_t sector, uint64_t count)
{
    return sector <= b->media.sectors && count <= b->media.sectors - sector;
}

/* Maps a backend result to a request status; PENDING passes through. */
static int backend_status(vblk_t *b, int r)
{
    if (r == BLK_IO_OK) return VIRTIO_BLK_S_OK;
    if (r == BLK_IO_PENDING) return -1;
    log_once(b, LOG_BACKEND, "virtio-blk: the disk backend failed a request (I/O error)");
    return VIRTIO_BLK_S_IOERR;
}

/* Discard and write-zeroes: one range (max_discard_seg = max_write_zeroes_seg = 1). */
static int do_dwz(vblk_t *b, const vchain_t *c, bool zeroes)
{
    uint8_t seg[BLK_DWZ_SEG_BYTES];
    if (c->out_len - BLK_HDR_BYTES != BLK_DWZ_SEG_BYTES ||
        vchain_read(&b->dev, c, BLK_HDR_BYTES, seg, sizeof seg) != sizeof seg) {
        log_once(b, LOG_DWZ, "virtio-blk: discard/write-zeroes with other than one range");
        return VIRTIO_BLK_S_IOERR;
    }
    uint64_t sector = get_le(seg, 8);
    uint32_t count = (uint32_t)get_le(seg + 8, 4), flags = (uint32_t)get_le(seg + 12, 4);
    /* 5.2.6.2: the unmap flag means nothing for discard; other flags are reserved. */
    if ((!zeroes && flags) || (flags & ~(uint32_t)VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP)) {
        log_once(b, LOG_UNSUPPORTED, "virtio-blk: unsupported discard/write-zeroes flags");
        return VIRTIO_BLK_S_UNSUPP;
    }
    if (count > BLK_MAX_DWZ_SECTORS) {
        log_once(b, LOG_TOO_LONG, "virtio-blk: request longer than the device's limit");
        return VIRTIO_BLK_S_IOERR;
    }
    if (!in_disk(b, sector, count)) {
        log_once(b, LOG_RANGE, "virtio-blk: request past the end of the disk");
        return VIRTIO_BLK_S_IOERR;
    }
    if (count == 0) return VIRTIO_BLK_S_OK;
    b->stats.discards++;
    return backend_status(
        b, b->be.discard(b->be.opaque, sector * SECTOR, (uint64_t)count * SECTOR, zeroes));
}

/* Carries out one request. Returns its status and sets *written to the bytes written into the
 * guest's buffers; -1 when the backend is not ready (retry later). */
static int handle(vblk_t *b, const vchain_t *c, uint32_t *written)
{
    uint8_t hdr[BLK_HDR_BYTES];
    *written = 1; /* the status byte */
    if (vchain_read(&b->dev, c, 0, hdr, sizeof hdr) != sizeof hdr) {
        log_once(b, LOG_SHORT_HEADER, "virtio-blk: request header shorter than 16 bytes");
        return VIRTIO_BLK_S_IOERR;
    }
    uint32_t type = (uint32_t)get_le(hdr, 4);
    uint64_t sector = get_le(hdr + 8, 8);
    bool writes = type == VIRTIO_BLK_T_OUT || type == VIRTIO_BLK_T_DISCARD ||
                  type == VIRTIO_BLK_T_WRITE_ZEROES;
    bool known = writes || type == VIRTIO_BLK_T_IN || type == VIRTIO_BLK_T_FLUSH ||
                 type == VIRTIO_BLK_T_GET_ID;
    if (!known) {
        log_once(b, LOG_UNSUPPORTED, "virtio-blk: unsupported request type");
        b->stats.unsupported++;
        return VIRTIO_BLK_S_UNSUPP;
    }
    if (type == VIRTIO_BLK_T_GET_ID) {
        uint32_t n = c->in_len - 1 < VIRTIO_BLK_ID_BYTES ? c->in_len - 1 : VIRTIO_BLK_ID_BYTES;
        vchain_write(&b->dev, c, 0, b->media.serial, n);
        *written = n + 1;
        return VIRTIO_BLK_S_OK;
    }
    if (b->media.sectors == 0) {
        log_once(b, LOG_NO_MEDIUM, "virtio-blk: request to a drive with no medium");
        return VIRTIO_BLK_S_IOERR;
    }
    if (writes && b->media.read_only) {
        log_once(b, LOG_READ_ONLY, "virtio-blk: write to a read-only disk refused");
        return VIRTIO_BLK_S_IOERR;
    }
    switch (type) {
    case VIRTIO_BLK_T_FLUSH:
        b->stats.flushes++;
        return backend_status(b, b->be.flush(b->be.opaque));
    case VIRTIO_BLK_T_DISCARD: return do_dwz(b, c, false);
    case VIRTIO_BLK_T_WRITE_ZEROES: return do_dwz(b, c, true);
    default: break;
    }
    bool in = type == VIRTIO_BLK_T_IN;
    uint32_t len = in ? c->in_len - 1 : c->out_len - BLK_HDR_BYTES;
    if (len % SECTOR) {
        log_once(b, LOG_UNALIGNED, "virtio-blk: data length not a multiple of 512 bytes");
        return VIRTIO_BLK_S_IOERR;
    }
    if (len > BLK_MAX_DATA) {
        log_once(b, LOG_TOO_LONG, "virtio-blk: request longer than the device's limit");
        return VIRTIO_BLK_S_IOERR;
    }
    if (!in_disk(b, sector, len / SECTOR)) {
        log_once(b, LOG_RANGE, "virtio-blk: request past the end of the disk");
        return VIRTIO_BLK_S_IOERR;
    }
    int st = backend_status(b, transfer(b, c, in, in ? 0 : BLK_HDR_BYTES, len, sector * SECTOR));
    if (st != VIRTIO_BLK_S_OK) return st;
    if (in) {
        b->stats.reads++;
        b->stats.read_bytes += len;
        *written = len + 1;
    } else {
        b->stats.writes++;
        b->stats.write_bytes += len;
    }
    return VIRTIO_BLK_S_OK;
}

int vblk_poll(vblk_t *b)
{
    vdev_poll(&b->dev);
    if (!b->dev.active) return 0;
    bool done_any = false;
    for (;;) {
        if (!b->pending && !virtq_pop(&b->dev, BLK_QUEUE, &b->req)) break;
        b->pending = false;
        const vchain_t *c = &b->req;
        uint32_t written = 0;
        int st;
        if (c->in_len == 0) {
            /* No byte to report a status in: return the buffer untouched. */
            log_once(b, LOG_NO_STATUS, "virtio-blk: request without a status byte");
            st = VIRTIO_BLK_S_IOERR;
        } else {
            st = handle(b, c, &written);
            if (st < 0) {
                b->pending = true;
                break;
            }
            uint8_t s8 = (uint8_t)st;
            vchain_write(&b->dev, c, c->in_len - 1, &s8, 1);
        }
        if (st != VIRTIO_BLK_S_OK) {
            b->stats.errors++;
            written = c->in_len ? 1 : 0;
        }
        virtq_fill(&b->dev, BLK_QUEUE, c, written);
        done_any = true;
    }
    if (done_any) {
        b->stats.batches++;
        virtq_flush(&b->dev, BLK_QUEUE);
    }
    return b->pending;
}
