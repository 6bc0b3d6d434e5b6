# FP control: fcsr/frm/fflags CSRs and aliases, flag accumulation, dynamic vs static rounding in all five modes, invalid rm (static 5/6, frm 5-7 with DYN) -> illegal instruction.
#include "test.h"

    /* fcsr / frm / fflags access */
    TEST_CASE 1
    li a0, 0xff
    fscsr a1, a0
    CHECK_EQ a1, 0
    frcsr a1
    CHECK_EQ a1, 0xff
    frrm a1
    CHECK_EQ a1, 7
    frflags a1
    CHECK_EQ a1, 0x1f
    TEST_CASE 2                     /* reserved fcsr bits read as zero */
    li a0, -1
    csrw fcsr, a0
    CHECK_CSR fcsr, 0xff
    TEST_CASE 3
    li a0, 0x13
    fsflags a1, a0
    CHECK_EQ a1, 0x1f
    CHECK_CSR fcsr, 0xf3            /* frm still 7 */
    TEST_CASE 4
    li a0, 2
    fsrm a1, a0
    CHECK_EQ a1, 7
    CHECK_CSR fcsr, 0x53
    TEST_CASE 5
    fsrmi a1, 4
    CHECK_EQ a1, 2
    fsflagsi a1, 0
    CHECK_EQ a1, 0x13
    CHECK_CSR fcsr, 0x80
    TEST_CASE 6                     /* csrrs/csrrc on fflags */
    csrsi fflags, FF_DZ
    csrsi fflags, FF_NX
    CHECK_CSR fflags, FF_DZ|FF_NX
    csrci fflags, FF_DZ
    CHECK_CSR fflags, FF_NX
    CHECK_CSR frm, 4
    csrwi frm, 0
    csrwi fflags, 0
    CHECK_CSR fcsr, 0

    /* flags accumulate and are never cleared by arithmetic */
    TEST_CASE 7
    LOAD_FS f1, 0x3f800000
    LOAD_FS f2, 0x40400000
    LOAD_FS f3, 0x00000000
    fdiv.s f4, f1, f2               /* NX */
    CHECK_FFLAGS FF_NX
    fdiv.s f4, f1, f3               /* DZ */
    CHECK_FFLAGS FF_NX|FF_DZ
    fadd.s f4, f1, f1               /* exact: flags kept */
    CHECK_FFLAGS FF_NX|FF_DZ
    fdiv.s f4, f3, f3               /* NV */
    CHECK_FFLAGS FF_NX|FF_DZ|FF_NV
    CHECK_CSR fcsr, FF_NX|FF_DZ|FF_NV
    csrwi fflags, 0

    /* dynamic rounding: 1/3 and -1/3 in each mode */
.macro DYN_DIV n, rm, a, exp
    TEST_CASE \n
    csrwi frm, \rm
    LOAD_FS f1, \a
    LOAD_FS f2, 0x40400000
    fdiv.s f4, f1, f2
    CHECK_FS f4, \exp
.endm
    DYN_DIV  8, RM_RNE, 0x3f800000, 0x3eaaaaab
    DYN_DIV  9, RM_RTZ, 0x3f800000, 0x3eaaaaaa
    DYN_DIV 10, RM_RDN, 0x3f800000, 0x3eaaaaaa
    DYN_DIV 11, RM_RUP, 0x3f800000, 0x3eaaaaab
    DYN_DIV 12, RM_RMM, 0x3f800000, 0x3eaaaaab
    DYN_DIV 13, RM_RNE, 0xbf800000, 0xbeaaaaab
    DYN_DIV 14, RM_RTZ, 0xbf800000, 0xbeaaaaaa
    DYN_DIV 15, RM_RDN, 0xbf800000, 0xbeaaaaab
    DYN_DIV 16, RM_RUP, 0xbf800000, 0xbeaaaaaa
    DYN_DIV 17, RM_RMM, 0xbf800000, 0xbeaaaaab

    /* ties: 1 + 2^-24 is exactly half an ulp above 1.0 */
.macro DYN_TIE n, rm, b, exp
    TEST_CASE \n
    csrwi frm, \rm
    LOAD_FS f1, 0x3f800000
    LOAD_FS f2, \b
    fadd.s f4, f1, f2
    CHECK_FS f4, \exp
