/* Wasm entry points of the CPU module. JavaScript (cli/, ui/) instantiates the module with its
 * own loader and calls these; there are no other imports than the memory. */
#include <stdlib.h>

#include "../riscv/rv_htif.h"

#define EXPORT(name) __attribute__((used, export_name(#name)))
#define IMPORT(name) __attribute__((import_module("env"), import_name(#name)))

/* The JIT's host (shared/jit_host.js): compiles a module and places its function in the table. */
IMPORT(host_jit_compile)
int32_t host_jit_compile(const uint8_t *code, uint32_t len, uint32_t region, uint32_t gen);
IMPORT(host_jit_release) void host_jit_release(int32_t slot);

/* ---- bare-metal ELF runner (npx tabvm --elf) --------------------------------------------- */

static htif_machine_t elf_machine;
static uint8_t out_buf[4096];
static uint32_t out_len;

static void out_put(void *opaque, int ch)
{
    (void)opaque;
    if (out_len < sizeof out_buf) out_buf[out_len++] = (uint8_t)ch;
}

EXPORT(tvm_alloc) void *tvm_alloc(uint32_t size) { return malloc(size); }
EXPORT(tvm_free) void tvm_free(void *p) { free(p); }

/* Returns 0, or -1 if memory for the machine could not be had. */
EXPORT(tvm_elf_init) int tvm_elf_init(uint32_t ram_mib)
{
    elf_machine.ram_size = (uint64_t)ram_mib << 20;
    elf_machine.ram = malloc((size_t)elf_machine.ram_size);
    elf_machine.cpu = malloc(rv_cpu_size());
    elf_machine.putchar = out_put;
    return elf_machine.ram && elf_machine.cpu ? 0 : -1;
}

/* Returns NULL or a NUL-terminated error message. */
EXPORT(tvm_elf_load) const char *tvm_elf_load(const uint8_t *elf, uint32_t len)
{
    return htif_load(&elf_machine, elf, len);
}

EXPORT(tvm_elf_step) int tvm_elf_step(uint32_t budget) { return htif_step(&elf_machine, budget); }
EXPORT(tvm_elf_exit_code) uint64_t tvm_elf_exit_code(void) { return elf_machine.exit_code; }
EXPORT(tvm_elf_instret) uint64_t tvm_elf_instret(void) { return rv_get_instret(elf_machine.cpu); }
EXPORT(tvm_elf_pc) uint64_t tvm_elf_pc(void) { return rv_get_pc(elf_machine.cpu); }

/* Console bytes the program printed since the last tvm_out_take. */
EXPORT(tvm_out_ptr) uint8_t *tvm_out_ptr(void) { return out_buf; }
EXPORT(tvm_out_take) uint32_t tvm_out_take(void)
{
    uint32_t n = out_len;
    out_len = 0;
    return n;
}

/* ---- the JIT and differential testing of the ELF runner's hart ------------------------------ */

static int32_t jit_compile(void *opaque, const uint8_t *code, uint32_t len, uint32_t region,
                           uint32_t gen)
{
    return host_jit_compile(code, len, region, gen);
}
static void jit_release(void *opaque, int32_t slot) { host_jit_release(slot); }

/* Hot threshold in block entries; 0 runs the interpreter only. Call after tvm_elf_load. */
EXPORT(tvm_elf_jit) void tvm_elf_jit(uint32_t hot_threshold)
{
    rv_jit_host_t host = {.compile = jit_compile, .release = jit_release};
    rv_jit_attach(elf_machine.cpu, &host, hot_threshold);
}
EXPORT(tvm_elf_jit_ready) void tvm_elf_jit_ready(uint32_t region, uint32_t gen, int32_t slot)
{
    rv_jit_ready(elf_machine.cpu, region, gen, slot);
}
/* Fills out[] with the rv_jit_stats_t counters, in their order. */
EXPORT(tvm_elf_jit_stats) void tvm_elf_jit_stats(rv_jit_stats_t *out)
{
    rv_jit_get_stats(elf_machine.cpu, out);
}
/* Fills out[] with RV_ARCH_STATE_WORDS words (rv_cpu.h, enum rv_arch_word). */
EXPORT(tvm_elf_arch_state) void tvm_elf_arch_state(uint64_t *out)
{
    rv_get_arch_state(elf_machine.cpu, out);
}
EXPORT(tvm_elf_ram_ptr) uint8_t *tvm_elf_ram_ptr(void) { return elf_machine.ram; }
EXPORT(tvm_elf_ram_size) uint32_t tvm_elf_ram_size(void) { return (uint32_t)elf_machine.ram_size; }
