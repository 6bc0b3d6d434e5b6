/* Wasm entry points of the virtio-blk module, one instance per disk in its own worker. Guest
 * RAM and the device block live in the CPU module's shared memory; the worker's JavaScript
 * reaches them, and the disk, through the imports below, checking every guest range again. */
#include "virtio_blk.h"

#define EXPORT(name) __attribute__((used, export_name(#name)))
#define IMPORT(name) __attribute__((import_module("env"), import_name(#name)))

IMPORT(vreg_load) uint32_t vreg_load(uint32_t word);
IMPORT(vreg_store) void vreg_store(uint32_t word, uint32_t v);
IMPORT(vreg_or) uint32_t vreg_or(uint32_t word, uint32_t v);
IMPORT(vreg_xchg) uint32_t vreg_xchg(uint32_t word, uint32_t v);
IMPORT(ram_read) void ram_read(uint32_t gpa_lo, uint32_t gpa_hi, void *dst, uint32_t len);
IMPORT(ram_write) void ram_write(uint32_t gpa_lo, uint32_t gpa_hi, const void *src, uint32_t len);
IMPORT(raise_irq) void raise_irq(void);
IMPORT(dev_log) void dev_log(const char *msg);
/* Disk offsets and guest addresses are passed as doubles: exact below 2^53, and JavaScript
 * receives them as plain numbers. */
IMPORT(disk_read) int disk_read(double off, double gpa, uint32_t len);
IMPORT(disk_write) int disk_write(double off, double gpa, uint32_t len);
IMPORT(disk_flush) int disk_flush(void);
IMPORT(disk_discard) int disk_discard(double off, double len, int zeroes);

static uint32_t h_load(void *o, unsigned w) { return vreg_load(w); }
static void h_store(void *o, unsigned w, uint32_t v) { vreg_store(w, v); }
static uint32_t h_or(void *o, unsigned w, uint32_t v) { return vreg_or(w, v); }
static uint32_t h_xchg(void *o, unsigned w, uint32_t v) { return vreg_xchg(w, v); }
static void h_read(void *o, uint64_t gpa, void *dst, uint32_t len)
{
    ram_read((uint32_t)gpa, (uint32_t)(gpa >> 32), dst, len);
}
static void h_write(void *o, uint64_t gpa, const void *src, uint32_t len)
{
    ram_write((uint32_t)gpa, (uint32_t)(gpa >> 32), src, len);
}
static void h_irq(void *o) { raise_irq(); }
static void h_log(void *o, const char *msg) { dev_log(msg); }
static int b_read(void *o, uint64_t off, uint64_t gpa, uint32_t len)
{
    return disk_read((double)off, (double)gpa, len);
}
static int b_write(void *o, uint64_t off, uint64_t gpa, uint32_t len)
{
    return disk_write((double)off, (double)gpa, len);
}
static int b_flush(void *o) { return disk_flush(); }
static int b_discard(void *o, uint64_t off, uint64_t len, bool zeroes)
{
    return disk_discard((double)off, (double)len, zeroes);
}

static vdev_host_t host;
static const blk_backend_t backend = {
    .read = b_read, .write = b_write, .flush = b_flush, .discard = b_discard};
static vblk_t blk;
static blk_media_t media;

/* The serial is written here by the worker before blk_init or blk_set_media. */
EXPORT(blk_serial_buf) char *blk_serial_buf(void) { return media.serial; }

static void set_sectors(uint32_t lo, uint32_t hi, int read_only)
{
    media.sectors = lo | (uint64_t)hi << 32;
    media.read_only = read_only != 0;
}

EXPORT(blk_init)
void blk_init(uint32_t ram_base_lo, uint32_t ram_base_hi, uint32_t ram_mib, uint32_t sectors_lo,
              uint32_t sectors_hi, int read_only, int ro_feature)
{
    host = (vdev_host_t){
        .ram_base = ram_base_lo | (uint64_t)ram_base_hi << 32,
        .ram_size = (uint64_t)ram_mib << 20,
        .reg_load = h_load,
        .reg_store = h_store,
        .reg_or = h_or,
        .reg_xchg = h_xchg,
        .ram_read = h_read,
        .ram_write = h_write,
        .raise_irq = h_irq,
        .log = h_log,
    };
    set_sectors(sectors_lo, sectors_hi, read_only);
    vblk_init(&blk, &host, &backend, &media, ro_feature != 0);
}

EXPORT(blk_set_media) void blk_set_media(uint32_t sectors_lo, uint32_t sectors_hi, int read_only)
{
    set_sectors(sectors_lo, sectors_hi, read_only);
    vblk_set_media(&blk, &media);
}

EXPORT(blk_poll) int blk_poll(void) { return vblk_poll(&blk); }

/* Counters, in the order of blk_stats_t, as doubles the worker reads with one call each. */
EXPORT(blk_stat) double blk_stat(uint32_t i)
{
    const uint64_t *s = &blk.stats.reads;
    return i < sizeof blk.stats / sizeof *s ? (double)s[i] : 0;
}
