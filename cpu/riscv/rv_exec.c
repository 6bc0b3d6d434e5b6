/* The interpreter: finds or decodes the block at pc, runs its pre-decoded ops in one switch,
 * and checks interrupts and timers only between blocks. */
#include "rv_internal.h"

/* ---- decoded-code cache ----------------------------------------------------------------- */

/* Which RAM pages hold decoded code, and which of those were written since: fence.i then drops
 * only the blocks of written pages, instead of every block (Linux executes fence.i on every
 * exec and mmap of code). Invariant: a page with decoded code has no write TLB entry unless it
 * is marked written, so no write to code can go unnoticed. Writes by device workers are not
 * seen here: a device that can write executable pages (block storage) must report them. */

void rv_flush_code(rv_cpu_t *cpu)
{
    memset(cpu->block_hash, 0, sizeof cpu->block_hash);
    memset(cpu->code_pages, 0, sizeof cpu->code_pages);
    memset(cpu->code_written, 0, sizeof cpu->code_written);
    cpu->code_written_any = 0;
    cpu->chain_epoch++;
    cpu->arena_used = 8; /* offset 0 means "empty slot" */
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
    /* Written pages stop counting as code until decoded again, which re-arms the check. */
    for (size_t w = 0; w < sizeof cpu->code_written; w++) {
        cpu->code_pages[w] &= (uint8_t)~cpu->code_written[w];
        cpu->code_written[w] = 0;
    }
    cpu->code_written_any = 0;
    cpu->chain_epoch++;
}

/* Marks the page as holding code; the first time, drops every write TLB entry, since one made
 * before the page held code would let writes past rv_code_note_write. */
static void note_code_page(rv_cpu_t *cpu, uint64_t paddr)
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
    uint8_t bytes[sizeof(rv_block_t) + sizeof(rv_op_t)];
} straddle;

