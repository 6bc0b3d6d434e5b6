/* softfp.c - IEEE-754 add/sub/mul/div/sqrt/fused multiply-add for binary32 and binary64.
 * Integer-only, so it is bit-exact (results and flags) on hosts without rounding-mode control. */
#include "softfp_impl.h"

/* ---- addition ---------------------------------------------------------------------------- */

SF_INLINE uint64_t sf_add(int fb, int eb, uint64_t a, uint64_t b, int rm, uint32_t *fl)
{
    const uint64_t smask = sf_sign(fb, eb), inf = sf_inf(fb, eb);
    uint64_t x = a & (smask - 1), y = b & (smask - 1);

    if (x >= inf || y >= inf) {
        if (x > inf || y > inf) return sf_nan2(fb, eb, x, y, fl);
        if (x == y && ((a ^ b) & smask)) {
            *fl |= SOFTFP_NV;
            return sf_cnan(fb, eb);
        }
        return x == inf ? a : b;
    }
    /* Order by magnitude so the difference is never negative and takes a's sign. */
    if (x < y) {
        uint64_t t = a;
        a = b;
        b = t;
        t = x;
        x = y;
        y = t;
    }
    const unsigned sign = (unsigned)(a >> (fb + eb));
    const int subtract = ((a ^ b) & smask) != 0;
    if (y == 0) {
        if (x == 0 && subtract) return rm == SOFTFP_RDN ? smask : 0;
        return a;
    }
    int ex = (int)(x >> fb), ey = (int)(y >> fb);
    const uint64_t fmask = (SF_ONE << fb) - 1;
    uint64_t mx = x & fmask, my = y & fmask;
    if (ex)
        mx |= SF_ONE << fb;
    else
        ex = 1;
    if (ey)
        my |= SF_ONE << fb;
    else
        ey = 1;
    /* Leading bit at 61 leaves room for the carry; the 9+ zero bits below the significand make
     * the alignment exact whenever cancellation can be large (exponent difference <= 1). */
    mx <<= 61 - fb;
    my = sf_shr_jam(my << (61 - fb), ex - ey);
    uint64_t r = subtract ? mx - my : mx + my;
    if (r == 0) return rm == SOFTFP_RDN ? smask : 0;
    int k = sf_clz64(r) - 1;
    return sf_round_pack(fb, eb, sign, ex + 1 - k, r << k, rm, fl);
}

uint32_t f32_add(uint32_t a, uint32_t b, int rm, uint32_t *flags)
{
    return (uint32_t)sf_add(F32, a, b, rm, flags);
}

uint32_t f32_sub(uint32_t a, uint32_t b, int rm, uint32_t *flags)
{
    return (uint32_t)sf_add(F32, a, b ^ UINT32_C(0x80000000), rm, flags);
}

uint64_t f64_add(uint64_t a, uint64_t b, int rm, uint32_t *flags)
{
    return sf_add(F64, a, b, rm, flags);
}

uint64_t f64_sub(uint64_t a, uint64_t b, int rm, uint32_t *flags)
{
    return sf_add(F64, a, b ^ SF_TOP, rm, flags);
}

/* ---- multiplication ---------------------------------------------------------------------- */

/* Shared special-case handling for mul; returns 1 and sets *r when the result is decided. */
SF_INLINE int sf_mul_special(int fb, int eb, uint64_t x, uint64_t y, unsigned sign, uint64_t *r,
                             uint32_t *fl)
{
    const uint64_t inf = sf_inf(fb, eb), s = (uint64_t)sign << (fb + eb);
    if (x >= inf || y >= inf) {
        if (x > inf || y > inf) {
            *r = sf_nan2(fb, eb, x, y, fl);
        } else if (x == 0 || y == 0) {
            *fl |= SOFTFP_NV;
            *r = sf_cnan(fb, eb);
        } else {
            *r = s | inf;
        }
        return 1;
    }
    if (x == 0 || y == 0) {
        *r = s;
        return 1;
    }
    return 0;
}

