/* softfp_conv.c - RISC-V F/D comparisons, min/max, fclass and all format/integer conversions.
 * Companion of softfp.c; shares its rounding core through softfp_impl.h. */
#include "softfp_impl.h"

/* ---- comparisons ------------------------------------------------------------------------- */

/* a < b for non-NaN operands, ordering -0 below +0 when zeros_differ is set. */
SF_INLINE int sf_less(int fb, int eb, uint64_t a, uint64_t b, int zeros_differ)
{
    const uint64_t smask = sf_sign(fb, eb);
    const int sa = (a & smask) != 0, sb = (b & smask) != 0;
    if (sa != sb) return sa && (zeros_differ || ((a | b) & (smask - 1)) != 0);
    /* Same sign: magnitudes order like the raw encodings, reversed for negatives. */
    return a != b && (sa ^ (a < b));
}

SF_INLINE int sf_eq(int fb, int eb, uint64_t a, uint64_t b, uint32_t *fl)
{
    const uint64_t amask = sf_sign(fb, eb) - 1, inf = sf_inf(fb, eb);
    const uint64_t x = a & amask, y = b & amask;
    if (x > inf || y > inf) {
        if (sf_is_snan(fb, eb, x) || sf_is_snan(fb, eb, y)) *fl |= SOFTFP_NV;
        return 0;
    }
    return a == b || (x | y) == 0;
}

SF_INLINE int sf_lt(int fb, int eb, uint64_t a, uint64_t b, uint32_t *fl)
{
    const uint64_t amask = sf_sign(fb, eb) - 1, inf = sf_inf(fb, eb);
    if ((a & amask) > inf || (b & amask) > inf) {
        *fl |= SOFTFP_NV;
        return 0;
    }
    return sf_less(fb, eb, a, b, 0);
}

SF_INLINE int sf_le(int fb, int eb, uint64_t a, uint64_t b, uint32_t *fl)
{
    const uint64_t amask = sf_sign(fb, eb) - 1, inf = sf_inf(fb, eb);
    if ((a & amask) > inf || (b & amask) > inf) {
        *fl |= SOFTFP_NV;
        return 0;
    }
    return !sf_less(fb, eb, b, a, 0);
}

int f32_eq(uint32_t a, uint32_t b, uint32_t *flags) { return sf_eq(F32, a, b, flags); }
int f32_lt(uint32_t a, uint32_t b, uint32_t *flags) { return sf_lt(F32, a, b, flags); }
int f32_le(uint32_t a, uint32_t b, uint32_t *flags) { return sf_le(F32, a, b, flags); }
int f64_eq(uint64_t a, uint64_t b, uint32_t *flags) { return sf_eq(F64, a, b, flags); }
int f64_lt(uint64_t a, uint64_t b, uint32_t *flags) { return sf_lt(F64, a, b, flags); }
int f64_le(uint64_t a, uint64_t b, uint32_t *flags) { return sf_le(F64, a, b, flags); }

/* ---- min / max --------------------------------------------------------------------------- */

SF_INLINE uint64_t sf_minmax(int fb, int eb, uint64_t a, uint64_t b, int want_max, uint32_t *fl)
{
    const uint64_t amask = sf_sign(fb, eb) - 1, inf = sf_inf(fb, eb);
    const uint64_t x = a & amask, y = b & amask;
    if (x > inf || y > inf) {
        if (sf_is_snan(fb, eb, x) || sf_is_snan(fb, eb, y)) *fl |= SOFTFP_NV;
        if (x > inf && y > inf) return sf_cnan(fb, eb);
        return x > inf ? b : a;
    }
    return (sf_less(fb, eb, a, b, 1) ^ want_max) ? a : b;
}

uint32_t f32_min(uint32_t a, uint32_t b, uint32_t *flags)
{
    return (uint32_t)sf_minmax(F32, a, b, 0, flags);
}

uint32_t f32_max(uint32_t a, uint32_t b, uint32_t *flags)
{
    return (uint32_t)sf_minmax(F32, a, b, 1, flags);
}

uint64_t f64_min(uint64_t a, uint64_t b, uint32_t *flags) { return sf_minmax(F64, a, b, 0, flags); }
uint64_t f64_max(uint64_t a, uint64_t b, uint32_t *flags) { return sf_minmax(F64, a, b, 1, flags); }

/* ---- classification ---------------------------------------------------------------------- */

SF_INLINE uint32_t sf_classify(int fb, int eb, uint64_t a)
{
    const uint64_t amask = sf_sign(fb, eb) - 1, inf = sf_inf(fb, eb);
    const uint64_t x = a & amask;
    const int neg = (a >> (fb + eb)) != 0;
    if (x >= inf) {
        if (x == inf) return neg ? SOFTFP_CLASS_NEG_INF : SOFTFP_CLASS_POS_INF;
        return (x & sf_qbit(fb)) ? SOFTFP_CLASS_QNAN : SOFTFP_CLASS_SNAN;
    }
    if (x == 0) return neg ? SOFTFP_CLASS_NEG_ZERO : SOFTFP_CLASS_POS_ZERO;
    if (x < (SF_ONE << fb)) return neg ? SOFTFP_CLASS_NEG_SUBNORMAL : SOFTFP_CLASS_POS_SUBNORMAL;
    return neg ? SOFTFP_CLASS_NEG_NORMAL : SOFTFP_CLASS_POS_NORMAL;
}