static rv_block_t *decode_block(rv_cpu_t *cpu, uint64_t pc, uint64_t paddr, const uint8_t *host)
{
    const size_t max_bytes = sizeof(rv_block_t) + RV_BLOCK_MAX_OPS * sizeof(rv_op_t);
    if (cpu->arena_used + max_bytes > sizeof cpu->arena) rv_flush_code(cpu);
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
                straddle.b.paddr = paddr;
                straddle.b.n_ops = 1;
                straddle.b.n_bytes = 4;
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
    note_code_page(cpu, paddr);
    memset(b, 0, offsetof(rv_block_t, ops)); /* the header only: ops[] may start inside sizeof */
    b->paddr = paddr;
    b->n_ops = n;
    b->n_bytes = off;
    cpu->arena_used += (uint32_t)(sizeof(rv_block_t) + n * sizeof(rv_op_t) + 7) & ~7u;
    cpu->block_hash[block_hash_index(paddr)] = (uint32_t)((uint8_t *)b - cpu->arena);
    return b;
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

/* ---- the block executor ----------------------------------------------------------------- */

/* Runs one block; returns the number of instructions retired. */
static uint32_t exec_block(rv_cpu_t *cpu, const rv_block_t *b)
{
    uint64_t *const x = cpu->x;
    const uint64_t pc = cpu->pc;
    const rv_op_t *op = b->ops;
    uint32_t i = 0;
    uint64_t v;
    cpu->chain_ok = 0; /* set again only by a plain branch, jump or fall-through */

#define OP_PC (pc + op->pc_off)
#define NEXT_PC (pc + op->pc_off + op->len)
#define END_BLOCK(next)                                                                            \
    do {                                                                                           \
        cpu->pc = (next);                                                                          \
        cpu->instret += i + 1;                                                                     \
        return i + 1;                                                                              \
    } while (0)
#define END_CHAIN(next)                                                                            \
    do {                                                                                           \
        cpu->chain_ok = 1;                                                                         \
        END_BLOCK(next);                                                                           \
    } while (0)
#define LOAD(size, conv)                                                                           \
    if (unlikely(rv_load(cpu, x[op->rs1] + (int64_t)op->imm, size, &v))) goto mem_fault;           \
    x[op->rd] = (conv);                                                                            \
    break
#define STORE(size)                                                                                \
    if (unlikely(rv_store(cpu, x[op->rs1] + (int64_t)op->imm, size, x[op->rs2]))) goto mem_fault;  \
    break
#define BRANCH(cond)                                                                               \
    if (cond) END_CHAIN(OP_PC + (int64_t)op->imm);                                                 \
    END_CHAIN(NEXT_PC)

    for (; i < b->n_ops; i++, op++) {
        switch (op->kind) {
        case RV_OP_NOP:
        case RV_OP_FENCE: break;
        case RV_OP_LUI: x[op->rd] = (uint64_t)(int64_t)op->imm; break;
        case RV_OP_AUIPC: x[op->rd] = OP_PC + (int64_t)op->imm; break;
        case RV_OP_JAL: x[op->rd] = NEXT_PC; END_CHAIN(OP_PC + (int64_t)op->imm);
        case RV_OP_JALR: {
            uint64_t target = (x[op->rs1] + (int64_t)op->imm) & ~1ull;
            x[op->rd] = NEXT_PC;
            END_CHAIN(target);
        }
        case RV_OP_BEQ: BRANCH(x[op->rs1] == x[op->rs2]);
        case RV_OP_BNE: BRANCH(x[op->rs1] != x[op->rs2]);
        case RV_OP_BLT: BRANCH((int64_t)x[op->rs1] < (int64_t)x[op->rs2]);
        case RV_OP_BGE: BRANCH((int64_t)x[op->rs1] >= (int64_t)x[op->rs2]);
        case RV_OP_BLTU: BRANCH(x[op->rs1] < x[op->rs2]);
        case RV_OP_BGEU: BRANCH(x[op->rs1] >= x[op->rs2]);

        case RV_OP_LB: LOAD(1, (uint64_t)(int64_t)(int8_t)v);
        case RV_OP_LH: LOAD(2, (uint64_t)(int64_t)(int16_t)v);
        case RV_OP_LW: LOAD(4, (uint64_t)(int64_t)(int32_t)v);
        case RV_OP_LD: LOAD(8, v);
        case RV_OP_LBU: LOAD(1, v);
        case RV_OP_LHU: LOAD(2, v);
        case RV_OP_LWU: LOAD(4, v);
        case RV_OP_SB: STORE(1);
        case RV_OP_SH: STORE(2);
        case RV_OP_SW: STORE(4);
        case RV_OP_SD: STORE(8);

        case RV_OP_ADDI: x[op->rd] = x[op->rs1] + (int64_t)op->imm; break;
        case RV_OP_SLTI: x[op->rd] = (int64_t)x[op->rs1] < (int64_t)op->imm; break;
        case RV_OP_SLTIU: x[op->rd] = x[op->rs1] < (uint64_t)(int64_t)op->imm; break;
        case RV_OP_XORI: x[op->rd] = x[op->rs1] ^ (uint64_t)(int64_t)op->imm; break;
        case RV_OP_ORI: x[op->rd] = x[op->rs1] | (uint64_t)(int64_t)op->imm; break;
        case RV_OP_ANDI: x[op->rd] = x[op->rs1] & (uint64_t)(int64_t)op->imm; break;
        case RV_OP_SLLI: x[op->rd] = x[op->rs1] << op->imm; break;
        case RV_OP_SRLI: x[op->rd] = x[op->rs1] >> op->imm; break;
        case RV_OP_SRAI: x[op->rd] = (uint64_t)((int64_t)x[op->rs1] >> op->imm); break;
        case RV_OP_ADDIW: x[op->rd] = (uint64_t)sx32(x[op->rs1] + (int64_t)op->imm); break;
        case RV_OP_SLLIW: x[op->rd] = (uint64_t)sx32((uint32_t)x[op->rs1] << op->imm); break;
        case RV_OP_SRLIW: x[op->rd] = (uint64_t)sx32((uint32_t)x[op->rs1] >> op->imm); break;
        case RV_OP_SRAIW: x[op->rd] = (uint64_t)(int64_t)((int32_t)x[op->rs1] >> op->imm); break;

        case RV_OP_ADD: x[op->rd] = x[op->rs1] + x[op->rs2]; break;
        case RV_OP_SUB: x[op->rd] = x[op->rs1] - x[op->rs2]; break;
        case RV_OP_SLL: x[op->rd] = x[op->rs1] << (x[op->rs2] & 63); break;
        case RV_OP_SLT: x[op->rd] = (int64_t)x[op->rs1] < (int64_t)x[op->rs2]; break;
        case RV_OP_SLTU: x[op->rd] = x[op->rs1] < x[op->rs2]; break;
        case RV_OP_XOR: x[op->rd] = x[op->rs1] ^ x[op->rs2]; break;
        case RV_OP_SRL: x[op->rd] = x[op->rs1] >> (x[op->rs2] & 63); break;
        case RV_OP_SRA: x[op->rd] = (uint64_t)((int64_t)x[op->rs1] >> (x[op->rs2] & 63)); break;
        case RV_OP_OR: x[op->rd] = x[op->rs1] | x[op->rs2]; break;
        case RV_OP_AND: x[op->rd] = x[op->rs1] & x[op->rs2]; break;
        case RV_OP_ADDW: x[op->rd] = (uint64_t)sx32(x[op->rs1] + x[op->rs2]); break;
        case RV_OP_SUBW: x[op->rd] = (uint64_t)sx32(x[op->rs1] - x[op->rs2]); break;
        case RV_OP_SLLW:
            x[op->rd] = (uint64_t)sx32((uint32_t)x[op->rs1] << (x[op->rs2] & 31));
            break;
        case RV_OP_SRLW:
            x[op->rd] = (uint64_t)sx32((uint32_t)x[op->rs1] >> (x[op->rs2] & 31));
            break;
        case RV_OP_SRAW:
            x[op->rd] = (uint64_t)(int64_t)((int32_t)x[op->rs1] >> (x[op->rs2] & 31));
            break;

        case RV_OP_MUL: x[op->rd] = x[op->rs1] * x[op->rs2]; break;
        case RV_OP_MULH: x[op->rd] = mulh64((int64_t)x[op->rs1], (int64_t)x[op->rs2]); break;
        case RV_OP_MULHSU: x[op->rd] = mulhsu64((int64_t)x[op->rs1], x[op->rs2]); break;
        case RV_OP_MULHU: x[op->rd] = mulhu64(x[op->rs1], x[op->rs2]); break;
        case RV_OP_DIV: x[op->rd] = div64((int64_t)x[op->rs1], (int64_t)x[op->rs2]); break;
        case RV_OP_DIVU: x[op->rd] = x[op->rs2] ? x[op->rs1] / x[op->rs2] : UINT64_MAX; break;
        case RV_OP_REM: x[op->rd] = rem64((int64_t)x[op->rs1], (int64_t)x[op->rs2]); break;
        case RV_OP_REMU: x[op->rd] = x[op->rs2] ? x[op->rs1] % x[op->rs2] : x[op->rs1]; break;
        case RV_OP_MULW: x[op->rd] = (uint64_t)sx32(x[op->rs1] * x[op->rs2]); break;
        case RV_OP_DIVW: x[op->rd] = div32((int32_t)x[op->rs1], (int32_t)x[op->rs2]); break;
        case RV_OP_DIVUW:
            x[op->rd] = (uint32_t)x[op->rs2]
                            ? (uint64_t)sx32((uint32_t)x[op->rs1] / (uint32_t)x[op->rs2])
                            : UINT64_MAX;
            break;
        case RV_OP_REMW: x[op->rd] = rem32((int32_t)x[op->rs1], (int32_t)x[op->rs2]); break;
        case RV_OP_REMUW:
            x[op->rd] =
                (uint64_t)sx32((uint32_t)x[op->rs2] ? (uint32_t)x[op->rs1] % (uint32_t)x[op->rs2]
                                                    : (uint32_t)x[op->rs1]);
            break;

        case RV_OP_FLW:
        case RV_OP_FLD:
        case RV_OP_FSW:
        case RV_OP_FSD: goto fp_mem;

        case RV_OP_FENCE_I: rv_fence_i(cpu); END_BLOCK(NEXT_PC);
        case RV_OP_ECALL:
            cpu->pc = OP_PC;
            cpu->instret += i;
            if (cpu->priv == RV_PRIV_S && cpu->sbi_enabled && rv_sbi_call(cpu)) {
                cpu->pc = NEXT_PC;
                cpu->instret++;
                return i + 1;
            }
            rv_raise(cpu, CAUSE_USER_ECALL + cpu->priv, 0, OP_PC);
            return i;
        case RV_OP_EBREAK:
            cpu->instret += i;
            rv_raise(cpu, CAUSE_BREAKPOINT, OP_PC, OP_PC);
            return i;
        case RV_OP_MRET:
            if (cpu->priv != RV_PRIV_M) goto illegal;
            cpu->instret += i + 1;
            rv_mret(cpu);
            return i + 1;
        case RV_OP_SRET:
            if (cpu->priv == RV_PRIV_U || (cpu->priv == RV_PRIV_S && (cpu->mstatus & MSTATUS_TSR)))
                goto illegal;
            cpu->instret += i + 1;
            rv_sret(cpu);
            return i + 1;
        case RV_OP_WFI:
            if (cpu->priv == RV_PRIV_U || (cpu->priv == RV_PRIV_S && (cpu->mstatus & MSTATUS_TW)))
                goto illegal;
            cpu->wfi = 1;
            END_BLOCK(NEXT_PC);
        case RV_OP_SFENCE_VMA:
            if (cpu->priv == RV_PRIV_U || (cpu->priv == RV_PRIV_S && (cpu->mstatus & MSTATUS_TVM)))
                goto illegal;
            rv_sfence_vma(cpu, op->rs1 != 0, cpu->x[op->rs1], op->rs2 != 0, cpu->x[op->rs2]);
            END_BLOCK(NEXT_PC);
        case RV_OP_CSRRW:
        case RV_OP_CSRRS:
        case RV_OP_CSRRC:
            cpu->instret += i; /* counters read by this op see the instructions before it */
            cpu->pc = OP_PC;
            if (exec_csr(cpu, op)) {
                rv_raise(cpu, CAUSE_ILLEGAL_INSTRUCTION, insn_bits(cpu, OP_PC), OP_PC);
                return i;
            }
            cpu->pc = NEXT_PC;
            cpu->instret++;
            return i + 1;

        case RV_OP_ILLEGAL: goto illegal;

        default:
            if (op->kind >= RV_OP_LR_W && op->kind <= RV_OP_AMOMAXU_D) {
                if (exec_atomic(cpu, op)) goto mem_fault;
                break;
            }
            /* F and D computational ops */
            if (rv_fpu_exec(cpu, op)) goto illegal;
            break;
        }
        continue;

    fp_mem:
        if (fs_off(cpu)) goto illegal;
        {
            uint64_t addr = x[op->rs1] + (int64_t)op->imm;
            switch (op->kind) {
            case RV_OP_FLW:
                if (unlikely(rv_load(cpu, addr, 4, &v))) goto mem_fault;
                cpu->f[op->rd] = v | 0xffffffff00000000ull; /* NaN-boxed */
                fs_dirty(cpu);
                break;
            case RV_OP_FLD:
                if (unlikely(rv_load(cpu, addr, 8, &v))) goto mem_fault;
                cpu->f[op->rd] = v;
                fs_dirty(cpu);
                break;
            case RV_OP_FSW:
                if (unlikely(rv_store(cpu, addr, 4, cpu->f[op->rs2]))) goto mem_fault;
                break;
            default: /* FSD */
                if (unlikely(rv_store(cpu, addr, 8, cpu->f[op->rs2]))) goto mem_fault;
                break;
            }
        }
    }
    cpu->pc = pc + b->n_bytes;
    cpu->instret += i;
    cpu->chain_ok = 1;
    return i;

mem_fault:
    cpu->instret += i;
    rv_raise(cpu, cpu->exc_cause, cpu->exc_tval, OP_PC);
    return i;
illegal:
    cpu->instret += i;
    rv_raise(cpu, CAUSE_ILLEGAL_INSTRUCTION,
             op->kind == RV_OP_ILLEGAL ? (uint32_t)op->imm : insn_bits(cpu, OP_PC), OP_PC);
    return i;
#undef OP_PC
#undef NEXT_PC
#undef END_BLOCK
#undef END_CHAIN
#undef LOAD
#undef STORE
#undef BRANCH
}

/* ---- the run loop ----------------------------------------------------------------------- */

int rv_run(rv_cpu_t *cpu, int64_t budget)
{
    if (cpu->halted) return RV_RUN_HALT;
    rv_update_timers(cpu);
    uint32_t blocks = 0;
    /* Block chaining: a block that ended in a plain branch, jump or fall-through remembers the
     * blocks it went to. A successor in the same virtual page needs no TLB or hash lookup: the
     * page's mapping cannot have changed without a system instruction, trap or interrupt in
     * between, and those end the chain. */
    rv_block_t *last = NULL;
    uint64_t last_pc = 0;
    uint32_t last_epoch = 0;
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
            if (rv_check_interrupts(cpu)) last = NULL;
        }
        if (cpu->wfi) return RV_RUN_WFI;
        if (cpu->halted) return RV_RUN_HALT;
        uint64_t pc = cpu->pc;
        uint32_t epoch = cpu->chain_epoch;
        int chain = last && cpu->chain_ok && last_epoch == epoch && ((pc ^ last_pc) >> 12) == 0;
        rv_block_t *b = NULL;
        if (chain) {
            if (last->succ_pc[0] == pc && last->succ[0] && last->succ_epoch[0] == epoch)
                b = last->succ[0];
            else if (last->succ_pc[1] == pc && last->succ[1] && last->succ_epoch[1] == epoch)
                b = last->succ[1];
        }
        if (!b) {
            b = get_block(cpu);
            if (unlikely(!b)) {
                rv_raise(cpu, cpu->exc_cause, cpu->exc_tval, cpu->pc);
                last = NULL;
                budget--;
                continue;
            }
            if (chain && epoch == cpu->chain_epoch && b != &straddle.b) {
                uint32_t k = last->succ_next;
                last->succ_pc[k] = pc;
                last->succ[k] = b;
                last->succ_epoch[k] = epoch;
                last->succ_next = k ^ 1;
            }
        }
        last = b == &straddle.b ? NULL : b;
        last_pc = pc;
        last_epoch = cpu->chain_epoch;
        budget -= exec_block(cpu, b) + 1;
        if (unlikely((++blocks & 1023) == 0)) rv_update_timers(cpu);
    }
    return cpu->halted ? RV_RUN_HALT : RV_RUN_BUDGET;
}
