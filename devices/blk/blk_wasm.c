/* Wasm entry points of the virtio-blk module, one instance per disk in its own worker. Guest
 * RAM and the device block live in the CPU module's shared memory; the worker's JavaScript
 * reaches them, and the disk, through the imports below, checking every guest range again. */
#include "../virtio/vdev_wasm.h"
#include "virtio_blk.h"

/* Disk offsets and guest addresses are passed as doubles: exact below 2^53, and JavaScript
 * receives them as plain numbers. */
IMPORT(disk_read) int disk_read(double off, double gpa, uint32_t len);
IMPORT(disk_write) int disk_write(double off, double gpa, uint32_t len);
IMPORT(disk_flush) int disk_flush(void);
IMPORT(disk_discard) int disk_discard(double off, double len, int zeroes);

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
    set_sectors(sectors_lo, sectors_hi, read_only);
    vblk_init(&blk, vdev_wasm_host(ram_base_lo, ram_base_hi, ram_mib), &backend, &media,
              ro_feature != 0);
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
