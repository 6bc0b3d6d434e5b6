/* Private state and helpers of the RV64GC core, shared by its translation units
 * (decode, execute, MMU, CSRs/traps, SBI). Not for use outside cpu/riscv. */
#ifndef RV_INTERNAL_H
#define RV_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rv_cpu.h"
#include "rv_defs.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* ---- pre-decoded instructions ---------------------------------------------------------- */

/* One decoded instruction. rd == RV_REG_SINK when the architectural rd is x0, so handlers
 * may write unconditionally and x0 stays zero. */
typedef struct rv_op rv_op_t;
/* A threaded op's code (rv_exec.c): runs the op at `op` of the block that starts at `pc`, then
 * tail-calls the next op's. */
typedef int rv_op_fn(rv_cpu_t *cpu, const rv_op_t *op, uint64_t *x, uint64_t pc);
struct rv_op {
    uint8_t kind; /* enum rv_op_kind, from the decoder */
    uint8_t h;    /* what runs it: rv_exec.c's handler number, set when the block is made */
    uint8_t rd, rs1, rs2, rs3;
    uint8_t rm;      /* FP rounding mode field, or a CSR op's zimm source flag */
    uint8_t len;     /* 2 or 4 bytes */
    int32_t imm;     /* immediate, CSR number, or the raw bits of an illegal instruction */
    uint16_t pc_off; /* offset of this instruction from the block's first byte */
    uint16_t idx;    /* index in the block: the instructions retired before this one */
    rv_op_fn *fn;    /* handler h's function, in the threaded build */
};

#define RV_REG_SINK 32

/* A straight-line run of instructions within one physical page, ending at a control transfer,
 * a system instruction or the page end. Cached by physical address. */
typedef struct rv_block {
    uint64_t paddr;
    uint32_t n_ops;
    uint32_t n_bytes;
    /* Two remembered successors in the same virtual page (see rv_run): their pc, the block,
     * and the chain epoch they were recorded in. */
    uint64_t succ_pc[2];
    struct rv_block *succ[2];
    uint32_t succ_epoch[2];
    uint32_t succ_next; /* which slot to replace next */
    uint32_t no_chain;  /* a one-off block (an instruction across two pages): never a successor */
    /* The JIT (rv_jit.c): entries counted towards hot; once compiled, the region holding the
     * block, that region's generation when linked (stale links are ignored) and the block's
     * entry number in it. hits is set past the threshold for compiled blocks, so chaining
     * returns to the run loop, which enters the compiled code, and to INT32_MIN for blocks
     * the JIT gave up on. */
    int32_t hits;
    uint16_t jit_region; /* region index + 1, or 0 */
    uint16_t jit_entry;
    uint32_t jit_gen;
    rv_op_t ops[]; /* n_ops instructions, then an end op unless the last one ends the block */
} rv_block_t;

#define RV_BLOCK_MAX_OPS 64
#define RV_BLOCK_HASH_BITS 15
#define RV_BLOCK_HASH_SIZE (1u << RV_BLOCK_HASH_BITS)
#define RV_CODE_ARENA_BYTES (8u << 20)
#define RV_CODE_PAGES (1u << 20) /* 4 GiB of RAM in 4 KiB pages */

/* ---- software TLB ----------------------------------------------------------------------- */

/* A hit maps a guest virtual page straight to host memory: host = vaddr + addend. Only RAM is
 * ever entered, so MMIO always takes the slow path. */
typedef struct rv_tlb_entry {
    uint64_t vpn; /* the key: vaddr >> 12 | the ASID tag it was filled under, or RV_TLB_INVALID */
    uintptr_t addend;
    uint64_t paddr_page; /* physical address of the page, for the code cache */
} rv_tlb_entry_t;

#define RV_TLB_BITS 8
#define RV_TLB_SIZE (1u << RV_TLB_BITS)
#define RV_TLB_INVALID UINT64_MAX
/* Entries of the U and S sets carry the ASID they were filled under above the 52 bits a VPN
 * can have, so a context switch (a satp write with another ASID) needs no flush: each address
 * space finds only its own entries. */
#define RV_TLB_TAG_SHIFT 52
#define RV_TLB_VPN_MASK ((1ull << RV_TLB_TAG_SHIFT) - 1)

enum rv_access { RV_ACCESS_READ = 0, RV_ACCESS_WRITE = 1, RV_ACCESS_FETCH = 2 };

