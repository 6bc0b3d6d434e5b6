/* The interpreter: finds or decodes the block at pc and runs its pre-decoded ops, either
 * threaded (each op a function that tail-calls the next op's; the default where the compiler
 * guarantees tail calls) or in one switch (RV_DISPATCH_SWITCH, or a compiler without musttail).
 * Blocks chain straight into their known successors; interrupts, timers and the budget are
 * checked only between blocks. What each op does is in rv_exec_ops.h, written once for both. */
#include "rv_internal.h"
#include "softfp_fast.h"

#ifdef RV_OP_PROFILE
#include <stdio.h>
#endif

/* ---- decoded-code cache ----------------------------------------------------------------- */

/* Which RAM pages hold decoded code, and which of those were written since: fence.i then drops
 * only the blocks of written pages, instead of every block (Linux executes fence.i on every
 * exec and mmap of code). Invariant: a page with decoded code has no write TLB entry unless it
 * is marked written, so no write to code can go unnoticed. Writes by device workers are not
 * seen here: a device that can write executable pages (block storage) must report them. */

/* Forgets the decoded blocks; compiled regions stay (they hold no pointer into the arena), and
 * their pages stay marked as code. */
static void flush_decoded(rv_cpu_t *cpu)
{
    memset(cpu->block_hash, 0, sizeof cpu->block_hash);
    memset(cpu->code_pages, 0, sizeof cpu->code_pages);
    memset(cpu->code_written, 0, sizeof cpu->code_written);
    cpu->code_written_any = 0;
    cpu->chain_epoch++;
    cpu->last_block = NULL;
    cpu->arena_used = 8; /* offset 0 means "empty slot" */
    rv_jit_mark_pages(cpu);
}

void rv_flush_code(rv_cpu_t *cpu)
{
    rv_jit_flush(cpu);
    flush_decoded(cpu);
}

static inline uint64_t code_page_index(const rv_cpu_t *cpu, uint64_t paddr)
{
    return (paddr - cpu->bus.ram_base) >> 12;
}

void rv_code_note_write(rv_cpu_t *cpu, uint64_t paddr)
{
    uint64_t i = code_page_index(cpu, paddr);
    if (i < RV_CODE_PAGES && (cpu->code_pages[i >> 3] >> (i & 7)) & 1) {
        cpu->code_written[i >> 3] |= (uint8_t)(1u << (i & 7));
        cpu->code_written_any = 1;
    }
}

/* Takes the pages devices wrote since the last call (DMA, in other threads) and marks those
 * holding decoded code as written, exactly as if the hart had stored to them. */
static void take_device_writes(rv_cpu_t *cpu)
{
    if (!cpu->bus.dma_seq) return;
    uint32_t seq = __atomic_load_n(cpu->bus.dma_seq, __ATOMIC_ACQUIRE);
    if (seq == cpu->dma_seen) return;
    cpu->dma_seen = seq;
    uint64_t pages = cpu->bus.ram_size >> 12;
    if (pages > RV_CODE_PAGES) pages = RV_CODE_PAGES;
    for (uint64_t w = 0; w < (pages + 31) / 32; w++) {
        if (!__atomic_load_n(&cpu->bus.dma_bitmap[w], __ATOMIC_RELAXED)) continue;
        uint32_t bits = __atomic_exchange_n(&cpu->bus.dma_bitmap[w], 0, __ATOMIC_ACQ_REL);
        for (unsigned byte = 0; byte < 4; byte++) {
            uint8_t hit = (uint8_t)(bits >> (8 * byte)) & cpu->code_pages[w * 4 + byte];
            cpu->code_written[w * 4 + byte] |= hit;
            if (hit) cpu->code_written_any = 1;
        }
    }
}

void rv_fence_i(rv_cpu_t *cpu)
{
    take_device_writes(cpu);
    if (!cpu->code_written_any) return;
    for (uint32_t h = 0; h < RV_BLOCK_HASH_SIZE; h++) {
        uint32_t slot = cpu->block_hash[h];
        if (!slot) continue;
        uint64_t i = code_page_index(cpu, ((rv_block_t *)(void *)(cpu->arena + slot))->paddr);
        if ((cpu->code_written[i >> 3] >> (i & 7)) & 1) cpu->block_hash[h] = 0;
    }
    /* Written pages stop counting as code until decoded again, which re-arms the check; their
     * compiled regions go. */
    for (size_t w = 0; w < sizeof cpu->code_written; w++) {
        if (cpu->jit.n_live && cpu->code_written[w])
            for (unsigned bit = 0; bit < 8; bit++)
                if ((cpu->code_written[w] >> bit) & 1) rv_jit_drop_page(cpu, w * 8 + bit);
        cpu->code_pages[w] &= (uint8_t)~cpu->code_written[w];
        cpu->code_written[w] = 0;
    }
    cpu->code_written_any = 0;
    cpu->chain_epoch++;
}

