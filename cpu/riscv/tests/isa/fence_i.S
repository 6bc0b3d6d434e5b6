# Zifencei: after stores to instruction memory, FENCE.I makes the new code visible (patched 32-bit and 16-bit instructions, freshly written code).
#include "test.h"

    TEST_CASE 1                      /* original code */
    call smc_func
    CHECK_EQ a0, 1
    TEST_CASE 2                      /* patch addi a0,x0,1 -> addi a0,x0,2 */
    la a1, smc_insn
    li a2, 0x00200513
    sw a2, 0(a1)
    fence.i
    call smc_func
    CHECK_EQ a0, 2
    TEST_CASE 3                      /* patch repeatedly in a loop */
    li s0, 3
1:  slli a2, s0, 20
    ori a2, a2, 0x513                /* addi a0, x0, s0 */
    la a1, smc_insn
    sw a2, 0(a1)
    fence.i
    call smc_func
    CHECK_EQR a0, s0
    addi s0, s0, 1
    li a3, 10
    bne s0, a3, 1b
    TEST_CASE 4                      /* patch a compressed instruction */
    call smc_cfunc
    CHECK_EQ a0, 5
    la a1, smc_cinsn
    li a2, 0x4519                    /* c.li a0, 6 */
    sh a2, 0(a1)
    fence.i
    call smc_cfunc
    CHECK_EQ a0, 6
    TEST_CASE 5                      /* execute code written to a data buffer */
    la a1, codebuf
    li a2, 0x02a00513                /* addi a0, x0, 42 */
    sw a2, 0(a1)
    li a2, 0x00008067                /* ret */
    sw a2, 4(a1)
    fence.i
    jalr ra, 0(a1)
    CHECK_EQ a0, 42
    TEST_CASE 6                      /* rewrite it */
    li a2, 0x02b00513                /* addi a0, x0, 43 */
    sw a2, 0(a1)
    fence.i
    jalr ra, 0(a1)
    CHECK_EQ a0, 43
    TEST_CASE 7                      /* patch the instruction right after the store */
    la a1, 2f
    li a2, 0x00700513                /* addi a0, x0, 7 */
    li a0, 0
    sw a2, 0(a1)
    fence.i
    .option push
    .option norvc
2:  addi a0, x0, 1
    .option pop
    CHECK_EQ a0, 7
    TEST_END

    .option push
    .option norvc
smc_func:
smc_insn:
    addi a0, x0, 1
    ret
    .option pop
    .option push
    .option rvc
smc_cfunc:
smc_cinsn:
    c.li a0, 5
    c.jr ra
    .option pop

    .data
    .align 4
codebuf: .zero 16
