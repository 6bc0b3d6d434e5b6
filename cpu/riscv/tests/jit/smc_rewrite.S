# Self-modifying code in M-mode: a hot function rewritten (fence.i) and run again; a hot loop that rewrites an instruction in its own page every iteration; a hot loop that rewrites its own body halfway through; a 4-byte instruction replaced by two compressed ones.
#include "test.h"

/* Copies the 32-bit word at `src` (an instruction assembled below, never run there) over `dst`. */
.macro PATCH dst, src
    la t0, \src
    lwu t1, 0(t0)
    la t0, \dst
    sw t1, 0(t0)
    fence.i
.endm

/* a0 <- sum of `n` calls of patch_fn (each adds to a0) */
.macro RUN_HOT n
    li a0, 0
    li s0, \n
.Lrh\@:
    call patch_fn
    addi s0, s0, -1
    bnez s0, .Lrh\@
.endm

    TEST_CASE 1                         /* hot: patch_fn adds 1, 3000 times */
    RUN_HOT 3000
    CHECK_EQ a0, 3000

    TEST_CASE 2                         /* rewritten to add 5 */
    PATCH patch_site, tmpl_add5
    RUN_HOT 3000
    CHECK_EQ a0, 15000

    TEST_CASE 3                         /* rewritten to two compressed adds (2 + 1) */
    PATCH patch_site, tmpl_c_add3
    RUN_HOT 3000
    CHECK_EQ a0, 9000

    TEST_CASE 4                         /* and back to add 1 */
    PATCH patch_site, tmpl_add1
    RUN_HOT 2000
    CHECK_EQ a0, 2000

    TEST_CASE 5                         /* each iteration writes `addi a1, zero, k & 31` just ahead */
    li s0, 2000
    li s1, 0
    .balign 64                          /* the loop and the patched word share a page */
1:  andi t0, s0, 31
    slli t0, t0, 20
    la t2, tmpl_li_a1
    lwu t1, 0(t2)
    or t0, t0, t1
    la t2, 2f
    sw t0, 0(t2)
    fence.i
    .option push
    .option norvc
2:  addi a1, zero, 0
    .option pop
    add s1, s1, a1
    addi s0, s0, -1
    bnez s0, 1b
    CHECK_EQ s1, 30888                  /* sum of k & 31 for k = 1..2000 */

    TEST_CASE 6                         /* a hot loop rewrites its own body when s0 reaches 1500 */
    li s0, 3000
    li a0, 0
    .balign 64
1:  li t0, 1500
    bne s0, t0, 2f
    PATCH 3f, tmpl_add7
2:
    .option push
    .option norvc
3:  addi a0, a0, 1
    .option pop
    addi s0, s0, -1
    bnez s0, 1b
    CHECK_EQ a0, 12000                  /* 1500 * 1 + 1500 * 7 */

    TEST_CASE 7                         /* run again: the loop keeps its rewritten body */
    li s0, 1
    li t0, 0
    la t2, 3b
    lwu t1, 0(t2)
    la t2, tmpl_add7
    lwu t2, 0(t2)
    CHECK_EQR t1, t2
    TEST_END

    .text
    .balign 4096
patch_fn:
    .option push
    .option norvc
patch_site:
    addi a0, a0, 1
    .option pop
    ret

/* Templates: assembled here to be copied, never executed. */
    .balign 4
    .option push
    .option norvc
tmpl_add1:   addi a0, a0, 1
tmpl_add5:   addi a0, a0, 5
tmpl_add7:   addi a0, a0, 7
tmpl_li_a1:  addi a1, zero, 0
    .option pop
    .option push
    .option rvc
tmpl_c_add3: c.addi a0, 2
             c.addi a0, 1
    .option pop
