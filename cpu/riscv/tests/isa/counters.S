# Zicntr: cycle/instret (and mcycle/minstret) advance; mcounteren/scounteren gate S/U access (illegal when clear); M counters are M-only.
#include "test.h"

    TEST_CASE 1                      /* cycle increases */
    rdcycle a0
    li a2, 200
1:  addi a2, a2, -1
    bnez a2, 1b
    rdcycle a1
    CHECK_LTU a0, a1
    TEST_CASE 2                      /* instret increases by at least the loop length */
    rdinstret a0
    li a2, 100
1:  addi a2, a2, -1
    bnez a2, 1b
    rdinstret a1
    sub a3, a1, a0
    li a4, 200
    bltu a3, a4, test_fail
    TEST_CASE 3                      /* mcycle / minstret in M-mode */
    csrr a0, mcycle
    csrr a1, minstret
    nop
    csrr a2, mcycle
    csrr a3, minstret
    CHECK_LTU a0, a2
    CHECK_LTU a1, a3
    TEST_CASE 4                      /* cycle mirrors mcycle */
    csrr a0, mcycle
    rdcycle a1
    csrr a2, mcycle
    bltu a1, a0, test_fail
    bltu a2, a1, test_fail

    /* gating */
    TEST_CASE 5                      /* mcounteren = 0: S cannot read cycle */
    csrw mcounteren, zero
    csrw scounteren, zero
    ENTER_MODE PRV_S
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, rdcycle a0
    CHECK_TRAP_FROM PRV_S
    TEST_CASE 6
    ENTER_MODE PRV_S
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, rdinstret a0
    TEST_CASE 7                      /* ... nor U */
    ENTER_MODE PRV_U
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, rdcycle a0
    CHECK_TRAP_FROM PRV_U
    TEST_CASE 8                      /* mcounteren CY|IR: S may read */
    li a0, 0x5
    csrw mcounteren, a0
    ENTER_MODE PRV_S
    rdcycle a0
    rdinstret a1
    rdcycle a2
    CHECK_LTU a0, a2
    BACK_TO_M PRV_S
    TEST_CASE 9                      /* scounteren = 0: U still cannot */
    ENTER_MODE PRV_U
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, rdcycle a0
    TEST_CASE 10                     /* scounteren CY: U may read cycle but not instret */
    li a0, 0x1
    csrw scounteren, a0
    ENTER_MODE PRV_U
    rdcycle a0
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, rdinstret a1
    TEST_CASE 11                     /* scounteren CY|IR with mcounteren CY only */
    li a0, 0x1
    csrw mcounteren, a0
    li a0, 0x5
    csrw scounteren, a0
    ENTER_MODE PRV_U
    rdcycle a0
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, rdinstret a1
    TEST_CASE 12
    ENTER_MODE PRV_S
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, rdinstret a1
    TEST_CASE 13                     /* both enabled: U reads both */
    li a0, 0x5
    csrw mcounteren, a0
    ENTER_MODE PRV_U
    rdcycle a0
    rdinstret a1
    BACK_TO_M PRV_U
    TEST_CASE 14                     /* machine counters are M-only */
    ENTER_MODE PRV_S
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, csrr a0, mcycle
    TEST_CASE 15
    ENTER_MODE PRV_S
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, csrr a0, minstret
    TEST_CASE 16                     /* user counters are read-only even in M */
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, csrw cycle, zero
    TEST_CASE 17                     /* mcounteren/scounteren hold their values */
    CHECK_CSR_MASK mcounteren, 0x7, 0x5
    CHECK_CSR_MASK scounteren, 0x7, 0x5
    TEST_CASE 18                     /* scounteren is not accessible from U */
    ENTER_MODE PRV_U
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, csrr a0, scounteren
    TEST_END
