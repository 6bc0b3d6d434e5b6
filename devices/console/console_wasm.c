/* Wasm entry points of the virtio-console module, run in its own worker. Guest RAM, the device
 * block and the byte rings live in the CPU module's shared memory; the worker's JavaScript
 * reaches them for this module through the imports below (docs/rings.md). */
#include "virtio_console.h"

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
IMPORT(out_write) uint32_t out_write(const uint8_t *buf, uint32_t len);
IMPORT(in_read) uint32_t in_read(uint8_t *buf, uint32_t max);
IMPORT(in_avail) uint32_t in_avail(void);

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
static uint32_t c_out(void *o, const uint8_t *b, uint32_t n) { return out_write(b, n); }
static uint32_t c_in(void *o, uint8_t *b, uint32_t n) { return in_read(b, n); }
static uint32_t c_avail(void *o) { return in_avail(); }

static vdev_host_t host;
static const con_io_t io = {.out_write = c_out, .in_read = c_in, .in_avail = c_avail};
static vcon_t con;

EXPORT(con_init)
void con_init(uint32_t ram_base_lo, uint32_t ram_base_hi, uint32_t ram_mib, uint32_t cols,
              uint32_t rows)
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
    vcon_init(&con, &host, &io, (uint16_t)cols, (uint16_t)rows);
}

EXPORT(con_poll) int con_poll(void) { return vcon_poll(&con); }
