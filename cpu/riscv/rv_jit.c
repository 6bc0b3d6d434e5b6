/* The JIT's bookkeeping (docs/jit.md): which code is hot, which regions exist, when they are
 * compiled, entered, evicted and dropped, and the slow paths compiled code calls. The code
 * itself is written by rv_jit_emit.c; the host (shared/jit_host.js) compiles it.
 *
 * A region is the hot blocks of one physical page and the blocks reachable from them within it,
 * compiled into one Wasm function that can be entered at any of its blocks. Keyed by physical
 * address, a region serves every virtual mapping of its page, survives sfence.vma and satp
 * writes, and goes when its page is written and fence.i makes the write visible (the moment
 * the interpreter drops its decoded blocks, so both engines see the same code). */
#include <stdlib.h>

#include "rv_internal.h"

/* Region generations, never 0 and never reused while the program runs: one counter for every
 * hart and across resets (which clear the hart's state), so a background compile that finishes
 * after its region went, even across a reboot, never installs itself in another region. */
static uint32_t next_gen(void)
{
    static uint32_t gen;
    if (++gen == 0) ++gen;
    return gen;
}

static uint64_t page_index(const rv_cpu_t *cpu, uint64_t paddr)
{
    return (paddr - cpu->bus.ram_base) >> 12;
}

static void drop_region(rv_cpu_t *cpu, rv_jit_region_t *r)
{
    rv_jit_t *j = &cpu->jit;
    if (!r->gen) return;
    if (r->slot > 0) j->host.release(j->host.opaque, r->slot);
    j->page_region[page_index(cpu, r->page)] = 0;
    j->stats.code_bytes -= r->code_bytes;
    r->gen = 0;
    r->slot = 0;
    r->code_bytes = 0;
    j->n_live--;
}

void rv_jit_flush(rv_cpu_t *cpu)
{
    for (unsigned i = 0; i < RV_JIT_MAX_REGIONS && cpu->jit.n_live; i++)
        drop_region(cpu, &cpu->jit.regions[i]);
}

void rv_jit_drop_page(rv_cpu_t *cpu, uint64_t page_index)
{
    if (page_index >= RV_CODE_PAGES || !cpu->jit.page_region[page_index]) return;
    drop_region(cpu, &cpu->jit.regions[cpu->jit.page_region[page_index] - 1]);
    cpu->jit.stats.invalidations++;
}

void rv_jit_mark_pages(rv_cpu_t *cpu)
{
    for (unsigned i = 0; i < RV_JIT_MAX_REGIONS; i++)
        if (cpu->jit.regions[i].gen) rv_note_code_page(cpu, cpu->jit.regions[i].page);
}

void rv_jit_attach(rv_cpu_t *cpu, const rv_jit_host_t *host, uint32_t hot_threshold)
{
    rv_jit_flush(cpu);
    rv_jit_t *j = &cpu->jit;
    if (host && host->compile && host->release && hot_threshold) {
        j->host = *host;
        j->hot = hot_threshold > INT32_MAX - 1 ? INT32_MAX - 1 : (int32_t)hot_threshold;
    } else {
        memset(&j->host, 0, sizeof j->host);
        j->hot = INT32_MAX;
    }
}

void rv_jit_get_stats(const rv_cpu_t *cpu, rv_jit_stats_t *stats)
{
    *stats = cpu->jit.stats;
    stats->live_regions = cpu->jit.n_live;
}

int rv_jit_exits_before(const rv_op_t *op)
{
    /* What ends a block and is not a jump or branch (JAL to BGEU in the op list). */
    return rv_op_ends_block(op) && (op->kind < RV_OP_JAL || op->kind > RV_OP_BGEU);
}

/* ---- linking blocks to regions -------------------------------------------------------------- */

