/* The binary64 fast paths (softfp_fast.h) against softfp: on every input a fast path takes, the
 * same result bits and the same fflags; and the paths take the common cases (else they would be
 * correct but useless). Inputs: random operands of every exponent, operands with short
 * mantissas (so products, quotients and roots are often exact and NX must stay clear), sums
 * that cancel, and values at the edges of the fast range. */
#include <stdio.h>

#include "../../softfp.h"
#include "../../softfp_fast.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t next(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* A double with the given unbiased exponent and a random mantissa, sometimes a short one. */
static uint64_t make(int exp, int short_mantissa)
{
    uint64_t m = next() & ((1ull << 52) - 1);
    if (short_mantissa) m &= ~((1ull << (52 - (int)(next() % 8))) - 1);
    return (next() & 1ull) << 63 | (uint64_t)(exp + 1023) << 52 | m;
}

static uint64_t random_operand(void)
{
    switch (next() % 8) {
    case 0: return make((int)(next() % 2046) - 1022, 0); /* any normal exponent */
    case 1: return make(480 - (int)(next() % 3), 0);     /* the top edge of the fast range */
    case 2: return make(-480 + (int)(next() % 3), 0);    /* the bottom edge */
    case 3: return next() % 4 == 0 ? 0 : next() & ((1ull << 52) - 1); /* zero, subnormal */
    case 4: return make((int)(next() % 40) - 20, 1); /* short mantissas: exact results */
    default: return make((int)(next() % 200) - 100, next() % 2);
    }
}

static const char *const names[] = {"add", "sub", "mul", "div", "sqrt"};
static uint64_t soft(int op, uint64_t a, uint64_t b, uint32_t *fl)
{
    switch (op) {
    case SOFTFP_FAST_ADD: return f64_add(a, b, SOFTFP_RNE, fl);
    case SOFTFP_FAST_SUB: return f64_sub(a, b, SOFTFP_RNE, fl);
    case SOFTFP_FAST_MUL: return f64_mul(a, b, SOFTFP_RNE, fl);
    case SOFTFP_FAST_DIV: return f64_div(a, b, SOFTFP_RNE, fl);
    default: return f64_sqrt(a, SOFTFP_RNE, fl);
    }
}

int main(void)
{
    int failures = 0;
    for (int op = SOFTFP_FAST_ADD; op <= SOFTFP_FAST_SQRT; op++) {
        long taken = 0, exact = 0, total = 2000000;
        for (long i = 0; i < total; i++) {
            uint64_t a = random_operand(), b = random_operand();
            if (op == SOFTFP_FAST_SQRT && i % 2) { /* squares of short mantissas: exact roots */
                double r = softfp_fast_d(make((int)(next() % 100) - 50, 1) & ~(1ull << 63));
                a = softfp_fast_u(r * r);
            }
            if (op == SOFTFP_FAST_SUB && i % 4 == 0) b = a ^ (next() & 0xff); /* cancellation */
            uint32_t fast_flags = 0x80, soft_flags = 0x80; /* bits already set must stay */
            uint64_t fast_res = 0xdead;
            if (!f64_fast(op, a, b, &fast_res, &fast_flags)) {
                if (fast_res != 0xdead || fast_flags != 0x80) {
                    printf("FAIL %s: a declined input changed the result or flags\n", names[op]);
                    failures++;
                }
                continue;
            }
            taken++;
            uint64_t soft_res = soft(op, a, b, &soft_flags);
            if (!(soft_flags & SOFTFP_NX)) exact++;
            if (fast_res != soft_res || fast_flags != soft_flags) {
                if (failures++ < 10)
                    printf("FAIL %s(%016llx, %016llx): fast %016llx flags %x, softfp %016llx flags "
                           "%x\n",
                           names[op], (unsigned long long)a, (unsigned long long)b,
                           (unsigned long long)fast_res, fast_flags, (unsigned long long)soft_res,
                           soft_flags);
            }
        }
        printf("%-4s: fast path on %ld of %ld inputs, %ld of them exact\n", names[op], taken, total,
               exact);
        if (taken < total / 4 || exact < 1000) {
            printf("FAIL %s: the fast path takes too few inputs or never sees an exact one\n",
                   names[op]);
            failures++;
        }
    }
    /* A few by hand. */
    uint32_t fl = 0;
    uint64_t r;
    if (!f64_fast(SOFTFP_FAST_MUL, softfp_fast_u(1.5), softfp_fast_u(2.0), &r, &fl) ||
        r != softfp_fast_u(3.0) || fl != 0)
        printf("FAIL 1.5*2\n"), failures++;
    if (!f64_fast(SOFTFP_FAST_DIV, softfp_fast_u(1.0), softfp_fast_u(3.0), &r, &fl) ||
        fl != SOFTFP_NX)
        printf("FAIL 1/3 inexact\n"), failures++;
    if (f64_fast(SOFTFP_FAST_DIV, softfp_fast_u(1.0), 0, &r, &fl))
        printf("FAIL 1/0 must go to softfp\n"), failures++;
    if (f64_fast(SOFTFP_FAST_SQRT, softfp_fast_u(-4.0), 0, &r, &fl))
        printf("FAIL sqrt(-4) must go to softfp\n"), failures++;
    printf("test_fpu_fast: %s\n", failures ? "FAILED" : "ok");
    return failures != 0;
}
