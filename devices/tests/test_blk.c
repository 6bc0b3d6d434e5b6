/* test_blk.c - the virtio-blk device through the transport, with a disk in memory: reads,
 * writes, flush, get-id, discard and write-zeroes; malformed requests (past the end, read-only,
 * no status byte, no data, huge and unaligned lengths, buffers outside RAM, bad types) each get
 * their status and one log line and never touch memory outside RAM or the disk outside its
 * size; a backend that is not ready (PENDING) holds the queue and resumes; EVENT_IDX suppresses
 * interrupts and notifications; media come and go. Ends with a deterministic fuzz. */
#include <stdlib.h>
#include <string.h>

#include "../blk/virtio_blk.h"
#include "fake_guest.h"
#include "test.h"

#define RAM_SIZE (1u << 20)
#define Q_BASE (FG_RAM_BASE + 0x1000)
#define HDR (FG_RAM_BASE + 0x10000)
#define DATA (FG_RAM_BASE + 0x20000)
#define STATUS (FG_RAM_BASE + 0x30000)
#define DISK_SECTORS 256u
#define F_NEXT VIRTQ_DESC_F_NEXT
#define F_WRITE VIRTQ_DESC_F_WRITE
#define T_IN 0
#define T_OUT 1
#define T_FLUSH 4
#define T_GET_ID 8
#define T_DISCARD 11
#define T_WRITE_ZEROES 13
#define S_OK 0
#define S_IOERR 1
#define S_UNSUPP 2
#define F_RO 5
#define F_FLUSH 9
#define F_EVENT_IDX 29

/* The disk: bytes in memory, with counters, a switch to answer PENDING, and a guard that the
 * device never asks for bytes outside it. */
typedef struct mem_disk {
    fg_t *g;
    uint8_t bytes[DISK_SECTORS * 512];
    unsigned pending_left; /* answer PENDING this many more times */
    unsigned calls, flushes, discards, zeroes;
    int fail; /* answer ERR to everything */
} mem_disk_t;

static mem_disk_t disk;
static vblk_t blk;

static int in_disk(uint64_t off, uint64_t len)
{
    if (off > sizeof disk.bytes || len > sizeof disk.bytes - off) abort(); /* the invariant */
    return 1;
}
static int answer(void)
{
    disk.calls++;
    if (disk.fail) return BLK_IO_ERR;
    if (disk.pending_left) {
        disk.pending_left--;
        return BLK_IO_PENDING;
    }
    return BLK_IO_OK;
}
static int d_read(void *o, uint64_t off, uint64_t gpa, uint32_t len)
{
    in_disk(off, len);
    int r = answer();
    if (r == BLK_IO_OK) fg_poke(disk.g, gpa, disk.bytes + off, len);
    return r;
}
static int d_write(void *o, uint64_t off, uint64_t gpa, uint32_t len)
{
    in_disk(off, len);
    int r = answer();
    if (r == BLK_IO_OK) fg_peek(disk.g, gpa, disk.bytes + off, len);
    return r;
}
static int d_flush(void *o)
{
    int r = answer();
    if (r == BLK_IO_OK) disk.flushes++;
    return r;
}
static int d_discard(void *o, uint64_t off, uint64_t len, bool zeroes)
{
    in_disk(off, len);
    int r = answer();
    if (r == BLK_IO_OK) {
        memset(disk.bytes + off, zeroes ? 0 : 0xdd, len);
        zeroes ? disk.zeroes++ : disk.discards++;
    }
    return r;
}
static int poll_blk(fg_t *g) { return vblk_poll(&blk); }

static fg_queue_t q;
static uint64_t ram_size = RAM_SIZE;

static fg_t *boot_opts(bool ro_medium, bool ro_feature, uint64_t features, uint64_t sectors)
{
    fg_t *g = fg_new(ram_size);
    memset(&disk, 0, sizeof disk);
    disk.g = g;
    for (unsigned i = 0; i < sizeof disk.bytes; i++)
        disk.bytes[i] = (uint8_t)(i * 7 + i / 512);
    blk_backend_t be = {.read = d_read, .write = d_write, .flush = d_flush, .discard = d_discard};
    blk_media_t m = {.sectors = sectors, .read_only = ro_medium};
    memcpy(m.serial, "tabvm-test-serial-01", 20);
    g->device_poll = poll_blk;
    vblk_init(&blk, &g->host, &be, &m, ro_feature);
    fg_driver_negotiate(g, features);
    fg_queue_layout(&q, 0, 64, Q_BASE);
    fg_queue_setup(g, &q);
    fg_driver_ok(g);
    return g;
}
static fg_t *boot(void)
{
    return boot_opts(false, false, 1ull << VIRTIO_F_VERSION_1 | 1ull << F_FLUSH, DISK_SECTORS);
}

