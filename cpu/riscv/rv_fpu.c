/* F and D computational instructions on top of the exact software floating point in softfp.c
 * (with fast paths on host doubles for the common binary64 cases, softfp_fast.h):
 * NaN boxing, the dynamic rounding mode and the FS state live here. */
#include "rv_internal.h"
#include "softfp.h"
#include "softfp_fast.h"

#define BOX32 0xffffffff00000000ull
#define SIGN32 0x80000000u
#define SIGN64 0x8000000000000000ull

/* A single-precision operand that is not properly NaN-boxed reads as the canonical NaN
 * (unpriv. spec 12.2). */
static inline uint32_t unbox(uint64_t f)
{
    return (f & BOX32) == BOX32 ? (uint32_t)f : F32_CANONICAL_NAN;
}

int rv_fpu_exec(rv_cpu_t *cpu, const rv_op_t *op)
{
    if ((cpu->mstatus & MSTATUS_FS) == 0) return -1;
    int rm = op->rm == FRM_DYN ? (int)cpu->frm : op->rm;
    uint64_t *f = cpu->f, *x = cpu->x;
    uint32_t *fl = &cpu->fflags;
    uint32_t a = unbox(f[op->rs1]), b = unbox(f[op->rs2]), c = unbox(f[op->rs3]);
    uint64_t A = f[op->rs1], B = f[op->rs2], C = f[op->rs3];

    /* Ops that take a rounding mode reject reserved ones (5, 6, and 7 in frm). */
    switch (op->kind) {
    case RV_OP_FSGNJ_S:
    case RV_OP_FSGNJN_S:
    case RV_OP_FSGNJX_S:
    case RV_OP_FMIN_S:
    case RV_OP_FMAX_S:
    case RV_OP_FEQ_S:
    case RV_OP_FLT_S:
    case RV_OP_FLE_S:
    case RV_OP_FCLASS_S:
    case RV_OP_FMV_X_W:
    case RV_OP_FMV_W_X:
    case RV_OP_FSGNJ_D:
    case RV_OP_FSGNJN_D:
    case RV_OP_FSGNJX_D:
    case RV_OP_FMIN_D:
    case RV_OP_FMAX_D:
    case RV_OP_FEQ_D:
    case RV_OP_FLT_D:
    case RV_OP_FLE_D:
    case RV_OP_FCLASS_D:
    case RV_OP_FMV_X_D:
    case RV_OP_FMV_D_X: break;
    default:
        if (rm > 4) return -1;
    }

    uint64_t rd_f = 0;
    int writes_f = 1;
    switch (op->kind) {
    case RV_OP_FADD_S: rd_f = BOX32 | f32_add(a, b, rm, fl); break;
    case RV_OP_FSUB_S: rd_f = BOX32 | f32_sub(a, b, rm, fl); break;
    case RV_OP_FMUL_S: rd_f = BOX32 | f32_mul(a, b, rm, fl); break;
    case RV_OP_FDIV_S: rd_f = BOX32 | f32_div(a, b, rm, fl); break;
    case RV_OP_FSQRT_S: rd_f = BOX32 | f32_sqrt(a, rm, fl); break;
    case RV_OP_FSGNJ_S: rd_f = BOX32 | (a & ~SIGN32) | (b & SIGN32); break;
    case RV_OP_FSGNJN_S: rd_f = BOX32 | (a & ~SIGN32) | (~b & SIGN32); break;
    case RV_OP_FSGNJX_S: rd_f = BOX32 | (a ^ (b & SIGN32)); break;
    case RV_OP_FMIN_S: rd_f = BOX32 | f32_min(a, b, fl); break;
    case RV_OP_FMAX_S: rd_f = BOX32 | f32_max(a, b, fl); break;
    case RV_OP_FMADD_S: rd_f = BOX32 | f32_muladd(a, b, c, rm, fl); break;
    case RV_OP_FMSUB_S: rd_f = BOX32 | f32_muladd(a, b, c ^ SIGN32, rm, fl); break;
    case RV_OP_FNMSUB_S: rd_f = BOX32 | f32_muladd(a ^ SIGN32, b, c, rm, fl); break;
    case RV_OP_FNMADD_S: rd_f = BOX32 | f32_muladd(a ^ SIGN32, b, c ^ SIGN32, rm, fl); break;
    case RV_OP_FCVT_S_W: rd_f = BOX32 | i32_to_f32((int32_t)x[op->rs1], rm, fl); break;
    case RV_OP_FCVT_S_WU: rd_f = BOX32 | u32_to_f32((uint32_t)x[op->rs1], rm, fl); break;
    case RV_OP_FCVT_S_L: rd_f = BOX32 | i64_to_f32((int64_t)x[op->rs1], rm, fl); break;
    case RV_OP_FCVT_S_LU: rd_f = BOX32 | u64_to_f32(x[op->rs1], rm, fl); break;
    case RV_OP_FMV_W_X: rd_f = BOX32 | (uint32_t)x[op->rs1]; break;
    case RV_OP_FCVT_S_D: rd_f = BOX32 | f64_to_f32(A, rm, fl); break;

    case RV_OP_FADD_D:
        if (rm || !f64_fast(SOFTFP_FAST_ADD, A, B, &rd_f, fl)) rd_f = f64_add(A, B, rm, fl);
        break;
    case RV_OP_FSUB_D:
        if (rm || !f64_fast(SOFTFP_FAST_SUB, A, B, &rd_f, fl)) rd_f = f64_sub(A, B, rm, fl);
        break;
    case RV_OP_FMUL_D:
        if (rm || !f64_fast(SOFTFP_FAST_MUL, A, B, &rd_f, fl)) rd_f = f64_mul(A, B, rm, fl);
        break;
    case RV_OP_FDIV_D:
        if (rm || !f64_fast(SOFTFP_FAST_DIV, A, B, &rd_f, fl)) rd_f = f64_div(A, B, rm, fl);
        break;
    case RV_OP_FSQRT_D:
        if (rm || !f64_fast(SOFTFP_FAST_SQRT, A, 0, &rd_f, fl)) rd_f = f64_sqrt(A, rm, fl);
        break;
    case RV_OP_FSGNJ_D: rd_f = (A & ~SIGN64) | (B & SIGN64); break;
    case RV_OP_FSGNJN_D: rd_f = (A & ~SIGN64) | (~B & SIGN64); break;
    case RV_OP_FSGNJX_D: rd_f = A ^ (B & SIGN64); break;
    case RV_OP_FMIN_D: rd_f = f64_min(A, B, fl); break;
    case RV_OP_FMAX_D: rd_f = f64_max(A, B, fl); break;
    case RV_OP_FMADD_D: rd_f = f64_muladd(A, B, C, rm, fl); break;
    case RV_OP_FMSUB_D: rd_f = f64_muladd(A, B, C ^ SIGN64, rm, fl); break;
    case RV_OP_FNMSUB_D: rd_f = f64_muladd(A ^ SIGN64, B, C, rm, fl); break;
    case RV_OP_FNMADD_D: rd_f = f64_muladd(A ^ SIGN64, B, C ^ SIGN64, rm, fl); break;
    case RV_OP_FCVT_D_W: rd_f = i32_to_f64((int32_t)x[op->rs1], rm, fl); break;
    case RV_OP_FCVT_D_WU: rd_f = u32_to_f64((uint32_t)x[op->rs1], rm, fl); break;
    case RV_OP_FCVT_D_L: rd_f = i64_to_f64((int64_t)x[op->rs1], rm, fl); break;
    case RV_OP_FCVT_D_LU: rd_f = u64_to_f64(x[op->rs1], rm, fl); break;
    case RV_OP_FMV_D_X: rd_f = x[op->rs1]; break;
    case RV_OP_FCVT_D_S: rd_f = f32_to_f64(a, fl); break;

    default: writes_f = 0; break;
    }
    if (writes_f) {
        f[op->rd] = rd_f;
    } else {
        uint64_t r;
        switch (op->kind) {
        case RV_OP_FEQ_S: r = (uint64_t)f32_eq(a, b, fl); break;
        case RV_OP_FLT_S: r = (uint64_t)f32_lt(a, b, fl); break;
        case RV_OP_FLE_S: r = (uint64_t)f32_le(a, b, fl); break;
        case RV_OP_FCLASS_S: r = f32_classify(a); break;
        case RV_OP_FMV_X_W: r = (uint64_t)(int64_t)(int32_t)(uint32_t)A; break;
        case RV_OP_FCVT_W_S: r = (uint64_t)(int64_t)f32_to_i32(a, rm, fl); break;
        case RV_OP_FCVT_WU_S: r = (uint64_t)(int64_t)(int32_t)f32_to_u32(a, rm, fl); break;
        case RV_OP_FCVT_L_S: r = (uint64_t)f32_to_i64(a, rm, fl); break;
        case RV_OP_FCVT_LU_S: r = f32_to_u64(a, rm, fl); break;
        case RV_OP_FEQ_D: r = (uint64_t)f64_eq(A, B, fl); break;
        case RV_OP_FLT_D: r = (uint64_t)f64_lt(A, B, fl); break;
        case RV_OP_FLE_D: r = (uint64_t)f64_le(A, B, fl); break;
        case RV_OP_FCLASS_D: r = f64_classify(A); break;
        case RV_OP_FMV_X_D: r = A; break;
        case RV_OP_FCVT_W_D: r = (uint64_t)(int64_t)f64_to_i32(A, rm, fl); break;
        case RV_OP_FCVT_WU_D: r = (uint64_t)(int64_t)(int32_t)f64_to_u32(A, rm, fl); break;
        case RV_OP_FCVT_L_D: r = (uint64_t)f64_to_i64(A, rm, fl); break;
        case RV_OP_FCVT_LU_D: r = f64_to_u64(A, rm, fl); break;
        default: return -1;
        }
        x[op->rd] = r;
    }
    /* Any FP op may have changed f registers or fflags: mark the state dirty (3.1.6.6). */
    cpu->mstatus |= MSTATUS_FS | MSTATUS_SD;
    return 0;
}
