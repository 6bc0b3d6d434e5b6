# RV64F arithmetic: FADD/FSUB/FMUL/FDIV/FSQRT and the fused FMADD/FMSUB/FNMSUB/FNMADD family, with exception flags and special values.
#include "test.h"

#define S_P0   0x00000000
#define S_N0   0x80000000
#define S_1    0x3f800000
#define S_N1   0xbf800000
#define S_2    0x40000000
#define S_3    0x40400000
#define S_4    0x40800000
#define S_5    0x40a00000
#define S_N5   0xc0a00000
#define S_6    0x40c00000
#define S_N6   0xc0c00000
#define S_7    0x40e00000
#define S_N7   0xc0e00000
#define S_HALF 0x3f000000
#define S_0_1  0x3dcccccd
#define S_INF  0x7f800000
#define S_NINF 0xff800000
#define S_QNAN 0x7fc00000
#define S_MAX  0x7f7fffff
#define S_MINN 0x00800000
#define S_MINS 0x00000001

    TEST_FPS  1, S_1, S_2, 0, S_3, 0, fadd.s f4, f1, f2
    TEST_FPS  2, S_1, S_0_1, 0, 0x3f8ccccd, FF_NX, fadd.s f4, f1, f2
    TEST_FPS  3, S_INF, S_NINF, 0, S_QNAN, FF_NV, fadd.s f4, f1, f2
    TEST_FPS  4, S_MAX, S_MAX, 0, S_INF, FF_OF|FF_NX, fadd.s f4, f1, f2
    TEST_FPS  5, S_N0, S_N0, 0, S_N0, 0, fadd.s f4, f1, f2
    TEST_FPS  6, S_P0, S_N0, 0, S_P0, 0, fadd.s f4, f1, f2
    TEST_FPS  7, S_INF, S_1, 0, S_INF, 0, fadd.s f4, f1, f2
    TEST_FPS  8, S_3, S_1, 0, S_2, 0, fsub.s f4, f1, f2
    TEST_FPS  9, S_1, S_1, 0, S_P0, 0, fsub.s f4, f1, f2
    TEST_FPS 10, S_INF, S_INF, 0, S_QNAN, FF_NV, fsub.s f4, f1, f2
    TEST_FPS 11, S_1, S_3, 0, 0xc0000000, 0, fsub.s f4, f1, f2
    TEST_FPS 12, S_2, S_3, 0, S_6, 0, fmul.s f4, f1, f2
    TEST_FPS 13, S_N1, S_6, 0, S_N6, 0, fmul.s f4, f1, f2
    TEST_FPS 14, S_P0, S_INF, 0, S_QNAN, FF_NV, fmul.s f4, f1, f2
    TEST_FPS 15, S_MINN, S_HALF, 0, 0x00400000, 0, fmul.s f4, f1, f2      /* exact subnormal: no UF */
    TEST_FPS 16, S_MINS, S_HALF, 0, S_P0, FF_UF|FF_NX, fmul.s f4, f1, f2
    TEST_FPS 17, S_MAX, S_2, 0, S_INF, FF_OF|FF_NX, fmul.s f4, f1, f2
    TEST_FPS 18, S_N1, S_P0, 0, S_N0, 0, fmul.s f4, f1, f2
    TEST_FPS 19, S_6, S_3, 0, S_2, 0, fdiv.s f4, f1, f2
    TEST_FPS 20, S_1, S_3, 0, 0x3eaaaaab, FF_NX, fdiv.s f4, f1, f2
    TEST_FPS 21, S_1, S_P0, 0, S_INF, FF_DZ, fdiv.s f4, f1, f2
    TEST_FPS 22, S_N1, S_P0, 0, S_NINF, FF_DZ, fdiv.s f4, f1, f2
    TEST_FPS 23, S_P0, S_P0, 0, S_QNAN, FF_NV, fdiv.s f4, f1, f2
    TEST_FPS 24, S_INF, S_INF, 0, S_QNAN, FF_NV, fdiv.s f4, f1, f2
    TEST_FPS 25, S_1, S_INF, 0, S_P0, 0, fdiv.s f4, f1, f2
    TEST_FPS 26, S_INF, S_P0, 0, S_INF, 0, fdiv.s f4, f1, f2            /* inf/0: no DZ */
    TEST_FPS 27, S_4, 0, 0, S_2, 0, fsqrt.s f4, f1
    TEST_FPS 28, S_2, 0, 0, 0x3fb504f3, FF_NX, fsqrt.s f4, f1
    TEST_FPS 29, S_N1, 0, 0, S_QNAN, FF_NV, fsqrt.s f4, f1
    TEST_FPS 30, S_N0, 0, 0, S_N0, 0, fsqrt.s f4, f1
    TEST_FPS 31, S_INF, 0, 0, S_INF, 0, fsqrt.s f4, f1
    TEST_FPS 32, S_QNAN, 0, 0, S_QNAN, 0, fsqrt.s f4, f1

    /* fused multiply-add: a*b+c etc. with a=2, b=3, c=1 */
    TEST_FPS 33, S_2, S_3, S_1, S_7, 0, fmadd.s f4, f1, f2, f3
    TEST_FPS 34, S_2, S_3, S_1, S_5, 0, fmsub.s f4, f1, f2, f3
    TEST_FPS 35, S_2, S_3, S_1, S_N5, 0, fnmsub.s f4, f1, f2, f3
    TEST_FPS 36, S_2, S_3, S_1, S_N7, 0, fnmadd.s f4, f1, f2, f3
    /* single rounding: (1+2^-12)^2 - (1+2^-11) = 2^-24 exactly */
    TEST_FPS 37, 0x3f800800, 0x3f800800, 0xbf801000, 0x33800000, 0, fmadd.s f4, f1, f2, f3
    TEST_FPS 38, 0x3f800800, 0x3f800800, 0x3f801000, 0x33800000, 0, fmsub.s f4, f1, f2, f3
    TEST_FPS 39, 0x3f800800, 0x3f800800, 0x3f801000, 0xb3800000, 0, fnmsub.s f4, f1, f2, f3
    TEST_FPS 40, 0x3f800800, 0x3f800800, 0xbf801000, 0xb3800000, 0, fnmadd.s f4, f1, f2, f3
    /* inf * 0 is invalid even when the addend is a quiet NaN */
    TEST_FPS 41, S_INF, S_P0, S_QNAN, S_QNAN, FF_NV, fmadd.s f4, f1, f2, f3
    TEST_FPS 42, S_INF, S_1, S_NINF, S_QNAN, FF_NV, fmadd.s f4, f1, f2, f3
    TEST_FPS 43, S_1, S_1, S_QNAN, S_QNAN, 0, fmadd.s f4, f1, f2, f3
    /* signs of exact-zero results: the product is negated, not the sum */
    TEST_FPS 44, S_1, S_1, S_N1, S_P0, 0, fmadd.s f4, f1, f2, f3
    TEST_FPS 45, S_1, S_1, S_1, S_P0, 0, fmsub.s f4, f1, f2, f3
    TEST_FPS 46, S_1, S_1, S_1, S_P0, 0, fnmsub.s f4, f1, f2, f3
    TEST_FPS 47, S_1, S_1, S_N1, S_P0, 0, fnmadd.s f4, f1, f2, f3
    TEST_FPS 48, S_MAX, S_2, S_NINF, S_NINF, 0, fmadd.s f4, f1, f2, f3
    TEST_FPS 49, S_MAX, S_MAX, S_1, S_INF, FF_OF|FF_NX, fmadd.s f4, f1, f2, f3

    /* FLW/FSW round trip with offsets */
    TEST_CASE 50
    la a1, fbuf
    flw f5, 4(a1)
    CHECK_FS f5, 0x40490fdb
    fsw f5, 8(a1)
    lwu a0, 8(a1)
    CHECK_EQ a0, 0x40490fdb
    TEST_CASE 51                       /* fsw stores low 32 bits of any register */
    li a0, 0x123456789abcdef0
    fmv.d.x f6, a0
    fsw f6, 0(a1)
    lwu a0, 0(a1)
    CHECK_EQ a0, 0x9abcdef0
    TEST_END

    .data
    .align 3
fbuf: .word 0, 0x40490fdb, 0, 0