static void put_hdr(fg_t *g, uint64_t at, uint32_t type, uint64_t sector)
{
    uint8_t h[16] = {0};
    for (int i = 0; i < 4; i++)
        h[i] = (uint8_t)(type >> (8 * i));
    for (int i = 0; i < 8; i++)
        h[8 + i] = (uint8_t)(sector >> (8 * i));
    fg_poke(g, at, h, 16);
}

/* Submits header + one data buffer + status as three descriptors from desc 0; returns the
 * status byte (0xee if the device did not write it) and the used length. */
static uint8_t submit(fg_t *g, uint32_t type, uint64_t sector, uint64_t data, uint32_t len,
                      uint32_t *used_len)
{
    uint8_t st = 0xee;
    fg_poke(g, STATUS, &st, 1);
    put_hdr(g, HDR, type, sector);
    bool dev_writes = type == T_IN || type == T_GET_ID;
    uint16_t used = fg_used_idx(g, &q);
    if (len) {
        fg_set_desc(g, &q, 0, HDR, 16, F_NEXT, 1);
        fg_set_desc(g, &q, 1, data, len, (uint16_t)(F_NEXT | (dev_writes ? F_WRITE : 0)), 2);
        fg_set_desc(g, &q, 2, STATUS, 1, F_WRITE, 0);
    } else {
        fg_set_desc(g, &q, 0, HDR, 16, F_NEXT, 2);
        fg_set_desc(g, &q, 2, STATUS, 1, F_WRITE, 0);
    }
    fg_publish(g, &q, 0);
    fg_notify(g, &q);
    uint32_t id = 0xffff, ul = 0xffff;
    if (fg_used_idx(g, &q) == (uint16_t)(used + 1)) fg_used_elem(g, &q, used, &id, &ul);
    CHECK_EQ(id, 0);
    if (used_len) *used_len = ul;
    fg_peek(g, STATUS, &st, 1);
    return st;
}

static void test_read_write(void)
{
    TEST_CASE("read and write");
    fg_t *g = boot();
    uint8_t buf[4096], back[4096];
    for (unsigned i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)(i ^ 0x5a);
    fg_poke(g, DATA, buf, sizeof buf);
    uint32_t ul;
    CHECK_EQ(submit(g, T_OUT, 8, DATA, 4096, &ul), S_OK);
    CHECK_EQ(ul, 1);
    CHECK(memcmp(disk.bytes + 8 * 512, buf, 4096) == 0);
    memset(back, 0, sizeof back);
    fg_poke(g, DATA + 0x2000, back, sizeof back);
    CHECK_EQ(submit(g, T_IN, 8, DATA + 0x2000, 4096, &ul), S_OK);
    CHECK_EQ(ul, 4097);
    fg_peek(g, DATA + 0x2000, back, sizeof back);
    CHECK(memcmp(back, buf, 4096) == 0);
    /* The last sector is readable; one past it is not. */
    CHECK_EQ(submit(g, T_IN, DISK_SECTORS - 1, DATA, 512, NULL), S_OK);
    CHECK_EQ(g->logs, 0);
    CHECK_EQ(blk.stats.reads, 2);
    CHECK_EQ(blk.stats.writes, 1);

    TEST_CASE("a read split over many descriptors, data sharing the status descriptor");
    /* 3 x 512 bytes of data in three descriptors, the last one also holding the status. */
    put_hdr(g, HDR, T_IN, 0);
    fg_set_desc(g, &q, 5, HDR, 16, F_NEXT, 6);
    fg_set_desc(g, &q, 6, DATA, 512, F_NEXT | F_WRITE, 7);
    fg_set_desc(g, &q, 7, DATA + 0x1000, 512, F_NEXT | F_WRITE, 8);
    fg_set_desc(g, &q, 8, DATA + 0x3000, 513, F_WRITE, 0);
    uint16_t used = fg_used_idx(g, &q);
    fg_publish(g, &q, 5);
    fg_notify(g, &q);
    CHECK_EQ(fg_used_idx(g, &q), (uint16_t)(used + 1));
    fg_peek(g, DATA + 0x1000, back, 512);
    CHECK(memcmp(back, disk.bytes + 512, 512) == 0);
    fg_peek(g, DATA + 0x3000, back, 513);
    CHECK(memcmp(back, disk.bytes + 1024, 512) == 0);
    CHECK_EQ(back[512], S_OK);
    fg_free(g);
}

