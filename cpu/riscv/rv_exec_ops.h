/* What each decoded op does, written once for both dispatch styles of rv_exec.c: threaded (each
 * op is a function that tail-calls the next op's) and switch (one loop over a switch). The
 * including file defines:
 *   OP(name)            starts the body of RV_OP_<name> (a function, or a case label)
 *   NEXT                goes on with the next op of the block
 *   CHAIN(target, n)    ends the block by a plain control transfer to target, n instructions
 *                       retired in it; goes straight on to the next block when it is known
 *   EXIT(next, n)       ends the block and returns to rv_run with pc = next, n retired
 *   RETURN              returns to rv_run; the body has already set pc and instret
 * and the body sees: cpu, x (cpu->x), op (this op) and pc (the block's first pc). Each body ends
 * in one of these; none falls through. Not a public header: only rv_exec.c includes it. */

#define OP_PC (pc + op->pc_off)
#define NEXT_PC (pc + op->pc_off + op->len)
#define IMM ((int64_t)op->imm)

/* A fault recorded by the slow path: the instructions before this one retired. */
#define MEM_FAULT                                                                                  \
    do {                                                                                           \
        cpu->instret += op->idx;                                                                   \
        rv_raise(cpu, cpu->exc_cause, cpu->exc_tval, OP_PC);                                       \
        RETURN;                                                                                    \
    } while (0)
#define ILLEGAL                                                                                    \
    do {                                                                                           \
        cpu->instret += op->idx;                                                                   \
        rv_raise(cpu, CAUSE_ILLEGAL_INSTRUCTION,                                                   \
                 op->kind == RV_OP_ILLEGAL ? (uint32_t)op->imm : insn_bits(cpu, OP_PC), OP_PC);    \
        RETURN;                                                                                    \
    } while (0)

/* The bodies of the ops that superinstructions pair up, as statements that leave op at the op
 * they ran (B_<name>), so a pair runs two bodies with one dispatch. */
#define B_LOAD(size, conv)                                                                         \
    {                                                                                              \
        uint64_t v;                                                                                \
        if (unlikely(rv_load(cpu, x[op->rs1] + IMM, size, &v))) MEM_FAULT;                         \
        x[op->rd] = (conv);                                                                        \
    }
#define B_STORE(size)                                                                              \
    {                                                                                              \
        if (unlikely(rv_store(cpu, x[op->rs1] + IMM, size, x[op->rs2]))) MEM_FAULT;                \
    }
#define B_BRANCH(cond)                                                                             \
    {                                                                                              \
        if (cond) CHAIN(OP_PC + IMM, op->idx + 1u);                                                \
        CHAIN(NEXT_PC, op->idx + 1u);                                                              \
    }
#define RS1 x[op->rs1]
#define RS2 x[op->rs2]