static int find_entry(const rv_jit_region_t *r, uint32_t off)
{
    int lo = 0, hi = r->n_blocks - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (r->offs[mid] == off) return mid;
        if (r->offs[mid] < off)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

static void link_block(rv_cpu_t *cpu, rv_block_t *b, unsigned region, int entry)
{
    /* A block that starts with a system instruction is entered by the interpreter: its
     * compiled code would leave at once, without progress. */
    if (!b->n_ops || rv_jit_exits_before(&b->ops[0])) return;
    b->jit_region = (uint16_t)(region + 1);
    b->jit_gen = cpu->jit.regions[region].gen;
    b->jit_entry = (uint16_t)entry;
    b->hits = cpu->jit.hot; /* past the threshold: chaining returns to the run loop */
}

/* Links the decoded blocks that are the region's entries, once its code is ready: until then
 * they chain as usual, rather than each returning to the run loop. */
static void link_region(rv_cpu_t *cpu, unsigned region)
{
    rv_jit_region_t *r = &cpu->jit.regions[region];
    for (unsigned k = 0; k < r->n_blocks; k++) {
        if (!r->entry[k]) continue;
        rv_block_t *b = rv_block_cached(cpu, r->page + r->offs[k]);
        if (b && !b->no_chain) link_block(cpu, b, region, (int)k);
    }
}

void rv_jit_link(rv_cpu_t *cpu, rv_block_t *b)
{
    uint64_t i = page_index(cpu, b->paddr);
    if (b->no_chain || i >= RV_CODE_PAGES || !cpu->jit.page_region[i]) return;
    if (cpu->jit.regions[cpu->jit.page_region[i] - 1].slot <= 0) return; /* not ready */
    unsigned region = cpu->jit.page_region[i] - 1u;
    int entry = find_entry(&cpu->jit.regions[region], (uint32_t)(b->paddr & 4095));
    if (entry >= 0 && cpu->jit.regions[region].entry[entry]) link_block(cpu, b, region, entry);
}

int rv_jit_enter(rv_cpu_t *cpu, rv_block_t *b, uint64_t pc)
{
    rv_jit_t *j = &cpu->jit;
    rv_jit_region_t *r = &j->regions[b->jit_region - 1];
    if (r->gen != b->jit_gen) { /* the region went: count towards hot again */
        b->jit_region = 0;
        b->hits = 0;
        return 0;
    }
    if (r->slot <= 0) return 0; /* still compiling */
    uint64_t before = cpu->instret;
    r->last_use = before;
    j->stats.entries++;
    j->tlb_read = (uint32_t)(uintptr_t)cpu->tlb[cpu->tlb_set][RV_ACCESS_READ];
    j->tlb_write = (uint32_t)(uintptr_t)cpu->tlb[cpu->tlb_set][RV_ACCESS_WRITE];
    j->limit = cpu->mip & cpu->mie ? 0 : cpu->chain_limit;
    rv_jit_fn *fn = (rv_jit_fn *)(uintptr_t)r->slot;
    fn(cpu, b->jit_entry, pc & ~4095ull);
    j->stats.jit_instret += cpu->instret - before;
    if (cpu->instret >= cpu->chain_limit) j->stats.exits_limit++;
    cpu->last_block = NULL;
    return 1;
}

/* ---- compiling a region --------------------------------------------------------------------- */

/* The static successors of a block within its page, and where calls return to. */
static unsigned successors(const rv_block_t *b, uint32_t off, uint32_t out[3])
{
    unsigned n = 0;
    const rv_op_t *last = &b->ops[b->n_ops ? b->n_ops - 1 : 0];
    uint32_t next = off + b->n_bytes;
    if (b->n_ops == 0 || !rv_op_ends_block(last)) {
        out[n++] = next;
        return n;
    }
    int64_t target = (int64_t)off + last->pc_off + last->imm;
    switch (last->kind) {
    case RV_OP_BEQ:
    case RV_OP_BNE:
    case RV_OP_BLT:
    case RV_OP_BGE:
    case RV_OP_BLTU:
    case RV_OP_BGEU:
        out[n++] = next;
        if (target >= 0 && target < 4096) out[n++] = (uint32_t)target;
        break;
    case RV_OP_JAL:
        if (target >= 0 && target < 4096) out[n++] = (uint32_t)target;
        if (last->rd != RV_REG_SINK) out[n++] = next; /* the call returns here */
        break;
    case RV_OP_JALR:
        if (last->rd != RV_REG_SINK) out[n++] = next;
        break;
    default: out[n++] = next; break; /* after a system instruction (an ecall returns there) */
    }
    return n;
}

static int cmp_block(const void *a, const void *b)
{
    uint64_t pa = (*(rv_block_t *const *)a)->paddr, pb = (*(rv_block_t *const *)b)->paddr;
    return pa < pb ? -1 : pa > pb;
}

/* Whether the block has F or D computation, which compiled code can only hand to the
 * interpreter one op at a time (rv_jit_exec_op): that took four times as long as interpreting
 * the block (the fp benchmark: 4.2 s against 0.98 s). Such blocks stay with the interpreter; a
 * jump to one leaves the region. */
static int computes_fp(const rv_block_t *b)
{
    for (uint32_t k = 0; k < b->n_ops; k++)
        if (b->ops[k].kind >= RV_OP_FADD_S && b->ops[k].kind <= RV_OP_FNMADD_D) return 1;
    return 0;
}

/* A free region slot, evicting the least recently entered region when all are used. */
static unsigned take_region(rv_cpu_t *cpu)
{
    rv_jit_t *j = &cpu->jit;
    unsigned best = 0;
    for (unsigned i = 0; i < RV_JIT_MAX_REGIONS; i++) {
        if (!j->regions[i].gen) return i;
        if (j->regions[i].last_use < j->regions[best].last_use) best = i;
    }
    drop_region(cpu, &j->regions[best]);
    j->stats.evictions++;
    return best;
}

rv_block_t *rv_jit_hot(rv_cpu_t *cpu, rv_block_t *b, uint64_t pc)
{
    rv_jit_t *j = &cpu->jit;
    uint64_t paddr = b->paddr, page = paddr & ~4095ull, pi = page_index(cpu, page);
    uint64_t vbase = pc & ~4095ull;
    if (b->no_chain || pi >= RV_CODE_PAGES || (b->n_ops && rv_jit_exits_before(&b->ops[0])) ||
        computes_fp(b)) {
        b->hits = INT32_MIN; /* nothing worth compiling starts here */
        return b;
    }
    unsigned old = j->page_region[pi];
    if (old && j->regions[old - 1].slot == 0) { /* being compiled: it is counted again */
        b->hits = 0;
        return b;
    }
    if (old && j->regions[old - 1].recompiles >= RV_JIT_MAX_RECOMPILES) {
        b->hits = INT32_MIN;
        return b;
    }
    uint64_t t0 = cpu->bus.time_now ? cpu->bus.time_now(cpu->bus.opaque) : 0;

    /* The blocks: the hot one, those the old region had, and what they reach in the page. */
    static uint32_t work[RV_JIT_MAX_BLOCKS * 3 + RV_JIT_MAX_BLOCKS];
    static uint8_t seen[4096 / 2];
    static rv_block_t *blocks[RV_JIT_MAX_BLOCKS];
    static uint8_t entry[RV_JIT_MAX_BLOCKS];
    uint32_t n_work = 0, n = 0;
    memset(seen, 0, sizeof seen);
    work[n_work++] = (uint32_t)(paddr & 4095);
    if (old)
        for (unsigned k = 0; k < j->regions[old - 1].n_blocks; k++)
            work[n_work++] = j->regions[old - 1].offs[k];
    /* No arena flush while blocks[] is filled; if this one drops the decoded blocks, b goes
     * too and the block at pc is decoded again. */
    rv_reserve_blocks(cpu, RV_JIT_MAX_BLOCKS + 1);
    b = rv_block_at(cpu, pc, paddr);
    if (!b) return NULL;
    uint32_t n_decode = n_work; /* these may be decoded; the rest must have run */
    /* The page's other blocks that ran often go in now, rather than each making the page
     * compile again when it gets hot: one module instead of several. */
    static rv_block_t *in_page[RV_JIT_MAX_BLOCKS];
    unsigned n_in_page = rv_blocks_in_page(cpu, page, in_page, RV_JIT_MAX_BLOCKS);
    for (unsigned k = 0; k < n_in_page; k++) {
        if (in_page[k]->hits < j->hot / 4 || n_work >= sizeof work / sizeof work[0]) continue;
        work[n_work++] = (uint32_t)(in_page[k]->paddr & 4095);
    }
    for (uint32_t w = 0; w < n_work && n < RV_JIT_MAX_BLOCKS; w++) {
        uint32_t off = work[w];
        if (seen[off / 2]) continue;
        seen[off / 2] = 1;
        /* Successors that never ran stay out (a jump there leaves): only code that ran is
         * compiled, and the region grows when more of it gets hot. */
        rv_block_t *blk = w < n_decode ? rv_block_at(cpu, vbase + off, page + off)
                                       : rv_block_cached(cpu, page + off);
        if (!blk || blk->no_chain || computes_fp(blk)) continue;
        blocks[n++] = blk;
        uint32_t succ[3];
        unsigned ns = successors(blk, off, succ);
        for (unsigned k = 0; k < ns; k++)
            if (succ[k] < 4096 && n_work < sizeof work / sizeof work[0]) work[n_work++] = succ[k];
    }
    qsort(blocks, n, sizeof blocks[0], cmp_block);
    /* Every block is an entry: the run loop, and a jump from another region, can go on in any
     * code of the region. Entering only at the hot blocks sent every return from a call into
     * another page through the interpreter until it reached one (bc: 9.6 M entries from the run
     * loop, against 4.8 M with every block an entry); the larger br_table costs the engine's
     * compiler nothing measurable (1.9 µs per byte either way). */
    memset(entry, 1, n);
    uint32_t len = rv_jit_emit(cpu, blocks, entry, n, j->code, sizeof j->code);
    if (!len) { /* too big for the buffer: these blocks stay with the interpreter */
        for (uint32_t k = 0; k < n; k++)
            blocks[k]->hits = INT32_MIN;
        j->stats.compile_fails++;
        return b;
    }

    unsigned ri;
    uint16_t recompiles = 0;
    if (old) {
        ri = old - 1u;
        recompiles = (uint16_t)(j->regions[ri].recompiles + 1);
        drop_region(cpu, &j->regions[ri]);
    } else {
        ri = take_region(cpu);
    }
    rv_jit_region_t *r = &j->regions[ri];
    r->page = page;
    r->last_use = cpu->instret;
    r->gen = next_gen();
    r->slot = 0;
    r->code_bytes = len;
    r->n_blocks = (uint16_t)n;
    r->recompiles = recompiles;
    for (uint32_t k = 0; k < n; k++) {
        r->offs[k] = (uint16_t)(blocks[k]->paddr & 4095);
        r->entry[k] = entry[k];
    }
    j->page_region[pi] = (uint16_t)(ri + 1);
    j->n_live++;
    j->stats.code_bytes += len;
    for (uint32_t k = 0; k < n; k++)
        blocks[k]->hits = 0; /* chained until the code is ready */
    if (cpu->bus.time_now) {
        uint64_t t1 = cpu->bus.time_now(cpu->bus.opaque);
        j->stats.compile_us +=
            (t1 - t0) * 1000000 / (cpu->bus.timebase_hz ? cpu->bus.timebase_hz : 1);
    }

    j->stats.compiles++;
    int32_t slot = j->host.compile(j->host.opaque, j->code, len, ri, r->gen);
    if (slot) rv_jit_ready(cpu, ri, r->gen, slot);
    return b;
}

void rv_jit_ready(rv_cpu_t *cpu, uint32_t region, uint32_t gen, int32_t slot)
{
    rv_jit_t *j = &cpu->jit;
    rv_jit_region_t *r = region < RV_JIT_MAX_REGIONS ? &j->regions[region] : NULL;
    if (!r || !gen || r->gen != gen) { /* dropped meanwhile */
        if (slot > 0) j->host.release(j->host.opaque, slot);
        return;
    }
    if (slot > 0) {
        r->slot = slot;
        link_region(cpu, region);
        return;
    }
    /* The engine refused the module: a bug in the emitter or a missing feature. Its blocks
     * unlink themselves on their next entry; after a few such failures the JIT stops compiling
     * and the interpreter runs everything new. */
    drop_region(cpu, r);
    if (++j->stats.compile_fails >= 16) j->hot = INT32_MAX;
}

/* ---- slow paths called from compiled code --------------------------------------------------- */

/* Status in cpu->jit.status after a slow path: go on, or leave the compiled code. */
enum { JIT_OK = 0, JIT_TRAPPED = 1 };

/* After an access to a device, which may have made an interrupt pending (a timer compare, the
 * interrupt controller): the code goes on, as the interpreter goes on with its block, and
 * leaves at the block's end, where the interpreter would stop chaining. */
static int32_t device_touched(rv_cpu_t *cpu)
{
    cpu->jit.stats.exits_mmio++;
    if (cpu->mip & cpu->mie) cpu->jit.limit = 0;
    return JIT_OK;
}
static int32_t stop_trapped(rv_cpu_t *cpu, uint64_t instret)
{
    cpu->instret = instret; /* pc is the trap handler's */
    cpu->jit.stats.exits_fault++;
    return JIT_TRAPPED;
}

/* A load the inline TLB check could not do. info: size in bytes, 16 if sign-extended (rd and
 * the op's length above, unused). instret: what the hart has retired before the op, for a
 * trap. A status that is not JIT_OK (in cpu->jit.status) makes the compiled code return. */
uint64_t rv_jit_load_slow(rv_cpu_t *cpu, uint64_t vaddr, uint32_t info, uint64_t pc,
                          uint64_t instret)
{
    unsigned size = info & 15;
    uint64_t v = 0;
    cpu->mmio_touched = 0;
    if (rv_load_slow(cpu, vaddr, size, &v)) {
        rv_raise(cpu, cpu->exc_cause, cpu->exc_tval, pc);
        cpu->jit.status = stop_trapped(cpu, instret);
        return 0;
    }
    if (info & 16) {
        unsigned shift = 64 - 8 * size;
        v = (uint64_t)((int64_t)(v << shift) >> shift);
    }
    cpu->jit.status = cpu->mmio_touched ? device_touched(cpu) : JIT_OK;
    return v;
}

int32_t rv_jit_store_slow(rv_cpu_t *cpu, uint64_t vaddr, uint64_t val, uint32_t info, uint64_t pc,
                          uint64_t instret)
{
    cpu->mmio_touched = 0;
    if (rv_store_slow(cpu, vaddr, info & 15, val)) {
        rv_raise(cpu, cpu->exc_cause, cpu->exc_tval, pc);
        return stop_trapped(cpu, instret);
    }
    return cpu->mmio_touched ? device_touched(cpu) : JIT_OK;
}

/* Compiled code jumps out of its region to cpu->pc: returns the table slot of the region to go
 * on in (its entry and page address in cpu->jit.next_*), or 0 to return to the run loop. The
 * checks are chain_next's: the slice, the doorbell, the fetch TLB mapping the target. */
int32_t rv_jit_chain(rv_cpu_t *cpu)
{
    rv_jit_t *j = &cpu->jit;
    uint64_t pc = cpu->pc;
    if (cpu->instret >= j->limit || *cpu->irq_watch != cpu->irq_seen) return 0;
    const rv_tlb_entry_t *e = rv_tlb_slot(cpu, RV_ACCESS_FETCH, pc);
    if (e->vpn != rv_tlb_key(cpu, pc)) return 0;
    rv_block_t *b = rv_block_cached(cpu, e->paddr_page | (pc & 4095));
    if (!b || !b->jit_region) return 0;
    rv_jit_region_t *r = &j->regions[b->jit_region - 1];
    if (r->gen != b->jit_gen || r->slot <= 0) return 0;
    r->last_use = cpu->instret;
    j->stats.chains++;
    j->next_entry = b->jit_entry;
    j->next_vbase = pc & ~4095ull;
    return r->slot;
}

/* An op as compiled code passes it: kind, rd, rs1, rs2, rs3, rm, len, a byte each from the
 * lowest, and the immediate. */
static rv_op_t unpack_op(uint64_t packed, int32_t imm)
{
    rv_op_t op;
    memset(&op, 0, sizeof op);
    op.kind = (uint8_t)packed;
    op.rd = (uint8_t)(packed >> 8);
    op.rs1 = (uint8_t)(packed >> 16);
    op.rs2 = (uint8_t)(packed >> 24);
    op.rs3 = (uint8_t)(packed >> 32);
    op.rm = (uint8_t)(packed >> 40);
    op.len = (uint8_t)(packed >> 48);
    op.imm = imm;
    return op;
}

/* A system op, run by the interpreter where it stands (cpu->instret counts the instructions
 * before it); it leaves pc and instret as the interpreter would. */
void rv_jit_exec_system(rv_cpu_t *cpu, uint64_t packed, int32_t imm, uint64_t pc)
{
    rv_op_t op = unpack_op(packed, imm);
    rv_exec_one(cpu, &op, pc);
    cpu->jit.stats.exits_system++;
}

/* An op compiled code leaves to the interpreter (F/D, atomics, the high multiplies). */
int32_t rv_jit_exec_op(rv_cpu_t *cpu, uint64_t packed, int32_t imm, uint64_t pc, uint64_t instret)
{
    rv_op_t op = unpack_op(packed, imm);
    cpu->mmio_touched = 0;
    if (rv_exec_one(cpu, &op, pc)) return stop_trapped(cpu, instret);
    return cpu->mmio_touched ? device_touched(cpu) : JIT_OK;
}
