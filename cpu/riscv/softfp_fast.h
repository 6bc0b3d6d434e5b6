/* softfp_fast.h - fast paths for binary64 +, -, *, / and sqrt in round-to-nearest-even, on the
 * host's IEEE doubles: WebAssembly's f64 operations and x86-64's SSE2 ones round to nearest-even
 * exactly as softfp does. The one thing the host cannot say is whether the result was rounded
 * (fflags.NX): error-free transformations recover that (Knuth's TwoSum; Dekker's product with a
 * Veltkamp split, since WebAssembly has no fused multiply-add). They are exact only away from
 * overflow and underflow, so the fast paths take operands and results whose exponents lie in
 * [-480, 480] and hand everything else (zeros, subnormals, huge values, infinities, NaNs, other
 * rounding modes) to softfp. In that range no other flag can arise. Same bits and flags as
 * softfp: cpu/riscv/tests/unit/test_fpu_fast.c compares them on millions of inputs. */
#ifndef TABVM_SOFTFP_FAST_H
#define TABVM_SOFTFP_FAST_H

#include <stdint.h>
#include <string.h>

#include "softfp.h"

/* a*b must not be contracted into a fused multiply-add anywhere in this file. */
#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

static inline double softfp_fast_d(uint64_t v)
{
    double d;
    memcpy(&d, &v, sizeof d);
    return d;
}
static inline uint64_t softfp_fast_u(double d)
{
    uint64_t v;
    memcpy(&v, &d, sizeof v);
    return v;
}
/* Normal with an unbiased exponent in [-480, 480]. */
static inline int softfp_fast_mid(uint64_t v)
{
    unsigned e = (unsigned)(v >> 52) & 0x7ff;
    return e - (1023u - 480u) <= 960u;
}
/* The rounding error of p = a*b: a*b == p + error exactly (Dekker). */
static inline double softfp_fast_mul_error(double a, double b, double p)
{
    const double split = 134217729.0; /* 2^27 + 1 */
    double ca = split * a, ah = ca - (ca - a), al = a - ah;
    double cb = split * b, bh = cb - (cb - b), bl = b - bh;
    return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/* The host's correctly rounded square root, without libm's errno wrapper (nothing to link), or
 * -1 where this header does not know the instruction. */
static inline double softfp_fast_sqrt(double a)
{
#if defined(__wasm__)
    return __builtin_sqrt(a); /* f64.sqrt */
#elif defined(__x86_64__)
    double r;
    __asm__("sqrtsd %1, %0" : "=x"(r) : "x"(a));
    return r;
#else
    (void)a;
    return -1;
#endif
}

enum { SOFTFP_FAST_ADD, SOFTFP_FAST_SUB, SOFTFP_FAST_MUL, SOFTFP_FAST_DIV, SOFTFP_FAST_SQRT };

/* Computes op on A and B (B unused for sqrt) in round-to-nearest-even into *res and ORs NX into
 * *flags when rounded; returns 0, touching nothing, when softfp must do it. */
static inline int f64_fast(int op, uint64_t A, uint64_t B, uint64_t *res, uint32_t *flags)
{
    if (!softfp_fast_mid(A)) return 0;
    double a = softfp_fast_d(A), r;
    int inexact;
    if (op == SOFTFP_FAST_SQRT) {
        if (A >> 63) return 0;
        r = softfp_fast_sqrt(a);
        if (!(r > 0)) return 0;
        double p = r * r;
        inexact = p != a || softfp_fast_mul_error(r, r, p) != 0;
    } else {
        if (!softfp_fast_mid(B)) return 0;
        double b = softfp_fast_d(B);
        switch (op) {
        case SOFTFP_FAST_SUB: b = -b; /* fall through */
        case SOFTFP_FAST_ADD: {
            r = a + b;
            double bb = r - a;
            inexact = (a - (r - bb)) + (b - bb) != 0;
            break;
        }
        case SOFTFP_FAST_MUL:
            r = a * b;
            inexact = softfp_fast_mul_error(a, b, r) != 0;
            break;
        default: { /* DIV: exact when quotient times divisor gives the dividend back exactly */
            r = a / b;
            double p = r * b;
            inexact = p != a || softfp_fast_mul_error(r, b, p) != 0;
            break;
        }
        }
    }
    uint64_t R = softfp_fast_u(r);
    if (!softfp_fast_mid(R)) return 0;
    *res = R;
    if (inexact) *flags |= SOFTFP_NX;
    return 1;
}

#endif
