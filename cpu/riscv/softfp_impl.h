/* softfp_impl.h - internal helpers shared by softfp.c and softfp_conv.c; not a public API.
 * Format-generic helpers take (fb, eb) = fraction/exponent widths, always as constants. */
#ifndef TABVM_SOFTFP_IMPL_H
#define TABVM_SOFTFP_IMPL_H

#include "softfp.h"

/* Forced inlining lets every (fb, eb) instantiation fold to straight-line code. */
#define SF_INLINE static inline __attribute__((always_inline))

#define F32 23, 8
#define F64 52, 11

#define SF_ONE UINT64_C(1)
#define SF_TOP (SF_ONE << 63)

SF_INLINE int sf_bias(int eb) { return (1 << (eb - 1)) - 1; }
SF_INLINE uint64_t sf_sign(int fb, int eb) { return SF_ONE << (fb + eb); }
SF_INLINE uint64_t sf_inf(int fb, int eb) { return ((SF_ONE << eb) - 1) << fb; }
SF_INLINE uint64_t sf_qbit(int fb) { return SF_ONE << (fb - 1); }
SF_INLINE uint64_t sf_cnan(int fb, int eb) { return sf_inf(fb, eb) | sf_qbit(fb); }

/* x is a magnitude (sign cleared). */
SF_INLINE int sf_is_snan(int fb, int eb, uint64_t x)
{
    return x > sf_inf(fb, eb) && !(x & sf_qbit(fb));
}

/* Result for an operation with at least one NaN operand (x, y are magnitudes). */
SF_INLINE uint64_t sf_nan2(int fb, int eb, uint64_t x, uint64_t y, uint32_t *fl)
{
    if (sf_is_snan(fb, eb, x) || sf_is_snan(fb, eb, y)) *fl |= SOFTFP_NV;
    return sf_cnan(fb, eb);
}

SF_INLINE int sf_clz64(uint64_t x) { return __builtin_clzll(x); }

/* Right shift that ORs every bit shifted out into bit 0, so rounding still sees "inexact". */
SF_INLINE uint64_t sf_shr_jam(uint64_t x, int n)
{
    if (n <= 0) return x;
    if (n >= 64) return x != 0;
    return (x >> n) | ((x << (64 - n)) != 0);
}

/* Significand of a finite nonzero magnitude with the leading one moved to bit fb; *e gets the
 * matching biased exponent (<= 0 for subnormals), so value = m * 2^(*e - bias - fb). */
SF_INLINE uint64_t sf_unpack(int fb, uint64_t x, int *e)
{
    uint64_t m = x & ((SF_ONE << fb) - 1);
    int ex = (int)(x >> fb);
    if (ex) {
        *e = ex;
        return m | (SF_ONE << fb);
    }
    int k = sf_clz64(m) - (63 - fb);
    *e = 1 - k;
    return m << k;
}

/* Amount added below the rounding point before truncating; nonzero exactly when the mode may
 * round the magnitude up, which also tells overflow whether to give inf or the largest finite. */
SF_INLINE uint64_t sf_round_inc(int rm, unsigned sign, uint64_t half, uint64_t mask)
{
    switch (rm) {
    case SOFTFP_RNE:
    case SOFTFP_RMM: return half;
    case SOFTFP_RTZ: return 0;
    case SOFTFP_RDN: return sign ? mask : 0;
    default: return sign ? 0 : mask;
    }
}

/* Round and encode sign * sig * 2^(e - bias - 62). sig must be normalised (bit 62 set, bit 63
 * clear) and nonzero; e may lie far outside the format's range. Underflow is signalled when
 * the result is tiny after rounding and inexact, as RISC-V (and x86 SSE) specify. */
SF_INLINE uint64_t sf_round_pack(int fb, int eb, unsigned sign, int e, uint64_t sig, int rm,
                                 uint32_t *fl)
{
    const int rb = 62 - fb;
    const uint64_t rmask = (SF_ONE << rb) - 1, half = SF_ONE << (rb - 1);
    const int emax = (1 << eb) - 1;
    const uint64_t inc = sf_round_inc(rm, sign, half, rmask);

    if ((unsigned)(e - 1) >= (unsigned)(emax - 2)) {
        if (e < 1) {
            /* Tiny unless rounding at full precision would carry up to the smallest normal. */
            int tiny = e < 0 || sig + inc < SF_TOP;
            sig = sf_shr_jam(sig, 1 - e);
            e = 1;
            if (tiny && (sig & rmask)) *fl |= SOFTFP_UF;
        } else if (e >= emax || sig + inc >= SF_TOP) {
            *fl |= SOFTFP_OF | SOFTFP_NX;
            return ((uint64_t)sign << (fb + eb)) + sf_inf(fb, eb) - (inc == 0);
        }
    }
    uint64_t rbits = sig & rmask;
    if (rbits) *fl |= SOFTFP_NX;
    sig = (sig + inc) >> rb;
    if (rm == SOFTFP_RNE && rbits == half) sig &= ~SF_ONE;
    /* The explicit leading one carries into the exponent field, hence e - 1; a rounding carry
     * out of the significand likewise bumps the exponent, and a denormal result gets 0. */
    return ((uint64_t)sign << (fb + eb)) + ((uint64_t)(e - 1) << fb) + sig;
}