uint32_t f32_mul(uint32_t a, uint32_t b, int rm, uint32_t *flags)
{
    const unsigned sign = (a ^ b) >> 31;
    const uint64_t x = a & 0x7fffffff, y = b & 0x7fffffff;
    uint64_t r;
    if (sf_mul_special(F32, x, y, sign, &r, flags)) return (uint32_t)r;
    int ex, ey;
    /* Exact product below 2^48 worth p * 2^(ex + ey - 300); round_pack's scale is 2^(e - 189). */
    uint64_t p = sf_unpack(23, x, &ex) * sf_unpack(23, y, &ey);
    int k = sf_clz64(p) - 1;
    return (uint32_t)sf_round_pack(F32, sign, ex + ey - 300 + 189 - k, p << k, rm, flags);
}

uint64_t f64_mul(uint64_t a, uint64_t b, int rm, uint32_t *flags)
{
    const unsigned sign = (unsigned)((a ^ b) >> 63);
    const uint64_t x = a & ~SF_TOP, y = b & ~SF_TOP;
    uint64_t r;
    if (sf_mul_special(F64, x, y, sign, &r, flags)) return r;
    int ex, ey;
    uint64_t mx = sf_unpack(52, x, &ex), my = sf_unpack(52, y, &ey);
    /* hi = mx * my * 2^-43, in [2^61, 2^63); the low half only matters as sticky. */
    sf_u128 p = sf_mul64(mx << 10, my << 11);
    int k = 0;
    if (!(p.hi >> 62)) {
        p = sf_shl128(p, 1);
        k = 1;
    }
    return sf_round_pack(F64, sign, ex + ey - 1022 - k, p.hi | (p.lo != 0), rm, flags);
}

/* ---- division ---------------------------------------------------------------------------- */

SF_INLINE int sf_div_special(int fb, int eb, uint64_t x, uint64_t y, unsigned sign, uint64_t *r,
                             uint32_t *fl)
{
    const uint64_t inf = sf_inf(fb, eb), s = (uint64_t)sign << (fb + eb);
    if (x >= inf || y >= inf) {
        if (x > inf || y > inf) {
            *r = sf_nan2(fb, eb, x, y, fl);
        } else if (x == y) {
            *fl |= SOFTFP_NV;
            *r = sf_cnan(fb, eb);
        } else {
            *r = x == inf ? s | inf : s;
        }
        return 1;
    }
    if (y == 0) {
        if (x == 0) {
            *fl |= SOFTFP_NV;
            *r = sf_cnan(fb, eb);
        } else {
            *fl |= SOFTFP_DZ;
            *r = s | inf;
        }
        return 1;
    }
    if (x == 0) {
        *r = s;
        return 1;
    }
    return 0;
}

uint32_t f32_div(uint32_t a, uint32_t b, int rm, uint32_t *flags)
{
    const unsigned sign = (a ^ b) >> 31;
    const uint64_t x = a & 0x7fffffff, y = b & 0x7fffffff;
    uint64_t r;
    if (sf_div_special(F32, x, y, sign, &r, flags)) return (uint32_t)r;
    int ex, ey;
    uint64_t mx = sf_unpack(23, x, &ex), my = sf_unpack(23, y, &ey);
    /* q = floor(mx / my * 2^39): 39-40 bits, plenty beyond the 24 kept; remainder -> sticky. */
    uint64_t num = mx << 39;
    uint64_t q = num / my;
    int k = sf_clz64(q) - 1;
    uint64_t sig = (q << k) | (num != q * my);
    return (uint32_t)sf_round_pack(F32, sign, ex - ey + 150 - k, sig, rm, flags);
}

/* floor((u1:u0) / v) for normalised v (bit 63 set) and u1 < v, by two base-2^32 long-division
 * steps whose estimated digits are corrected at most twice (Knuth, TAOCP vol. 2, 4.3.1 D). */
