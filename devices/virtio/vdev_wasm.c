/* vdev_host_t over the device worker's imports (see vdev_wasm.h). */
#include "vdev_wasm.h"

IMPORT(vreg_load) uint32_t vreg_load(uint32_t word);
IMPORT(vreg_store) void vreg_store(uint32_t word, uint32_t v);
IMPORT(vreg_or) uint32_t vreg_or(uint32_t word, uint32_t v);
IMPORT(vreg_xchg) uint32_t vreg_xchg(uint32_t word, uint32_t v);
IMPORT(ram_read) void ram_read(uint32_t gpa_lo, uint32_t gpa_hi, void *dst, uint32_t len);
IMPORT(ram_write) void ram_write(uint32_t gpa_lo, uint32_t gpa_hi, const void *src, uint32_t len);
IMPORT(raise_irq) void raise_irq(void);
IMPORT(dev_log) void dev_log(const char *msg);

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

static vdev_host_t host;

const vdev_host_t *vdev_wasm_host(uint32_t ram_base_lo, uint32_t ram_base_hi, uint32_t ram_mib)
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
    return &host;
}
