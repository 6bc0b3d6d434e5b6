/* The JIT's code generator (docs/jit.md): turns a region's decoded blocks into one WebAssembly
 * function. Within a block, guest registers live in Wasm locals: loaded when the block starts
 * (before its loop, for a block that loops to itself), written back when it ends or leaves.
 * Keeping them in locals across the whole region instead makes every local live everywhere,
 * and V8's optimizing compiler then spends 300 ms on a 27 KB region, in register allocation
 * (docs/jit.md has the measurements). The TLB lookup of loads and stores is inline; blocks jump
 * to each other inside the function (forward with br, backward through a loop and a br_table)
 * and check the slice limit and the interrupt doorbell at every block's end, as the
 * interpreter's chaining does. Anything else leaves precisely, with pc and instret exactly as the
 * interpreter would have them: a trap at the instruction that caused it; a system instruction
 * after the interpreter ran it in place; a jump out of the region at its target, straight into
 * the target's compiled code when there is some (a tail call).
 *
 * Function layout, for blocks B0..Bn-1 (ascending addresses):
 *     block $exit  loop $dispatch  block $Bn-1 ... block $B0
 *         br_table $B0..$Bn-1 (local next; blocks that are not entries go to $exit)
 *       end $B0   code of B0      (falls into B1's code, or br to a later block's label)
 *       end $B1   code of B1 ...
 *     end $dispatch  end $exit    (reached only by a bad entry number: instret stored) */
#include "rv_internal.h"
#include "../../shared/wasm_emit.h"

/* Slow paths in rv_jit.c, called through the function table (a C function pointer in Wasm is
 * a table index). */
uint64_t rv_jit_load_slow(rv_cpu_t *cpu, uint64_t vaddr, uint32_t info, uint64_t pc,
                          uint64_t instret);
int32_t rv_jit_store_slow(rv_cpu_t *cpu, uint64_t vaddr, uint64_t val, uint32_t info, uint64_t pc,
                          uint64_t instret);
int32_t rv_jit_exec_op(rv_cpu_t *cpu, uint64_t packed, int32_t imm, uint64_t pc, uint64_t instret);
int32_t rv_jit_chain(rv_cpu_t *cpu);
void rv_jit_exec_system(rv_cpu_t *cpu, uint64_t packed, int32_t imm, uint64_t pc);

/* Function types of the module. */
enum { T_REGION, T_LOAD, T_STORE, T_OP, T_CHAIN, T_SYSTEM, T_COUNT };

/* Locals: the parameters, x1..x31, then scratch. i64 ones first, then i32 ones. */
enum {
    L_CPU = 0,   /* i32 param: the hart */
    L_ENTRY = 1, /* i32 param: the block to start at */
    L_VBASE = 2, /* i64 param: the virtual address the page is mapped at */
    L_X1 = 3,    /* x1..x31 */
    L_INSTRET = L_X1 + 31,
    L_T0,
    L_VA,
    L_VPN,
    L_NEXT, /* first i32 local */
    L_EA,
    L_I0,
    L_END
};
#define N_I64_LOCALS (L_NEXT - L_X1)
#define N_I32_LOCALS (L_END - L_NEXT)

typedef struct emit {
    wasm_buf_t *b;
    rv_block_t *const *blocks;
    uint32_t n;
    uint32_t i;         /* the block being written */
    uint32_t cur;       /* control nesting depth here: $exit is 1, $dispatch 2, $Bk is n + 2 - k */
    uint32_t base_off;  /* page offset of block i */
    uint32_t self_loop; /* nesting depth of the loop around block i's code, if it jumps to itself */
    uint32_t dirty;     /* registers whose local differs from cpu->x, a bit each */
} emit_t;

#define OFF(field) ((uint32_t)offsetof(rv_cpu_t, field))

static uint32_t depth_dispatch(const emit_t *e) { return e->cur - 2; }
static uint32_t depth_block(const emit_t *e, uint32_t k) { return e->cur - (e->n + 2 - k); }

static void open_if(emit_t *e, uint8_t type)
{
    wasm_block(e->b, W_IF, type);
    e->cur++;
}
static void op_else(emit_t *e) { wasm_op(e->b, W_ELSE); }
static void close(emit_t *e)
{
    wasm_op(e->b, W_END);
    e->cur--;
}

static void get_x(emit_t *e, unsigned r)
{
    if (r == 0 || r >= 32)
        wasm_i64_const(e->b, 0);
    else
        wasm_local(e->b, W_LOCAL_GET, L_X1 + r - 1);
}
/* Pops the value on the stack into rd (dropped for x0). */
static void set_x(emit_t *e, unsigned r)
{
    if (r == 0 || r >= 32) {
        wasm_op(e->b, W_DROP);
        return;
    }
    wasm_local(e->b, W_LOCAL_SET, L_X1 + r - 1);
    e->dirty |= 1u << r;
}
static void cpu_ptr(emit_t *e) { wasm_local(e->b, W_LOCAL_GET, L_CPU); }

/* Writes the changed registers back to cpu->x (on this path; the caller says whether that
 * makes them clean for what follows). */
