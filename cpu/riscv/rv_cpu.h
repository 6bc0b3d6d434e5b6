/* Public interface of the RV64GC core: create, reset, run a slice, and the few hooks a machine
 * needs (HTIF-style polling, an SBI in the emulator). Everything else is private to cpu/riscv. */
#ifndef RV_CPU_H
#define RV_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "../../shared/tvm_bus.h"

typedef struct rv_cpu rv_cpu_t;

/* Why rv_run returned. */
enum rv_run_status {
    RV_RUN_BUDGET = 0, /* the instruction budget ran out */
    RV_RUN_WFI = 1,    /* the hart waits for an interrupt; sleep until rv_next_deadline() */
    RV_RUN_HALT = 2,   /* the hart stopped for good (SBI shutdown/reset, fatal state) */
};

/* Size of the core's state; rv_cpu_init works on caller-provided memory so the core needs no
 * allocator (the Wasm build has none). */
unsigned long rv_cpu_size(void);
void rv_cpu_init(rv_cpu_t *cpu, const tvm_bus_t *bus, uint64_t hartid);
void rv_cpu_reset(rv_cpu_t *cpu, uint64_t pc);

/* Runs at most about `budget` instructions. */
int rv_run(rv_cpu_t *cpu, int64_t budget);

/* Platform time (bus ticks) at which the hart next needs to run when idle in WFI, or
 * UINT64_MAX if only an external interrupt can wake it. */
uint64_t rv_next_deadline(const rv_cpu_t *cpu);

uint64_t rv_get_pc(const rv_cpu_t *cpu);
uint64_t rv_get_xreg(const rv_cpu_t *cpu, unsigned r);
void rv_set_xreg(rv_cpu_t *cpu, unsigned r, uint64_t v);
uint64_t rv_get_instret(const rv_cpu_t *cpu);
unsigned rv_get_priv(const rv_cpu_t *cpu);
/* The interrupt doorbell value (bus.irq_seq) the hart last acted on. */
uint32_t rv_irq_seen(const rv_cpu_t *cpu);

/* The SBI implemented in the emulator (rv_sbi.c): when on, ecalls from S-mode are served by the
 * emulator instead of trapping to M-mode, and the hart boots the kernel in S-mode. */
typedef struct rv_sbi_host {
    void *opaque;
    void (*console_putchar)(void *opaque, int ch); /* legacy console, for earlycon=sbi */
    int (*console_getchar)(void *opaque);          /* -1 when nothing is waiting */
    void (*system_reset)(void *opaque, uint32_t type, uint32_t reason);
} rv_sbi_host_t;
void rv_sbi_enable(rv_cpu_t *cpu, const rv_sbi_host_t *host);
/* Boot convention for a kernel under the emulator's SBI: S-mode, a0 = hartid, a1 = dtb. */
void rv_boot_supervisor(rv_cpu_t *cpu, uint64_t entry, uint64_t dtb_paddr);

/* Forget all decoded code, e.g. after the host wrote an executable image into RAM. */
void rv_flush_code(rv_cpu_t *cpu);

#endif
