# F/D FMIN/FMAX (incl. -0/+0, qNaN and sNaN), FEQ/FLT/FLE flags, FCLASS of every class, FSGNJ/FSGNJN/FSGNJX, FMV.X.W/W.X/X.D/D.X.
#include "test.h"

#define S_P0   0x00000000
#define S_N0   0x80000000
#define S_1    0x3f800000
#define S_N1   0xbf800000
#define S_2    0x40000000
#define S_N2   0xc0000000
#define S_INF  0x7f800000
#define S_NINF 0xff800000
#define S_QNAN 0x7fc00000
#define S_SNAN 0x7f800001
#define D_P0   0x0000000000000000
#define D_N0   0x8000000000000000
#define D_1    0x3ff0000000000000
#define D_N1   0xbff0000000000000
#define D_2    0x4000000000000000
#define D_N2   0xc000000000000000
#define D_INF  0x7ff0000000000000
#define D_NINF 0xfff0000000000000
#define D_QNAN 0x7ff8000000000000
#define D_SNAN 0x7ff0000000000001

    /* FMIN/FMAX single */
    TEST_FPS  1, S_1, S_2, 0, S_1, 0, fmin.s f4, f1, f2
    TEST_FPS  2, S_1, S_2, 0, S_2, 0, fmax.s f4, f1, f2
    TEST_FPS  3, S_N0, S_P0, 0, S_N0, 0, fmin.s f4, f1, f2
    TEST_FPS  4, S_P0, S_N0, 0, S_N0, 0, fmin.s f4, f1, f2
    TEST_FPS  5, S_N0, S_P0, 0, S_P0, 0, fmax.s f4, f1, f2
    TEST_FPS  6, S_P0, S_N0, 0, S_P0, 0, fmax.s f4, f1, f2
    TEST_FPS  7, S_QNAN, S_1, 0, S_1, 0, fmin.s f4, f1, f2
    TEST_FPS  8, S_1, S_QNAN, 0, S_1, 0, fmax.s f4, f1, f2
    TEST_FPS  9, S_SNAN, S_1, 0, S_1, FF_NV, fmin.s f4, f1, f2
    TEST_FPS 10, S_N1, S_SNAN, 0, S_N1, FF_NV, fmax.s f4, f1, f2
    TEST_FPS 11, S_QNAN, S_QNAN, 0, S_QNAN, 0, fmin.s f4, f1, f2
    TEST_FPS 12, S_SNAN, S_QNAN, 0, S_QNAN, FF_NV, fmax.s f4, f1, f2
    TEST_FPS 13, S_NINF, S_1, 0, S_NINF, 0, fmin.s f4, f1, f2
    TEST_FPS 14, S_INF, S_1, 0, S_INF, 0, fmax.s f4, f1, f2
    TEST_FPS 15, 0x7fc12345, 0x7fc54321, 0, S_QNAN, 0, fmax.s f4, f1, f2  /* canonical NaN out */

    /* compares single */
    TEST_FPS_X 16, S_1, S_1, 1, 0, feq.s a0, f1, f2
    TEST_FPS_X 17, S_1, S_2, 0, 0, feq.s a0, f1, f2
    TEST_FPS_X 18, S_P0, S_N0, 1, 0, feq.s a0, f1, f2
    TEST_FPS_X 19, S_QNAN, S_1, 0, 0, feq.s a0, f1, f2
    TEST_FPS_X 20, S_QNAN, S_QNAN, 0, 0, feq.s a0, f1, f2
    TEST_FPS_X 21, S_SNAN, S_1, 0, FF_NV, feq.s a0, f1, f2
    TEST_FPS_X 22, S_1, S_2, 1, 0, flt.s a0, f1, f2
    TEST_FPS_X 23, S_2, S_1, 0, 0, flt.s a0, f1, f2
    TEST_FPS_X 24, S_N0, S_P0, 0, 0, flt.s a0, f1, f2
    TEST_FPS_X 25, S_QNAN, S_1, 0, FF_NV, flt.s a0, f1, f2
    TEST_FPS_X 26, S_NINF, S_INF, 1, 0, flt.s a0, f1, f2
    TEST_FPS_X 27, S_N2, S_N1, 1, 0, flt.s a0, f1, f2
    TEST_FPS_X 28, S_1, S_1, 1, 0, fle.s a0, f1, f2
    TEST_FPS_X 29, S_N0, S_P0, 1, 0, fle.s a0, f1, f2
    TEST_FPS_X 30, S_2, S_1, 0, 0, fle.s a0, f1, f2
    TEST_FPS_X 31, S_1, S_QNAN, 0, FF_NV, fle.s a0, f1, f2
    TEST_FPS_X 32, S_SNAN, S_SNAN, 0, FF_NV, fle.s a0, f1, f2
    TEST_FPS_X 33, S_2, S_1, 1, 0, fgt.s a0, f1, f2        /* alias: flt with swapped operands */

    /* FCLASS.S */
    TEST_FPS_X 34, S_NINF, 0, 0x001, 0, fclass.s a0, f1
    TEST_FPS_X 35, S_N1, 0, 0x002, 0, fclass.s a0, f1
    TEST_FPS_X 36, 0x807fffff, 0, 0x004, 0, fclass.s a0, f1
    TEST_FPS_X 37, S_N0, 0, 0x008, 0, fclass.s a0, f1
    TEST_FPS_X 38, S_P0, 0, 0x010, 0, fclass.s a0, f1
    TEST_FPS_X 39, 0x00000001, 0, 0x020, 0, fclass.s a0, f1
    TEST_FPS_X 40, S_1, 0, 0x040, 0, fclass.s a0, f1
    TEST_FPS_X 41, S_INF, 0, 0x080, 0, fclass.s a0, f1
    TEST_FPS_X 42, S_SNAN, 0, 0x100, 0, fclass.s a0, f1
    TEST_FPS_X 43, S_QNAN, 0, 0x200, 0, fclass.s a0, f1
    TEST_FPS_X 44, 0xffc00001, 0, 0x200, 0, fclass.s a0, f1

    /* sign injection single (no flags, NaN payloads kept) */
    TEST_FPS 45, S_1, S_N2, 0, S_N1, 0, fsgnj.s f4, f1, f2
    TEST_FPS 46, S_N1, S_2, 0, S_1, 0, fsgnj.s f4, f1, f2
    TEST_FPS 47, S_1, S_N2, 0, S_1, 0, fsgnjn.s f4, f1, f2
    TEST_FPS 48, S_1, S_2, 0, S_N1, 0, fsgnjn.s f4, f1, f2
    TEST_FPS 49, S_N1, S_N2, 0, S_1, 0, fsgnjx.s f4, f1, f2
    TEST_FPS 50, S_1, S_N2, 0, S_N1, 0, fsgnjx.s f4, f1, f2
    TEST_FPS 51, S_SNAN, S_N1, 0, 0xff800001, 0, fsgnj.s f4, f1, f2
    TEST_FPS 52, S_N1, 0, 0, S_1, 0, fabs.s f4, f1
    TEST_FPS 53, S_1, 0, 0, S_N1, 0, fneg.s f4, f1
    TEST_FPS 54, 0x12345678, 0, 0, 0x12345678, 0, fmv.s f4, f1

    /* moves single */
    TEST_CASE 55
    li a1, 0xbf800000
    fmv.w.x f5, a1
    CHECK_FS f5, 0xbf800000
    fmv.x.w a0, f5
    CHECK_EQ a0, 0xffffffffbf800000          /* sign-extended */
    TEST_CASE 56
    li a1, 0x123456787f800001                /* upper bits ignored, NaN kept */
    fmv.w.x f5, a1
    CHECK_FS f5, 0x7f800001
    fmv.x.w a0, f5
    CHECK_EQ a0, 0x7f800001
    CHECK_FFLAGS 0

    /* double */
    TEST_FPD 57, D_N0, D_P0, 0, D_N0, 0, fmin.d f4, f1, f2
    TEST_FPD 58, D_N0, D_P0, 0, D_P0, 0, fmax.d f4, f1, f2
    TEST_FPD 59, D_QNAN, D_N1, 0, D_N1, 0, fmin.d f4, f1, f2
    TEST_FPD 60, D_SNAN, D_2, 0, D_2, FF_NV, fmax.d f4, f1, f2
    TEST_FPD 61, D_QNAN, D_SNAN, 0, D_QNAN, FF_NV, fmin.d f4, f1, f2
    TEST_FPD 62, D_1, D_2, 0, D_1, 0, fmin.d f4, f1, f2
    TEST_FPD_X 63, D_1, D_1, 1, 0, feq.d a0, f1, f2
    TEST_FPD_X 64, D_SNAN, D_1, 0, FF_NV, feq.d a0, f1, f2
    TEST_FPD_X 65, D_QNAN, D_1, 0, 0, feq.d a0, f1, f2
    TEST_FPD_X 66, D_N1, D_1, 1, 0, flt.d a0, f1, f2
    TEST_FPD_X 67, D_QNAN, D_1, 0, FF_NV, flt.d a0, f1, f2
    TEST_FPD_X 68, D_N0, D_P0, 1, 0, fle.d a0, f1, f2
    TEST_FPD_X 69, D_1, D_QNAN, 0, FF_NV, fle.d a0, f1, f2
    TEST_FPD_X 70, D_NINF, 0, 0x001, 0, fclass.d a0, f1
    TEST_FPD_X 71, D_N2, 0, 0x002, 0, fclass.d a0, f1
    TEST_FPD_X 72, 0x800fffffffffffff, 0, 0x004, 0, fclass.d a0, f1
    TEST_FPD_X 73, D_N0, 0, 0x008, 0, fclass.d a0, f1
    TEST_FPD_X 74, D_P0, 0, 0x010, 0, fclass.d a0, f1
    TEST_FPD_X 75, 0x0000000000000001, 0, 0x020, 0, fclass.d a0, f1
    TEST_FPD_X 76, D_1, 0, 0x040, 0, fclass.d a0, f1
    TEST_FPD_X 77, D_INF, 0, 0x080, 0, fclass.d a0, f1
    TEST_FPD_X 78, D_SNAN, 0, 0x100, 0, fclass.d a0, f1
    TEST_FPD_X 79, D_QNAN, 0, 0x200, 0, fclass.d a0, f1
    TEST_FPD 80, D_1, D_N2, 0, D_N1, 0, fsgnj.d f4, f1, f2
    TEST_FPD 81, D_1, D_N2, 0, D_1, 0, fsgnjn.d f4, f1, f2
    TEST_FPD 82, D_N1, D_N2, 0, D_1, 0, fsgnjx.d f4, f1, f2
    TEST_FPD 83, D_SNAN, D_N1, 0, 0xfff0000000000001, 0, fsgnj.d f4, f1, f2
    TEST_CASE 84
    li a1, 0x8123456789abcdef
    fmv.d.x f5, a1
    fmv.x.d a0, f5
    CHECK_EQR a0, a1
    TEST_END
