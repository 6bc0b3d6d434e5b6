/* Wasm entry points for a whole machine in the CPU worker: the RISC-V board with its hart,
 * PLIC and virtio-mmio slots, in the module's shared memory together with guest RAM, the
 * device blocks and the console rings that the other workers reach (docs/rings.md). */
#include <stdlib.h>
#include <string.h>

#include "../../shared/tvm_layout.h"
#include "../riscv/rv_virt.h"

#define EXPORT(name) __attribute__((used, export_name(#name)))
#define IMPORT(name) __attribute__((import_module("env"), import_name(#name)))

/* Host functions from the worker's JavaScript. */
IMPORT(host_time_us) double host_time_us(void);
/* The host's wall clock: milliseconds since the Unix epoch, with a fraction. */
IMPORT(host_wall_ms) double host_wall_ms(void);
IMPORT(host_console_putchar) void host_console_putchar(int ch);
IMPORT(host_system_reset) void host_system_reset(uint32_t type, uint32_t reason);
/* Atomics.notify on a word of this module's memory. Wasm's own memory.atomic.notify wakes only
 * blocking waiters in Chromium, not a device worker's Atomics.waitAsync. */
IMPORT(host_notify) void host_notify(uint32_t *word);
/* The JIT's host (shared/jit_host.js): compiles a module and places its function in the table. */
IMPORT(host_jit_compile)
int32_t host_jit_compile(const uint8_t *code, uint32_t len, uint32_t region, uint32_t gen);
IMPORT(host_jit_release) void host_jit_release(int32_t slot);

static rv_cpu_t *cpu;
static rv_virt_t board;
static uint8_t *ram;
static uint64_t ram_size;
static uint32_t machine_block[TVM_M_WORDS];
static uint32_t *virtio_blocks;
static uint32_t *dma_bitmap; /* TVM_DMA_PAGE_SHIFT pages of RAM written by devices */
static unsigned n_virtio;
static rv_virt_config_t config;

static uint64_t time_now(void *opaque)
{
    return (uint64_t)(host_time_us() * (VIRT_TIMEBASE_HZ / 1000000));
}

static uint64_t wall_ns(void *opaque) { return (uint64_t)(host_wall_ms() * 1e6); }

static void wake_device(void *opaque, uint32_t *word) { host_notify(word); }

static void sbi_putchar(void *opaque, int ch) { host_console_putchar(ch); }

/* The UART's host side: two byte rings (docs/rings.md) the page or CLI reads and fills, set by
 * tvm_uart_rings; until then output is dropped and there is no input. */
static uint32_t *uart_out, *uart_in;

static void uart_tx(void *opaque, uint8_t byte)
{
    if (!uart_out) return;
    uint32_t head = uart_out[TVM_RING_HEAD];
    uint32_t tail = __atomic_load_n(&uart_out[TVM_RING_TAIL], __ATOMIC_ACQUIRE);
    uint32_t cap = uart_out[TVM_RING_CAPACITY];
    if (head - tail >= cap) return; /* full: the terminal is not reading; dropped, as on a wire */
    ((uint8_t *)(uart_out + TVM_RING_HEADER_WORDS))[head & (cap - 1)] = byte;
    __atomic_store_n(&uart_out[TVM_RING_HEAD], head + 1, __ATOMIC_RELEASE);
    /* The reader sleeps only on an empty ring: wake it when this byte ended that. */
    if (head == tail) host_notify(&uart_out[TVM_RING_HEAD]);
}
static uint32_t uart_rx_avail(void *opaque)
{
    if (!uart_in) return 0;
    return __atomic_load_n(&uart_in[TVM_RING_HEAD], __ATOMIC_ACQUIRE) - uart_in[TVM_RING_TAIL];
}
static uint8_t uart_rx_take(void *opaque)
{
    uint32_t tail = uart_in[TVM_RING_TAIL], cap = uart_in[TVM_RING_CAPACITY];
    uint8_t b = ((uint8_t *)(uart_in + TVM_RING_HEADER_WORDS))[tail & (cap - 1)];
    __atomic_store_n(&uart_in[TVM_RING_TAIL], tail + 1, __ATOMIC_RELEASE);
    return b;
}

