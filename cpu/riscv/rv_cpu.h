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

/* ---- the JIT (rv_jit.c) ------------------------------------------------------------------ */

/* What the core needs from its host to run compiled code: the Wasm build's JavaScript compiles
 * a module the JIT wrote and places its function in the module's function table. */
typedef struct rv_jit_host {
    void *opaque;
    /* Compiles the Wasm module in code[0..len) and places its export "f" in the function table.
     * Returns the table slot (> 0) when it is done at once; 0 when it compiles in the
     * background and will call rv_jit_ready(region, gen, slot) later; -1 on failure. */
    int32_t (*compile)(void *opaque, const uint8_t *code, uint32_t len, uint32_t region,
                       uint32_t gen);
    /* The slot's function is no longer used: the host may reuse the slot. */
    void (*release)(void *opaque, int32_t slot);
} rv_jit_host_t;

/* Turns the JIT on (hot_threshold > 0: a block becomes hot after that many entries) or off (0).
 * Without a host (native builds) it stays off. Call after rv_cpu_init. */
void rv_jit_attach(rv_cpu_t *cpu, const rv_jit_host_t *host, uint32_t hot_threshold);
/* A background compile finished: slot > 0 holds the region's function, or -1 if it failed. */
void rv_jit_ready(rv_cpu_t *cpu, uint32_t region, uint32_t gen, int32_t slot);

/* Counters of the JIT's work, for stats and benchmarks. */
typedef struct rv_jit_stats {
    uint64_t compiles;      /* modules compiled */
    uint64_t compile_fails; /* modules the host could not compile */
    uint64_t compile_us;    /* time spent generating code in the core (host compile not counted) */
    uint64_t live_regions;  /* compiled regions in use now */
    uint64_t code_bytes;    /* bytes of Wasm of the live regions */
    uint64_t evictions;     /* regions dropped to stay under the cap */
    uint64_t invalidations; /* regions dropped because their page was written */
    uint64_t entries;       /* entries into compiled code from the run loop */
    uint64_t chains;        /* jumps from one region straight into another */
    uint64_t jit_instret;   /* instructions retired in compiled code */
    uint64_t exits_fault;   /* exits on a trap (page fault, misalignment, illegal) */
    uint64_t exits_mmio;    /* accesses to a device from compiled code (it goes on) */
    uint64_t exits_limit;   /* exits because the slice ended or an interrupt waits */
    uint64_t exits_system;  /* exits after a system instruction (CSR, ecall, xret, fence.i…) */
} rv_jit_stats_t;
void rv_jit_get_stats(const rv_cpu_t *cpu, rv_jit_stats_t *stats);

/* ---- architectural state, for differential testing --------------------------------------- */

/* x0..x31, f0..f31, then these, as 64-bit words (RV_ARCH_STATE_WORDS in all). */
enum rv_arch_word {
    RV_ARCH_PC = 64,
    RV_ARCH_PRIV,
    RV_ARCH_INSTRET,
    RV_ARCH_FFLAGS,
    RV_ARCH_FRM,
    RV_ARCH_MSTATUS,
    RV_ARCH_MCAUSE,
    RV_ARCH_MEPC,
    RV_ARCH_MTVAL,
    RV_ARCH_SCAUSE,
    RV_ARCH_SEPC,
    RV_ARCH_STVAL,
    RV_ARCH_SATP,
    RV_ARCH_MIP,
    RV_ARCH_MIE,
    RV_ARCH_MSCRATCH,
    RV_ARCH_SSCRATCH,
    RV_ARCH_RESV_VALID,
    RV_ARCH_RESV_ADDR,
    RV_ARCH_STATE_WORDS
};
void rv_get_arch_state(const rv_cpu_t *cpu, uint64_t out[RV_ARCH_STATE_WORDS]);

#endif
