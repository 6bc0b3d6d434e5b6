# F/D conversions: FCVT between W/WU/L/LU and S/D in both directions, S<->D, all static rounding modes, saturation and NaN/inf results with flags.
#include "test.h"

#define S_1    0x3f800000
#define S_N1   0xbf800000
#define S_2_5  0x40200000
#define S_N2_5 0xc0200000
#define S_3_5  0x40600000
#define S_HALF 0x3f000000
#define S_NHALF 0xbf000000
#define S_INF  0x7f800000
#define S_NINF 0xff800000
#define S_QNAN 0x7fc00000
#define S_SNAN 0x7f800001
#define D_1    0x3ff0000000000000
#define D_N1   0xbff0000000000000
#define D_2_5  0x4004000000000000
#define D_INF  0x7ff0000000000000
#define D_NINF 0xfff0000000000000
#define D_QNAN 0x7ff8000000000000
#define D_SNAN 0x7ff0000000000001
#define D_MAX  0x7fefffffffffffff

    /* FCVT.W.S: rounding modes */
    TEST_FPS_X  1, S_1, 0, 1, 0, fcvt.w.s a0, f1, rtz
    TEST_FPS_X  2, S_N1, 0, -1, 0, fcvt.w.s a0, f1, rtz
    TEST_FPS_X  3, S_2_5, 0, 2, FF_NX, fcvt.w.s a0, f1, rne
    TEST_FPS_X  4, S_2_5, 0, 2, FF_NX, fcvt.w.s a0, f1, rtz
    TEST_FPS_X  5, S_2_5, 0, 2, FF_NX, fcvt.w.s a0, f1, rdn
    TEST_FPS_X  6, S_2_5, 0, 3, FF_NX, fcvt.w.s a0, f1, rup
    TEST_FPS_X  7, S_2_5, 0, 3, FF_NX, fcvt.w.s a0, f1, rmm
    TEST_FPS_X  8, S_N2_5, 0, -2, FF_NX, fcvt.w.s a0, f1, rne
    TEST_FPS_X  9, S_N2_5, 0, -2, FF_NX, fcvt.w.s a0, f1, rtz
    TEST_FPS_X 10, S_N2_5, 0, -3, FF_NX, fcvt.w.s a0, f1, rdn
    TEST_FPS_X 11, S_N2_5, 0, -2, FF_NX, fcvt.w.s a0, f1, rup
    TEST_FPS_X 12, S_N2_5, 0, -3, FF_NX, fcvt.w.s a0, f1, rmm
    TEST_FPS_X 13, S_3_5, 0, 4, FF_NX, fcvt.w.s a0, f1, rne
    /* FCVT.W.S: saturation */
    TEST_FPS_X 14, S_QNAN, 0, 0x7fffffff, FF_NV, fcvt.w.s a0, f1, rtz
    TEST_FPS_X 15, S_SNAN, 0, 0x7fffffff, FF_NV, fcvt.w.s a0, f1, rtz
    TEST_FPS_X 16, 0xffc00000, 0, 0x7fffffff, FF_NV, fcvt.w.s a0, f1, rtz  /* negative NaN too */
    TEST_FPS_X 17, S_INF, 0, 0x7fffffff, FF_NV, fcvt.w.s a0, f1, rtz
    TEST_FPS_X 18, S_NINF, 0, 0xffffffff80000000, FF_NV, fcvt.w.s a0, f1, rtz
    TEST_FPS_X 19, 0x4f32d05e, 0, 0x7fffffff, FF_NV, fcvt.w.s a0, f1, rtz  /* 3e9 */
    TEST_FPS_X 20, 0x4f000000, 0, 0x7fffffff, FF_NV, fcvt.w.s a0, f1, rtz  /* 2^31 */
    TEST_FPS_X 21, 0xcf000000, 0, 0xffffffff80000000, 0, fcvt.w.s a0, f1, rtz  /* -2^31 exact */
    TEST_FPS_X 22, 0xcf32d05e, 0, 0xffffffff80000000, FF_NV, fcvt.w.s a0, f1, rtz
    /* FCVT.WU.S */
    TEST_FPS_X 23, 0x4f32d05e, 0, 0xffffffffb2d05e00, 0, fcvt.wu.s a0, f1, rtz  /* result sign-extended */
    TEST_FPS_X 24, S_N1, 0, 0, FF_NV, fcvt.wu.s a0, f1, rtz
    TEST_FPS_X 25, S_NHALF, 0, 0, FF_NX, fcvt.wu.s a0, f1, rtz     /* rounds to 0: only inexact */
    TEST_FPS_X 26, S_QNAN, 0, 0xffffffffffffffff, FF_NV, fcvt.wu.s a0, f1, rtz
    TEST_FPS_X 27, S_INF, 0, 0xffffffffffffffff, FF_NV, fcvt.wu.s a0, f1, rtz
    TEST_FPS_X 28, S_NINF, 0, 0, FF_NV, fcvt.wu.s a0, f1, rtz
    TEST_FPS_X 29, 0x4f800000, 0, 0xffffffffffffffff, FF_NV, fcvt.wu.s a0, f1, rtz  /* 2^32 */
    TEST_FPS_X 30, S_2_5, 0, 3, FF_NX, fcvt.wu.s a0, f1, rup
    /* FCVT.L.S / FCVT.LU.S */
    TEST_FPS_X 31, 0x53800000, 0, 0x10000000000, 0, fcvt.l.s a0, f1, rtz      /* 2^40 */
    TEST_FPS_X 32, 0x5f000000, 0, 0x7fffffffffffffff, FF_NV, fcvt.l.s a0, f1, rtz  /* 2^63 */
    TEST_FPS_X 33, 0xdf000000, 0, 0x8000000000000000, 0, fcvt.l.s a0, f1, rtz
    TEST_FPS_X 34, S_QNAN, 0, 0x7fffffffffffffff, FF_NV, fcvt.l.s a0, f1, rtz
    TEST_FPS_X 35, S_NINF, 0, 0x8000000000000000, FF_NV, fcvt.l.s a0, f1, rtz
    TEST_FPS_X 36, S_N2_5, 0, -3, FF_NX, fcvt.l.s a0, f1, rdn
    TEST_FPS_X 37, S_N1, 0, 0, FF_NV, fcvt.lu.s a0, f1, rtz
    TEST_FPS_X 38, 0x5f800000, 0, 0xffffffffffffffff, FF_NV, fcvt.lu.s a0, f1, rtz  /* 2^64 */
    TEST_FPS_X 39, 0x5f000000, 0, 0x8000000000000000, 0, fcvt.lu.s a0, f1, rtz
    TEST_FPS_X 40, S_QNAN, 0, 0xffffffffffffffff, FF_NV, fcvt.lu.s a0, f1, rtz

    /* integer -> single */
    TEST_X_FPS 41, 1, S_1, 0, fcvt.s.w f4, a1
    TEST_X_FPS 42, -1, S_N1, 0, fcvt.s.w f4, a1
    TEST_X_FPS 43, 0x7fffffff, 0x4f000000, FF_NX, fcvt.s.w f4, a1
    TEST_X_FPS 44, 0x100000001, S_1, 0, fcvt.s.w f4, a1              /* upper bits ignored */
    TEST_X_FPS 45, 0x1000001, 0x4b800000, FF_NX, fcvt.s.w f4, a1, rne   /* 2^24+1 */
    TEST_X_FPS 46, 0x1000001, 0x4b800000, FF_NX, fcvt.s.w f4, a1, rtz
    TEST_X_FPS 47, 0x1000001, 0x4b800000, FF_NX, fcvt.s.w f4, a1, rdn
    TEST_X_FPS 48, 0x1000001, 0x4b800001, FF_NX, fcvt.s.w f4, a1, rup
    TEST_X_FPS 49, 0x1000001, 0x4b800001, FF_NX, fcvt.s.w f4, a1, rmm
    TEST_X_FPS 50, -0x1000001, 0xcb800001, FF_NX, fcvt.s.w f4, a1, rdn
    TEST_X_FPS 51, 0xffffffff, 0x4f800000, FF_NX, fcvt.s.wu f4, a1
    TEST_X_FPS 52, 0xffffffff00000002, 0x40000000, 0, fcvt.s.wu f4, a1
    TEST_X_FPS 53, -1, S_N1, 0, fcvt.s.l f4, a1
    TEST_X_FPS 54, 0x7fffffffffffffff, 0x5f000000, FF_NX, fcvt.s.l f4, a1
    TEST_X_FPS 55, 0x8000000000000000, 0xdf000000, 0, fcvt.s.l f4, a1
    TEST_X_FPS 56, 0xffffffffffffffff, 0x5f800000, FF_NX, fcvt.s.lu f4, a1
    TEST_X_FPS 57, 0xffffffffffffffff, 0x5f7fffff, FF_NX, fcvt.s.lu f4, a1, rtz
    TEST_X_FPS 58, 0, 0, 0, fcvt.s.l f4, a1                      /* +0, not -0 */

    /* double <-> integer */
    TEST_FPD_X 59, D_2_5, 0, 2, FF_NX, fcvt.w.d a0, f1, rne
    TEST_FPD_X 60, D_2_5, 0, 3, FF_NX, fcvt.w.d a0, f1, rmm
    TEST_FPD_X 61, 0x41dfffffffe00000, 0, 0x7fffffff, FF_NV, fcvt.w.d a0, f1, rne  /* 2^31-0.5 rounds out of range */
    TEST_FPD_X 62, 0x41dfffffffe00000, 0, 0x7fffffff, FF_NX, fcvt.w.d a0, f1, rtz
    TEST_FPD_X 63, 0xc1e0000000100000, 0, 0xffffffff80000000, FF_NX, fcvt.w.d a0, f1, rtz /* -2^31-0.5 */
    TEST_FPD_X 64, D_QNAN, 0, 0x7fffffff, FF_NV, fcvt.w.d a0, f1, rtz
    TEST_FPD_X 65, D_N1, 0, 0, FF_NV, fcvt.wu.d a0, f1, rtz
    TEST_FPD_X 66, 0x41efffffffe00000, 0, 0xffffffffffffffff, 0, fcvt.wu.d a0, f1, rtz  /* 2^32-1 */
    TEST_FPD_X 67, 0x43e0000000000000, 0, 0x7fffffffffffffff, FF_NV, fcvt.l.d a0, f1, rtz
    TEST_FPD_X 68, 0xc3e0000000000000, 0, 0x8000000000000000, 0, fcvt.l.d a0, f1, rtz
    TEST_FPD_X 69, D_NINF, 0, 0x8000000000000000, FF_NV, fcvt.l.d a0, f1, rtz
    TEST_FPD_X 70, D_SNAN, 0, 0x7fffffffffffffff, FF_NV, fcvt.l.d a0, f1, rtz
    TEST_FPD_X 71, 0x43f0000000000000, 0, 0xffffffffffffffff, FF_NV, fcvt.lu.d a0, f1, rtz
    TEST_FPD_X 72, D_QNAN, 0, 0xffffffffffffffff, FF_NV, fcvt.lu.d a0, f1, rtz
    TEST_FPD_X 73, 0x43e0000000000000, 0, 0x8000000000000000, 0, fcvt.lu.d a0, f1, rtz
    TEST_FPD_X 74, 0xbfe0000000000000, 0, 0, FF_NX, fcvt.lu.d a0, f1, rtz          /* -0.5 */
    TEST_X_FPD 75, 0x7fffffff, 0x41dfffffffc00000, 0, fcvt.d.w f4, a1
    TEST_X_FPD 76, 0xffffffff80000000, 0xc1e0000000000000, 0, fcvt.d.w f4, a1
    TEST_X_FPD 77, 0xffffffff, 0x41efffffffe00000, 0, fcvt.d.wu f4, a1
    TEST_X_FPD 78, 0x20000000000001, 0x4340000000000000, FF_NX, fcvt.d.l f4, a1, rne  /* 2^53+1 */
    TEST_X_FPD 79, 0x20000000000001, 0x4340000000000001, FF_NX, fcvt.d.l f4, a1, rup
    TEST_X_FPD 80, -1, D_N1, 0, fcvt.d.l f4, a1
    TEST_X_FPD 81, 0xffffffffffffffff, 0x43f0000000000000, FF_NX, fcvt.d.lu f4, a1

    /* single <-> double */
    TEST_FPD 82, 0x3fd5555555555555, 0, 0, 0xffffffff3eaaaaab, FF_NX, fcvt.s.d f4, f1
    TEST_FPD 83, 0x3fd5555555555555, 0, 0, 0xffffffff3eaaaaaa, FF_NX, fcvt.s.d f4, f1, rtz
    TEST_FPD 84, D_MAX, 0, 0, 0xffffffff7f800000, FF_OF|FF_NX, fcvt.s.d f4, f1
    TEST_FPD 85, D_MAX, 0, 0, 0xffffffff7f7fffff, FF_OF|FF_NX, fcvt.s.d f4, f1, rtz
    TEST_FPD 86, 0x7ff8000012345678, 0, 0, 0xffffffff7fc00000, 0, fcvt.s.d f4, f1
    TEST_FPD 87, D_SNAN, 0, 0, 0xffffffff7fc00000, FF_NV, fcvt.s.d f4, f1
    TEST_FPD 88, 0x358dee7a4ad4b81f, 0, 0, 0xffffffff00000000, FF_UF|FF_NX, fcvt.s.d f4, f1  /* 1e-50 */
    TEST_FPD 89, 0x8000000000000000, 0, 0, 0xffffffff80000000, 0, fcvt.s.d f4, f1
    TEST_FPD 90, D_NINF, 0, 0, 0xffffffffff800000, 0, fcvt.s.d f4, f1
    TEST_CASE 91
    LOAD_FS f1, 0x3fc00000
    csrwi fflags, 0
    fcvt.d.s f4, f1
    CHECK_FD f4, 0x3ff8000000000000
    CHECK_FFLAGS 0
    TEST_CASE 92
    LOAD_FS f1, S_SNAN
    fcvt.d.s f4, f1
    CHECK_FD f4, D_QNAN
    CHECK_FFLAGS FF_NV
    TEST_CASE 93
    csrwi fflags, 0
    LOAD_FS f1, 0xffc12345
    fcvt.d.s f4, f1
    CHECK_FD f4, D_QNAN
    CHECK_FFLAGS 0
    TEST_CASE 94
    LOAD_FS f1, 0x00000001
    fcvt.d.s f4, f1
    CHECK_FD f4, 0x36a0000000000000
    CHECK_FFLAGS 0
    TEST_CASE 95
    LOAD_FS f1, S_NINF
    fcvt.d.s f4, f1
    CHECK_FD f4, D_NINF
    TEST_END