EXPORT(tvm_uart_rings) void tvm_uart_rings(uint32_t *out, uint32_t *in)
{
    uart_out = out;
    uart_in = in;
}
static void sbi_reset(void *opaque, uint32_t type, uint32_t reason)
{
    __atomic_store_n(&machine_block[TVM_M_RESET_TYPE], type, __ATOMIC_SEQ_CST);
    host_system_reset(type, reason);
}

/* Allocates the machine: RAM, hart, device blocks. Returns 0, or -1 if memory ran out. */
EXPORT(tvm_machine_create) int tvm_machine_create(uint32_t ram_mib, uint32_t virtio_slots)
{
    if (virtio_slots > VIRT_VIRTIO_SLOTS || ram_mib < 16) return -1;
    ram_size = (uint64_t)ram_mib << 20;
    ram = aligned_alloc(4096, (size_t)ram_size);
    cpu = aligned_alloc(64, (rv_cpu_size() + 63) & ~63ul);
    n_virtio = virtio_slots;
    virtio_blocks = calloc(virtio_slots ? virtio_slots : 1, TVM_V_WORDS * sizeof(uint32_t));
    dma_bitmap = calloc(((ram_size >> TVM_DMA_PAGE_SHIFT) + 31) / 32, sizeof(uint32_t));
    if (!ram || !cpu || !virtio_blocks || !dma_bitmap) return -1;
    /* No memset: this is the fresh instance's first large allocation, taken from memory the
     * Wasm engine zero-fills, and touching 256 MiB up front costs a fifth of a second. */
    config = (rv_virt_config_t){
        .ram = ram,
        .ram_size = ram_size,
        .machine_block = machine_block,
        .virtio_blocks = virtio_blocks,
        .dma_bitmap = dma_bitmap,
        .n_virtio = n_virtio,
        .wake_device = wake_device,
        .time_now = time_now,
        .wall_ns = wall_ns,
        .uart = {.tx = uart_tx, .rx_avail = uart_rx_avail, .rx_take = uart_rx_take},
        .sbi = {.console_putchar = sbi_putchar, .system_reset = sbi_reset},
    };
    rv_virt_init(&board, cpu, &config);
    return 0;
}

/* Reboot, first half: resets every device, as a driver would. Call tvm_devices_quiet until it
 * returns 1, so no device still writes into the old guest's buffers. */
EXPORT(tvm_devices_reset) void tvm_devices_reset(void)
{
    for (unsigned i = 0; i < n_virtio; i++)
        virtio_mmio_reset(&board.virtio[i]);
}

EXPORT(tvm_devices_quiet) int tvm_devices_quiet(void)
{
    for (unsigned i = 0; i < n_virtio; i++)
        if (!virtio_mmio_reset_done(&board.virtio[i])) return 0;
    return 1;
}

/* Reboot, second half: clears RAM and resets the hart and the board; then load and boot. */
/* ---- the JIT ---------------------------------------------------------------------------- */

static uint32_t jit_threshold; /* kept across reboots */

static int32_t jit_compile(void *opaque, const uint8_t *code, uint32_t len, uint32_t region,
                           uint32_t gen)
{
    return host_jit_compile(code, len, region, gen);
}
static void jit_release(void *opaque, int32_t slot) { host_jit_release(slot); }

/* Hot threshold in block entries; 0 runs the interpreter only. */
EXPORT(tvm_jit) void tvm_jit(uint32_t hot_threshold)
{
    rv_jit_host_t host = {.compile = jit_compile, .release = jit_release};
    jit_threshold = hot_threshold;
    rv_jit_attach(cpu, &host, hot_threshold);
}
/* A background compile finished (shared/jit_host.js). */
EXPORT(tvm_jit_ready) void tvm_jit_ready(uint32_t region, uint32_t gen, int32_t slot)
{
    rv_jit_ready(cpu, region, gen, slot);
}
/* Fills out[] with the rv_jit_stats_t counters, in their order (rv_cpu.h). */
EXPORT(tvm_jit_stats) void tvm_jit_stats(rv_jit_stats_t *out) { rv_jit_get_stats(cpu, out); }