static void test_flush_id_discard(void)
{
    TEST_CASE("flush, get-id, discard, write-zeroes");
    fg_t *g = boot();
    CHECK_EQ(submit(g, T_FLUSH, 0, 0, 0, NULL), S_OK);
    CHECK_EQ(disk.flushes, 1);
    uint8_t id[20];
    uint32_t ul;
    CHECK_EQ(submit(g, T_GET_ID, 0, DATA, 20, &ul), S_OK);
    CHECK_EQ(ul, 21);
    fg_peek(g, DATA, id, 20);
    CHECK(memcmp(id, "tabvm-test-serial-01", 20) == 0);

    uint8_t seg[16] = {0};
    seg[0] = 16; /* sector 16 */
    seg[8] = 8;  /* 8 sectors */
    fg_poke(g, DATA, seg, 16);
    CHECK_EQ(submit(g, T_WRITE_ZEROES, 0, DATA, 16, NULL), S_OK);
    CHECK_EQ(disk.zeroes, 1);
    CHECK(disk.bytes[16 * 512] == 0 && disk.bytes[24 * 512 - 1] == 0);
    CHECK(disk.bytes[24 * 512] != 0 || disk.bytes[24 * 512 + 1] != 0);
    CHECK_EQ(submit(g, T_DISCARD, 0, DATA, 16, NULL), S_OK);
    CHECK_EQ(disk.discards, 1);

    TEST_CASE("discard: flags, ranges and segment counts");
    seg[12] = 1; /* UNMAP is meaningless for discard */
    fg_poke(g, DATA, seg, 16);
    CHECK_EQ(submit(g, T_DISCARD, 0, DATA, 16, NULL), S_UNSUPP);
    CHECK_EQ(submit(g, T_WRITE_ZEROES, 0, DATA, 16, NULL), S_OK); /* for write-zeroes it is fine */
    seg[12] = 0;
    seg[0] = 0xff; /* sector 255 + 8 sectors: past the end */
    fg_poke(g, DATA, seg, 16);
    CHECK_EQ(submit(g, T_DISCARD, 0, DATA, 16, NULL), S_IOERR);
    CHECK_EQ(submit(g, T_DISCARD, 0, DATA, 32, NULL), S_IOERR); /* two ranges: more than 1 */
    CHECK_EQ(submit(g, T_DISCARD, 0, DATA, 8, NULL), S_IOERR);  /* a partial range */
    CHECK_EQ(disk.discards, 1);
    fg_free(g);
}