static void store_dirty(emit_t *e)
{
    for (unsigned r = 1; r < 32; r++) {
        if (!(e->dirty >> r & 1)) continue;
        cpu_ptr(e);
        wasm_local(e->b, W_LOCAL_GET, L_X1 + r - 1);
        wasm_mem(e->b, W_I64_STORE, 3, OFF(x) + 8 * r);
    }
}
static void load_regs(emit_t *e, uint32_t regs)
{
    for (unsigned r = 1; r < 32; r++) {
        if (!(regs >> r & 1)) continue;
        cpu_ptr(e);
        wasm_mem(e->b, W_I64_LOAD, 3, OFF(x) + 8 * r);
        wasm_local(e->b, W_LOCAL_SET, L_X1 + r - 1);
    }
}

/* Pushes the virtual address at page offset off (which may lie outside the page). */
static void push_vaddr(emit_t *e, int64_t off)
{
    wasm_local(e->b, W_LOCAL_GET, L_VBASE);
    if (off) {
        wasm_i64_const(e->b, off);
        wasm_op(e->b, W_I64_ADD);
    }
}
static void add_instret(emit_t *e, uint32_t n)
{
    if (!n) return;
    wasm_local(e->b, W_LOCAL_GET, L_INSTRET);
    wasm_i64_const(e->b, n);
    wasm_op(e->b, W_I64_ADD);
    wasm_local(e->b, W_LOCAL_SET, L_INSTRET);
}
/* Pushes the instructions retired before this block, plus `more`. */
static void push_instret(emit_t *e, uint32_t more)
{
    wasm_local(e->b, W_LOCAL_GET, L_INSTRET);
    if (more) {
        wasm_i64_const(e->b, more);
        wasm_op(e->b, W_I64_ADD);
    }
}
/* Stores that in cpu->instret. */
static void store_instret(emit_t *e, uint32_t more)
{
    cpu_ptr(e);
    push_instret(e, more);
    wasm_mem(e->b, W_I64_STORE, 3, OFF(instret));
}
/* Returns to the run loop, `retired` more instructions retired. Each exit returns on its own
 * rather than through a shared epilogue: a label that hundreds of paths branch to is a merge
 * the optimizing compiler pays for. */
static void leave(emit_t *e, uint32_t retired)
{
    store_instret(e, retired);
    wasm_op(e->b, W_RETURN);
}
/* A plain transfer out of the region, pc already stored: goes straight on into the compiled
 * code of the target when rv_jit_chain finds it (a tail call, so chains do not grow the stack),
 * or returns to the run loop. */
static void chain(emit_t *e, uint32_t retired)
{
    store_instret(e, retired);
    cpu_ptr(e);
    wasm_i32_const(e->b, (int32_t)(uintptr_t)&rv_jit_chain);
    wasm_call_indirect(e->b, T_CHAIN, 0);
    wasm_local(e->b, W_LOCAL_TEE, L_I0);
    open_if(e, WASM_VOID);
    cpu_ptr(e);
    cpu_ptr(e);
    wasm_mem(e->b, W_I32_LOAD, 2, OFF(jit.next_entry));
    cpu_ptr(e);
    wasm_mem(e->b, W_I64_LOAD, 3, OFF(jit.next_vbase));
    wasm_local(e->b, W_LOCAL_GET, L_I0);
    wasm_byte(e->b, W_RETURN_CALL_INDIRECT);
    wasm_u32(e->b, T_REGION);
    wasm_u32(e->b, 0);
    close(e);
    wasm_op(e->b, W_RETURN);
}
/* A plain transfer to vbase + off, outside the region. */
static void chain_to(emit_t *e, int64_t off, uint32_t retired)
{
    store_dirty(e);
    cpu_ptr(e);
    push_vaddr(e, off);
    wasm_mem(e->b, W_I64_STORE, 3, OFF(pc));
    chain(e, retired);
}
/* Leaves with pc = vbase + off. */
static void exit_at(emit_t *e, int64_t off, uint32_t retired)
{
    store_dirty(e);
    cpu_ptr(e);
    push_vaddr(e, off);
    wasm_mem(e->b, W_I64_STORE, 3, OFF(pc));
    leave(e, retired);
}

/* The block's registers go back to cpu->x before it transfers control. */
static void end_block(emit_t *e)
{
    store_dirty(e);
    e->dirty = 0;
}

