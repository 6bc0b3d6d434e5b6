# RV64I conditional branches: BEQ/BNE/BLT/BGE/BLTU/BGEU taken and not taken, signed vs unsigned, long and backward offsets.
#include "test.h"
    .option norvc

.macro BR_TAKEN n, op, a, b
    TEST_CASE \n
    li a1, \a
    li a2, \b
    \op a1, a2, .Lbt_ok\@
    j test_fail
.Lbt_ok\@:
.endm

.macro BR_NOT n, op, a, b
    TEST_CASE \n
    li a1, \a
    li a2, \b
    \op a1, a2, .Lbn_bad\@
    j .Lbn_ok\@
.Lbn_bad\@:
    j test_fail
.Lbn_ok\@:
.endm

    BR_TAKEN  1, beq, 0, 0
    BR_TAKEN  2, beq, -1, -1
    BR_NOT    3, beq, 1, 0
    BR_NOT    4, beq, 0x100000000, 0          /* all 64 bits compared */
    BR_TAKEN  5, bne, 1, 0
    BR_TAKEN  6, bne, 0x8000000000000000, 0
    BR_NOT    7, bne, 5, 5
    BR_TAKEN  8, blt, -1, 0
    BR_TAKEN  9, blt, 0x8000000000000000, 0x7fffffffffffffff
    BR_NOT   10, blt, 0, -1
    BR_NOT   11, blt, 3, 3
    BR_TAKEN 12, bge, 0, -1
    BR_TAKEN 13, bge, 3, 3
    BR_NOT   14, bge, -1, 0
    BR_NOT   15, bge, 0x8000000000000000, 0x7fffffffffffffff
    BR_TAKEN 16, bltu, 0, -1
    BR_TAKEN 17, bltu, 0x7fffffffffffffff, 0x8000000000000000
    BR_NOT   18, bltu, -1, 0
    BR_NOT   19, bltu, 3, 3
    BR_TAKEN 20, bgeu, -1, 0
    BR_TAKEN 21, bgeu, 3, 3
    BR_NOT   22, bgeu, 0, -1
    BR_NOT   23, bgeu, 0x7fffffffffffffff, 0x8000000000000000

    /* same register for both operands */
    TEST_CASE 24
    li a1, 12345
    beq a1, a1, 1f
    j test_fail
1:  bne a1, a1, test_fail_near

    /* backward branch: count a loop */
    TEST_CASE 25
    li a0, 0
    li a1, 10
1:  addi a0, a0, 3
    addi a1, a1, -1
    bnez a1, 1b
    CHECK_EQ a0, 30

    /* long forward branch (over ~3 KiB) */
    TEST_CASE 26
    li a1, 1
    bnez a1, 1f
    .fill 750, 4, 0x00000013          /* nops */
    j test_fail
1:
    /* long backward branch */
    TEST_CASE 27
    li a0, 0
    j 2f
1:  addi a0, a0, 1
    j 3f
    .fill 800, 4, 0x00000013
2:  li a1, 0
    beqz a1, 1b
    j test_fail
3:  CHECK_EQ a0, 1

    /* branch not taken falls through exactly to the next instruction */
    TEST_CASE 28
    li a0, 0
    li a1, 1
    beqz a1, test_fail_near
    addi a0, a0, 1
    CHECK_EQ a0, 1

    TEST_END

test_fail_near:
    j test_fail