/* Marks the page as holding code; the first time, drops every write TLB entry, since one made
 * before the page held code would let writes past rv_code_note_write. */
void rv_note_code_page(rv_cpu_t *cpu, uint64_t paddr)
{
    uint64_t i = code_page_index(cpu, paddr);
    if (i >= RV_CODE_PAGES || (cpu->code_pages[i >> 3] >> (i & 7)) & 1) return;
    cpu->code_pages[i >> 3] |= (uint8_t)(1u << (i & 7));
    rv_tlb_flush_writes(cpu);
}

static uint32_t block_hash_index(uint64_t paddr)
{
    return (uint32_t)((paddr >> 1) ^ (paddr >> (RV_BLOCK_HASH_BITS + 1))) &
           (RV_BLOCK_HASH_SIZE - 1);
}

/* A 4-byte instruction whose halves lie on two pages is decoded on every execution into this
 * single-op block: its second half's mapping can change independently of the first. */
static union {
    rv_block_t b;
    uint8_t bytes[sizeof(rv_block_t) + 2 * sizeof(rv_op_t)];
} straddle;

/* Gives each op its index and handler, and ends the block with an end op unless its last
 * instruction ends it (defined with the handlers, below). */
static void finish_block(rv_block_t *b);

static rv_block_t *decode_block(rv_cpu_t *cpu, uint64_t pc, uint64_t paddr, const uint8_t *host)
{
    rv_reserve_blocks(cpu, 1);
    rv_block_t *b = (rv_block_t *)(void *)(cpu->arena + cpu->arena_used);
    uint32_t page_left = 4096 - (uint32_t)(paddr & 4095);
    uint32_t off = 0, n = 0;
    while (n < RV_BLOCK_MAX_OPS && off < page_left) {
        uint16_t lo = (uint16_t)rv_host_load(host + off, 2);
        uint32_t insn, len;
        if ((lo & 3) != 3) {
            len = 2;
            insn = rv_expand_compressed(lo);
            if (!insn) insn = 0xffffffffu; /* decodes as illegal; mtval gets the 16 bits below */
        } else {
            len = 4;
            if (off + 4 > page_left) {
                if (n > 0) break; /* end the block before the straddling instruction */
                /* Fetch the upper half through the MMU as an instruction fetch. */
                uint64_t paddr2;
                uint8_t *host2;
                if (rv_fetch_translate(cpu, pc + 2, &paddr2, &host2)) return NULL;
                if (!host2) {
                    cpu->exc_cause = CAUSE_FETCH_ACCESS;
                    cpu->exc_tval = pc + 2;
                    return NULL;
                }
                insn = lo | (uint32_t)rv_host_load(host2, 2) << 16;
                rv_decode(insn, 4, &straddle.b.ops[0]);
                straddle.b.ops[0].pc_off = 0;
                straddle.b.paddr = paddr;
                straddle.b.n_ops = 1;
                straddle.b.n_bytes = 4;
                straddle.b.no_chain = 1;
                finish_block(&straddle.b);
                return &straddle.b;
            }
            insn = (uint32_t)rv_host_load(host + off, 4);
        }
        rv_op_t *op = &b->ops[n];
        rv_decode(insn, len, op);
        if (op->kind == RV_OP_ILLEGAL) op->imm = (int32_t)(len == 2 ? lo : insn);
        op->pc_off = (uint16_t)off;
        n++;
        off += len;
        if (rv_op_ends_block(op)) break;
    }
    rv_note_code_page(cpu, paddr);
    memset(b, 0, offsetof(rv_block_t, ops)); /* the header only: ops[] may start inside sizeof */
    b->paddr = paddr;
    b->n_ops = n;
    b->n_bytes = off;
    finish_block(b);
    cpu->arena_used += (uint32_t)(sizeof(rv_block_t) + (n + 1) * sizeof(rv_op_t) + 7) & ~7u;
    cpu->block_hash[block_hash_index(paddr)] = (uint32_t)((uint8_t *)b - cpu->arena);
    if (cpu->jit.n_live) rv_jit_link(cpu, b);
    return b;
}

void rv_reserve_blocks(rv_cpu_t *cpu, uint32_t n)
{
    const size_t max_bytes = sizeof(rv_block_t) + (RV_BLOCK_MAX_OPS + 1) * sizeof(rv_op_t);
    if (cpu->arena_used + n * max_bytes > sizeof cpu->arena) flush_decoded(cpu);
}

unsigned rv_blocks_in_page(rv_cpu_t *cpu, uint64_t page, rv_block_t **out, unsigned max)
{
    /* A page's blocks hash to 2048 slots (one per 2-byte offset), so only those are looked at. */
    unsigned n = 0;
    for (uint32_t off = 0; off < 4096 && n < max; off += 2) {
        rv_block_t *b = rv_block_cached(cpu, page + off);
        if (b) out[n++] = b;
    }
    return n;
}