/* Translation contexts: entries filled under one are never valid under another. M-mode's set
 * also serves MPRV accesses and is flushed when MPRV, MPP or SUM change. */
enum rv_tlb_set { RV_TLB_U = 0, RV_TLB_S = 1, RV_TLB_S_SUM = 2, RV_TLB_M = 3, RV_TLB_SETS = 4 };

/* ---- the JIT (rv_jit.c, rv_jit_emit.c) ------------------------------------------------------- */

/* A region: the blocks of one physical page compiled into one Wasm module, entered at any of
 * its blocks. Keyed by physical address, so it serves every virtual mapping of the page. */
#define RV_JIT_MAX_REGIONS 1024      /* live modules; the least recently entered goes */
#define RV_JIT_MAX_BLOCKS 256        /* blocks in one region */
#define RV_JIT_MAX_RECOMPILES 8      /* times one page is compiled again to add entries */
#define RV_JIT_CODE_BYTES (1u << 20) /* the buffer a module is written into */
typedef struct rv_jit_region {
    uint64_t page;     /* physical address */
    uint64_t last_use; /* instret at its last entry */
    int32_t slot;      /* table slot of its function; 0 while the host compiles it */
    uint32_t gen;      /* generation; 0 when the region is free */
    uint32_t code_bytes;
    uint16_t n_blocks;
    uint16_t recompiles;
    uint16_t offs[RV_JIT_MAX_BLOCKS]; /* page offsets of its blocks, ascending; entry = index */
    uint8_t entry[RV_JIT_MAX_BLOCKS]; /* whether the run loop may enter the block */
} rv_jit_region_t;

typedef struct rv_jit {
    rv_jit_host_t host;
    int32_t hot; /* block entries that make a block hot; INT32_MAX when the JIT is off */
    uint32_t n_live;
    int32_t status; /* what a slow path called from compiled code reports (rv_jit.c) */
    /* Set by rv_jit_enter for the compiled code: the read and write TLBs of the current set
     * (host addresses), and the instret at which to leave (0 with an interrupt pending). */
    uint32_t tlb_read, tlb_write;
    uint64_t limit;
    /* Where rv_jit_chain sends the compiled code next: the entry and the page's address. */
    uint32_t next_entry;
    uint64_t next_vbase;
    rv_jit_stats_t stats;
    uint16_t page_region[RV_CODE_PAGES]; /* region index + 1 of each RAM page, or 0 */
    rv_jit_region_t regions[RV_JIT_MAX_REGIONS];
    uint8_t code[RV_JIT_CODE_BYTES];
} rv_jit_t;

/* The function a region compiles to: entered at block `entry`, with the virtual address the
 * page is mapped at. Table slots are function pointers in Wasm. */
typedef void rv_jit_fn(rv_cpu_t *cpu, uint32_t entry, uint64_t vbase);

/* ---- the hart --------------------------------------------------------------------------- */

struct rv_cpu {
    uint64_t x[33]; /* x0..x31 and the x0 write sink */
    uint64_t f[32]; /* FP registers; single values are NaN-boxed */
    uint64_t pc;
    unsigned priv; /* RV_PRIV_U/S/M */
    uint32_t fflags, frm;

    /* Pending exception set by the slow paths before they report a fault. */
    uint64_t exc_cause, exc_tval;

    /* One TLB per translation context, so a trap or sret, or Linux toggling SUM around each
     * user copy, switches sets instead of flushing: [set][enum rv_access][slot]. */
    rv_tlb_entry_t tlb[RV_TLB_SETS][3][RV_TLB_SIZE];
    unsigned tlb_set;   /* enum rv_tlb_set of the current privilege and SUM */
    uint64_t tlb_tag;   /* ORed into the key: satp's ASID << RV_TLB_TAG_SHIFT; 0 in M-mode */
    unsigned tlb_super; /* sets holding a piece of a superpage since their last flush */
    /* Per set, the VPNs the superpages it holds pieces of span (first and last page): an
     * sfence.vma of an address outside needs only that address's slot. */
    uint64_t super_lo[RV_TLB_SETS], super_hi[RV_TLB_SETS];
    uint64_t walk_pages; /* 4 KiB pages in the last translation's leaf (for tlb_fill) */
    unsigned tlb_filled; /* sets with entries since their last flush, one bit each */

