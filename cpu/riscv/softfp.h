/* softfp.h - exact IEEE-754 binary32/binary64 arithmetic for the RISC-V F and D extensions.
 * Pure integer code: results and fflags are bit-exact on every host, including WebAssembly. */
#ifndef TABVM_SOFTFP_H
#define TABVM_SOFTFP_H

#include <stdint.h>

/* Rounding modes, numbered as in the RISC-V frm field. Callers resolve DYN (7) and reject the
 * reserved encodings (5, 6) before calling; every function here expects 0..4. */
enum {
    SOFTFP_RNE = 0, /* nearest, ties to even */
    SOFTFP_RTZ = 1, /* towards zero */
    SOFTFP_RDN = 2, /* towards -inf */
    SOFTFP_RUP = 3, /* towards +inf */
    SOFTFP_RMM = 4  /* nearest, ties away from zero */
};

/* Exception flags, laid out as the RISC-V fflags CSR. Functions only ever OR into *flags. */
enum {
    SOFTFP_NX = 1,  /* inexact */
    SOFTFP_UF = 2,  /* underflow (tininess detected after rounding) */
    SOFTFP_OF = 4,  /* overflow */
    SOFTFP_DZ = 8,  /* divide by zero */
    SOFTFP_NV = 16, /* invalid operation */
};

#define F32_CANONICAL_NAN UINT32_C(0x7fc00000)
#define F64_CANONICAL_NAN UINT64_C(0x7ff8000000000000)

/* fclass result bits. */
enum {
    SOFTFP_CLASS_NEG_INF = 1 << 0,
    SOFTFP_CLASS_NEG_NORMAL = 1 << 1,
    SOFTFP_CLASS_NEG_SUBNORMAL = 1 << 2,
    SOFTFP_CLASS_NEG_ZERO = 1 << 3,
    SOFTFP_CLASS_POS_ZERO = 1 << 4,
    SOFTFP_CLASS_POS_SUBNORMAL = 1 << 5,
    SOFTFP_CLASS_POS_NORMAL = 1 << 6,
    SOFTFP_CLASS_POS_INF = 1 << 7,
    SOFTFP_CLASS_SNAN = 1 << 8,
    SOFTFP_CLASS_QNAN = 1 << 9,
};

/* Arithmetic. Every NaN result is the canonical NaN; signalling-NaN operands raise NV. */
uint32_t f32_add(uint32_t a, uint32_t b, int rm, uint32_t *flags);
uint32_t f32_sub(uint32_t a, uint32_t b, int rm, uint32_t *flags);
uint32_t f32_mul(uint32_t a, uint32_t b, int rm, uint32_t *flags);
uint32_t f32_div(uint32_t a, uint32_t b, int rm, uint32_t *flags);
uint32_t f32_sqrt(uint32_t a, int rm, uint32_t *flags);
/* a*b+c with one rounding. fmsub/fnmsub/fnmadd are obtained by flipping the sign bits of the
 * operands (not of the result), so that directed rounding sees the correctly signed value.
 * inf*0 raises NV even when c is a quiet NaN, as RISC-V requires. */
uint32_t f32_muladd(uint32_t a, uint32_t b, uint32_t c, int rm, uint32_t *flags);

uint64_t f64_add(uint64_t a, uint64_t b, int rm, uint32_t *flags);
uint64_t f64_sub(uint64_t a, uint64_t b, int rm, uint32_t *flags);
uint64_t f64_mul(uint64_t a, uint64_t b, int rm, uint32_t *flags);
uint64_t f64_div(uint64_t a, uint64_t b, int rm, uint32_t *flags);
uint64_t f64_sqrt(uint64_t a, int rm, uint32_t *flags);
uint64_t f64_muladd(uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *flags);

/* fmin/fmax (RISC-V 2.2+, IEEE 754-2019 minimumNumber/maximumNumber): -0 < +0, a single NaN
 * operand yields the other operand, two NaNs yield the canonical NaN, sNaN raises NV. */
uint32_t f32_min(uint32_t a, uint32_t b, uint32_t *flags);
uint32_t f32_max(uint32_t a, uint32_t b, uint32_t *flags);
uint64_t f64_min(uint64_t a, uint64_t b, uint32_t *flags);
uint64_t f64_max(uint64_t a, uint64_t b, uint32_t *flags);

/* feq is quiet (NV only for sNaN); flt/fle are signalling (NV for any NaN). NaN compares false. */
int f32_eq(uint32_t a, uint32_t b, uint32_t *flags);
int f32_lt(uint32_t a, uint32_t b, uint32_t *flags);
int f32_le(uint32_t a, uint32_t b, uint32_t *flags);
int f64_eq(uint64_t a, uint64_t b, uint32_t *flags);
int f64_lt(uint64_t a, uint64_t b, uint32_t *flags);
int f64_le(uint64_t a, uint64_t b, uint32_t *flags);

/* RISC-V fclass: exactly one SOFTFP_CLASS_* bit set. */
uint32_t f32_classify(uint32_t a);
uint32_t f64_classify(uint64_t a);

/* Float to integer per the RISC-V conversion table: NaN and too-large values saturate to the
 * maximum, too-small values to the minimum (0 for unsigned); those set NV only. In-range
 * inexact results set NX. The 32-bit variants return the 32-bit value; RV64 callers sign-extend
 * it (also for the unsigned forms, as fcvt.wu.* does). */
int32_t f32_to_i32(uint32_t a, int rm, uint32_t *flags);
uint32_t f32_to_u32(uint32_t a, int rm, uint32_t *flags);
int64_t f32_to_i64(uint32_t a, int rm, uint32_t *flags);
uint64_t f32_to_u64(uint32_t a, int rm, uint32_t *flags);
int32_t f64_to_i32(uint64_t a, int rm, uint32_t *flags);
uint32_t f64_to_u32(uint64_t a, int rm, uint32_t *flags);
int64_t f64_to_i64(uint64_t a, int rm, uint32_t *flags);
uint64_t f64_to_u64(uint64_t a, int rm, uint32_t *flags);

/* Integer to float. Zero converts to +0. */
uint32_t i32_to_f32(int32_t v, int rm, uint32_t *flags);
uint32_t u32_to_f32(uint32_t v, int rm, uint32_t *flags);
uint32_t i64_to_f32(int64_t v, int rm, uint32_t *flags);
uint32_t u64_to_f32(uint64_t v, int rm, uint32_t *flags);
uint64_t i32_to_f64(int32_t v, int rm, uint32_t *flags);
uint64_t u32_to_f64(uint32_t v, int rm, uint32_t *flags);
uint64_t i64_to_f64(int64_t v, int rm, uint32_t *flags);
uint64_t u64_to_f64(uint64_t v, int rm, uint32_t *flags);

/* Between formats. Widening is exact; a NaN input gives the canonical NaN (NV if signalling). */
uint64_t f32_to_f64(uint32_t a, uint32_t *flags);
uint32_t f64_to_f32(uint64_t a, int rm, uint32_t *flags);

#endif
