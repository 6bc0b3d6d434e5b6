/* fuzz_virtio.c - libFuzzer target: the virtio-mmio transport with the console, the block, the
 * entropy or the network device behind it, driven by a guest that does anything the input says:
 * register reads and writes at any offset and size, RAM filled with any bytes (descriptors, rings,
 * requests), queues set up with any size, notifications, host input and a disk that answers PENDING
 * or fails. The fake machine (devices/tests/fake_guest.c) aborts the moment a device touches memory
 * outside guest RAM or outside its own block; ASan/UBSan catch the rest. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../blk/virtio_blk.h"
#include "../net/virtio_net.h"
#include "../rng/virtio_rng.h"
#include "../tests/fake_guest.h"

#define RAM_SIZE (64u << 10)
#define DISK_BYTES (64u << 10)

/* The input, read front to back; past its end every read gives zeros. */
typedef struct input {
    const uint8_t *p;
    size_t left;
} input_t;
static uint64_t take(input_t *in, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; i++) {
        v |= (uint64_t)(in->left ? *in->p : 0) << (8 * i);
        if (in->left) in->p++, in->left--;
    }
    return v;
}

static struct {
    uint8_t bytes[DISK_BYTES];
    unsigned pending; /* answer PENDING this many more times */
    int fail;
} disk;
static vblk_t blk;

static int check(uint64_t off, uint64_t len)
{
    if (off > DISK_BYTES || len > DISK_BYTES - off) __builtin_trap(); /* the device checked it */
    if (disk.fail) return BLK_IO_ERR;
    if (disk.pending) return disk.pending--, BLK_IO_PENDING;
    return BLK_IO_OK;
}
static fg_t *guest;
static int d_read(void *o, uint64_t off, uint64_t gpa, uint32_t len)
{
    int r = check(off, len);
    if (r == BLK_IO_OK) fg_poke(guest, gpa, disk.bytes + off, len);
    return r;
}
static int d_write(void *o, uint64_t off, uint64_t gpa, uint32_t len)
{
    int r = check(off, len);
    if (r == BLK_IO_OK) fg_peek(guest, gpa, disk.bytes + off, len);
    return r;
}
static int d_flush(void *o) { return check(0, 0); }
static int d_discard(void *o, uint64_t off, uint64_t len, bool zeroes)
{
    int r = check(off, len);
    if (r == BLK_IO_OK) memset(disk.bytes + off, 0, len);
    return r;
}
static int poll_blk(fg_t *g) { return vblk_poll(&blk); }
static vrng_t rng;
static void entropy(void *o, uint8_t *buf, uint32_t len) { memset(buf, 0x5a, len); }
static int poll_rng(fg_t *g)
{
    vrng_poll(&rng);
    return 0;
}