#define B_LB B_LOAD(1, (uint64_t)(int64_t)(int8_t)v)
#define B_LH B_LOAD(2, (uint64_t)(int64_t)(int16_t)v)
#define B_LW B_LOAD(4, (uint64_t)(int64_t)(int32_t)v)
#define B_LD B_LOAD(8, v)
#define B_LBU B_LOAD(1, v)
#define B_LHU B_LOAD(2, v)
#define B_LWU B_LOAD(4, v)
#define B_SB B_STORE(1)
#define B_SH B_STORE(2)
#define B_SW B_STORE(4)
#define B_SD B_STORE(8)
#define B_BEQ B_BRANCH(RS1 == RS2)
#define B_BNE B_BRANCH(RS1 != RS2)
#define B_BLT B_BRANCH((int64_t)RS1 < (int64_t)RS2)
#define B_BGE B_BRANCH((int64_t)RS1 >= (int64_t)RS2)
#define B_BLTU B_BRANCH(RS1 < RS2)
#define B_BGEU B_BRANCH(RS1 >= RS2)
#define B_ALU(expr) x[op->rd] = (expr);
#define B_LUI B_ALU((uint64_t)IMM)
#define B_AUIPC B_ALU(OP_PC + IMM)
#define B_ADDI B_ALU(RS1 + IMM)
#define B_SLTI B_ALU((int64_t)RS1 < IMM)
#define B_SLTIU B_ALU(RS1 < (uint64_t)IMM)
#define B_XORI B_ALU(RS1 ^ (uint64_t)IMM)
#define B_ORI B_ALU(RS1 | (uint64_t)IMM)
#define B_ANDI B_ALU(RS1 &(uint64_t)IMM)
#define B_SLLI B_ALU(RS1 << op->imm)
#define B_SRLI B_ALU(RS1 >> op->imm)
#define B_SRAI B_ALU((uint64_t)((int64_t)RS1 >> op->imm))
#define B_ADDIW B_ALU((uint64_t)sx32(RS1 + IMM))
#define B_SLLIW B_ALU((uint64_t)sx32((uint32_t)RS1 << op->imm))
#define B_SRLIW B_ALU((uint64_t)sx32((uint32_t)RS1 >> op->imm))
#define B_SRAIW B_ALU((uint64_t)(int64_t)((int32_t)RS1 >> op->imm))
#define B_ADD B_ALU(RS1 + RS2)
#define B_SUB B_ALU(RS1 - RS2)
#define B_SLL B_ALU(RS1 << (RS2 & 63))
#define B_SLT B_ALU((int64_t)RS1 < (int64_t)RS2)
#define B_SLTU B_ALU(RS1 < RS2)
#define B_XOR B_ALU(RS1 ^ RS2)
#define B_SRL B_ALU(RS1 >> (RS2 & 63))
#define B_SRA B_ALU((uint64_t)((int64_t)RS1 >> (RS2 & 63)))
#define B_OR B_ALU(RS1 | RS2)
#define B_AND B_ALU(RS1 &RS2)
#define B_ADDW B_ALU((uint64_t)sx32(RS1 + RS2))
#define B_SUBW B_ALU((uint64_t)sx32(RS1 - RS2))
#define B_SLLW B_ALU((uint64_t)sx32((uint32_t)RS1 << (RS2 & 31)))
#define B_SRLW B_ALU((uint64_t)sx32((uint32_t)RS1 >> (RS2 & 31)))
#define B_SRAW B_ALU((uint64_t)(int64_t)((int32_t)RS1 >> (RS2 & 31)))
#define B_MUL B_ALU(RS1 *RS2)
#define B_MULH B_ALU(mulh64((int64_t)RS1, (int64_t)RS2))
#define B_MULHSU B_ALU(mulhsu64((int64_t)RS1, RS2))
#define B_MULHU B_ALU(mulhu64(RS1, RS2))
#define B_DIV B_ALU(div64((int64_t)RS1, (int64_t)RS2))
#define B_DIVU B_ALU(RS2 ? RS1 / RS2 : UINT64_MAX)
#define B_REM B_ALU(rem64((int64_t)RS1, (int64_t)RS2))
#define B_REMU B_ALU(RS2 ? RS1 % RS2 : RS1)
#define B_MULW B_ALU((uint64_t)sx32(RS1 *RS2))
#define B_DIVW B_ALU(div32((int32_t)RS1, (int32_t)RS2))
#define B_DIVUW B_ALU((uint32_t)RS2 ? (uint64_t)sx32((uint32_t)RS1 / (uint32_t)RS2) : UINT64_MAX)
#define B_REMW B_ALU(rem32((int32_t)RS1, (int32_t)RS2))
#define B_REMUW B_ALU((uint64_t)sx32((uint32_t)RS2 ? (uint32_t)RS1 % (uint32_t)RS2 : (uint32_t)RS1))
#define B_JAL                                                                                      \
    {                                                                                              \
        x[op->rd] = NEXT_PC;                                                                       \
        CHAIN(OP_PC + IMM, op->idx + 1u);                                                          \
    }

/* An op on its own, and a pair (a superinstruction): the first body, then the second op's. */
#define SINGLE(name)                                                                               \
    OP(name)                                                                                       \
    {                                                                                              \
        B_##name;                                                                                  \
        NEXT;                                                                                      \
    }