static void test_bad_requests(void)
{
    TEST_CASE("past the end, unaligned, too long, unknown type");
    fg_t *g = boot();
    unsigned calls = disk.calls;
    CHECK_EQ(submit(g, T_IN, DISK_SECTORS, DATA, 512, NULL), S_IOERR);
    CHECK_EQ(submit(g, T_IN, DISK_SECTORS - 1, DATA, 1024, NULL), S_IOERR);
    CHECK_EQ(submit(g, T_OUT, UINT64_MAX, DATA, 512, NULL), S_IOERR);        /* sector wraps */
    CHECK_EQ(submit(g, T_OUT, UINT64_MAX / 512, DATA, 4096, NULL), S_IOERR); /* offset wraps */
    CHECK_EQ(submit(g, T_IN, 0, DATA, 100, NULL), S_IOERR);                  /* not 512-aligned */
    CHECK_EQ(submit(g, 99, 0, DATA, 512, NULL), S_UNSUPP);
    CHECK_EQ(disk.calls, calls); /* none of them reached the disk */
    unsigned logs = g->logs;
    CHECK(logs >= 3);
    CHECK_EQ(submit(g, T_IN, DISK_SECTORS, DATA, 512, NULL), S_IOERR);
    CHECK_EQ(g->logs, logs); /* each kind is logged once */

    TEST_CASE("a header shorter than 16 bytes");
    fg_set_desc(g, &q, 0, HDR, 8, F_NEXT, 2);
    fg_set_desc(g, &q, 2, STATUS, 1, F_WRITE, 0);
    uint16_t used = fg_used_idx(g, &q);
    fg_publish(g, &q, 0);
    fg_notify(g, &q);
    CHECK_EQ(fg_used_idx(g, &q), (uint16_t)(used + 1));
    uint8_t st;
    fg_peek(g, STATUS, &st, 1);
    CHECK_EQ(st, S_IOERR);

    TEST_CASE("no status byte: the buffer comes back untouched");
    put_hdr(g, HDR, T_IN, 0);
    fg_set_desc(g, &q, 0, HDR, 16, 0, 0);
    used = fg_used_idx(g, &q);
    fg_publish(g, &q, 0);
    fg_notify(g, &q);
    CHECK_EQ(fg_used_idx(g, &q), (uint16_t)(used + 1));
    uint32_t id, len;
    fg_used_elem(g, &q, used, &id, &len);
    CHECK_EQ(len, 0);

    TEST_CASE("a status buffer or data outside RAM");
    put_hdr(g, HDR, T_IN, 0);
    fg_set_desc(g, &q, 0, HDR, 16, F_NEXT, 2);
    fg_set_desc(g, &q, 2, FG_RAM_BASE + RAM_SIZE, 1, F_WRITE, 0);
    used = fg_used_idx(g, &q);
    fg_publish(g, &q, 0);
    fg_notify(g, &q);
    CHECK_EQ(fg_used_idx(g, &q), (uint16_t)(used + 1));
    fg_set_desc(g, &q, 0, HDR, 16, F_NEXT, 1);
    fg_set_desc(g, &q, 1, FG_RAM_BASE + RAM_SIZE - 512, 4096, F_NEXT | F_WRITE, 2);
    fg_set_desc(g, &q, 2, STATUS, 1, F_WRITE, 0);
    fg_publish(g, &q, 0);
    fg_notify(g, &q);
    CHECK_EQ(fg_used_idx(g, &q), (uint16_t)(used + 2));
    CHECK_EQ(disk.calls, calls);

    TEST_CASE("requests still work afterwards");
    CHECK_EQ(submit(g, T_IN, 0, DATA, 512, NULL), S_OK);
    fg_free(g);

    TEST_CASE("a request longer than the device's limit (8 MiB)");
    ram_size = 32u << 20;
    g = boot();
    calls = disk.calls;
    CHECK_EQ(submit(g, T_IN, 0, FG_RAM_BASE + (1u << 20), (8u << 20) + 512, NULL), S_IOERR);
    CHECK_EQ(disk.calls, calls);
    fg_free(g);
    ram_size = RAM_SIZE;
}

