# Zicntr time CSR: readable in M, tracks CLINT mtime, gated for S/U by mcounteren.TM / scounteren.TM. [reference-excluded: QEMU's spike machine has no time CSR]
#include "test.h"

    TEST_CASE 1                      /* time is readable and tracks mtime */
    rdtime a0
    li a3, CLINT_MTIME
    ld a1, 0(a3)
    li a2, 2000
1:  addi a2, a2, -1
    bnez a2, 1b
    rdtime a2
    bltu a1, a0, test_fail
    bltu a2, a1, test_fail
    TEST_CASE 2                      /* time advances */
    rdtime a0
    li a2, 100000
1:  rdtime a1
    bne a1, a0, 2f
    addi a2, a2, -1
    bnez a2, 1b
    j test_fail
2:  CHECK_LTU a0, a1
    TEST_CASE 3                      /* gated in S by mcounteren.TM */
    csrw mcounteren, zero
    csrw scounteren, zero
    ENTER_MODE PRV_S
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, rdtime a0
    TEST_CASE 4
    li a0, 0x2
    csrw mcounteren, a0
    ENTER_MODE PRV_S
    rdtime a0
    BACK_TO_M PRV_S
    TEST_CASE 5                      /* gated in U by scounteren.TM */
    ENTER_MODE PRV_U
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, rdtime a0
    TEST_CASE 6
    li a0, 0x2
    csrw scounteren, a0
    ENTER_MODE PRV_U
    rdtime a0
    BACK_TO_M PRV_U
    TEST_CASE 7                      /* time is read-only */
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, csrw time, zero
    TEST_END