/* 128-bit unsigned arithmetic on two 64-bit halves: wasm32 has no 64x64->128 multiply, so an
 * __int128 multiply would become a libcall there. */
typedef struct {
    uint64_t hi, lo;
} sf_u128;

SF_INLINE sf_u128 sf_mul64(uint64_t a, uint64_t b)
{
    sf_u128 r;
#if defined(__SIZEOF_INT128__) && (defined(__x86_64__) || defined(__aarch64__)) &&                 \
    !defined(SOFTFP_PORTABLE)
    __extension__ unsigned __int128 p = (unsigned __int128)a * b;
    r.hi = (uint64_t)(p >> 64);
    r.lo = (uint64_t)p;
#else
    uint64_t a0 = (uint32_t)a, a1 = a >> 32, b0 = (uint32_t)b, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
    r.lo = (mid << 32) | (uint32_t)p00;
    r.hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
#endif
    return r;
}

SF_INLINE int sf_clz128(sf_u128 a) { return a.hi ? sf_clz64(a.hi) : 64 + sf_clz64(a.lo); }

SF_INLINE sf_u128 sf_shl128(sf_u128 a, int n)
{
    sf_u128 r = a;
    if (n >= 64) {
        r.hi = a.lo << (n - 64);
        r.lo = 0;
    } else if (n > 0) {
        r.hi = (a.hi << n) | (a.lo >> (64 - n));
        r.lo = a.lo << n;
    }
    return r;
}

SF_INLINE sf_u128 sf_shr_jam128(sf_u128 a, int n)
{
    sf_u128 r = a;
    if (n <= 0) return r;
    if (n < 64) {
        r.lo = (a.lo >> n) | (a.hi << (64 - n)) | ((a.lo << (64 - n)) != 0);
        r.hi = a.hi >> n;
    } else {
        r.lo = sf_shr_jam(a.hi, n - 64) | (a.lo != 0);
        r.hi = 0;
    }
    return r;
}

/* Float-to-integer conversion (RISC-V saturation rules). bits is 32 or 64. Returns the result
 * as a 64-bit two's complement pattern. */
SF_INLINE uint64_t sf_to_int(int fb, int eb, uint64_t a, int rm, uint32_t *fl, int is_signed,
                             int bits)
{
    const uint64_t inf = sf_inf(fb, eb);
    const uint64_t x = a & (sf_sign(fb, eb) - 1);
    const unsigned neg = (unsigned)(a >> (fb + eb));
    const uint64_t maxv = is_signed ? (SF_ONE << (bits - 1)) - 1 : ~UINT64_C(0) >> (64 - bits);
    const uint64_t minmag = is_signed ? SF_ONE << (bits - 1) : 0; /* |most negative| */
    uint64_t mag, rbits = 0;
    int e;

    if (x >= inf) {
        *fl |= SOFTFP_NV;
        return (neg && x == inf) ? (uint64_t)0 - minmag : maxv;
    }
    if (x == 0) return 0;
    uint64_t m = sf_unpack(fb, x, &e);
    int u = e - sf_bias(eb) - fb; /* value = m * 2^u */
    if (u >= 0) {
        if (u > 63 - fb) goto invalid;
        mag = m << u;
    } else {
        /* Two spare bits below the integer point: bit 1 = half, bit 0 = sticky. */
        uint64_t q = sf_shr_jam(m << 2, -u);
        rbits = q & 3;
        mag = q >> 2;
        switch (rm) {
        case SOFTFP_RNE: mag += rbits > 2 || (rbits == 2 && (mag & 1)); break;
        case SOFTFP_RMM: mag += rbits >= 2; break;
        case SOFTFP_RTZ: break;
        case SOFTFP_RDN: mag += neg && rbits; break;
        default: mag += !neg && rbits; break;
        }
    }
    if (neg ? mag > minmag : mag > maxv) goto invalid;
    if (rbits) *fl |= SOFTFP_NX;
    return neg ? (uint64_t)0 - mag : mag;
invalid:
    *fl |= SOFTFP_NV;
    return neg ? (uint64_t)0 - minmag : maxv;
}

/* Integer magnitude to float; zero gives +0. */
SF_INLINE uint64_t sf_from_int(int fb, int eb, unsigned neg, uint64_t mag, int rm, uint32_t *fl)
{
    if (mag == 0) return 0;
    int k = sf_clz64(mag);
    uint64_t sig = k ? mag << (k - 1) : (mag >> 1) | (mag & 1);
    return sf_round_pack(fb, eb, neg, sf_bias(eb) + 63 - k, sig, rm, fl);
}

#endif
