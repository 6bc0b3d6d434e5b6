# NaN boxing and NaN handling: improperly boxed singles read as canonical NaN, FLW/FMV.W.X box, transfers ignore the box, sNaN raises NV, no payload propagation.
#include "test.h"

#define UNBOXED   0x000000003f800000      /* 1.0f without the upper ones */
#define HALFBOXED 0xfffffffe3f800000
#define CNAN_S    0xffffffff7fc00000

.macro LOAD_RAW freg, val
    li t6, \val
    fmv.d.x \freg, t6
.endm

    TEST_CASE 1                       /* arithmetic on an unboxed value */
    LOAD_RAW f1, UNBOXED
    csrwi fflags, 0
    fadd.s f4, f1, f1
    CHECK_FD f4, CNAN_S
    CHECK_FFLAGS 0
    TEST_CASE 2                       /* every upper bit must be one */
    LOAD_RAW f1, HALFBOXED
    LOAD_FS f2, 0x3f800000
    fmul.s f4, f2, f1
    CHECK_FD f4, CNAN_S
    CHECK_FFLAGS 0
    TEST_CASE 3                       /* properly boxed value works */
    LOAD_RAW f1, 0xffffffff3f800000
    fadd.s f4, f1, f1
    CHECK_FD f4, 0xffffffff40000000
    TEST_CASE 4                       /* fsgnj.s: NaN magnitude, sign from rs2 */
    LOAD_RAW f1, UNBOXED
    LOAD_FS f2, 0xbf800000
    fsgnj.s f4, f1, f2
    CHECK_FD f4, 0xffffffffffc00000
    TEST_CASE 5                       /* fsgnj.s with unboxed rs2: its sign is that of the canonical NaN (+) */
    LOAD_FS f1, 0xbf800000
    LOAD_RAW f2, 0x00000000bf800000
    fsgnj.s f4, f1, f2
    CHECK_FD f4, 0xffffffff3f800000
    TEST_CASE 6                       /* fmv.s (fsgnj rs1==rs2) */
    LOAD_RAW f1, UNBOXED
    fmv.s f4, f1
    CHECK_FD f4, CNAN_S
    TEST_CASE 7
    LOAD_RAW f1, UNBOXED
    fclass.s a0, f1
    CHECK_EQ a0, 0x200
    TEST_CASE 8                       /* feq on the canonical (quiet) NaN: no NV */
    csrwi fflags, 0
    LOAD_RAW f1, UNBOXED
    feq.s a0, f1, f1
    CHECK_EQ a0, 0
    CHECK_FFLAGS 0
    TEST_CASE 9
    flt.s a0, f1, f1
    CHECK_EQ a0, 0
    CHECK_FFLAGS FF_NV
    TEST_CASE 10
    csrwi fflags, 0
    fcvt.d.s f4, f1
    CHECK_FD f4, 0x7ff8000000000000
    CHECK_FFLAGS 0
    TEST_CASE 11
    fcvt.w.s a0, f1, rtz
    CHECK_EQ a0, 0x7fffffff
    CHECK_FFLAGS FF_NV
    TEST_CASE 12                      /* fmin: NaN operand ignored */
    csrwi fflags, 0
    LOAD_FS f2, 0x40400000
    fmin.s f4, f1, f2
    CHECK_FS f4, 0x40400000
    CHECK_FFLAGS 0
    TEST_CASE 13
    LOAD_FS f2, 0x40400000
    fmadd.s f4, f2, f2, f1
    CHECK_FD f4, CNAN_S
    TEST_CASE 14                      /* transfers ignore the upper half */
    LOAD_RAW f1, 0x12345678bf800000
    fmv.x.w a0, f1
    CHECK_EQ a0, 0xffffffffbf800000
    TEST_CASE 15
    la a1, sbuf
    fsw f1, 0(a1)
    lwu a0, 0(a1)
    CHECK_EQ a0, 0xbf800000
    TEST_CASE 16                      /* flw boxes, keeps sNaN bits */
    LOAD_RAW f5, 0
    la a1, snan_word
    flw f5, 0(a1)
    CHECK_FD f5, 0xffffffff7f800001
    TEST_CASE 17                      /* fmv.w.x boxes */
    LOAD_RAW f5, 0
    li a0, 0xaaaaaaaa40490fdb
    fmv.w.x f5, a0
    CHECK_FD f5, 0xffffffff40490fdb
    TEST_CASE 18                      /* single ops write boxed results */
    LOAD_RAW f5, 0
    LOAD_FS f1, 0x3f800000
    fsqrt.s f5, f1
    CHECK_FD f5, 0xffffffff3f800000
    TEST_CASE 19                      /* double op reads all 64 bits */
    LOAD_FS f1, 0x3f800000            /* = 0xffffffff3f800000: a negative double NaN */
    fclass.d a0, f1
    CHECK_EQ a0, 0x200

    /* signalling NaN handling */
    TEST_FPS 20, 0x7f800001, 0x3f800000, 0, 0x7fc00000, FF_NV, fadd.s f4, f1, f2
    TEST_FPS 21, 0x7fc00001, 0x3f800000, 0, 0x7fc00000, 0, fadd.s f4, f1, f2
    TEST_FPS 22, 0xffa00000, 0x3f800000, 0, 0x7fc00000, FF_NV, fmul.s f4, f2, f1
    TEST_FPS 23, 0x7fc12345, 0x7f800001, 0, 0x7fc00000, FF_NV, fsub.s f4, f1, f2
    TEST_FPS 24, 0x7f800001, 0, 0, 0x7fc00000, FF_NV, fsqrt.s f4, f1
    TEST_FPS 25, 0x3f800000, 0x3f800000, 0x7f800001, 0x7fc00000, FF_NV, fmadd.s f4, f1, f2, f3
    TEST_FPS 26, 0x7f800001, 0, 0, 0x7f800001, 0, fmv.s f4, f1
    TEST_FPS 27, 0x7f800001, 0, 0, 0xff800001, 0, fneg.s f4, f1
    TEST_FPD 28, 0x7ff0000000000001, 0x3ff0000000000000, 0, 0x7ff8000000000000, FF_NV, fadd.d f4, f1, f2
    TEST_FPD 29, 0x7ff8000000001234, 0x3ff0000000000000, 0, 0x7ff8000000000000, 0, fmul.d f4, f1, f2
    TEST_FPD 30, 0xfff8000000000000, 0x3ff0000000000000, 0, 0x7ff8000000000000, 0, fdiv.d f4, f1, f2
    TEST_FPD 31, 0x3ff0000000000000, 0x7ff4000000000000, 0, 0x7ff8000000000000, FF_NV, fdiv.d f4, f1, f2
    TEST_FPD 32, 0x7ff0000000000001, 0, 0, 0x7ff0000000000001, 0, fabs.d f4, f1
    TEST_END

    .data
    .align 3
sbuf: .dword 0
snan_word: .word 0x7f800001