rv_block_t *rv_block_cached(rv_cpu_t *cpu, uint64_t paddr)
{
    uint32_t slot = cpu->block_hash[block_hash_index(paddr)];
    rv_block_t *b = slot ? (rv_block_t *)(void *)(cpu->arena + slot) : NULL;
    return b && b->paddr == paddr ? b : NULL;
}

rv_block_t *rv_block_at(rv_cpu_t *cpu, uint64_t pc, uint64_t paddr)
{
    uint32_t slot = cpu->block_hash[block_hash_index(paddr)];
    if (slot) {
        rv_block_t *b = (rv_block_t *)(void *)(cpu->arena + slot);
        if (b->paddr == paddr) return b;
    }
    uint64_t off = paddr - cpu->bus.ram_base;
    if (off >= cpu->bus.ram_size || cpu->bus.ram_size - off < 4096 - (paddr & 4095)) return NULL;
    return decode_block(cpu, pc, paddr, cpu->bus.ram + off);
}

/* Returns the block at cpu->pc, or NULL after recording a fetch exception. */
static rv_block_t *get_block(rv_cpu_t *cpu)
{
    uint64_t pc = cpu->pc, paddr;
    uint8_t *host;
    rv_tlb_entry_t *e = rv_tlb_slot(cpu, RV_ACCESS_FETCH, pc);
    if (likely(e->vpn == rv_tlb_key(cpu, pc))) {
        paddr = e->paddr_page | (pc & 4095);
        host = (uint8_t *)(uintptr_t)(pc + e->addend);
    } else {
        if (rv_fetch_translate(cpu, pc, &paddr, &host)) return NULL;
        if (!host) {
            cpu->exc_cause = CAUSE_FETCH_ACCESS;
            cpu->exc_tval = pc;
            return NULL;
        }
    }
    uint32_t slot = cpu->block_hash[block_hash_index(paddr)];
    if (slot) {
        rv_block_t *b = (rv_block_t *)(void *)(cpu->arena + slot);
        if (b->paddr == paddr) return b;
    }
    return decode_block(cpu, pc, paddr, host);
}

/* ---- integer helpers -------------------------------------------------------------------- */

static inline uint64_t mulhu64(uint64_t a, uint64_t b)
{
    return (uint64_t)(((unsigned __int128)a * b) >> 64);
}
static inline uint64_t mulh64(int64_t a, int64_t b) { return (uint64_t)(((__int128)a * b) >> 64); }
static inline uint64_t mulhsu64(int64_t a, uint64_t b)
{
    return (uint64_t)(((__int128)a * (unsigned __int128)b) >> 64);
}
static inline int64_t sx32(uint64_t v) { return (int64_t)(int32_t)v; }

static inline uint64_t div64(int64_t a, int64_t b)
{
    if (b == 0) return UINT64_MAX;
    if (a == INT64_MIN && b == -1) return (uint64_t)a;
    return (uint64_t)(a / b);
}
static inline uint64_t rem64(int64_t a, int64_t b)
{
    if (b == 0) return (uint64_t)a;
    if (a == INT64_MIN && b == -1) return 0;
    return (uint64_t)(a % b);
}
static inline uint64_t div32(int32_t a, int32_t b)
{
    if (b == 0) return UINT64_MAX;
    if (a == INT32_MIN && b == -1) return (uint64_t)(int64_t)a;
    return (uint64_t)(int64_t)(a / b);
}
static inline uint64_t rem32(int32_t a, int32_t b)
{
    if (b == 0) return (uint64_t)(int64_t)a;
    if (a == INT32_MIN && b == -1) return 0;
    return (uint64_t)(int64_t)(a % b);
}

/* The raw bits of the instruction at pc, for mtval on an illegal-instruction trap. Decoded ops
 * do not keep them, and this path is rare, so the bits are fetched again. */
static uint64_t insn_bits(rv_cpu_t *cpu, uint64_t pc)
{
    uint64_t paddr;
    uint8_t *host;
    if (rv_fetch_translate(cpu, pc, &paddr, &host) || !host) return 0;
    uint32_t lo = (uint32_t)rv_host_load(host, 2);
    if ((lo & 3) != 3) return lo;
    if ((pc & 4095) != 4094) return (uint32_t)rv_host_load(host, 4);
    if (rv_fetch_translate(cpu, pc + 2, &paddr, &host) || !host) return 0;
    return lo | (uint32_t)rv_host_load(host, 2) << 16;
}

static int fs_off(const rv_cpu_t *cpu) { return (cpu->mstatus & MSTATUS_FS) == 0; }
static void fs_dirty(rv_cpu_t *cpu) { cpu->mstatus |= MSTATUS_FS | MSTATUS_SD; }