    /* CSR state */
    uint64_t mstatus, misa, medeleg, mideleg, mie, mip, mtvec, stvec;
    uint64_t mscratch, sscratch, mepc, sepc, mcause, scause, mtval, stval, satp;
    uint64_t mcounteren, scounteren, mcountinhibit, menvcfg, senvcfg;
    uint64_t mhartid, stimecmp;
    uint64_t seip_sw;  /* SEIP as written by M-mode software, ORed with the PLIC output */
    uint64_t ext_hw;   /* MEIP/SEIP as the interrupt controller drives them */
    uint32_t irq_seen; /* last value of bus.irq_seq acted on */
    uint64_t instret, cycle_offset, instret_offset;
    uint64_t pmpcfg[2], pmpaddr[16];

    /* Core-local interrupt controller (CLINT): software and timer interrupt for M-mode. */
    uint64_t mtimecmp;
    uint32_t msip;
    uint64_t last_time;

    /* LR/SC reservation (virtual address), valid while reserved. */
    uint64_t resv_addr;
    int resv_valid;

    int wfi;
    int halted;

    /* Emulator-provided SBI */
    int sbi_enabled;
    rv_sbi_host_t sbi;
    uint64_t sbi_timer; /* next S-mode timer deadline set through SBI, in bus ticks */

    tvm_bus_t bus;

    /* decoded-code cache */
    uint32_t block_hash[RV_BLOCK_HASH_SIZE]; /* arena offsets, 0 = empty */
    uint32_t arena_used;
    uint8_t code_pages[RV_CODE_PAGES / 8];   /* pages with decoded blocks, a bit each */
    uint8_t code_written[RV_CODE_PAGES / 8]; /* ... written since (see rv_fence_i) */
    int code_written_any;
    uint32_t dma_seen;    /* bus.dma_seq when device writes were last taken */
    uint32_t chain_epoch; /* bumped whenever decoded blocks are dropped */
    /* Block chaining (rv_exec.c): the block that last ended in a plain branch, jump or
     * fall-through to a successor it did not know yet, and the epoch it did so in; blocks run
     * on from one to the next while instret is below chain_limit and nothing is pending. */
    struct rv_block *last_block;
    uint32_t last_epoch;
    uint64_t chain_limit;
    const volatile uint32_t *irq_watch; /* bus.irq_seq, or irq_seen when there is none */
    int mmio_touched; /* set by every access to a device; the JIT leaves its code after one */
    rv_jit_t jit;
    _Alignas(8) uint8_t arena[RV_CODE_ARENA_BYTES];
};

/* ---- decode (rv_decode.c) ---------------------------------------------------------------- */
/* Decodes one instruction (already expanded from 16 bits if compressed). */
void rv_decode(uint32_t insn, unsigned len, rv_op_t *op);
/* Expands a 16-bit instruction to its 32-bit equivalent, or returns 0 if illegal. */
uint32_t rv_expand_compressed(uint16_t c);
/* Whether the op ends a block (control transfer, CSR or system instruction). */
int rv_op_ends_block(const rv_op_t *op);

/* ---- code cache coherence (rv_exec.c) --------------------------------------------------- */
/* The hart is about to write RAM at paddr: note it if the page holds decoded code. */
void rv_code_note_write(rv_cpu_t *cpu, uint64_t paddr);
/* fence.i: drops the decoded blocks of pages written since they were decoded. */
void rv_fence_i(rv_cpu_t *cpu);

/* Finds or decodes the block at paddr (its virtual address pc); NULL if it cannot be had
 * without a fetch exception. The block may be the one-off block of an instruction that
 * straddles two pages (no_chain). */
rv_block_t *rv_block_at(rv_cpu_t *cpu, uint64_t pc, uint64_t paddr);
/* Up to max of the decoded blocks in the physical page (a scan of the block cache). */
unsigned rv_blocks_in_page(rv_cpu_t *cpu, uint64_t page, rv_block_t **out, unsigned max);
/* The decoded block at paddr, or NULL if there is none. */
rv_block_t *rv_block_cached(rv_cpu_t *cpu, uint64_t paddr);
/* Makes room for `n` more blocks in the decoded-code arena, dropping decoded blocks if needed. */
void rv_reserve_blocks(rv_cpu_t *cpu, uint32_t n);
/* Marks the page as holding code (see rv_code_note_write). */
void rv_note_code_page(rv_cpu_t *cpu, uint64_t paddr);
/* Runs one decoded op through the interpreter at pc, with cpu->x and cpu->f current. Returns 0
 * when it retired (pc and instret advanced), 1 when it trapped. */
