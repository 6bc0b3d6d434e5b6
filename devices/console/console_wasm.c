/* Wasm entry points of the virtio-console module, run in its own worker. Guest RAM, the device
 * block and the byte rings live in the CPU module's shared memory; the worker's JavaScript
 * reaches them for this module through the imports below (docs/rings.md). */
#include "../virtio/vdev_wasm.h"
#include "virtio_console.h"

IMPORT(out_write) uint32_t out_write(const uint8_t *buf, uint32_t len);
IMPORT(in_read) uint32_t in_read(uint8_t *buf, uint32_t max);
IMPORT(in_avail) uint32_t in_avail(void);

static uint32_t c_out(void *o, const uint8_t *b, uint32_t n) { return out_write(b, n); }
static uint32_t c_in(void *o, uint8_t *b, uint32_t n) { return in_read(b, n); }
static uint32_t c_avail(void *o) { return in_avail(); }

static const con_io_t io = {.out_write = c_out, .in_read = c_in, .in_avail = c_avail};
static vcon_t con;

EXPORT(con_init)
void con_init(uint32_t ram_base_lo, uint32_t ram_base_hi, uint32_t ram_mib, uint32_t cols,
              uint32_t rows)
{
    vcon_init(&con, vdev_wasm_host(ram_base_lo, ram_base_hi, ram_mib), &io, (uint16_t)cols,
              (uint16_t)rows);
}

EXPORT(con_poll) int con_poll(void) { return vcon_poll(&con); }