#define PAIR(a, b)                                                                                 \
    OP(a##_##b)                                                                                    \
    {                                                                                              \
        B_##a;                                                                                     \
        op++;                                                                                      \
        B_##b;                                                                                     \
        NEXT;                                                                                      \
    }

OP(NOP) { NEXT; }
OP(FENCE) { NEXT; }
SINGLE(LUI)
SINGLE(AUIPC)
OP(JAL) B_JAL OP(JALR)
{
    uint64_t target = (RS1 + IMM) & ~1ull;
    x[op->rd] = NEXT_PC;
    CHAIN(target, op->idx + 1u);
}
SINGLE(BEQ)
SINGLE(BNE)
SINGLE(BLT)
SINGLE(BGE)
SINGLE(BLTU)
SINGLE(BGEU)

SINGLE(LB)
SINGLE(LH)
SINGLE(LW)
SINGLE(LD)
SINGLE(LBU)
SINGLE(LHU)
SINGLE(LWU)
SINGLE(SB)
SINGLE(SH)
SINGLE(SW)
SINGLE(SD)

SINGLE(ADDI)
SINGLE(SLTI)
SINGLE(SLTIU)
SINGLE(XORI)
SINGLE(ORI)
SINGLE(ANDI)
SINGLE(SLLI)
SINGLE(SRLI)
SINGLE(SRAI)
SINGLE(ADDIW)
SINGLE(SLLIW)
SINGLE(SRLIW)
SINGLE(SRAIW)

SINGLE(ADD)
SINGLE(SUB)
SINGLE(SLL)
SINGLE(SLT)
SINGLE(SLTU)
SINGLE(XOR)
SINGLE(SRL)
SINGLE(SRA)
SINGLE(OR)
SINGLE(AND)
SINGLE(ADDW)
SINGLE(SUBW)
SINGLE(SLLW)
SINGLE(SRLW)
SINGLE(SRAW)

SINGLE(MUL)
SINGLE(MULH)
SINGLE(MULHSU)
SINGLE(MULHU)
SINGLE(DIV)
SINGLE(DIVU)
SINGLE(REM)
SINGLE(REMU)
SINGLE(MULW)
SINGLE(DIVW)
SINGLE(DIVUW)
SINGLE(REMW)
SINGLE(REMUW)

/* ---- superinstructions: the pairs rv_exec.c's RV_HANDLER_PAIRS lists ----------------------- */

RV_HANDLER_PAIRS(PAIR)

/* The block's end when its last instruction is not a control transfer (the page or the op limit
 * ended it): not an instruction, so nothing more retires. */
OP(FALLTHROUGH) { CHAIN(OP_PC, op->idx); }

/* ---- system ---------------------------------------------------------------------------------- */

OP(FENCE_I)
{
    rv_fence_i(cpu);
    EXIT(NEXT_PC, op->idx + 1u);
}
OP(ECALL)
{
    cpu->pc = OP_PC;
    cpu->instret += op->idx;
    if (cpu->priv == RV_PRIV_S && cpu->sbi_enabled && rv_sbi_call(cpu)) {
        cpu->pc = NEXT_PC;
        cpu->instret++;
        RETURN;
    }
    rv_raise(cpu, CAUSE_USER_ECALL + cpu->priv, 0, OP_PC);
    RETURN;
}
OP(EBREAK)
{
    cpu->instret += op->idx;
    rv_raise(cpu, CAUSE_BREAKPOINT, OP_PC, OP_PC);
    RETURN;
}
OP(MRET)
{
    if (cpu->priv != RV_PRIV_M) ILLEGAL;
    cpu->instret += op->idx + 1u;
    rv_mret(cpu);
    RETURN;
}
OP(SRET)
{
    if (cpu->priv == RV_PRIV_U || (cpu->priv == RV_PRIV_S && (cpu->mstatus & MSTATUS_TSR))) ILLEGAL;
    cpu->instret += op->idx + 1u;
    rv_sret(cpu);
    RETURN;
}
OP(WFI)
{
    if (cpu->priv == RV_PRIV_U || (cpu->priv == RV_PRIV_S && (cpu->mstatus & MSTATUS_TW))) ILLEGAL;
    cpu->wfi = 1;
    EXIT(NEXT_PC, op->idx + 1u);
}
OP(SFENCE_VMA)
{
    if (cpu->priv == RV_PRIV_U || (cpu->priv == RV_PRIV_S && (cpu->mstatus & MSTATUS_TVM))) ILLEGAL;
    rv_sfence_vma(cpu, op->rs1 != 0, RS1, op->rs2 != 0, RS2);
    EXIT(NEXT_PC, op->idx + 1u);
}
/* CSRRW, CSRRS, CSRRC and their immediate forms share one body (exec_csr). */
OP(CSR)
{
    cpu->instret += op->idx; /* counters read by this op see the instructions before it */
    cpu->pc = OP_PC;
    if (exec_csr(cpu, op)) {
        rv_raise(cpu, CAUSE_ILLEGAL_INSTRUCTION, insn_bits(cpu, OP_PC), OP_PC);
        RETURN;
    }
    cpu->pc = NEXT_PC;
    cpu->instret++;
    RETURN;
}
OP(ILLEGAL) { ILLEGAL; }

/* ---- atomics and floating point -------------------------------------------------------------- */

OP(ATOMIC)
{
    if (exec_atomic(cpu, op)) MEM_FAULT;
    NEXT;
}
OP(FLW)
{
    uint64_t v;
    if (fs_off(cpu)) ILLEGAL;
    if (unlikely(rv_load(cpu, RS1 + IMM, 4, &v))) MEM_FAULT;
    cpu->f[op->rd] = v | 0xffffffff00000000ull; /* NaN-boxed */
    fs_dirty(cpu);
    NEXT;
}
OP(FLD)
{
    uint64_t v;
    if (fs_off(cpu)) ILLEGAL;
    if (unlikely(rv_load(cpu, RS1 + IMM, 8, &v))) MEM_FAULT;
    cpu->f[op->rd] = v;
    fs_dirty(cpu);
    NEXT;
}
OP(FSW)
{
    if (fs_off(cpu)) ILLEGAL;
    if (unlikely(rv_store(cpu, RS1 + IMM, 4, cpu->f[op->rs2]))) MEM_FAULT;
    NEXT;
}
OP(FSD)
{
    if (fs_off(cpu)) ILLEGAL;
    if (unlikely(rv_store(cpu, RS1 + IMM, 8, cpu->f[op->rs2]))) MEM_FAULT;
    NEXT;
}
/* The commonest binary64 ops try the fast path on host doubles (softfp_fast.h) here, before
 * the general code in rv_fpu.c, which does everything else and every case declined here. */
#define FP_D_ARITH(name, fast_op)                                                                  \
    OP(name)                                                                                       \
    {                                                                                              \
        uint64_t r;                                                                                \
        if (likely(!fs_off(cpu) && (op->rm == FRM_DYN ? cpu->frm : op->rm) == SOFTFP_RNE &&        \
                   f64_fast(fast_op, cpu->f[op->rs1], cpu->f[op->rs2], &r, &cpu->fflags))) {       \
            cpu->f[op->rd] = r;                                                                    \
            fs_dirty(cpu);                                                                         \
            NEXT;                                                                                  \
        }                                                                                          \
        if (rv_fpu_exec(cpu, op)) ILLEGAL;                                                         \
        NEXT;                                                                                      \
    }
FP_D_ARITH(FADD_D, SOFTFP_FAST_ADD)
FP_D_ARITH(FSUB_D, SOFTFP_FAST_SUB)
FP_D_ARITH(FMUL_D, SOFTFP_FAST_MUL)
FP_D_ARITH(FDIV_D, SOFTFP_FAST_DIV)
/* Comparisons of two non-NaN doubles raise no flag; NaNs go to softfp for NV. */
#define FP_D_COMPARE(name, cmp)                                                                    \
    OP(name)                                                                                       \
    {                                                                                              \
        uint64_t A = cpu->f[op->rs1], B = cpu->f[op->rs2];                                         \
        if (likely(!fs_off(cpu) && (A & ~SIGN64_BIT) <= INF64_BITS &&                              \
                   (B & ~SIGN64_BIT) <= INF64_BITS)) {                                             \
            x[op->rd] = softfp_fast_d(A) cmp softfp_fast_d(B);                                     \
            fs_dirty(cpu);                                                                         \
            NEXT;                                                                                  \
        }                                                                                          \
        if (rv_fpu_exec(cpu, op)) ILLEGAL;                                                         \
        NEXT;                                                                                      \
    }
#define SIGN64_BIT 0x8000000000000000ull
#define INF64_BITS 0x7ff0000000000000ull
FP_D_COMPARE(FEQ_D, ==)
FP_D_COMPARE(FLT_D, <)
FP_D_COMPARE(FLE_D, <=)
#undef SIGN64_BIT
#undef INF64_BITS
#undef FP_D_ARITH
#undef FP_D_COMPARE

/* F and D computational ops (rv_fpu.c). */
OP(FPU)
{
    if (rv_fpu_exec(cpu, op)) ILLEGAL;
    NEXT;
}

#undef OP_PC
#undef NEXT_PC
#undef IMM
#undef MEM_FAULT
#undef ILLEGAL
#undef SINGLE
#undef PAIR
#undef RS1
#undef RS2