/* LR/SC and AMOs. Returns 0, or -1 with the exception recorded. */
static int exec_atomic(rv_cpu_t *cpu, const rv_op_t *op)
{
    uint64_t *x = cpu->x;
    int is_d = (op->kind >= RV_OP_AMOSWAP_D && op->kind <= RV_OP_AMOMAXU_D) ||
               op->kind == RV_OP_LR_D || op->kind == RV_OP_SC_D;
    unsigned size = is_d ? 8 : 4;
    uint64_t addr = x[op->rs1];
    int is_lr = op->kind == RV_OP_LR_W || op->kind == RV_OP_LR_D;
    if ((op->kind == RV_OP_SC_W || op->kind == RV_OP_SC_D) &&
        !(cpu->resv_valid && cpu->resv_addr == addr) && (addr & (size - 1)) == 0) {
        cpu->resv_valid = 0;
        x[op->rd] = 1;
        return 0;
    }
    uint8_t *p = rv_translate_rmw(cpu, addr, size, is_lr);
    if (!p) return -1;
    uint64_t old = rv_host_load(p, size);
    if (!is_d) old = (uint64_t)sx32(old);
    uint64_t src = x[op->rs2], res;
    switch (op->kind) {
    case RV_OP_LR_W:
    case RV_OP_LR_D:
        cpu->resv_valid = 1;
        cpu->resv_addr = addr;
        x[op->rd] = old;
        return 0;
    case RV_OP_SC_W:
    case RV_OP_SC_D:
        rv_host_store(p, size, src);
        cpu->resv_valid = 0;
        x[op->rd] = 0;
        return 0;
    case RV_OP_AMOSWAP_W:
    case RV_OP_AMOSWAP_D: res = src; break;
    case RV_OP_AMOADD_W:
    case RV_OP_AMOADD_D: res = old + src; break;
    case RV_OP_AMOXOR_W:
    case RV_OP_AMOXOR_D: res = old ^ src; break;
    case RV_OP_AMOAND_W:
    case RV_OP_AMOAND_D: res = old & src; break;
    case RV_OP_AMOOR_W:
    case RV_OP_AMOOR_D: res = old | src; break;
    case RV_OP_AMOMIN_W: res = sx32(old) < sx32(src) ? old : src; break;
    case RV_OP_AMOMAX_W: res = sx32(old) > sx32(src) ? old : src; break;
    case RV_OP_AMOMINU_W: res = (uint32_t)old < (uint32_t)src ? old : src; break;
    case RV_OP_AMOMAXU_W: res = (uint32_t)old > (uint32_t)src ? old : src; break;
    case RV_OP_AMOMIN_D: res = (int64_t)old < (int64_t)src ? old : src; break;
    case RV_OP_AMOMAX_D: res = (int64_t)old > (int64_t)src ? old : src; break;
    case RV_OP_AMOMINU_D: res = old < src ? old : src; break;
    default: res = old > src ? old : src; break; /* AMOMAXU_D */
    }
    rv_host_store(p, size, res);
    x[op->rd] = old;
    return 0;
}

/* CSRRW/CSRRS/CSRRC and their immediate forms. Returns -1 for illegal instruction. */
static int exec_csr(rv_cpu_t *cpu, const rv_op_t *op)
{
    unsigned csr = (unsigned)op->imm & 0xfff;
    uint64_t src = op->rm ? op->rs1 : cpu->x[op->rs1];
    uint64_t old = 0;
    if (op->kind == RV_OP_CSRRW) {
        if (op->rd != 0 && rv_csr_read(cpu, csr, &old)) return -1;
        if (rv_csr_write(cpu, csr, src)) return -1;
        if (op->rd != 0) cpu->x[op->rd] = old;
        return 0;
    }
    if (rv_csr_read(cpu, csr, &old)) return -1;
    if (op->rs1 != 0) {
        uint64_t v = op->kind == RV_OP_CSRRS ? (old | src) : (old & ~src);
        if (rv_csr_write(cpu, csr, v)) return -1;
    }
    cpu->x[op->rd] = old;
    return 0;
}

/* ---- handlers ------------------------------------------------------------------------------ */

/* What runs a decoded op: most kinds have a handler of their own; CSR ops, atomics and F/D
 * computational ops share one each. */