EXPORT(tvm_machine_reset) void tvm_machine_reset(void)
{
    rv_jit_attach(cpu, NULL, 0); /* gives the compiled code's table slots back first */
    memset(ram, 0, (size_t)ram_size);
    rv_virt_init(&board, cpu, &config);
    if (jit_threshold) tvm_jit(jit_threshold);
}

EXPORT(tvm_ram_ptr) uint8_t *tvm_ram_ptr(void) { return ram; }
EXPORT(tvm_machine_block) uint32_t *tvm_machine_block(void) { return machine_block; }
EXPORT(tvm_dma_bitmap) uint32_t *tvm_dma_bitmap(void) { return dma_bitmap; }
EXPORT(tvm_virtio_block) uint32_t *tvm_virtio_block(uint32_t slot)
{
    return slot < n_virtio ? virtio_blocks + slot * TVM_V_WORDS : NULL;
}

/* A byte ring of `capacity` bytes (a power of two) in shared memory; returns its header. */
EXPORT(tvm_ring_create) uint32_t *tvm_ring_create(uint32_t capacity)
{
    if (capacity == 0 || (capacity & (capacity - 1))) return NULL;
    uint32_t *r = aligned_alloc(64, (TVM_RING_HEADER_WORDS * 4 + capacity + 63) & ~63u);
    if (!r) return NULL;
    memset(r, 0, TVM_RING_HEADER_WORDS * 4);
    r[TVM_RING_CAPACITY] = capacity;
    return r;
}

EXPORT(tvm_kernel_offset) uint32_t tvm_kernel_offset(void) { return (uint32_t)VIRT_KERNEL_OFFSET; }
EXPORT(tvm_initrd_offset) uint32_t tvm_initrd_offset(uint32_t kernel_size, uint32_t initrd_size)
{
    return (uint32_t)rv_virt_initrd_offset(&board, kernel_size, initrd_size);
}

/* Host entropy for the guest's RNG at the next boot (shared/fdt /chosen/rng-seed). */
EXPORT(tvm_set_rng_seed) void tvm_set_rng_seed(const uint8_t *seed, uint32_t len)
{
    rv_virt_set_rng_seed(&board, seed, len);
}

/* Kernel and initrd are in RAM; returns NULL or an error message. */
EXPORT(tvm_boot)
const char *tvm_boot(uint32_t kernel_size, uint32_t initrd_offset, uint32_t initrd_size,
                     const char *cmdline)
{
    return rv_virt_boot(&board, kernel_size, initrd_offset, initrd_size, cmdline);
}

EXPORT(tvm_run) int tvm_run(uint32_t budget) { return rv_run(cpu, budget); }

/* The doorbell value the hart last acted on: wait on TVM_M_IRQ_SEQ while it still holds this. */
EXPORT(tvm_irq_seen) uint32_t tvm_irq_seen(void) { return rv_irq_seen(cpu); }

/* Milliseconds until the hart's next timer deadline; negative when there is none. */
EXPORT(tvm_idle_ms) double tvm_idle_ms(void)
{
    uint64_t d = rv_next_deadline(cpu);
    if (d == UINT64_MAX) return -1;
    uint64_t now = time_now(NULL);
    return d <= now ? 0 : (double)(d - now) / (VIRT_TIMEBASE_HZ / 1000);
}

EXPORT(tvm_instret) uint64_t tvm_instret(void) { return rv_get_instret(cpu); }
EXPORT(tvm_alloc_bytes) void *tvm_alloc_bytes(uint32_t n) { return malloc(n); }
EXPORT(tvm_free_bytes) void tvm_free_bytes(void *p) { free(p); }
