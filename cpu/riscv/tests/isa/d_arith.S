# RV64D arithmetic: FADD/FSUB/FMUL/FDIV/FSQRT.D and fused multiply-add family, with exception flags and special values.
#include "test.h"

#define D_P0   0x0000000000000000
#define D_N0   0x8000000000000000
#define D_1    0x3ff0000000000000
#define D_N1   0xbff0000000000000
#define D_2    0x4000000000000000
#define D_3    0x4008000000000000
#define D_4    0x4010000000000000
#define D_5    0x4014000000000000
#define D_N5   0xc014000000000000
#define D_6    0x4018000000000000
#define D_N6   0xc018000000000000
#define D_7    0x401c000000000000
#define D_N7   0xc01c000000000000
#define D_HALF 0x3fe0000000000000
#define D_0_1  0x3fb999999999999a
#define D_INF  0x7ff0000000000000
#define D_NINF 0xfff0000000000000
#define D_QNAN 0x7ff8000000000000
#define D_MAX  0x7fefffffffffffff
#define D_MINN 0x0010000000000000
#define D_MINS 0x0000000000000001

    TEST_FPD  1, D_1, D_2, 0, D_3, 0, fadd.d f4, f1, f2
    TEST_FPD  2, D_1, D_0_1, 0, 0x3ff199999999999a, FF_NX, fadd.d f4, f1, f2
    TEST_FPD  3, D_INF, D_NINF, 0, D_QNAN, FF_NV, fadd.d f4, f1, f2
    TEST_FPD  4, D_MAX, D_MAX, 0, D_INF, FF_OF|FF_NX, fadd.d f4, f1, f2
    TEST_FPD  5, D_N0, D_N0, 0, D_N0, 0, fadd.d f4, f1, f2
    TEST_FPD  6, D_P0, D_N0, 0, D_P0, 0, fadd.d f4, f1, f2
    TEST_FPD  7, D_3, D_1, 0, D_2, 0, fsub.d f4, f1, f2
    TEST_FPD  8, D_1, D_1, 0, D_P0, 0, fsub.d f4, f1, f2
    TEST_FPD  9, D_INF, D_INF, 0, D_QNAN, FF_NV, fsub.d f4, f1, f2
    TEST_FPD 10, D_2, D_3, 0, D_6, 0, fmul.d f4, f1, f2
    TEST_FPD 11, D_N1, D_6, 0, D_N6, 0, fmul.d f4, f1, f2
    TEST_FPD 12, D_INF, D_P0, 0, D_QNAN, FF_NV, fmul.d f4, f1, f2
    TEST_FPD 13, D_MINN, D_HALF, 0, 0x0008000000000000, 0, fmul.d f4, f1, f2
    TEST_FPD 14, D_MINS, D_HALF, 0, D_P0, FF_UF|FF_NX, fmul.d f4, f1, f2
    TEST_FPD 15, D_MAX, D_2, 0, D_INF, FF_OF|FF_NX, fmul.d f4, f1, f2
    TEST_FPD 16, D_6, D_3, 0, D_2, 0, fdiv.d f4, f1, f2
    TEST_FPD 17, D_1, D_3, 0, 0x3fd5555555555555, FF_NX, fdiv.d f4, f1, f2
    TEST_FPD 18, D_1, D_P0, 0, D_INF, FF_DZ, fdiv.d f4, f1, f2
    TEST_FPD 19, D_1, D_N0, 0, D_NINF, FF_DZ, fdiv.d f4, f1, f2
    TEST_FPD 20, D_P0, D_P0, 0, D_QNAN, FF_NV, fdiv.d f4, f1, f2
    TEST_FPD 21, D_INF, D_INF, 0, D_QNAN, FF_NV, fdiv.d f4, f1, f2
    TEST_FPD 22, D_4, 0, 0, D_2, 0, fsqrt.d f4, f1
    TEST_FPD 23, D_2, 0, 0, 0x3ff6a09e667f3bcd, FF_NX, fsqrt.d f4, f1
    TEST_FPD 24, D_N1, 0, 0, D_QNAN, FF_NV, fsqrt.d f4, f1
    TEST_FPD 25, D_N0, 0, 0, D_N0, 0, fsqrt.d f4, f1
    TEST_FPD 26, D_INF, 0, 0, D_INF, 0, fsqrt.d f4, f1

    TEST_FPD 27, D_2, D_3, D_1, D_7, 0, fmadd.d f4, f1, f2, f3
    TEST_FPD 28, D_2, D_3, D_1, D_5, 0, fmsub.d f4, f1, f2, f3
    TEST_FPD 29, D_2, D_3, D_1, D_N5, 0, fnmsub.d f4, f1, f2, f3
    TEST_FPD 30, D_2, D_3, D_1, D_N7, 0, fnmadd.d f4, f1, f2, f3
    /* single rounding: (1+2^-27)^2 - (1+2^-26) = 2^-54 exactly */
    TEST_FPD 31, 0x3ff0000002000000, 0x3ff0000002000000, 0xbff0000004000000, 0x3c90000000000000, 0, fmadd.d f4, f1, f2, f3
    TEST_FPD 32, 0x3ff0000002000000, 0x3ff0000002000000, 0x3ff0000004000000, 0x3c90000000000000, 0, fmsub.d f4, f1, f2, f3
    TEST_FPD 33, 0x3ff0000002000000, 0x3ff0000002000000, 0x3ff0000004000000, 0xbc90000000000000, 0, fnmsub.d f4, f1, f2, f3
    TEST_FPD 34, 0x3ff0000002000000, 0x3ff0000002000000, 0xbff0000004000000, 0xbc90000000000000, 0, fnmadd.d f4, f1, f2, f3
    TEST_FPD 35, D_INF, D_P0, D_QNAN, D_QNAN, FF_NV, fmadd.d f4, f1, f2, f3
    TEST_FPD 36, D_1, D_1, D_N1, D_P0, 0, fnmadd.d f4, f1, f2, f3
    TEST_FPD 37, D_1, D_1, D_1, D_P0, 0, fnmsub.d f4, f1, f2, f3
    TEST_FPD 38, D_MAX, D_MAX, D_1, D_INF, FF_OF|FF_NX, fmadd.d f4, f1, f2, f3

    /* FLD/FSD round trip */
    TEST_CASE 39
    la a1, dbuf
    fld f5, 8(a1)
    CHECK_FD f5, 0x400921fb54442d18
    fsd f5, 16(a1)
    ld a0, 16(a1)
    CHECK_EQ a0, 0x400921fb54442d18
    TEST_CASE 40                       /* fld replaces all 64 bits */
    LOAD_FS f5, 0x3f800000
    fld f5, 0(a1)
    CHECK_FD f5, 0
    TEST_END

    .data
    .align 3
dbuf: .dword 0, 0x400921fb54442d18, 0