static void test_read_only(void)
{
    TEST_CASE("read-only disk");
    uint64_t want = 1ull << VIRTIO_F_VERSION_1 | 1ull << F_RO | 1ull << F_FLUSH;
    fg_t *g = boot_opts(true, true, want, DISK_SECTORS);
    fg_wr(g, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    CHECK(fg_rd(g, VIRTIO_MMIO_DEVICE_FEATURES) & 1u << F_RO);
    uint8_t before[512];
    memcpy(before, disk.bytes, 512);
    CHECK_EQ(submit(g, T_OUT, 0, DATA, 512, NULL), S_IOERR);
    CHECK_EQ(submit(g, T_WRITE_ZEROES, 0, DATA, 16, NULL), S_IOERR);
    CHECK_EQ(submit(g, T_DISCARD, 0, DATA, 16, NULL), S_IOERR);
    CHECK(memcmp(before, disk.bytes, 512) == 0);
    CHECK_EQ(submit(g, T_IN, 0, DATA, 512, NULL), S_OK);
    CHECK_EQ(g->logs, 1);
    fg_free(g);
}

static void test_pending_and_errors(void)
{
    TEST_CASE("a backend that is not ready holds the queue, then resumes in order");
    fg_t *g = boot();
    disk.pending_left = 2;
    uint8_t buf[512];
    memset(buf, 0x42, sizeof buf);
    fg_poke(g, DATA, buf, sizeof buf);
    put_hdr(g, HDR, T_OUT, 3);
    fg_set_desc(g, &q, 0, HDR, 16, F_NEXT, 1);
    fg_set_desc(g, &q, 1, DATA, 512, F_NEXT, 2);
    fg_set_desc(g, &q, 2, STATUS, 1, F_WRITE, 0);
    put_hdr(g, HDR + 64, T_FLUSH, 0);
    fg_set_desc(g, &q, 3, HDR + 64, 16, F_NEXT, 4);
    fg_set_desc(g, &q, 4, STATUS + 64, 1, F_WRITE, 0);
    fg_publish(g, &q, 0);
    fg_publish(g, &q, 3);
    fg_notify(g, &q);
    CHECK_EQ(g->poll_ret, 1);
    CHECK_EQ(fg_used_idx(g, &q), 0);
    fg_wake(g); /* the backend became ready: the host polls again */
    CHECK_EQ(g->poll_ret, 1);
    fg_wake(g);
    CHECK_EQ(g->poll_ret, 0);
    CHECK_EQ(fg_used_idx(g, &q), 2);
    uint32_t id, len;
    fg_used_elem(g, &q, 0, &id, &len);
    CHECK_EQ(id, 0);
    fg_used_elem(g, &q, 1, &id, &len);
    CHECK_EQ(id, 3);
    CHECK_EQ(disk.flushes, 1);
    CHECK(memcmp(disk.bytes + 3 * 512, buf, 512) == 0);
    CHECK_EQ(blk.stats.batches, 1); /* both completed together: one interrupt */

    TEST_CASE("a backend error is an I/O error to the guest");
    disk.fail = 1;
    CHECK_EQ(submit(g, T_IN, 0, DATA, 512, NULL), S_IOERR);
    CHECK_EQ(submit(g, T_FLUSH, 0, 0, 0, NULL), S_IOERR);
    disk.fail = 0;
    CHECK_EQ(submit(g, T_IN, 0, DATA, 512, NULL), S_OK);

    TEST_CASE("a reset drops the pending request");
    disk.pending_left = 1;
    put_hdr(g, HDR, T_FLUSH, 0);
    fg_set_desc(g, &q, 0, HDR, 16, F_NEXT, 2);
    fg_publish(g, &q, 0);
    fg_notify(g, &q);
    CHECK(blk.pending);
    fg_wr(g, VIRTIO_MMIO_STATUS, 0);
    CHECK(!blk.pending);
    fg_free(g);
}

static void test_event_idx(void)
{
    TEST_CASE("EVENT_IDX: interrupts only when the driver asked, notifications re-armed");
    uint64_t want = 1ull << VIRTIO_F_VERSION_1 | 1ull << F_FLUSH | 1ull << F_EVENT_IDX;
    fg_t *g = boot_opts(false, false, want, DISK_SECTORS);
    CHECK(blk.dev.event_idx);
    uint64_t used_event = q.avail + 4 + 2ull * q.num;
    uint64_t avail_event = q.used + 4 + 8ull * q.num;
    fg_w16(g, used_event, 5); /* interrupt when used idx passes 5 */
    unsigned irqs = g->irqs;
    for (int i = 0; i < 5; i++)
        CHECK_EQ(submit(g, T_IN, 0, DATA, 512, NULL), S_OK);
    CHECK_EQ(g->irqs, irqs);
    CHECK_EQ(submit(g, T_IN, 0, DATA, 512, NULL), S_OK); /* used idx 5 -> 6 */
    CHECK_EQ(g->irqs, irqs + 1);
    /* Having found the queue empty, the device asks for the next notification. */
    CHECK_EQ(fg_r16(g, avail_event), 6);
    fg_free(g);

    TEST_CASE("without EVENT_IDX: NO_INTERRUPT is honoured");
    g = boot();
    CHECK(!blk.dev.event_idx);
    fg_w16(g, q.avail, VIRTQ_AVAIL_F_NO_INTERRUPT);
    irqs = g->irqs;
    CHECK_EQ(submit(g, T_IN, 0, DATA, 512, NULL), S_OK);
    CHECK_EQ(g->irqs, irqs);
    fg_free(g);
}

static void test_media(void)
{
    TEST_CASE("an empty drive, a medium inserted and removed");
    fg_t *g = boot_opts(false, false, 1ull << VIRTIO_F_VERSION_1 | 1ull << F_FLUSH, 0);
    CHECK_EQ(submit(g, T_IN, 0, DATA, 512, NULL), S_IOERR);
    CHECK_EQ(submit(g, T_FLUSH, 0, 0, 0, NULL), S_IOERR);
    unsigned gen = fg_rd(g, VIRTIO_MMIO_CONFIG_GENERATION);
    g->irqs = 0;
    blk_media_t m = {.sectors = 128};
    vblk_set_media(&blk, &m);
    CHECK_EQ(g->irqs, 1);
    CHECK(fg_rd(g, VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_INT_CONFIG);
    CHECK(fg_rd(g, VIRTIO_MMIO_CONFIG_GENERATION) != gen);
    CHECK_EQ(fg_rd(g, VIRTIO_MMIO_CONFIG), 128);
    CHECK_EQ(submit(g, T_IN, 127, DATA, 512, NULL), S_OK);
    CHECK_EQ(submit(g, T_IN, 128, DATA, 512, NULL), S_IOERR);

    TEST_CASE("a read-only medium in a writable slot fails writes");
    m.read_only = true;
    vblk_set_media(&blk, &m);
    CHECK_EQ(submit(g, T_OUT, 0, DATA, 512, NULL), S_IOERR);

    TEST_CASE("removing the medium fails a pending request");
    m = (blk_media_t){.sectors = 128};
    vblk_set_media(&blk, &m);
    disk.pending_left = 5;
    put_hdr(g, HDR, T_FLUSH, 0);
    fg_set_desc(g, &q, 0, HDR, 16, F_NEXT, 2);
    fg_set_desc(g, &q, 2, STATUS, 1, F_WRITE, 0);
    uint16_t used = fg_used_idx(g, &q);
    fg_publish(g, &q, 0);
    fg_notify(g, &q);
    CHECK(blk.pending);
    m.sectors = 0;
    vblk_set_media(&blk, &m);
    CHECK(!blk.pending);
    CHECK_EQ(fg_used_idx(g, &q), (uint16_t)(used + 1));
    uint8_t st;
    fg_peek(g, STATUS, &st, 1);
    CHECK_EQ(st, S_IOERR);
    fg_free(g);
}

/* Random chains and headers: the device must survive all of them (the fake RAM and disk abort
 * on any access outside them) and complete every chain whose head is valid. */
static void test_fuzz(void)
{
    TEST_CASE("fuzz");
    fg_t *g = boot_opts(false, false, ~0ull, DISK_SECTORS);
    uint32_t seed = 12345;
#define RND() (seed = seed * 1103515245u + 12345u, seed >> 8)
    for (int round = 0; round < 20000; round++) {
        unsigned n = 1 + RND() % 5;
        for (unsigned i = 0; i < n; i++) {
            uint64_t addr = FG_RAM_BASE + RND() % (RAM_SIZE + 8192) - 4096;
            if (addr >= Q_BASE && addr < Q_BASE + 0x3000) addr += 0x3000; /* spare the rings */
            if (RND() % 4 == 0) addr = DATA + (RND() % 64) * 512;
            uint32_t len = RND() % 3 == 0 ? RND() : RND() % 9000;
            uint16_t flags = (uint16_t)((i + 1 < n ? F_NEXT : 0) | (RND() % 2 ? F_WRITE : 0));
            fg_set_desc(g, &q, 10 + i, addr, len, flags, (uint16_t)(10 + i + 1));
        }
        uint8_t h[16];
        for (int i = 0; i < 16; i++)
            h[i] = (uint8_t)RND();
        h[0] = (uint8_t)(RND() % 16);
        h[1] = h[2] = h[3] = 0;
        if (RND() % 2) h[9] = h[10] = h[11] = h[12] = h[13] = h[14] = h[15] = 0;
        fg_poke(g, HDR, h, 16);
        fg_set_desc(g, &q, 10, HDR, 16, F_NEXT, 11);
        disk.pending_left = RND() % 8 == 0;
        fg_publish(g, &q, 10);
        fg_notify(g, &q);
        while (blk.pending)
            fg_wake(g);
    }
    CHECK_EQ(fg_used_idx(g, &q), q.avail_idx);
    CHECK_EQ(submit(g, T_IN, 0, DATA, 512, NULL), S_OK);
    fg_free(g);
}

int main(void)
{
    test_read_write();
    test_flush_id_discard();
    test_bad_requests();
    test_read_only();
    test_pending_and_errors();
    test_event_idx();
    test_media();
    test_fuzz();
    return test_report();
}