int rv_exec_one(rv_cpu_t *cpu, const rv_op_t *op, uint64_t pc);

/* ---- the JIT (rv_jit.c) ------------------------------------------------------------------- */
/* The block just became hot: compiles its page's region (pc is its virtual address). Returns
 * the block to run at pc (b, or b decoded again if making room dropped the decoded blocks), or
 * NULL if it could not be had. */
rv_block_t *rv_jit_hot(rv_cpu_t *cpu, rv_block_t *b, uint64_t pc);
/* Runs the block's compiled code if it is ready; returns 0 if the interpreter must run it. */
int rv_jit_enter(rv_cpu_t *cpu, rv_block_t *b, uint64_t pc);
/* A block was decoded: links it to its page's region if that holds it. */
void rv_jit_link(rv_cpu_t *cpu, rv_block_t *b);
/* Drops the region of the RAM page with this index (its code was written). */
void rv_jit_drop_page(rv_cpu_t *cpu, uint64_t page_index);
/* Drops every region (all decoded code is forgotten). */
void rv_jit_flush(rv_cpu_t *cpu);
/* Pages still holding compiled code are marked as code again after decoded blocks were dropped. */
void rv_jit_mark_pages(rv_cpu_t *cpu);
/* Whether an op is a system instruction that compiled code has the interpreter run in place,
 * and then returns (CSR accesses, ecall, xret, fences, wfi, illegal instructions). */
int rv_jit_exits_before(const rv_op_t *op);
/* rv_jit_emit.c: writes the module of a region made of blocks[0..n), ascending by address.
 * entry[k] says whether the run loop may enter block k; the emitter adds the blocks the code
 * jumps back to. Returns the module's size, or 0 if it did not fit in cap bytes. */
uint32_t rv_jit_emit(rv_cpu_t *cpu, rv_block_t *const *blocks, uint8_t *entry, uint32_t n,
                     uint8_t *out, uint32_t cap);

/* ---- MMU (rv_mmu.c) --------------------------------------------------------------------- */
void rv_tlb_flush(rv_cpu_t *cpu);
void rv_tlb_flush_set(rv_cpu_t *cpu, unsigned set);
/* Drops every write entry, in all sets. */
void rv_tlb_flush_writes(rv_cpu_t *cpu);
/* sfence.vma: has_vaddr/has_asid say whether rs1/rs2 were given (not x0). */
void rv_sfence_vma(rv_cpu_t *cpu, int has_vaddr, uint64_t vaddr, int has_asid, uint64_t asid);
/* Picks the TLB set for the current privilege and mstatus.SUM. */
void rv_tlb_select(rv_cpu_t *cpu);
/* Slow paths: translate, fill the TLB, handle MMIO, page crossings and misalignment.
 * Return 0 on success; on a fault they set exc_cause/exc_tval and return -1. */
int rv_load_slow(rv_cpu_t *cpu, uint64_t vaddr, unsigned size, uint64_t *val);
int rv_store_slow(rv_cpu_t *cpu, uint64_t vaddr, unsigned size, uint64_t val);
/* Translates an instruction fetch at pc to a physical address; on success host is the RAM
 * pointer (NULL if the page is not RAM). */
int rv_fetch_translate(rv_cpu_t *cpu, uint64_t vaddr, uint64_t *paddr, uint8_t **host);
/* Translates a data access for atomics, requiring RAM; returns the host pointer or NULL. */
uint8_t *rv_translate_rmw(rv_cpu_t *cpu, uint64_t vaddr, unsigned size, int is_lr);
int rv_phys_read(rv_cpu_t *cpu, uint64_t paddr, unsigned size, uint64_t *val);
int rv_phys_write(rv_cpu_t *cpu, uint64_t paddr, unsigned size, uint64_t val);

