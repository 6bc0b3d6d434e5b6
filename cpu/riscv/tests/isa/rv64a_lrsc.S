# RV64A LR/SC: success and failure paths, reservation lost after SC, wrong address, sign extension, LR misaligned -> load address-misaligned.
#include "test.h"

    TEST_CASE 1                      /* lr.d / sc.d succeed */
    la a1, word64
    li a2, 0x1111222233334444
    sd a2, 0(a1)
    lr.d a0, (a1)
    CHECK_EQR a0, a2
    li a3, 0x5555666677778888
    sc.d a4, a3, (a1)
    CHECK_EQ a4, 0
    ld a0, 0(a1)
    CHECK_EQR a0, a3

    TEST_CASE 2                      /* the reservation is gone after an SC */
    li a3, 0x0badf00d
    sc.d a4, a3, (a1)
    CHECK_NE a4, 0
    ld a0, 0(a1)
    CHECK_EQ a0, 0x5555666677778888

    TEST_CASE 3                      /* a failed SC also consumes the reservation */
    lr.d a0, (a1)
    la a5, other
    sc.d a4, a3, (a5)                /* different address (other page): fails */
    CHECK_NE a4, 0
    sc.d a4, a3, (a1)                /* reservation cleared by the failed SC */
    CHECK_NE a4, 0
    ld a0, 0(a1)
    CHECK_EQ a0, 0x5555666677778888
    ld a0, 0(a5)
    CHECK_EQ a0, 0x4242424242424242

    TEST_CASE 4                      /* lr.w sign-extends */
    la a1, word32
    li a2, 0x80000001
    sw a2, 0(a1)
    lr.w a0, (a1)
    CHECK_EQ a0, 0xffffffff80000001
    TEST_CASE 5                      /* sc.w stores 32 bits only */
    li a3, 0x1234567876543210
    sc.w a4, a3, (a1)
    CHECK_EQ a4, 0
    lwu a0, 0(a1)
    CHECK_EQ a0, 0x76543210
    lwu a0, 4(a1)
    CHECK_EQ a0, 0xcccccccc
    TEST_CASE 6                      /* sc.w without a reservation fails */
    li a3, 0x99
    sc.w a4, a3, (a1)
    CHECK_NE a4, 0
    lwu a0, 0(a1)
    CHECK_EQ a0, 0x76543210

    TEST_CASE 7                      /* ordering bits accepted */
    la a1, word64
    lr.d.aq a0, (a1)
    li a3, 7
    sc.d.rl a4, a3, (a1)
    CHECK_EQ a4, 0
    lr.w.aqrl a0, (a1)
    CHECK_EQ a0, 7
    sc.w.aqrl a4, zero, (a1)
    CHECK_EQ a4, 0
    ld a0, 0(a1)
    CHECK_EQ a0, 0

    TEST_CASE 8                      /* LR/SC increment loop */
    la a1, word64
    sd zero, 0(a1)
    li a5, 100
1:  lr.d a0, (a1)
    addi a0, a0, 3
    sc.d a4, a0, (a1)
    bnez a4, 1b
    addi a5, a5, -1
    bnez a5, 1b
    ld a0, 0(a1)
    CHECK_EQ a0, 300

    TEST_CASE 9                      /* a newer LR replaces the reservation */
    la a1, word64
    la a5, other
    lr.d a0, (a5)
    lr.d a0, (a1)
    li a3, 9
    sc.d a4, a3, (a1)
    CHECK_EQ a4, 0
    ld a0, 0(a1)
    CHECK_EQ a0, 9

    TEST_CASE 10                     /* lr.w misaligned -> load address misaligned */
    la a1, word64
    addi a1, a1, 2
    EXPECT_TRAP CAUSE_LOAD_MISALIGNED, lr.w a0, (a1)
    CHECK_MTVAL_REG a1
    TEST_CASE 11                     /* lr.d misaligned (4-aligned) */
    la a1, word64
    addi a1, a1, 4
    EXPECT_TRAP CAUSE_LOAD_MISALIGNED, lr.d a0, (a1)
    CHECK_MTVAL_REG a1

    TEST_CASE 12                     /* sc writes rd = 0 even when rd == rs2 */
    la a1, word64
    lr.d a0, (a1)
    li a3, 0x77
    sc.d a3, a3, (a1)
    CHECK_EQ a3, 0
    ld a0, 0(a1)
    CHECK_EQ a0, 0x77

    TEST_END

    .data
    .align 3
word64: .dword 0
word32: .word 0, 0xcccccccc
    .align 12
other:  .dword 0x4242424242424242