static int find_block(const emit_t *e, int64_t off)
{
    if (off < 0 || off >= 4096) return -1;
    int lo = 0, hi = (int)e->n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        int64_t o = (int64_t)(e->blocks[mid]->paddr & 4095);
        if (o == off) return mid;
        if (o < off)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

/* A plain control transfer to page offset off, `retired` instructions retired in the block.
 * at_end: nothing follows in this block's code, so the next block's code may be fallen into. */
static void transfer(emit_t *e, int64_t off, uint32_t retired, int at_end)
{
    int k = find_block(e, off);
    if (k < 0) {
        chain_to(e, off, retired);
        return;
    }
    add_instret(e, retired);
    /* Leave when the slice is over or a device rang, at every block's end as the interpreter
     * does (chain_next), so interrupts are taken at the same instruction. */
    wasm_local(e->b, W_LOCAL_GET, L_INSTRET);
    cpu_ptr(e);
    wasm_mem(e->b, W_I64_LOAD, 3, OFF(jit.limit));
    wasm_op(e->b, W_I64_GE_U);
    cpu_ptr(e);
    wasm_mem(e->b, W_I32_LOAD, 2, OFF(irq_watch));
    wasm_mem(e->b, W_I32_LOAD, 2, 0);
    cpu_ptr(e);
    wasm_mem(e->b, W_I32_LOAD, 2, OFF(irq_seen));
    wasm_op(e->b, W_I32_NE);
    wasm_op(e->b, W_I32_OR);
    open_if(e, WASM_VOID);
    exit_at(e, off, 0);
    close(e);
    if ((uint32_t)k > e->i) {
        if (!(at_end && (uint32_t)k == e->i + 1)) wasm_br(e->b, W_BR, depth_block(e, (uint32_t)k));
        return;
    }
    /* Backward: a loop. A block that loops to itself has a Wasm loop of its own, which engines
     * compile far better than a jump back through the dispatching br_table. */
    if ((uint32_t)k == e->i && e->self_loop) {
        wasm_br(e->b, W_BR, e->cur - e->self_loop);
        return;
    }
    wasm_i32_const(e->b, k);
    wasm_local(e->b, W_LOCAL_SET, L_NEXT);
    wasm_br(e->b, W_BR, depth_dispatch(e));
}

/* ---- integer ops --------------------------------------------------------------------------- */

static void binop(emit_t *e, const rv_op_t *op, enum wasm_opcode w)
{
    get_x(e, op->rs1);
    get_x(e, op->rs2);
    wasm_op(e->b, w);
}
static void immop(emit_t *e, const rv_op_t *op, enum wasm_opcode w)
{
    get_x(e, op->rs1);
    wasm_i64_const(e->b, op->imm);
    wasm_op(e->b, w);
}
static void sext32(emit_t *e) /* the low 32 bits of the i64 on the stack, sign-extended */
{
    wasm_op(e->b, W_I32_WRAP_I64);
    wasm_op(e->b, W_I64_EXTEND_I32_S);
}
static void low32(emit_t *e, unsigned r)
{
    get_x(e, r);
    wasm_op(e->b, W_I32_WRAP_I64);
}
/* A 32-bit op on the low halves of rs1 and rs2 (or rs1 and an immediate), sign-extended. */
static void op32(emit_t *e, const rv_op_t *op, enum wasm_opcode w, int use_imm)
{
    low32(e, op->rs1);
    if (use_imm)
        wasm_i32_const(e->b, op->imm);
    else
        low32(e, op->rs2);
    wasm_op(e->b, w);
    wasm_op(e->b, W_I64_EXTEND_I32_S);
}

/* Division and remainder with RISC-V's results for a zero divisor and for overflow, which
 * trap in Wasm: pushes the result. */
static void divrem(emit_t *e, const rv_op_t *op)
{
    int word = op->kind >= RV_OP_MULW;
    int is_div = op->kind == RV_OP_DIV || op->kind == RV_OP_DIVU || op->kind == RV_OP_DIVW ||
                 op->kind == RV_OP_DIVUW;
    int is_signed = op->kind == RV_OP_DIV || op->kind == RV_OP_REM || op->kind == RV_OP_DIVW ||
                    op->kind == RV_OP_REMW;
    /* divisor == 0 ? (div: all ones; rem: the dividend) : ... */
    if (word)
        low32(e, op->rs2), wasm_op(e->b, W_I32_EQZ);
    else
        get_x(e, op->rs2), wasm_op(e->b, W_I64_EQZ);
    open_if(e, WASM_I64);
    if (is_div) {
        wasm_i64_const(e->b, -1);
    } else {
        get_x(e, op->rs1);
        if (word) sext32(e);
    }
    op_else(e);
    if (is_signed && is_div) { /* divisor == -1: the negation, which wraps as RISC-V wants */
        if (word)
            low32(e, op->rs2), wasm_i32_const(e->b, -1), wasm_op(e->b, W_I32_EQ);
        else
            get_x(e, op->rs2), wasm_i64_const(e->b, -1), wasm_op(e->b, W_I64_EQ);
        open_if(e, WASM_I64);
        if (word) {
            wasm_i32_const(e->b, 0);
            low32(e, op->rs1);
            wasm_op(e->b, W_I32_SUB);
            wasm_op(e->b, W_I64_EXTEND_I32_S);
        } else {
            wasm_i64_const(e->b, 0);
            get_x(e, op->rs1);
            wasm_op(e->b, W_I64_SUB);
        }
        op_else(e);
    }
    /* rem_s of the overflow case is 0 in Wasm, as in RISC-V: no special case needed. */
    enum wasm_opcode w;
    if (word)
        w = is_div ? (is_signed ? W_I32_DIV_S : W_I32_DIV_U)
                   : (is_signed ? W_I32_REM_S : W_I32_REM_U);
    else
        w = is_div ? (is_signed ? W_I64_DIV_S : W_I64_DIV_U)
                   : (is_signed ? W_I64_REM_S : W_I64_REM_U);
    if (word) {
        op32(e, op, w, 0);
    } else {
        binop(e, op, w);
    }
    if (is_signed && is_div) close(e);
    close(e);
}

/* ---- loads and stores ---------------------------------------------------------------------- */

/* Computes the address into L_VA and pushes whether the TLB entry maps it (and it is aligned). */
static void tlb_check(emit_t *e, const rv_op_t *op, unsigned size, uint32_t tlb_field)
{
    get_x(e, op->rs1);
    if (op->imm) {
        wasm_i64_const(e->b, op->imm);
        wasm_op(e->b, W_I64_ADD);
    }
    wasm_local(e->b, W_LOCAL_TEE, L_VA);
    wasm_i64_const(e->b, 12);
    wasm_op(e->b, W_I64_SHR_U);
    wasm_local(e->b, W_LOCAL_TEE, L_VPN);
    wasm_op(e->b, W_I32_WRAP_I64);
    wasm_i32_const(e->b, RV_TLB_SIZE - 1);
    wasm_op(e->b, W_I32_AND);
    wasm_i32_const(e->b, (int32_t)sizeof(rv_tlb_entry_t));
    wasm_op(e->b, W_I32_MUL);
    cpu_ptr(e);
    wasm_mem(e->b, W_I32_LOAD, 2, tlb_field);
    wasm_op(e->b, W_I32_ADD);
    wasm_local(e->b, W_LOCAL_TEE, L_EA);
    wasm_mem(e->b, W_I64_LOAD, 3, (uint32_t)offsetof(rv_tlb_entry_t, vpn));
    wasm_local(e->b, W_LOCAL_GET, L_VPN);
    cpu_ptr(e);
    wasm_mem(e->b, W_I64_LOAD, 3, OFF(tlb_tag));
    wasm_op(e->b, W_I64_OR);
    wasm_op(e->b, W_I64_EQ);
    if (size > 1) {
        wasm_local(e->b, W_LOCAL_GET, L_VA);
        wasm_op(e->b, W_I32_WRAP_I64);
        wasm_i32_const(e->b, (int32_t)size - 1);
        wasm_op(e->b, W_I32_AND);
        wasm_op(e->b, W_I32_EQZ);
        wasm_op(e->b, W_I32_AND);
    }
}
/* Pushes the host address of L_VA through the entry at L_EA. */
static void host_addr(emit_t *e)
{
    wasm_local(e->b, W_LOCAL_GET, L_EA);
    wasm_mem(e->b, W_I32_LOAD, 2, (uint32_t)offsetof(rv_tlb_entry_t, addend));
    wasm_local(e->b, W_LOCAL_GET, L_VA);
    wasm_op(e->b, W_I32_WRAP_I64);
    wasm_op(e->b, W_I32_ADD);
}

/* Pushes what every slow path takes after its own arguments: the op's pc and the instret of the
 * instructions before it, with which the slow path leaves the hart when the op traps. */
static void slow_args(emit_t *e, const rv_op_t *op)
{
    push_vaddr(e, (int64_t)e->base_off + op->pc_off);
    push_instret(e, op->idx);
}
/* The slow path's status (i32) is on the stack: returns to the run loop when it is not 0. */
static void return_if_stopped(emit_t *e)
{
    open_if(e, WASM_VOID);
    wasm_op(e->b, W_RETURN);
    close(e);
}
/* What a slow path learns of the op: its size, sign, rd and length. */
static int32_t slow_info(const rv_op_t *op, unsigned size, int is_signed)
{
    return (int32_t)(size | (is_signed ? 16u : 0u) | (uint32_t)op->rd << 8 |
                     (uint32_t)op->len << 16);
}

/* The slow path of a load whose inline TLB check failed: pushes the value rv_jit_load_slow
 * read, or returns to the run loop if the load trapped. */
static void load_slow(emit_t *e, const rv_op_t *op, unsigned size, int is_signed)
{
    store_dirty(e);      /* a trap handler or a device may look at them */
    store_instret(e, 0); /* a device reading the time sees the instret of the block's start */
    cpu_ptr(e);
    wasm_local(e->b, W_LOCAL_GET, L_VA);
    wasm_i32_const(e->b, slow_info(op, size, is_signed));
    slow_args(e, op);
    wasm_i32_const(e->b, (int32_t)(uintptr_t)&rv_jit_load_slow);
    wasm_call_indirect(e->b, T_LOAD, 0);
    cpu_ptr(e);
    wasm_mem(e->b, W_I32_LOAD, 2, OFF(jit.status));
    return_if_stopped(e);
}
/* Pushes the value a store writes: x[rs2], or f[rs2] for an F/D store. */
static void store_value(emit_t *e, const rv_op_t *op, int fp)
{
    if (!fp) {
        get_x(e, op->rs2);
        return;
    }
    cpu_ptr(e);
    wasm_mem(e->b, W_I64_LOAD, 3, OFF(f) + 8 * op->rs2);
}
/* The slow path of a store whose inline TLB check failed. */
static void store_slow(emit_t *e, const rv_op_t *op, unsigned size, int fp)
{
    store_dirty(e);
    store_instret(e, 0);
    cpu_ptr(e);
    wasm_local(e->b, W_LOCAL_GET, L_VA);
    store_value(e, op, fp);
    wasm_i32_const(e->b, slow_info(op, size, 0));
    slow_args(e, op);
    wasm_i32_const(e->b, (int32_t)(uintptr_t)&rv_jit_store_slow);
    wasm_call_indirect(e->b, T_STORE, 0);
    return_if_stopped(e);
}

static void emit_load(emit_t *e, const rv_op_t *op, unsigned size, int is_signed,
                      enum wasm_opcode w)
{
    tlb_check(e, op, size, OFF(jit.tlb_read));
    open_if(e, WASM_I64);
    host_addr(e);
    wasm_mem(e->b, w, 0, 0);
    op_else(e);
    load_slow(e, op, size, is_signed);
    close(e);
    set_x(e, op->rd);
}

static void emit_store(emit_t *e, const rv_op_t *op, unsigned size, enum wasm_opcode w)
{
    tlb_check(e, op, size, OFF(jit.tlb_write));
    open_if(e, WASM_VOID);
    host_addr(e);
    store_value(e, op, 0);
    wasm_mem(e->b, w, 0, 0);
    op_else(e);
    store_slow(e, op, size, 0);
    close(e);
}

static uint64_t pack_op(const rv_op_t *op)
{
    return (uint64_t)op->kind | (uint64_t)op->rd << 8 | (uint64_t)op->rs1 << 16 |
           (uint64_t)op->rs2 << 24 | (uint64_t)op->rs3 << 32 | (uint64_t)op->rm << 40 |
           (uint64_t)op->len << 48;
}

/* A system instruction (CSR access, ecall, xret, fences, wfi, an illegal one): the interpreter
 * runs it where it stands, with the instructions before it retired, and the code returns to
 * the run loop, since it may change privilege, translation or what is pending. Running it here
 * rather than leaving before it takes a trap at the same point as the interpreter does. */
static void emit_system(emit_t *e, const rv_op_t *op)
{
    store_dirty(e);
    store_instret(e, op->idx);
    cpu_ptr(e);
    wasm_i64_const(e->b, (int64_t)pack_op(op));
    wasm_i32_const(e->b, op->imm);
    push_vaddr(e, (int64_t)e->base_off + op->pc_off);
    wasm_i32_const(e->b, (int32_t)(uintptr_t)&rv_jit_exec_system);
    wasm_call_indirect(e->b, T_SYSTEM, 0);
    wasm_op(e->b, W_RETURN);
}

/* Calls rv_jit_exec_op for the op, the changed registers written back first (they stay dirty:
 * the caller says whether they are clean afterwards), and returns to the run loop if it trapped. */
static void call_exec_op(emit_t *e, const rv_op_t *op)
{
    store_dirty(e);
    store_instret(e, 0);
    cpu_ptr(e);
    wasm_i64_const(e->b, (int64_t)pack_op(op));
    wasm_i32_const(e->b, op->imm);
    slow_args(e, op);
    wasm_i32_const(e->b, (int32_t)(uintptr_t)&rv_jit_exec_op);
    wasm_call_indirect(e->b, T_OP, 0);
    return_if_stopped(e);
}

/* An op run by the interpreter (rv_jit_exec_op): the changed registers go to memory first, and
 * its destination comes back. */
static void emit_interp(emit_t *e, const rv_op_t *op)
{
    call_exec_op(e, op);
    e->dirty = 0;
    if (op->rd != 0 && op->rd < 32) load_regs(e, 1u << op->rd); /* it may have written x[rd] */
}

/* F and D loads and stores, inline while mstatus.FS is Dirty (SD set), as it stays in code that
 * uses the FPU: the interpreter's illegal-instruction check and its marking of the state as
 * dirty then change nothing. Otherwise the interpreter runs the op, which traps or marks the
 * state. The value goes between memory and cpu->f (compiled code keeps no F register in a
 * local); a single is NaN-boxed when loaded, as the interpreter does. */
static void emit_fp_mem(emit_t *e, const rv_op_t *op, unsigned size, int is_store)
{
    const int64_t fs_dirty = (int64_t)(MSTATUS_FS | MSTATUS_SD);
    cpu_ptr(e);
    wasm_mem(e->b, W_I64_LOAD, 3, OFF(mstatus));
    wasm_i64_const(e->b, fs_dirty);
    wasm_op(e->b, W_I64_AND);
    wasm_i64_const(e->b, fs_dirty);
    wasm_op(e->b, W_I64_EQ);
    open_if(e, WASM_VOID);
    if (!is_store) cpu_ptr(e); /* where the loaded value goes, under the TLB check's result */
    tlb_check(e, op, size, is_store ? OFF(jit.tlb_write) : OFF(jit.tlb_read));
    if (is_store) {
        open_if(e, WASM_VOID);
        host_addr(e);
        store_value(e, op, 1);
        wasm_mem(e->b, size == 8 ? W_I64_STORE : W_I64_STORE32, 0, 0);
        op_else(e);
        store_slow(e, op, size, 1);
        close(e);
    } else {
        open_if(e, WASM_I64);
        host_addr(e);
        wasm_mem(e->b, size == 8 ? W_I64_LOAD : W_I64_LOAD32_U, 0, 0);
        op_else(e);
        load_slow(e, op, size, 0);
        close(e);
        if (size == 4) {
            wasm_i64_const(e->b, (int64_t)0xffffffff00000000ull);
            wasm_op(e->b, W_I64_OR);
        }
        wasm_mem(e->b, W_I64_STORE, 3, OFF(f) + 8 * op->rd);
    }
    op_else(e);
    call_exec_op(e, op); /* on this path only: the registers stay dirty for what follows */
    close(e);
}

/* ---- one block ------------------------------------------------------------------------------ */

static void emit_op(emit_t *e, const rv_op_t *op, int last)
{
    int64_t pc_off = (int64_t)e->base_off + op->pc_off;
    int64_t next_off = pc_off + op->len;
    uint32_t retired = op->idx + 1u;
    enum wasm_opcode cmp;
    switch (op->kind) {
    case RV_OP_NOP:
    case RV_OP_FENCE: return;
    case RV_OP_LUI: wasm_i64_const(e->b, op->imm), set_x(e, op->rd); return;
    case RV_OP_AUIPC: push_vaddr(e, pc_off + op->imm), set_x(e, op->rd); return;
    case RV_OP_JAL:
        if (op->rd != RV_REG_SINK) push_vaddr(e, next_off), set_x(e, op->rd);
        if (!(e->self_loop && op->pc_off + op->imm == 0)) end_block(e);
        transfer(e, pc_off + op->imm, retired, last);
        return;
    case RV_OP_JALR:
        get_x(e, op->rs1);
        wasm_i64_const(e->b, op->imm);
        wasm_op(e->b, W_I64_ADD);
        wasm_i64_const(e->b, ~1ll);
        wasm_op(e->b, W_I64_AND);
        wasm_local(e->b, W_LOCAL_SET, L_T0);
        if (op->rd != RV_REG_SINK) push_vaddr(e, next_off), set_x(e, op->rd);
        end_block(e);
        cpu_ptr(e);
        wasm_local(e->b, W_LOCAL_GET, L_T0);
        wasm_mem(e->b, W_I64_STORE, 3, OFF(pc));
        chain(e, retired);
        return;
    case RV_OP_BEQ: cmp = W_I64_EQ; goto branch;
    case RV_OP_BNE: cmp = W_I64_NE; goto branch;
    case RV_OP_BLT: cmp = W_I64_LT_S; goto branch;
    case RV_OP_BGE: cmp = W_I64_GE_S; goto branch;
    case RV_OP_BLTU: cmp = W_I64_LT_U; goto branch;
    case RV_OP_BGEU:
        cmp = W_I64_GE_U;
        goto branch;
    branch:
        /* The taken path of a block that loops to itself keeps the registers in locals. */
        if (!(e->self_loop && op->pc_off + op->imm == 0)) end_block(e);
        binop(e, op, cmp);
        open_if(e, WASM_VOID);
        transfer(e, pc_off + op->imm, retired, 0);
        close(e);
        end_block(e);
        transfer(e, next_off, retired, last);
        return;
    case RV_OP_LB: emit_load(e, op, 1, 1, W_I64_LOAD8_S); return;
    case RV_OP_LH: emit_load(e, op, 2, 1, W_I64_LOAD16_S); return;
    case RV_OP_LW: emit_load(e, op, 4, 1, W_I64_LOAD32_S); return;
    case RV_OP_LD: emit_load(e, op, 8, 0, W_I64_LOAD); return;
    case RV_OP_LBU: emit_load(e, op, 1, 0, W_I64_LOAD8_U); return;
    case RV_OP_LHU: emit_load(e, op, 2, 0, W_I64_LOAD16_U); return;
    case RV_OP_LWU: emit_load(e, op, 4, 0, W_I64_LOAD32_U); return;
    case RV_OP_SB: emit_store(e, op, 1, W_I64_STORE8); return;
    case RV_OP_SH: emit_store(e, op, 2, W_I64_STORE16); return;
    case RV_OP_SW: emit_store(e, op, 4, W_I64_STORE32); return;
    case RV_OP_SD: emit_store(e, op, 8, W_I64_STORE); return;
    case RV_OP_FLW: emit_fp_mem(e, op, 4, 0); return;
    case RV_OP_FLD: emit_fp_mem(e, op, 8, 0); return;
    case RV_OP_FSW: emit_fp_mem(e, op, 4, 1); return;
    case RV_OP_FSD: emit_fp_mem(e, op, 8, 1); return;
    default: break;
    }
    if (rv_jit_exits_before(op)) {
        emit_system(e, op);
        return;
    }
    if (op->rd == RV_REG_SINK && op->kind >= RV_OP_ADDI && op->kind <= RV_OP_REMUW) return;
    switch (op->kind) {
    case RV_OP_ADDI: immop(e, op, W_I64_ADD); break;
    case RV_OP_SLTI: immop(e, op, W_I64_LT_S), wasm_op(e->b, W_I64_EXTEND_I32_U); break;
    case RV_OP_SLTIU: immop(e, op, W_I64_LT_U), wasm_op(e->b, W_I64_EXTEND_I32_U); break;
    case RV_OP_XORI: immop(e, op, W_I64_XOR); break;
    case RV_OP_ORI: immop(e, op, W_I64_OR); break;
    case RV_OP_ANDI: immop(e, op, W_I64_AND); break;
    case RV_OP_SLLI: immop(e, op, W_I64_SHL); break;
    case RV_OP_SRLI: immop(e, op, W_I64_SHR_U); break;
    case RV_OP_SRAI: immop(e, op, W_I64_SHR_S); break;
    case RV_OP_ADDIW: immop(e, op, W_I64_ADD), sext32(e); break;
    case RV_OP_SLLIW: op32(e, op, W_I32_SHL, 1); break;
    case RV_OP_SRLIW: op32(e, op, W_I32_SHR_U, 1); break;
    case RV_OP_SRAIW: op32(e, op, W_I32_SHR_S, 1); break;
    case RV_OP_ADD: binop(e, op, W_I64_ADD); break;
    case RV_OP_SUB: binop(e, op, W_I64_SUB); break;
    case RV_OP_SLL: binop(e, op, W_I64_SHL); break; /* Wasm shifts by the count mod 64 too */
    case RV_OP_SLT: binop(e, op, W_I64_LT_S), wasm_op(e->b, W_I64_EXTEND_I32_U); break;
    case RV_OP_SLTU: binop(e, op, W_I64_LT_U), wasm_op(e->b, W_I64_EXTEND_I32_U); break;
    case RV_OP_XOR: binop(e, op, W_I64_XOR); break;
    case RV_OP_SRL: binop(e, op, W_I64_SHR_U); break;
    case RV_OP_SRA: binop(e, op, W_I64_SHR_S); break;
    case RV_OP_OR: binop(e, op, W_I64_OR); break;
    case RV_OP_AND: binop(e, op, W_I64_AND); break;
    case RV_OP_ADDW: binop(e, op, W_I64_ADD), sext32(e); break;
    case RV_OP_SUBW: binop(e, op, W_I64_SUB), sext32(e); break;
    case RV_OP_SLLW: op32(e, op, W_I32_SHL, 0); break;
    case RV_OP_SRLW: op32(e, op, W_I32_SHR_U, 0); break;
    case RV_OP_SRAW: op32(e, op, W_I32_SHR_S, 0); break;
    case RV_OP_MUL: binop(e, op, W_I64_MUL); break;
    case RV_OP_MULW: binop(e, op, W_I64_MUL), sext32(e); break;
    case RV_OP_DIV:
    case RV_OP_DIVU:
    case RV_OP_REM:
    case RV_OP_REMU:
    case RV_OP_DIVW:
    case RV_OP_DIVUW:
    case RV_OP_REMW:
    case RV_OP_REMUW: divrem(e, op); break;
    default: /* the high multiplies, atomics, F and D */ emit_interp(e, op); return;
    }
    set_x(e, op->rd);
}

/* Whether the block ends in a branch or jump back to its own start. */
static int loops_to_itself(const rv_block_t *b)
{
    if (!b->n_ops) return 0;
    const rv_op_t *last = &b->ops[b->n_ops - 1];
    if (last->kind < RV_OP_JAL || last->kind > RV_OP_BGEU || last->kind == RV_OP_JALR) return 0;
    return (int64_t)last->pc_off + last->imm == 0;
}

static void emit_ops(emit_t *e, const rv_block_t *b)
{
    for (uint32_t k = 0; k < b->n_ops; k++) {
        const rv_op_t *op = &b->ops[k];
        emit_op(e, op, k + 1 == b->n_ops);
        if (rv_op_ends_block(op)) return;
    }
    /* The page or the op limit ended the block: on to the next instruction. */
    end_block(e);
    transfer(e, (int64_t)e->base_off + b->n_bytes, b->n_ops, 1);
}

/* The registers the block reads, and those it writes. */
static void block_regs(const rv_block_t *b, uint32_t *read, uint32_t *written)
{
    *read = *written = 0;
    for (uint32_t k = 0; k < b->n_ops; k++) {
        const rv_op_t *op = &b->ops[k];
        if (op->rs1 < 32) *read |= 1u << op->rs1;
        if (op->rs2 < 32) *read |= 1u << op->rs2;
        if (op->rd < 32) *written |= 1u << op->rd;
    }
    *read &= ~1u;
    *written &= ~1u;
}

static void emit_block(emit_t *e, const rv_block_t *b)
{
    uint32_t read, written;
    block_regs(b, &read, &written);
    e->base_off = (uint32_t)(b->paddr & 4095);
    e->self_loop = 0;
    e->dirty = 0;
    if (!loops_to_itself(b)) {
        load_regs(e, read);
        emit_ops(e, b);
        return;
    }
    /* Around the loop every register it writes may be changed, so all of them hold the
     * right value from the start. */
    load_regs(e, read | written);
    wasm_block(e->b, W_LOOP, WASM_VOID);
    e->cur++;
    e->self_loop = e->cur;
    e->dirty = written;
    emit_ops(e, b); /* a fall-through leaves the loop into the next block's code */
    close(e);
    e->self_loop = 0;
}

/* ---- the module ----------------------------------------------------------------------------- */

static void func_type(wasm_buf_t *b, const uint8_t *params, unsigned np, const uint8_t *results,
                      unsigned nr)
{
    wasm_byte(b, 0x60);
    wasm_u32(b, np);
    wasm_bytes(b, params, np);
    wasm_u32(b, nr);
    wasm_bytes(b, results, nr);
}

uint32_t rv_jit_emit(rv_cpu_t *cpu, rv_block_t *const *blocks, uint8_t *entry, uint32_t n,
                     uint8_t *out, uint32_t cap)
{
    wasm_buf_t buf = {.p = out, .cap = cap}, *b = &buf;
    static const uint8_t magic[8] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    wasm_bytes(b, magic, sizeof magic);

    wasm_byte(b, WASM_SEC_TYPE);
    uint32_t at = wasm_reserve_len(b);
    wasm_u32(b, T_COUNT);
    static const uint8_t p_region[] = {WASM_I32, WASM_I32, WASM_I64};
    static const uint8_t p_load[] = {WASM_I32, WASM_I64, WASM_I32, WASM_I64, WASM_I64};
    static const uint8_t p_store[] = {WASM_I32, WASM_I64, WASM_I64, WASM_I32, WASM_I64, WASM_I64};
    static const uint8_t p_op[] = {WASM_I32, WASM_I64, WASM_I32, WASM_I64, WASM_I64};
    static const uint8_t p_system[] = {WASM_I32, WASM_I64, WASM_I32, WASM_I64};
    static const uint8_t r_i64[] = {WASM_I64}, r_i32[] = {WASM_I32}, p_chain[] = {WASM_I32};
    func_type(b, p_region, 3, NULL, 0);
    func_type(b, p_load, 5, r_i64, 1);
    func_type(b, p_store, 6, r_i32, 1);
    func_type(b, p_op, 5, r_i32, 1);
    func_type(b, p_chain, 1, r_i32, 1);
    func_type(b, p_system, 4, NULL, 0);
    wasm_patch_len(b, at);

    /* Imports: the CPU module's shared memory (any size up to 4 GiB) and function table. */
    wasm_byte(b, WASM_SEC_IMPORT);
    at = wasm_reserve_len(b);
    wasm_u32(b, 2);
    wasm_name(b, "env");
    wasm_name(b, "memory");
    wasm_byte(b, 0x02);
    wasm_byte(b, 0x03); /* shared, with a maximum */
    wasm_u32(b, 0);
    wasm_u32(b, 65536);
    wasm_name(b, "env");
    wasm_name(b, "table");
    wasm_byte(b, 0x01);
    wasm_byte(b, WASM_FUNCREF);
    wasm_byte(b, 0x00);
    wasm_u32(b, 0);
    wasm_patch_len(b, at);

    wasm_byte(b, WASM_SEC_FUNCTION);
    at = wasm_reserve_len(b);
    wasm_u32(b, 1);
    wasm_u32(b, T_REGION);
    wasm_patch_len(b, at);

    wasm_byte(b, WASM_SEC_EXPORT);
    at = wasm_reserve_len(b);
    wasm_u32(b, 1);
    wasm_name(b, "f");
    wasm_byte(b, 0x00);
    wasm_u32(b, 0);
    wasm_patch_len(b, at);

    wasm_byte(b, WASM_SEC_CODE);
    uint32_t code_at = wasm_reserve_len(b);
    wasm_u32(b, 1);
    uint32_t body_at = wasm_reserve_len(b);
    wasm_u32(b, 2);
    wasm_u32(b, N_I64_LOCALS);
    wasm_byte(b, WASM_I64);
    wasm_u32(b, N_I32_LOCALS);
    wasm_byte(b, WASM_I32);

    /* Prologue: instret. What else the code needs (the slice limit, the TLB sets) rv_jit_enter
     * has put in cpu->jit: values kept in locals across the whole function slow V8's register
     * allocator down. */
    wasm_local(b, W_LOCAL_GET, L_CPU);
    wasm_mem(b, W_I64_LOAD, 3, OFF(instret));
    wasm_local(b, W_LOCAL_SET, L_INSTRET);
    wasm_local(b, W_LOCAL_GET, L_ENTRY);
    wasm_local(b, W_LOCAL_SET, L_NEXT);

    /* The block structure. */
    emit_t e = {.b = b, .blocks = blocks, .n = n};
    /* Blocks jumped back to (other than by a block to itself) are reached through the
     * br_table too. Only these and the run loop's entries are: every br_table target is a
     * merge of the whole function's state, which the optimizing compiler pays for. */
    for (uint32_t k = 0; k < n; k++) {
        const rv_block_t *blk = blocks[k];
        const rv_op_t *last = blk->n_ops ? &blk->ops[blk->n_ops - 1] : NULL;
        if (!last || last->kind < RV_OP_JAL || last->kind > RV_OP_BGEU || last->kind == RV_OP_JALR)
            continue;
        int t = find_block(&e, (int64_t)(blk->paddr & 4095) + last->pc_off + last->imm);
        if (t >= 0 && (uint32_t)t < k) entry[t] = 1;
    }
    wasm_block(b, W_BLOCK, WASM_VOID); /* $exit */
    wasm_block(b, W_LOOP, WASM_VOID);  /* $dispatch */
    for (uint32_t k = 0; k < n; k++)
        wasm_block(b, W_BLOCK, WASM_VOID);
    wasm_local(b, W_LOCAL_GET, L_NEXT);
    wasm_byte(b, W_BR_TABLE);
    wasm_u32(b, n);
    for (uint32_t k = 0; k < n; k++)
        wasm_u32(b, entry[k] ? k : n + 1);
    wasm_u32(b, n + 1); /* an entry out of range leaves at once */
    for (uint32_t k = 0; k < n; k++) {
        wasm_op(b, W_END); /* $Bk: its code follows */
        e.i = k;
        e.cur = n + 1 - k;
        emit_block(&e, blocks[k]);
    }
    wasm_op(b, W_UNREACHABLE); /* every block ends in a transfer */
    wasm_op(b, W_END);         /* $dispatch */
    wasm_op(b, W_END);         /* $exit */

    /* Epilogue: instret (every path here has written its registers back). */
    wasm_local(b, W_LOCAL_GET, L_CPU);
    wasm_local(b, W_LOCAL_GET, L_INSTRET);
    wasm_mem(b, W_I64_STORE, 3, OFF(instret));
    wasm_op(b, W_END);
    wasm_patch_len(b, body_at);
    wasm_patch_len(b, code_at);
    return b->overflow ? 0 : b->len;
}