uint32_t f32_classify(uint32_t a) { return sf_classify(F32, a); }
uint32_t f64_classify(uint64_t a) { return sf_classify(F64, a); }

/* ---- float to integer -------------------------------------------------------------------- */

int32_t f32_to_i32(uint32_t a, int rm, uint32_t *flags)
{
    return (int32_t)(uint32_t)sf_to_int(F32, a, rm, flags, 1, 32);
}

uint32_t f32_to_u32(uint32_t a, int rm, uint32_t *flags)
{
    return (uint32_t)sf_to_int(F32, a, rm, flags, 0, 32);
}

int64_t f32_to_i64(uint32_t a, int rm, uint32_t *flags)
{
    return (int64_t)sf_to_int(F32, a, rm, flags, 1, 64);
}

uint64_t f32_to_u64(uint32_t a, int rm, uint32_t *flags)
{
    return sf_to_int(F32, a, rm, flags, 0, 64);
}

int32_t f64_to_i32(uint64_t a, int rm, uint32_t *flags)
{
    return (int32_t)(uint32_t)sf_to_int(F64, a, rm, flags, 1, 32);
}

uint32_t f64_to_u32(uint64_t a, int rm, uint32_t *flags)
{
    return (uint32_t)sf_to_int(F64, a, rm, flags, 0, 32);
}

int64_t f64_to_i64(uint64_t a, int rm, uint32_t *flags)
{
    return (int64_t)sf_to_int(F64, a, rm, flags, 1, 64);
}

uint64_t f64_to_u64(uint64_t a, int rm, uint32_t *flags)
{
    return sf_to_int(F64, a, rm, flags, 0, 64);
}

/* ---- integer to float -------------------------------------------------------------------- */

/* Magnitude of a signed value without overflowing on the most negative one. */
SF_INLINE uint64_t sf_abs64(int64_t v) { return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v; }

uint32_t i32_to_f32(int32_t v, int rm, uint32_t *flags)
{
    return (uint32_t)sf_from_int(F32, v < 0, sf_abs64(v), rm, flags);
}

uint32_t u32_to_f32(uint32_t v, int rm, uint32_t *flags)
{
    return (uint32_t)sf_from_int(F32, 0, v, rm, flags);
}

uint32_t i64_to_f32(int64_t v, int rm, uint32_t *flags)
{
    return (uint32_t)sf_from_int(F32, v < 0, sf_abs64(v), rm, flags);
}

uint32_t u64_to_f32(uint64_t v, int rm, uint32_t *flags)
{
    return (uint32_t)sf_from_int(F32, 0, v, rm, flags);
}

uint64_t i32_to_f64(int32_t v, int rm, uint32_t *flags)
{
    return sf_from_int(F64, v < 0, sf_abs64(v), rm, flags);
}

uint64_t u32_to_f64(uint32_t v, int rm, uint32_t *flags)
{
    return sf_from_int(F64, 0, v, rm, flags);
}

uint64_t i64_to_f64(int64_t v, int rm, uint32_t *flags)
{
    return sf_from_int(F64, v < 0, sf_abs64(v), rm, flags);
}

uint64_t u64_to_f64(uint64_t v, int rm, uint32_t *flags)
{
    return sf_from_int(F64, 0, v, rm, flags);
}

/* ---- between formats --------------------------------------------------------------------- */

uint64_t f32_to_f64(uint32_t a, uint32_t *flags)
{
    const uint64_t s = (uint64_t)(a >> 31) << 63, x = a & 0x7fffffff;
    if (x >= 0x7f800000) {
        if (x == 0x7f800000) return s | UINT64_C(0x7ff0000000000000);
        sf_nan2(F32, x, 0, flags);
        return F64_CANONICAL_NAN;
    }
    if (x == 0) return s;
    int e;
    uint64_t m = sf_unpack(23, x, &e);
    return s | ((uint64_t)(e + 896) << 52) | ((m << 29) & ((SF_ONE << 52) - 1));
}

uint32_t f64_to_f32(uint64_t a, int rm, uint32_t *flags)
{
    const unsigned sign = (unsigned)(a >> 63);
    const uint64_t x = a & ~SF_TOP;
    if (x >= UINT64_C(0x7ff0000000000000)) {
        if (x == UINT64_C(0x7ff0000000000000)) return ((uint32_t)sign << 31) | 0x7f800000;
        sf_nan2(F64, x, 0, flags);
        return F32_CANONICAL_NAN;
    }
    if (x == 0) return (uint32_t)sign << 31;
    int e;
    uint64_t m = sf_unpack(52, x, &e);
    return (uint32_t)sf_round_pack(F32, sign, e - 896, m << 10, rm, flags);
}
