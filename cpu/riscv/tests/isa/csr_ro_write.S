# Read-only CSR state: CSRRS/CSRRC with rs1 != x0 holding zero are writes (illegal on read-only CSRs); medeleg[11] and mepc[0]/sepc[0] are read-only zero. [reference-excluded]
#include "test.h"

    TEST_CASE 1
    li a1, 0
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, csrrs a0, mhartid, a1
    TEST_CASE 2
    li a1, 0
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, csrrc a0, mvendorid, a1
    TEST_CASE 3
    li a1, 0
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, csrrs a0, cycle, a1
    TEST_CASE 4                      /* the same forms with rs1 = x0 are plain reads */
    csrrs a0, mhartid, x0
    csrrc a0, mvendorid, x0
    csrrs a0, cycle, x0
    TEST_CASE 5                      /* ecall from M cannot be delegated: medeleg[11] reads 0 */
    li a0, 1 << 11
    csrw medeleg, a0
    CHECK_CSR_MASK medeleg, 1 << 11, 0
    csrw medeleg, zero
    TEST_CASE 6                      /* mepc[0] is always zero */
    la a0, 1f
    ori a1, a0, 1
    csrw mepc, a1
    csrr a2, mepc
    CHECK_EQR a2, a0
1:
    TEST_CASE 7                      /* sepc[0] is always zero */
    la a0, 1f
    ori a1, a0, 1
    csrw sepc, a1
    csrr a2, sepc
    CHECK_EQR a2, a0
1:
    TEST_END