.endm
    DYN_TIE 18, RM_RNE, 0x33800000, 0x3f800000
    DYN_TIE 19, RM_RMM, 0x33800000, 0x3f800001
    DYN_TIE 20, RM_RUP, 0x33800000, 0x3f800001
    DYN_TIE 21, RM_RDN, 0x33800000, 0x3f800000
    DYN_TIE 22, RM_RTZ, 0x33800000, 0x3f800000
    DYN_TIE 23, RM_RNE, 0x34400000, 0x3f800002     /* 1 + 1.5 ulp -> even (2 ulp) */
    DYN_TIE 24, RM_RMM, 0x34400000, 0x3f800002
    DYN_TIE 25, RM_RTZ, 0x34400000, 0x3f800001

    /* static rm overrides frm */
    TEST_CASE 26
    csrwi frm, RM_RTZ
    LOAD_FS f1, 0x3f800000
    LOAD_FS f2, 0x40400000
    fdiv.s f4, f1, f2, rne
    CHECK_FS f4, 0x3eaaaaab
    fdiv.s f4, f1, f2, dyn
    CHECK_FS f4, 0x3eaaaaaa
    TEST_CASE 27
    csrwi frm, RM_RNE
    fdiv.s f4, f1, f2, rup
    CHECK_FS f4, 0x3eaaaaab
    fdiv.s f4, f1, f2, rdn
    CHECK_FS f4, 0x3eaaaaaa

    /* x - x is -0 only when rounding down */
    TEST_FPS 28, 0x3f800000, 0x3f800000, 0, 0x80000000, 0, fsub.s f4, f1, f2, rdn
    TEST_FPS 29, 0x3f800000, 0x3f800000, 0, 0x00000000, 0, fsub.s f4, f1, f2, rup
    /* overflow result depends on the rounding mode */
    TEST_FPS 30, 0x7f7fffff, 0x7f7fffff, 0, 0x7f7fffff, FF_OF|FF_NX, fadd.s f4, f1, f2, rtz
    TEST_FPS 31, 0x7f7fffff, 0x7f7fffff, 0, 0x7f7fffff, FF_OF|FF_NX, fadd.s f4, f1, f2, rdn
    TEST_FPS 32, 0x7f7fffff, 0x7f7fffff, 0, 0x7f800000, FF_OF|FF_NX, fadd.s f4, f1, f2, rup
    TEST_FPS 33, 0xff7fffff, 0xff7fffff, 0, 0xff7fffff, FF_OF|FF_NX, fadd.s f4, f1, f2, rup
    TEST_FPS 34, 0xff7fffff, 0xff7fffff, 0, 0xff800000, FF_OF|FF_NX, fadd.s f4, f1, f2, rdn
    TEST_FPS 35, 0x7f7fffff, 0x7f7fffff, 0, 0x7f800000, FF_OF|FF_NX, fadd.s f4, f1, f2, rmm
    /* double, dynamic */
    TEST_CASE 36
    csrwi frm, RM_RUP
    LOAD_FD f1, 0x3ff0000000000000
    LOAD_FD f2, 0x4008000000000000
    fdiv.d f4, f1, f2
    CHECK_FD f4, 0x3fd5555555555556
    csrwi frm, RM_RTZ
    fdiv.d f4, f1, f2
    CHECK_FD f4, 0x3fd5555555555555
    TEST_CASE 37                    /* conversions use frm with DYN */
    csrwi frm, RM_RDN
    LOAD_FS f1, 0x40200000
    fcvt.w.s a0, f1, dyn
    CHECK_EQ a0, 2
    csrwi frm, RM_RUP
    fcvt.w.s a0, f1, dyn
    CHECK_EQ a0, 3
    csrwi frm, RM_RNE
    csrwi fflags, 0

    /* invalid static rounding modes 5 and 6 */
    TEST_CASE 38
    EXPECT_ILLEGAL_WORD 0x0020d253          /* fadd.s f4,f1,f2 with rm=5 */
    TEST_CASE 39
    EXPECT_ILLEGAL_WORD 0x0020e253          /* fadd.s f4,f1,f2 with rm=6 */
    TEST_CASE 40
    EXPECT_ILLEGAL_WORD 0x0220d253          /* fadd.d f4,f1,f2 with rm=5 */
    TEST_CASE 41
    EXPECT_ILLEGAL_WORD 0xc000d553          /* fcvt.w.s a0,f1 with rm=5 */
    TEST_CASE 42
    EXPECT_ILLEGAL_WORD 0x1820e243          /* fmadd.s f4,f1,f2,f3 with rm=6 */
    TEST_CASE 43
    EXPECT_ILLEGAL_WORD 0x5800e253          /* fsqrt.s f4,f1 with rm=6 */

    /* invalid frm (5, 6, 7) with DYN */
.macro BAD_FRM n, v
    TEST_CASE \n
    csrwi frm, \v
    LOAD_FS f1, 0x3f800000
    LOAD_FS f2, 0x40000000
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, fadd.s f4, f1, f2, dyn
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, fmul.d f4, f1, f2, dyn
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, fcvt.s.w f4, a0, dyn
    CHECK_CSR frm, \v
.endm
    BAD_FRM 44, 5
    BAD_FRM 45, 6
    BAD_FRM 46, 7
    TEST_CASE 47                    /* static rm and rm-less instructions still work */
    csrwi frm, 7
    LOAD_FS f1, 0x3f800000
    LOAD_FS f2, 0x40000000
    fadd.s f4, f1, f2, rne
    CHECK_FS f4, 0x40400000
    fsgnjn.s f4, f1, f1
    CHECK_FS f4, 0xbf800000
    fmin.s f4, f1, f2
    CHECK_FS f4, 0x3f800000
    flt.s a0, f1, f2
    CHECK_EQ a0, 1
    fclass.s a0, f1
    CHECK_EQ a0, 0x40
    fmv.x.w a0, f2
    CHECK_EQ a0, 0x40000000
    TEST_CASE 48                    /* valid frm again: DYN works */
    csrwi frm, RM_RNE
    fadd.s f4, f1, f2
    CHECK_FS f4, 0x40400000
    TEST_END