/* The network card's link: frames the input makes arrive, room and carrier come and go. */
static vnet_t net;
static struct {
    uint8_t frame[2048];
    uint32_t len; /* 0: nothing waiting */
    bool room, up;
} wire;
static bool n_room(void *o, uint32_t len) { return wire.room; }
static void n_tx(void *o, const uint8_t *f, uint32_t len)
{
    if (len > VNET_MAX_FRAME || len < VNET_MIN_FRAME) __builtin_trap(); /* the device checked it */
}
static uint32_t n_peek(void *o) { return wire.len; }
static uint32_t n_take(void *o, uint8_t *buf, uint32_t max)
{
    if (!wire.len) __builtin_trap(); /* taken without a peek saying there is one */
    uint32_t len = wire.len;
    memcpy(buf, wire.frame, len < max ? len : max);
    wire.len = 0;
    return len;
}
static bool n_up(void *o) { return wire.up; }
static const vnet_link_t wire_link = {n_room, n_tx, n_peek, n_take, n_up};
static int poll_net(fg_t *g)
{
    vnet_poll(&net);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    input_t in = {data, size};
    fg_t *g = guest = fg_new(RAM_SIZE);
    /* 0 console, 1 blk, 2 rng, 3 net (first byte 0xf0 and up: the older corpus keeps its meaning)
     */
    unsigned sel = (unsigned)take(&in, 1), device = sel >= 0xf0 ? 3 : sel % 3;
    if (device == 3) {
        static const uint8_t mac[6] = {0x52, 0x54, 0, 1, 2, 3};
        memset(&wire, 0, sizeof wire);
        wire.room = wire.up = true;
        g->device_poll = poll_net;
        vnet_init(&net, &g->host, &wire_link, NULL, mac);
    } else if (device == 2) {
        g->device_poll = poll_rng;
        vrng_init(&rng, &g->host, entropy, NULL);
    } else if (device) {
        memset(&disk, 0, sizeof disk);
        blk_backend_t be = {
            .read = d_read, .write = d_write, .flush = d_flush, .discard = d_discard};
        blk_media_t m = {.sectors = take(&in, 1) & 1 ? DISK_BYTES / 512 : 0,
                         .read_only = take(&in, 1) & 1};
        g->device_poll = poll_blk;
        vblk_init(&blk, &g->host, &be, &m, m.read_only);
    } else {
        fg_device_start(g, 80, 24);
    }
    fg_queue_t q[2];
    memset(q, 0, sizeof q);
    for (unsigned steps = 0; in.left && steps < 256; steps++) {
        switch (take(&in, 1) % 10) {
        case 0: { /* a register write, any offset and size */
            uint64_t off = take(&in, 2) % 0x200, v = take(&in, 4);
            virtio_mmio_write(&g->t, off, 1u << (take(&in, 1) % 4), v);
            break;
        }
        case 1: { /* a register read */
            uint64_t v, off = take(&in, 2) % 0x200;
            virtio_mmio_read(&g->t, off, 1u << (take(&in, 1) % 4), &v);
            break;
        }
        case 2: { /* the driver writes RAM */
            uint64_t at = take(&in, 2) % RAM_SIZE, len = take(&in, 1);
            if (len > in.left) len = in.left;
            if (len > RAM_SIZE - at) len = RAM_SIZE - at;
            fg_poke(g, FG_RAM_BASE + at, in.p, len);
            in.p += len, in.left -= len;
            break;
        }
        case 3: /* the whole driver start: features, two queues, DRIVER_OK */
            fg_driver_negotiate(g, take(&in, 8));
            for (unsigned i = 0; i < 2; i++) {
                uint16_t num = (uint16_t)(1u << (take(&in, 1) % 9)); /* 1..256 */
                fg_queue_layout(&q[i], i, num, FG_RAM_BASE + i * 0x6000);
                fg_queue_setup(g, &q[i]);
            }
            fg_driver_ok(g);
            break;
        case 4: { /* a descriptor, published */
            fg_queue_t *qq = &q[take(&in, 1) & 1];
            if (!qq->num) break;
            unsigned i = (unsigned)(take(&in, 1) % qq->num);
            uint64_t addr = FG_RAM_BASE + take(&in, 2) * (take(&in, 1) & 1 ? 1 : 16) - 0x100;
            fg_set_desc(g, qq, i, addr, (uint32_t)take(&in, 3), (uint16_t)(take(&in, 1) & 7),
                        (uint16_t)take(&in, 1));
            if (take(&in, 1) & 1) fg_publish(g, qq, (uint16_t)i);
            break;
        }
        case 5: /* QueueNotify, any index */
            virtio_mmio_write(&g->t, 0x50, 4, take(&in, 1) % 4);
            break;
        case 6: /* the device runs again (a host wake) */ fg_wake(g); break;
        case 7: { /* terminal input, or a resize */
            uint8_t buf[64];
            unsigned n = (unsigned)take(&in, 1) % sizeof buf;
            for (unsigned i = 0; i < n; i++)
                buf[i] = (uint8_t)take(&in, 1);
            if (device == 0) fg_input(g, buf, n);
            if (device == 0 && (take(&in, 1) & 1)) fg_resize(g, take(&in, 2), take(&in, 2));
            if (device == 3) { /* a frame arrives (any length), the link's room and carrier */
                wire.len = (uint32_t)take(&in, 2) % sizeof wire.frame;
                for (unsigned i = 0; i < n; i++)
                    wire.frame[i] = buf[i];
                wire.frame[12] = 0x08, wire.frame[13] = 0, wire.frame[14] = 0x45;
                wire.room = take(&in, 1) & 1;
                wire.up = take(&in, 1) % 4 != 0;
            }
            break;
        }
        case 8: /* the disk is slow or failing for a while */
            disk.pending = (unsigned)take(&in, 1) % 4;
            disk.fail = take(&in, 1) % 8 == 0;
            break;
        case 9: { /* the medium changes (a disk attached, detached or resized) */
            if (device != 1) break;
            blk_media_t m = {.sectors = (take(&in, 2) % (DISK_BYTES / 512 + 1)),
                             .read_only = take(&in, 1) & 1};
            vblk_set_media(&blk, &m);
            break;
        }
        }
    }
    /* Whatever was left pending completes, or stays pending, without touching anything else. */
    disk.pending = 0;
    for (int i = 0; i < 4; i++)
        fg_wake(g);
    fg_free(g);
    return 0;
}
