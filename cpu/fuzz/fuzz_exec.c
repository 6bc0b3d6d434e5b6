/* fuzz_exec.c - libFuzzer target: the interpreter on any code. The input is a RAM image (code
 * and data, page tables included) and the starting privilege and satp; the hart runs a bounded
 * number of instructions through the decoder, the translation and trap paths. Whatever the
 * code does, the interpreter must stay inside the RAM it was given (every other address is an
 * MMIO callback, checked here) and ASan/UBSan must stay quiet. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../riscv/rv_internal.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (64u << 10)

static bool mmio_read(void *o, uint64_t paddr, unsigned size, uint64_t *val)
{
    if (paddr - RAM_BASE < RAM_SIZE) __builtin_trap(); /* RAM must never come here */
    *val = 0;
    return paddr < 0x1000; /* a small device answers at the bottom; everything else faults */
}
static bool mmio_write(void *o, uint64_t paddr, unsigned size, uint64_t val)
{
    if (paddr - RAM_BASE < RAM_SIZE) __builtin_trap();
    return paddr < 0x1000;
}
static uint64_t now(void *o) { return 0; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t *ram;
    static rv_cpu_t *cpu;
    if (!ram) {
        ram = malloc(RAM_SIZE);
        cpu = malloc(rv_cpu_size());
        if (!ram || !cpu) abort();
    }
    if (size < 16) return 0;
    /* Header: how to start (mode bits, satp), then the RAM image. */
    uint64_t satp, setup;
    memcpy(&setup, data, 8);
    memcpy(&satp, data + 8, 8);
    data += 16, size -= 16;
    memset(ram, 0, RAM_SIZE);
    memcpy(ram, data, size < RAM_SIZE ? size : RAM_SIZE);
    tvm_bus_t bus = {.ram = ram,
                     .ram_base = RAM_BASE,
                     .ram_size = RAM_SIZE,
                     .mmio_read = mmio_read,
                     .mmio_write = mmio_write,
                     .time_now = now,
                     .timebase_hz = 10000000};
    rv_cpu_init(cpu, &bus, 0);
    rv_cpu_reset(cpu, RAM_BASE);
    /* Traps go back into RAM, and the code may start in S or U with translation on: the CSR
     * writes below are what M-mode software could do before an mret. */
    for (unsigned r = 1; r < 32; r++)
        rv_set_xreg(cpu, r, RAM_BASE + ((setup >> 8) & 0xfff) * 16);
    rv_csr_write(cpu, CSR_MTVEC, RAM_BASE + 0x80);
    rv_csr_write(cpu, CSR_STVEC, RAM_BASE + 0xc0);
    rv_csr_write(cpu, CSR_MEDELEG, setup >> 20 & 0xffff);
    rv_csr_write(cpu, CSR_MSTATUS, setup >> 36 & 0x7e0aa); /* SUM, MXR, MPRV, FS, ... */
    /* satp: its mode and ASID as given, its root table somewhere in RAM. */
    rv_csr_write(cpu, CSR_SATP,
                 (satp & (0xfull << 60 | 0x7ffull << 44)) | (RAM_BASE >> 12) + (satp & 0xf));
    unsigned priv = setup & 3;
    if (priv != RV_PRIV_M) {
        rv_set_priv(cpu, priv == 2 ? RV_PRIV_U : priv);
        cpu->pc = RAM_BASE + 0x100;
    }
    rv_run(cpu, 20000);
    return 0;
}
