# Access faults on unmapped physical addresses: load (5), store (7), fetch (1) from M/S/U with mtval = address.
#include "test.h"

#define HOLE 0x0          /* nothing is mapped at physical address 0 */

    TEST_CASE 1
    li a1, HOLE
    EXPECT_TRAP CAUSE_LOAD_ACCESS, ld a0, 0(a1)
    CHECK_MTVAL HOLE
    TEST_CASE 2
    li a1, HOLE
    EXPECT_TRAP CAUSE_LOAD_ACCESS, lbu a0, 0x10(a1)
    CHECK_MTVAL HOLE + 0x10
    TEST_CASE 3                      /* destination register unchanged */
    li a0, 0x3333
    li a1, HOLE
    EXPECT_TRAP CAUSE_LOAD_ACCESS, lw a0, 8(a1)
    CHECK_EQ a0, 0x3333
    TEST_CASE 4
    li a1, HOLE
    EXPECT_TRAP CAUSE_STORE_ACCESS, sd a0, 0(a1)
    CHECK_MTVAL HOLE
    TEST_CASE 5
    li a1, HOLE
    EXPECT_TRAP CAUSE_STORE_ACCESS, sb a0, 0x21(a1)
    CHECK_MTVAL HOLE + 0x21
    TEST_CASE 6                      /* floating-point load */
    li a1, HOLE
    EXPECT_TRAP CAUSE_LOAD_ACCESS, fld f1, 0x40(a1)
    CHECK_MTVAL HOLE + 0x40
    TEST_CASE 7                      /* instruction fetch: mepc = mtval = target */
    li a1, HOLE + 0x100
    ARM_TRAP 1f
    jalr ra, 0(a1)
    j test_fail
1:  CHECK_TRAP CAUSE_FETCH_ACCESS
    CHECK_MEPC_REG a1
    CHECK_MTVAL_REG a1
    TEST_CASE 8                      /* the same from S-mode */
    ENTER_MODE PRV_S
    li a1, HOLE
    EXPECT_TRAP CAUSE_LOAD_ACCESS, ld a0, 0(a1)
    CHECK_TRAP_FROM PRV_S
    CHECK_MTVAL HOLE
    TEST_CASE 9                     /* and U-mode */
    ENTER_MODE PRV_U
    li a1, HOLE + 8
    EXPECT_TRAP CAUSE_STORE_ACCESS, sw a0, 0(a1)
    CHECK_TRAP_FROM PRV_U
    CHECK_MTVAL HOLE + 8
    TEST_CASE 10                     /* fetch fault from U */
    li a1, HOLE + 0x200
    ARM_TRAP 1f
    csrw mepc, a1
    li t6, MSTATUS_MPP
    csrc mstatus, t6                 /* MPP = U */
    mret
1:  CHECK_TRAP CAUSE_FETCH_ACCESS
    CHECK_TRAP_FROM PRV_U
    CHECK_MTVAL_REG a1
    TEST_END
