# mstatus.FS/SD: FS=Off makes FP instructions and FP CSRs illegal (M and U mode); FP writes set FS=Dirty and SD; state survives Off.
#include "test.h"

.macro SET_FS v
    li t6, MSTATUS_FS
    csrc mstatus, t6
    li t6, \v
    csrs mstatus, t6
.endm

    TEST_CASE 1                       /* values to check later */
    LOAD_FD f7, 0x4045000000000000
    SET_FS 0
    CHECK_CSR_MASK mstatus, MSTATUS_FS, 0
    TEST_CASE 2
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, fadd.s f4, f1, f2
    TEST_CASE 3
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, fmadd.d f4, f1, f2, f3
    TEST_CASE 4
    la a1, buf
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, flw f4, 0(a1)
    TEST_CASE 5
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, fsd f4, 0(a1)
    TEST_CASE 6
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, fmv.x.d a0, f7
    TEST_CASE 7
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, fmv.w.x f4, a0
    TEST_CASE 8
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, csrr a0, fcsr
    TEST_CASE 9
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, csrw fflags, zero
    TEST_CASE 10
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, csrr a0, frm
    TEST_CASE 11
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, fcvt.d.l f4, a0
    TEST_CASE 12
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, c.fld f8, 0(a1)
    TEST_CASE 13                      /* also in U-mode */
    ARM_TRAP 2f
    GOTO_MODE PRV_U, 1f
1:  fsgnj.d f4, f5, f6
    j test_fail
2:  CHECK_TRAP CAUSE_ILLEGAL_INSN
    CHECK_MEPC 1b
    CHECK_TRAP_FROM PRV_U
    TEST_CASE 14                      /* the trap did not change FS */
    CHECK_CSR_MASK mstatus, MSTATUS_FS, 0
    csrr a0, mstatus
    bltz a0, test_fail                /* SD clear */

    TEST_CASE 15                      /* Initial: SD clear; FP write -> Dirty + SD */
    SET_FS MSTATUS_FS_INITIAL
    csrr a0, mstatus
    bltz a0, test_fail
    CHECK_FD f7, 0x4045000000000000   /* register kept while Off */
    fadd.d f4, f7, f7
    CHECK_CSR_MASK mstatus, MSTATUS_FS, MSTATUS_FS_DIRTY
    csrr a0, mstatus
    bgez a0, test_fail                /* SD set */
    CHECK_FD f4, 0x4055000000000000
    TEST_CASE 16                      /* sstatus shows FS and SD */
    csrr a0, sstatus
    bgez a0, test_fail
    CHECK_CSR_MASK sstatus, MSTATUS_FS, MSTATUS_FS_DIRTY
    TEST_CASE 17                      /* Clean: SD clear; fmv.w.x -> Dirty */
    SET_FS MSTATUS_FS_CLEAN
    CHECK_CSR_MASK mstatus, MSTATUS_FS, MSTATUS_FS_CLEAN
    csrr a0, mstatus
    bltz a0, test_fail
    fmv.w.x f5, zero
    CHECK_CSR_MASK mstatus, MSTATUS_FS, MSTATUS_FS_DIRTY
    TEST_CASE 18                      /* Clean: flw -> Dirty */
    SET_FS MSTATUS_FS_CLEAN
    la a1, buf
    flw f5, 0(a1)
    CHECK_CSR_MASK mstatus, MSTATUS_FS, MSTATUS_FS_DIRTY
    TEST_CASE 19                      /* Clean: fflags write -> Dirty */
    SET_FS MSTATUS_FS_CLEAN
    csrwi fflags, FF_NX
    CHECK_CSR_MASK mstatus, MSTATUS_FS, MSTATUS_FS_DIRTY
    csrwi fflags, 0
    TEST_CASE 20                      /* Clean: frm write -> Dirty */
    SET_FS MSTATUS_FS_CLEAN
    csrwi frm, RM_RNE
    CHECK_CSR_MASK mstatus, MSTATUS_FS, MSTATUS_FS_DIRTY
    TEST_CASE 21                      /* Initial: fcvt.s.w (FP dest) -> Dirty */
    SET_FS MSTATUS_FS_INITIAL
    li a0, 3
    fcvt.s.w f6, a0
    CHECK_CSR_MASK mstatus, MSTATUS_FS, MSTATUS_FS_DIRTY
    TEST_CASE 22                      /* Off via sstatus from S-mode, FP then illegal in S */
    ENTER_MODE PRV_S
    li a0, MSTATUS_FS
    csrc sstatus, a0
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, fadd.s f4, f1, f2
    CHECK_TRAP_FROM PRV_S
    CHECK_CSR_MASK mstatus, MSTATUS_FS, 0
    SET_FS MSTATUS_FS_INITIAL
    TEST_END

    .data
    .align 3
buf: .dword 0x3f8000003f800000