static uint64_t sf_div128(uint64_t u1, uint64_t u0, uint64_t v, uint64_t *rem)
{
    const uint64_t b = SF_ONE << 32, vh = v >> 32, vl = (uint32_t)v;
    const uint64_t u0h = u0 >> 32, u0l = (uint32_t)u0;

    uint64_t q1 = u1 / vh, r = u1 - q1 * vh;
    while (q1 >= b || q1 * vl > ((r << 32) | u0h)) {
        q1--;
        r += vh;
        if (r >= b) break;
    }
    uint64_t mid = ((u1 << 32) | u0h) - q1 * v; /* exact modulo 2^64; true value < v */
    uint64_t q0 = mid / vh;
    r = mid - q0 * vh;
    while (q0 >= b || q0 * vl > ((r << 32) | u0l)) {
        q0--;
        r += vh;
        if (r >= b) break;
    }
    *rem = ((mid << 32) | u0l) - q0 * v;
    return (q1 << 32) | q0;
}

uint64_t f64_div(uint64_t a, uint64_t b, int rm, uint32_t *flags)
{
    const unsigned sign = (unsigned)((a ^ b) >> 63);
    const uint64_t x = a & ~SF_TOP, y = b & ~SF_TOP;
    uint64_t r;
    if (sf_div_special(F64, x, y, sign, &r, flags)) return r;
    int ex, ey;
    uint64_t mx = sf_unpack(52, x, &ex), my = sf_unpack(52, y, &ey);
    uint64_t rem;
    uint64_t q = sf_div128(mx << 9, 0, my << 11, &rem); /* floor(mx/my * 2^62) */
    int k = sf_clz64(q) - 1;
    return sf_round_pack(F64, sign, ex - ey + 1023 - k, (q << k) | (rem != 0), rm, flags);
}

/* ---- square root ------------------------------------------------------------------------- */

/* round(sqrt(i + 0.5) * 256) for i = 64..255: seeds Newton's method with ~8 correct bits. */
static const uint16_t sf_rsqrt_seed[192] = {
    2056, 2072, 2088, 2103, 2119, 2134, 2149, 2165, 2180, 2195, 2210, 2224, 2239, 2254, 2268, 2283,
    2297, 2311, 2325, 2339, 2353, 2367, 2381, 2395, 2408, 2422, 2435, 2449, 2462, 2475, 2489, 2502,
    2515, 2528, 2541, 2554, 2566, 2579, 2592, 2604, 2617, 2629, 2642, 2654, 2667, 2679, 2691, 2703,
    2715, 2727, 2739, 2751, 2763, 2775, 2787, 2798, 2810, 2822, 2833, 2845, 2856, 2868, 2879, 2891,
    2902, 2913, 2924, 2936, 2947, 2958, 2969, 2980, 2991, 3002, 3013, 3024, 3034, 3045, 3056, 3067,
    3077, 3088, 3099, 3109, 3120, 3130, 3141, 3151, 3161, 3172, 3182, 3192, 3203, 3213, 3223, 3233,
    3243, 3253, 3263, 3273, 3283, 3293, 3303, 3313, 3323, 3333, 3343, 3353, 3362, 3372, 3382, 3391,
    3401, 3411, 3420, 3430, 3439, 3449, 3458, 3468, 3477, 3487, 3496, 3505, 3515, 3524, 3533, 3543,
    3552, 3561, 3570, 3579, 3589, 3598, 3607, 3616, 3625, 3634, 3643, 3652, 3661, 3670, 3679, 3688,
    3697, 3705, 3714, 3723, 3732, 3741, 3749, 3758, 3767, 3775, 3784, 3793, 3801, 3810, 3819, 3827,
    3836, 3844, 3853, 3861, 3870, 3878, 3887, 3895, 3903, 3912, 3920, 3929, 3937, 3945, 3954, 3962,
    3970, 3978, 3987, 3995, 4003, 4011, 4019, 4027, 4036, 4044, 4052, 4060, 4068, 4076, 4084, 4092,
};