// clang-format off
#define RV_HANDLER_OWN(X)                                                                          \
    X(NOP) X(FENCE) X(LUI) X(AUIPC) X(JAL) X(JALR)                                                 \
    X(BEQ) X(BNE) X(BLT) X(BGE) X(BLTU) X(BGEU)                                                    \
    X(LB) X(LH) X(LW) X(LD) X(LBU) X(LHU) X(LWU) X(SB) X(SH) X(SW) X(SD)                           \
    X(ADDI) X(SLTI) X(SLTIU) X(XORI) X(ORI) X(ANDI) X(SLLI) X(SRLI) X(SRAI)                        \
    X(ADDIW) X(SLLIW) X(SRLIW) X(SRAIW)                                                            \
    X(ADD) X(SUB) X(SLL) X(SLT) X(SLTU) X(XOR) X(SRL) X(SRA) X(OR) X(AND)                          \
    X(ADDW) X(SUBW) X(SLLW) X(SRLW) X(SRAW)                                                        \
    X(MUL) X(MULH) X(MULHSU) X(MULHU) X(DIV) X(DIVU) X(REM) X(REMU)                                \
    X(MULW) X(DIVW) X(DIVUW) X(REMW) X(REMUW)                                                      \
    X(FENCE_I) X(ECALL) X(EBREAK) X(MRET) X(SRET) X(WFI) X(SFENCE_VMA) X(ILLEGAL)                  \
    X(FLW) X(FLD) X(FSW) X(FSD) X(FADD_D) X(FSUB_D) X(FMUL_D) X(FDIV_D) X(FEQ_D) X(FLT_D) X(FLE_D)
#define RV_HANDLER_SHARED(X) X(CSR) X(ATOMIC) X(FPU) X(FALLTHROUGH)
/* Superinstructions: pairs of ops that run one after the other in a block, fused into one
 * handler so the pair costs one dispatch. Chosen from `make op-profile` (Linux computing pi with
 * bc; docs/performance.md), most frequent first. Pairs ending in a branch or jump are left out:
 * each copies the chaining code, and in V8 the bigger switch made the MIPS benchmark 12% slower
 * for a gain on bc within the noise. */
#define RV_HANDLER_PAIRS(X)                                                                        \
    X(ADD, ADD) X(LD, LD) X(ADD, LB) X(LD, ADD) X(ADDW, DIVUW) X(REMUW, SB) X(LB, LB)              \
    X(ADDW, ADDW) X(DIVUW, REMUW) X(SB, LD) X(LB, ADDI) X(ADDI, MULW) X(MULW, ADDW)                \
    X(ADDI, ADDI) X(SD, SD) X(SLLIW, SRAIW) X(SRAIW, SB) X(ADD, ADDI) X(ADD, LBU) X(LBU, LBU)      \
    X(LBU, SUBW) X(SUBW, SLLIW) X(LD, ADDI) X(ADDI, SD) X(ADDI, REMUW) X(ADDI, ADD) X(LB, ADDW)    \
    X(ADDI, LD) X(SD, ADDI) X(SLLI, ADD) X(ADD, LD)
// clang-format on
#define RV_HANDLER_ENUM(name) RV_H_##name,
#define RV_PAIR_ENUM(a, b) RV_H_##a##_##b,
enum {
    RV_HANDLER_OWN(RV_HANDLER_ENUM) RV_HANDLER_SHARED(RV_HANDLER_ENUM)
        RV_HANDLER_PAIRS(RV_PAIR_ENUM) RV_H_COUNT
};
#undef RV_HANDLER_ENUM
#undef RV_PAIR_ENUM

/* rv_op_t keeps both numbers in a byte. */
_Static_assert(RV_OP_COUNT <= 256 && RV_H_COUNT <= 256, "op kinds and handlers fit in uint8_t");

/* The superinstruction for handler a followed by handler b, or 0 if there is none (unused in
 * the profiling build, which counts pairs unfused). */
