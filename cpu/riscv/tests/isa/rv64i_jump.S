# RV64I JAL/JALR: link values, offsets, JALR clearing bit 0, rd == rs1, targets at 2 mod 4 (legal with C).
#include "test.h"
    .option norvc

    TEST_CASE 1                     /* jal links to the next instruction */
    jal ra, 1f
2:  j test_fail
1:  CHECK_ADDR ra, 2b

    TEST_CASE 2                     /* j (jal x0) forward */
    li a0, 0
    j 1f
    li a0, 1
1:  CHECK_EQ a0, 0

    TEST_CASE 3                     /* jal with rd = t0 (alternate link) */
    jal t0, 1f
2:  j test_fail
1:  CHECK_ADDR t0, 2b

    TEST_CASE 4                     /* jalr to register target */
    la a0, 1f
    jalr ra, 0(a0)
2:  j test_fail
1:  CHECK_ADDR ra, 2b

    TEST_CASE 5                     /* jalr with positive offset */
    la a0, 1f
    addi a0, a0, -8
    jalr ra, 8(a0)
    j test_fail
1:
    TEST_CASE 6                     /* jalr with negative offset */
    la a0, 1f
    addi a0, a0, 12
    jalr x0, -12(a0)
    j test_fail
1:
    TEST_CASE 7                     /* jalr clears bit 0 of the target */
    la a0, 1f
    addi a0, a0, 1
    jalr ra, 0(a0)
    j test_fail
1:
    TEST_CASE 8                     /* bit 0 cleared after adding the offset */
    la a0, 1f
    jalr ra, 1(a0)
    j test_fail
1:
    TEST_CASE 9                     /* rd == rs1: target uses the old value */
    la a0, 1f
    jalr a0, 0(a0)
2:  j test_fail
1:  CHECK_ADDR a0, 2b

    TEST_CASE 10                    /* call / ret */
    li a0, 0
    call 5f
    CHECK_EQ a0, 55
    j 6f
5:  li a0, 55
    ret
6:
    TEST_CASE 11                    /* jump to an address that is 2 mod 4 */
    la a0, target_2mod4
    andi a1, a0, 3
    CHECK_EQ a1, 2
    li a1, 0
    jalr ra, 0(a0)
    CHECK_EQ a1, 0x2a

    TEST_CASE 12                    /* jal to a 2 mod 4 target */
    li a1, 0
    jal ra, target_2mod4
    CHECK_EQ a1, 0x2a

    TEST_CASE 13                    /* long jal forward and backward */
    li a0, 0
    jal ra, 3f
    CHECK_EQ a0, 2
    j 4f
2:  addi a0, a0, 1
    ret
    .fill 2000, 4, 0x00000013
3:  addi a0, a0, 1
    j 2b
4:
    TEST_CASE 14                    /* jal x0 does not link */
    li ra, 0x77
    j 1f
1:  CHECK_EQ ra, 0x77

    TEST_END

    .align 2
    .option rvc
    c.nop
target_2mod4:                       /* at an address = 2 (mod 4) */
    .option norvc
    li a1, 0x2a
    ret