/* floor(sqrt(y)) for y in [2^62, 2^64). */
static uint64_t sf_isqrt64(uint64_t y)
{
    uint64_t x = (uint64_t)sf_rsqrt_seed[(y >> 56) - 64] << 20;
    /* Each step squares the relative error (2^-8 -> 2^-17 -> 2^-35) and, from any start, lands
     * at or above floor(sqrt(y)), so only a rare decrement is left. */
    x = (x + y / x) >> 1;
    x = (x + y / x) >> 1;
    if (x > UINT32_MAX) x = UINT32_MAX;
    while (x * x > y)
        x--;
    return x;
}

uint32_t f32_sqrt(uint32_t a, int rm, uint32_t *flags)
{
    const uint64_t x = a & 0x7fffffff;
    if (x == 0) return a;
    if (x > 0x7f800000) return (uint32_t)sf_nan2(F32, x, 0, flags);
    if (a >> 31) {
        *flags |= SOFTFP_NV;
        return F32_CANONICAL_NAN;
    }
    if (x == 0x7f800000) return a;
    int e;
    uint64_t m = sf_unpack(23, x, &e);
    int u = e - 127, odd = u & 1;
    uint64_t n = m << (39 + odd); /* in [2^62, 2^64), even power of two scale */
    uint64_t root = sf_isqrt64(n);
    uint64_t sig = (root << 31) | (root * root != n);
    return (uint32_t)sf_round_pack(F32, 0, (u - odd) / 2 + 127, sig, rm, flags);
}

uint64_t f64_sqrt(uint64_t a, int rm, uint32_t *flags)
{
    const uint64_t x = a & ~SF_TOP;
    if (x == 0) return a;
    if (x > UINT64_C(0x7ff0000000000000)) return sf_nan2(F64, x, 0, flags);
    if (a >> 63) {
        *flags |= SOFTFP_NV;
        return F64_CANONICAL_NAN;
    }
    if (x == UINT64_C(0x7ff0000000000000)) return a;
    int e;
    uint64_t m = sf_unpack(52, x, &e);
    int u = e - 1023, odd = u & 1;
    /* The radicand is n = hi * 2^64 with hi in [2^60, 2^62), so the root is in [2^62, 2^63). */
    uint64_t hi = m << (8 + odd);
    uint64_t r = sf_isqrt64(hi << 2) >> 1; /* floor(sqrt(hi)) */
    uint64_t rem = hi - r * r;             /* <= 2r */
    /* One long-hand step gives the low 32 root bits, at most 3 too large. */
    uint64_t s = (r << 32) + (rem << 31) / r;
    sf_u128 sq = sf_mul64(s, s);
    while (sq.hi > hi || (sq.hi == hi && sq.lo != 0)) {
        s--;
        sq = sf_mul64(s, s);
    }
    uint64_t sig = s | (sq.hi != hi || sq.lo != 0);
    return sf_round_pack(F64, 0, (u - odd) / 2 + 1023, sig, rm, flags);
}

/* ---- fused multiply-add ------------------------------------------------------------------ */

/* Handles NaN/inf/zero operands of a*b+c; returns 1 with *r set when the result is decided.
 * sp is the product's sign. */
SF_INLINE int sf_fma_special(int fb, int eb, uint64_t a, uint64_t b, uint64_t c, unsigned sp,
                             int rm, uint64_t *r, uint32_t *fl)
{
    const uint64_t smask = sf_sign(fb, eb), inf = sf_inf(fb, eb);
    const uint64_t x = a & (smask - 1), y = b & (smask - 1), z = c & (smask - 1);
    const int inf_times_zero = (x == inf && y == 0) || (x == 0 && y == inf);

    if (x > inf || y > inf || z > inf) {
        if (sf_is_snan(fb, eb, x) || sf_is_snan(fb, eb, y) || sf_is_snan(fb, eb, z) ||
            inf_times_zero)
            *fl |= SOFTFP_NV;
        *r = sf_cnan(fb, eb);
        return 1;
    }
    if (x == inf || y == inf) {
        if (inf_times_zero || (z == inf && (c >> (fb + eb)) != sp)) {
            *fl |= SOFTFP_NV;
            *r = sf_cnan(fb, eb);
        } else {
            *r = ((uint64_t)sp << (fb + eb)) | inf;
        }
        return 1;
    }
    if (z == inf) {
        *r = c;
        return 1;
    }
    if (x == 0 || y == 0) {
        /* Exact zero product: the sum is c, except that opposite-signed zeros follow rm. */
        if (z == 0 && (c >> (fb + eb)) != sp)
            *r = rm == SOFTFP_RDN ? smask : 0;
        else
            *r = c;
        return 1;
    }
    return 0;
}