static __attribute__((unused)) unsigned pair_of(unsigned a, unsigned b)
{
#define RV_PAIR_CASE(x, y)                                                                         \
    if (a == RV_H_##x && b == RV_H_##y) return RV_H_##x##_##y;
    RV_HANDLER_PAIRS(RV_PAIR_CASE)
#undef RV_PAIR_CASE
    return 0;
}

static unsigned handler_of(unsigned kind)
{
#define RV_HANDLER_CASE(name)                                                                      \
    case RV_OP_##name: return RV_H_##name;
    switch (kind) {
        RV_HANDLER_OWN(RV_HANDLER_CASE)
    case RV_OP_CSRRW:
    case RV_OP_CSRRS:
    case RV_OP_CSRRC: return RV_H_CSR;
    default: return kind >= RV_OP_LR_W && kind <= RV_OP_AMOMAXU_D ? RV_H_ATOMIC : RV_H_FPU;
    }
#undef RV_HANDLER_CASE
}

#ifdef RV_OP_PROFILE
/* Profiling build (make op-profile): counts each handler and each pair of handlers that run
 * one after the other, to find the superinstructions worth having. Switch dispatch only. */
static uint64_t profile_pairs[RV_H_COUNT][RV_H_COUNT];
static unsigned profile_prev;
static uint64_t profile_entries; /* blocks entered from rv_run rather than chained to */
#define RV_PROFILE_OP(h)                                                                           \
    do {                                                                                           \
        profile_pairs[profile_prev][h]++;                                                          \
        profile_prev = (h);                                                                        \
    } while (0)
static const char *const handler_name[RV_H_COUNT] = {
#define RV_HANDLER_NAME(name) [RV_H_##name] = #name,
#define RV_PAIR_NAME(a, b) [RV_H_##a##_##b] = #a "+" #b,
    RV_HANDLER_OWN(RV_HANDLER_NAME) RV_HANDLER_SHARED(RV_HANDLER_NAME)
        RV_HANDLER_PAIRS(RV_PAIR_NAME)
#undef RV_HANDLER_NAME
#undef RV_PAIR_NAME
};
void rv_op_profile_report(FILE *out)
{
    uint64_t total = 0, single[RV_H_COUNT] = {0};
    for (unsigned a = 0; a < RV_H_COUNT; a++)
        for (unsigned b = 0; b < RV_H_COUNT; b++) {
            total += profile_pairs[a][b];
            single[b] += profile_pairs[a][b];
        }
    fprintf(out, "ops run: %llu, %.1f per entry from rv_run\nhottest ops:\n",
            (unsigned long long)total,
            (double)total / (double)(profile_entries ? profile_entries : 1));
    for (int k = 0; k < 25; k++) {
        unsigned best = 0;
        for (unsigned h = 1; h < RV_H_COUNT; h++)
            if (single[h] > single[best]) best = h;
        if (!single[best]) break;
        fprintf(out, "  %5.2f%%  %s\n", 100.0 * (double)single[best] / (double)total,
                handler_name[best]);
        single[best] = 0;
    }
    fprintf(out, "hottest pairs:\n");
    for (int k = 0; k < 40; k++) {
        unsigned ba = 0, bb = 0;
        for (unsigned a = 0; a < RV_H_COUNT; a++)
            for (unsigned b = 0; b < RV_H_COUNT; b++)
                if (profile_pairs[a][b] > profile_pairs[ba][bb]) ba = a, bb = b;
        if (!profile_pairs[ba][bb]) break;
        fprintf(out, "  %5.2f%%  %s -> %s\n", 100.0 * (double)profile_pairs[ba][bb] / (double)total,
                handler_name[ba], handler_name[bb]);
        profile_pairs[ba][bb] = 0;
    }
}
#else
#define RV_PROFILE_OP(h) ((void)0)
#endif

/* Counts an entry into the block; returns whether it is hot (wrapping, never overflowing). */
static inline int rv_hit_hot(rv_block_t *b, int32_t hot)
{
    b->hits = (int32_t)((uint32_t)b->hits + 1u);
    return b->hits > hot;
}

static inline rv_block_t *block_of(const rv_op_t *op)
{
    return (rv_block_t *)(void *)((uint8_t *)(uintptr_t)(op - op->idx) - offsetof(rv_block_t, ops));
}

/* Whether the fetch TLB maps the virtual page of pc to the physical page of paddr right now. */
static inline int fetch_maps(rv_cpu_t *cpu, uint64_t pc, uint64_t paddr)
{
    const rv_tlb_entry_t *e = rv_tlb_slot(cpu, RV_ACCESS_FETCH, pc);
    return e->vpn == rv_tlb_key(cpu, pc) && e->paddr_page == (paddr & ~4095ull);
}

/* The end of a block by a plain branch, jump or fall-through to `target`, `retired`
 * instructions retired in it. Returns the block to run next without going back to rv_run: one
 * this block went to before (its two remembered successors), while the slice lasts and no
 * interrupt waits. A successor in the same virtual page needs no check: the page's mapping
 * cannot change without a system instruction, trap or interrupt, and those end the chain; one
 * in another page is taken only while the fetch TLB still maps it there. Otherwise sets pc,
 * notes this block for rv_run to record its successor, and returns NULL. */
static inline const rv_block_t *chain_next(rv_cpu_t *cpu, const rv_op_t *op, uint64_t pc,
                                           uint64_t target, uint32_t retired)
{
    rv_block_t *b = block_of(op);
    cpu->instret += retired;
    if (likely(cpu->instret < cpu->chain_limit && !(cpu->mip & cpu->mie) &&
               *cpu->irq_watch == cpu->irq_seen)) {
        uint32_t epoch = cpu->chain_epoch;
        rv_block_t *n = NULL;
        if (b->succ_pc[0] == target && b->succ_epoch[0] == epoch)
            n = b->succ[0];
        else if (b->succ_pc[1] == target && b->succ_epoch[1] == epoch)
            n = b->succ[1];
        /* A hot block returns to the run loop, which compiles it or enters its code. */
        if (n && (((target ^ pc) >> 12) == 0 || fetch_maps(cpu, target, n->paddr)) &&
            likely(!rv_hit_hot(n, cpu->jit.hot)))
            return n;
    }
    cpu->pc = target;
    cpu->last_block = b;
    cpu->last_epoch = cpu->chain_epoch;
    return NULL;
}

/* Threaded where the compiler guarantees tail calls and the target has them (Wasm needs its
 * tail-call feature, -mtail-call) and it is asked for: in Wasm the switch is the default, since
 * V8 runs the threaded build 2.5x slower (docs/performance.md). */
#if defined(__wasm__) ? defined(RV_DISPATCH_THREADED) && defined(__wasm_tail_call__)               \
                      : !defined(RV_DISPATCH_SWITCH)
#if defined(__has_attribute)
#if __has_attribute(musttail)
#define RV_THREADED 1
#endif
#endif
#endif

#ifdef RV_THREADED
/* Threaded: every op is a function ending in a guaranteed tail call to the next op's, so
 * dispatch is one indirect jump per op with the block's pc and the register file in
 * registers (Wasm: return_call_indirect, with -mtail-call). */
#define MUSTTAIL __attribute__((musttail))
#define OP(name) static int h_##name(rv_cpu_t *cpu, const rv_op_t *op, uint64_t *x, uint64_t pc)
#define NEXT                                                                                       \
    do {                                                                                           \
        op++;                                                                                      \
        MUSTTAIL return op->fn(cpu, op, x, pc);                                                    \
    } while (0)
#define CHAIN(target, n)                                                                           \
    do {                                                                                           \
        uint64_t target_ = (target);                                                               \
        const rv_block_t *next_ = chain_next(cpu, op, pc, target_, (n));                           \
        if (next_) MUSTTAIL return next_->ops[0].fn(cpu, next_->ops, x, target_);                  \
        return 0;                                                                                  \
    } while (0)
#define EXIT(next, n)                                                                              \
    do {                                                                                           \
        cpu->pc = (next);                                                                          \
        cpu->instret += (n);                                                                       \
        return 0;                                                                                  \
    } while (0)
#define RETURN return 0

#include "rv_exec_ops.h"

#define RV_HANDLER_FN(name) [RV_H_##name] = h_##name,
#define RV_PAIR_FN(a, b) [RV_H_##a##_##b] = h_##a##_##b,
static rv_op_fn *const handler_fn[RV_H_COUNT] = {
    RV_HANDLER_OWN(RV_HANDLER_FN) RV_HANDLER_SHARED(RV_HANDLER_FN) RV_HANDLER_PAIRS(RV_PAIR_FN)};
#undef RV_HANDLER_FN
#undef RV_PAIR_FN

static void run_block(rv_cpu_t *cpu, const rv_block_t *b)
{
    b->ops[0].fn(cpu, b->ops, cpu->x, cpu->pc);
}
#else
/* Switch: one loop over the ops, for compilers that cannot guarantee the tail calls. */
static void run_block(rv_cpu_t *cpu, const rv_block_t *b)
{
    uint64_t *const x = cpu->x;
    const rv_op_t *op = b->ops;
    uint64_t pc = cpu->pc;
#ifdef RV_OP_PROFILE
    profile_entries++;
#endif
#define OP(name) case RV_H_##name:
#define NEXT                                                                                       \
    {                                                                                              \
        op++;                                                                                      \
        goto dispatch;                                                                             \
    }
#define CHAIN(target, n)                                                                           \
    {                                                                                              \
        uint64_t target_ = (target);                                                               \
        const rv_block_t *next_ = chain_next(cpu, op, pc, target_, (n));                           \
        if (!next_) return;                                                                        \
        op = next_->ops;                                                                           \
        pc = target_;                                                                              \
        goto dispatch;                                                                             \
    }
#define EXIT(next, n)                                                                              \
    do {                                                                                           \
        cpu->pc = (next);                                                                          \
        cpu->instret += (n);                                                                       \
        return;                                                                                    \
    } while (0)
#define RETURN return
dispatch:
    RV_PROFILE_OP(op->h);
    switch (op->h) {
#include "rv_exec_ops.h"
    }
}
#endif
#undef OP
#undef NEXT
#undef CHAIN
#undef EXIT
#undef RETURN

static void set_handler(rv_op_t *op, unsigned h)
{
    op->h = (uint8_t)h;
#ifdef RV_THREADED
    op->fn = handler_fn[h];
#endif
}

static void finish_block(rv_block_t *b)
{
    uint32_t n = b->n_ops;
    for (uint32_t i = 0; i < n; i++) {
        b->ops[i].idx = (uint16_t)i;
        set_handler(&b->ops[i], handler_of(b->ops[i].kind));
    }
    if (n == 0 || !rv_op_ends_block(&b->ops[n - 1])) {
        rv_op_t *end = &b->ops[n];
        memset(end, 0, sizeof *end);
        end->pc_off = (uint16_t)b->n_bytes;
        end->idx = (uint16_t)n;
        set_handler(end, RV_H_FALLTHROUGH);
    }
#ifndef RV_OP_PROFILE /* the profile counts the pairs as they come, to choose them */
    /* Pairs, left to right; the second op of a pair keeps its own handler, unused. */
    for (uint32_t i = 0; i + 1 < n;) {
        unsigned p = pair_of(b->ops[i].h, b->ops[i + 1].h);
        if (p) set_handler(&b->ops[i], p);
        i += p ? 2 : 1;
    }
#endif
}

int rv_exec_one(rv_cpu_t *cpu, const rv_op_t *src, uint64_t pc)
{
    /* A block of the one op: it runs, then its end op stops at once (chain_limit 0). */
    static union {
        rv_block_t b;
        uint8_t bytes[sizeof(rv_block_t) + 2 * sizeof(rv_op_t)];
    } one;
    memset(&one.b, 0, offsetof(rv_block_t, ops));
    one.b.ops[0] = *src;
    one.b.ops[0].pc_off = 0;
    one.b.paddr = UINT64_MAX;
    one.b.n_ops = 1;
    one.b.n_bytes = src->len;
    one.b.no_chain = 1;
    finish_block(&one.b);
    uint64_t before = cpu->instret, limit = cpu->chain_limit;
    rv_block_t *last = cpu->last_block;
    cpu->chain_limit = 0;
    cpu->pc = pc;
    run_block(cpu, &one.b);
    cpu->chain_limit = limit;
    cpu->last_block = last;
    return cpu->instret == before + 1 && cpu->pc == pc + src->len ? 0 : 1;
}

/* ---- the run loop ----------------------------------------------------------------------- */

/* Timers are brought up to date at least this often, in instructions (and on every write to a
 * timer register). */
#define RV_TIMER_CHECK_INSNS 4096

int rv_run(rv_cpu_t *cpu, int64_t budget)
{
    if (cpu->halted) return RV_RUN_HALT;
    rv_update_timers(cpu);
    uint64_t timers_at = cpu->instret + RV_TIMER_CHECK_INSNS;
    while (budget > 0) {
        if (cpu->bus.irq_seq) {
            uint32_t seq = __atomic_load_n(cpu->bus.irq_seq, __ATOMIC_ACQUIRE);
            if (unlikely(seq != cpu->irq_seen)) {
                cpu->irq_seen = seq;
                cpu->ext_hw = cpu->bus.irq_update(cpu->bus.opaque) & (MIP_MEIP | MIP_SEIP);
                cpu->mip = (cpu->mip & ~(MIP_MEIP | MIP_SEIP)) | cpu->ext_hw | cpu->seip_sw;
            }
        }
        if (unlikely(cpu->mip & cpu->mie)) {
            cpu->wfi = 0;
            if (rv_check_interrupts(cpu)) cpu->last_block = NULL;
        }
        if (cpu->wfi) return RV_RUN_WFI;
        if (cpu->halted) return RV_RUN_HALT;
        /* The block that ended in a plain transfer to here learns this one as its successor. */
        rv_block_t *last = cpu->last_block;
        cpu->last_block = NULL;
        uint64_t pc = cpu->pc;
        rv_block_t *b = get_block(cpu);
        if (unlikely(!b)) {
            rv_raise(cpu, cpu->exc_cause, cpu->exc_tval, cpu->pc);
            budget--;
            continue;
        }
        if (last && cpu->last_epoch == cpu->chain_epoch && !last->no_chain && !b->no_chain) {
            uint32_t k = last->succ_next;
            last->succ_pc[k] = pc;
            last->succ[k] = b;
            last->succ_epoch[k] = cpu->chain_epoch;
            last->succ_next = k ^ 1;
        }
        uint64_t before = cpu->instret;
        uint64_t limit = before + (uint64_t)budget;
        cpu->chain_limit = limit < timers_at ? limit : timers_at;
        int compiled = 0;
        if (b->jit_region) {
            compiled = rv_jit_enter(cpu, b, pc);
        } else if (unlikely(rv_hit_hot(b, cpu->jit.hot))) {
            b = rv_jit_hot(cpu, b, pc);
            if (unlikely(!b)) continue; /* decoded again, it faulted: the next round raises it */
            if (b->jit_region) compiled = rv_jit_enter(cpu, b, pc);
        }
        if (!compiled) run_block(cpu, b);
        budget -= (int64_t)(cpu->instret - before) + 1;
        if (unlikely(cpu->instret >= timers_at)) {
            rv_update_timers(cpu);
            timers_at = cpu->instret + RV_TIMER_CHECK_INSNS;
        }
    }
    return cpu->halted ? RV_RUN_HALT : RV_RUN_BUDGET;
}
