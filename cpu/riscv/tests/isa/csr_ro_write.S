# Zicsr: CSRRS/CSRRC with rs1 != x0 holding zero still count as writes, so on a read-only CSR they are illegal. [reference-excluded]
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
    TEST_END