uint32_t f32_muladd(uint32_t a, uint32_t b, uint32_t c, int rm, uint32_t *flags)
{
    unsigned sign = (a ^ b) >> 31;
    const unsigned sc = c >> 31;
    uint64_t r;
    if (sf_fma_special(F32, a, b, c, sign, rm, &r, flags)) return (uint32_t)r;
    int ex, ey, ez;
    uint64_t p = sf_unpack(23, a & 0x7fffffff, &ex) * sf_unpack(23, b & 0x7fffffff, &ey);
    /* Exact product in [2^60, 2^62) with 14 zero bits below; value = p * 2^l. */
    p <<= 14;
    int l = ex + ey - 314;
    const uint64_t z = c & 0x7fffffff;
    if (z) {
        uint64_t mz = sf_unpack(23, z, &ez) << 38; /* [2^61, 2^62) */
        int lz = ez - 188;
        /* Alignment only drops bits once the shift exceeds the zero padding (14 or 38 bits), when
         * the shifted addend is so small that cancellation is at most a bit or two: the jammed
         * sticky bit then stays far below the rounding position. */
        if (l > lz) {
            mz = sf_shr_jam(mz, l - lz);
        } else {
            p = sf_shr_jam(p, lz - l);
            l = lz;
        }
        if (sign == sc) {
            p += mz;
        } else if (p < mz) {
            p = mz - p;
            sign = sc;
        } else {
            p -= mz;
            if (p == 0) return rm == SOFTFP_RDN ? UINT32_C(0x80000000) : 0;
        }
    }
    int k = sf_clz64(p) - 1;
    return (uint32_t)sf_round_pack(F32, sign, l - k + 127 + 62, p << k, rm, flags);
}

uint64_t f64_muladd(uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *flags)
{
    unsigned sign = (unsigned)((a ^ b) >> 63);
    const unsigned sc = (unsigned)(c >> 63);
    uint64_t r;
    if (sf_fma_special(F64, a, b, c, sign, rm, &r, flags)) return r;
    int ex, ey, ez;
    uint64_t mx = sf_unpack(52, a & ~SF_TOP, &ex), my = sf_unpack(52, b & ~SF_TOP, &ey);
    /* Exact 106-bit product in [2^124, 2^126) with 20 zero bits below; value = p * 2^l. */
    sf_u128 p = sf_mul64(mx << 10, my << 10);
    int l = ex + ey - 2170;
    const uint64_t z = c & ~SF_TOP;
    if (z) {
        sf_u128 q;
        q.hi = sf_unpack(52, z, &ez) << 9; /* [2^125, 2^126) */
        q.lo = 0;
        int lz = ez - 1148;
        if (l > lz) {
            q = sf_shr_jam128(q, l - lz);
        } else {
            p = sf_shr_jam128(p, lz - l);
            l = lz;
        }
        if (sign == sc) {
            p.lo += q.lo;
            p.hi += q.hi + (p.lo < q.lo);
        } else if (p.hi < q.hi || (p.hi == q.hi && p.lo < q.lo)) {
            q.hi = q.hi - p.hi - (q.lo < p.lo);
            q.lo -= p.lo;
            p = q;
            sign = sc;
        } else {
            p.hi = p.hi - q.hi - (p.lo < q.lo);
            p.lo -= q.lo;
            if ((p.hi | p.lo) == 0) return rm == SOFTFP_RDN ? SF_TOP : 0;
        }
    }
    int k = sf_clz128(p) - 1;
    p = sf_shl128(p, k);
    return sf_round_pack(F64, sign, l - k + 64 + 1023 + 62, p.hi | (p.lo != 0), rm, flags);
}