static inline uint64_t rv_vpn(uint64_t vaddr) { return vaddr >> 12; }
/* The TLB key of vaddr in the current translation context. */
static inline uint64_t rv_tlb_key(const rv_cpu_t *cpu, uint64_t vaddr)
{
    return rv_vpn(vaddr) | cpu->tlb_tag;
}
static inline rv_tlb_entry_t *rv_tlb_slot(rv_cpu_t *cpu, int acc, uint64_t vaddr)
{
    return &cpu->tlb[cpu->tlb_set][acc][(vaddr >> 12) & (RV_TLB_SIZE - 1)];
}

/* Little-endian host memory access; the compilers turn these into plain loads. */
static inline uint64_t rv_host_load(const uint8_t *p, unsigned size)
{
    switch (size) {
    case 1: return *p;
    case 2: {
        uint16_t v;
        memcpy(&v, p, 2);
        return v;
    }
    case 4: {
        uint32_t v;
        memcpy(&v, p, 4);
        return v;
    }
    default: {
        uint64_t v;
        memcpy(&v, p, 8);
        return v;
    }
    }
}
static inline void rv_host_store(uint8_t *p, unsigned size, uint64_t v)
{
    switch (size) {
    case 1: *p = (uint8_t)v; break;
    case 2: {
        uint16_t t = (uint16_t)v;
        memcpy(p, &t, 2);
        break;
    }
    case 4: {
        uint32_t t = (uint32_t)v;
        memcpy(p, &t, 4);
        break;
    }
    default: memcpy(p, &v, 8); break;
    }
}

/* Fast paths: an aligned access whose page is in the TLB. */
static inline int rv_load(rv_cpu_t *cpu, uint64_t vaddr, unsigned size, uint64_t *val)
{
    rv_tlb_entry_t *e = rv_tlb_slot(cpu, RV_ACCESS_READ, vaddr);
    if (likely(e->vpn == rv_tlb_key(cpu, vaddr) && (vaddr & (size - 1)) == 0)) {
        *val = rv_host_load((const uint8_t *)(uintptr_t)(vaddr + e->addend), size);
        return 0;
    }
    return rv_load_slow(cpu, vaddr, size, val);
}
static inline int rv_store(rv_cpu_t *cpu, uint64_t vaddr, unsigned size, uint64_t val)
{
    rv_tlb_entry_t *e = rv_tlb_slot(cpu, RV_ACCESS_WRITE, vaddr);
    if (likely(e->vpn == rv_tlb_key(cpu, vaddr) && (vaddr & (size - 1)) == 0)) {
        rv_host_store((uint8_t *)(uintptr_t)(vaddr + e->addend), size, val);
        return 0;
    }
    return rv_store_slow(cpu, vaddr, size, val);
}

/* ---- CSRs, traps and interrupts (rv_csr.c) ---------------------------------------------- */
/* Reads/writes a CSR with privilege checks; returns -1 (illegal instruction) on failure. */
int rv_csr_read(rv_cpu_t *cpu, unsigned csr, uint64_t *val);
int rv_csr_write(rv_cpu_t *cpu, unsigned csr, uint64_t val);
/* Enters the trap handler for a synchronous exception at pc. */
void rv_raise(rv_cpu_t *cpu, uint64_t cause, uint64_t tval, uint64_t pc);
/* Takes the highest-priority enabled pending interrupt, if any. Returns 1 if taken. */
int rv_check_interrupts(rv_cpu_t *cpu);
void rv_mret(rv_cpu_t *cpu);
void rv_sret(rv_cpu_t *cpu);
void rv_set_priv(rv_cpu_t *cpu, unsigned priv);
/* Recomputes timer-driven mip bits from the current time. */
void rv_update_timers(rv_cpu_t *cpu);
uint64_t rv_time(rv_cpu_t *cpu);

/* ---- CLINT (rv_clint.c) ----------------------------------------------------------------- */
int rv_clint_read(rv_cpu_t *cpu, uint64_t off, unsigned size, uint64_t *val);
int rv_clint_write(rv_cpu_t *cpu, uint64_t off, unsigned size, uint64_t val);

/* ---- SBI (rv_sbi.c) --------------------------------------------------------------------- */
/* Serves an ecall from S-mode; returns 1 if handled (a0/a1 set), 0 to trap as usual. */
int rv_sbi_call(rv_cpu_t *cpu);

/* ---- floating point (rv_fpu.c) ---------------------------------------------------------- */
/* Executes one F/D computational op (not loads/stores). Returns -1 for illegal instruction. */
int rv_fpu_exec(rv_cpu_t *cpu, const rv_op_t *op);

#endif
