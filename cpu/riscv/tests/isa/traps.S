# Synchronous exceptions to M-mode: illegal instruction (mtval = bits), EBREAK/C.EBREAK, ECALL from U/S/M (8/9/11), mstatus MPP/MPIE/MIE on trap entry, vectored mtvec for exceptions, 2-byte aligned targets.
#include "test.h"

    TEST_CASE 1                      /* reserved LOAD funct3 = 7 */
    EXPECT_ILLEGAL_WORD 0x00057503
    TEST_CASE 2                      /* write to a read-only CSR */
    EXPECT_ILLEGAL_WORD 0xc0001073
    TEST_CASE 3                      /* mret is illegal below M (here: from U), mtval = bits */
    ENTER_MODE PRV_U
    EXPECT_ILLEGAL_WORD 0x30200073
    CHECK_TRAP_FROM PRV_U
    TEST_CASE 4                      /* mcause of an exception has the interrupt bit clear */
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, .word 0x00057503
    LOAD_TREC trap_rec, TR_CAUSE
    bltz t5, test_fail

    TEST_CASE 5                      /* ebreak: mepc = the ebreak itself */
    .option push
    .option norvc
    EXPECT_TRAP CAUSE_BREAKPOINT, ebreak
    .option pop
    TEST_CASE 6
    EXPECT_TRAP CAUSE_BREAKPOINT, c.ebreak
    TEST_CASE 7                      /* ebreak from U goes to M */
    ENTER_MODE PRV_U
    EXPECT_TRAP CAUSE_BREAKPOINT, ebreak
    CHECK_TRAP_FROM PRV_U

    TEST_CASE 8                      /* ecall from M */
    EXPECT_TRAP CAUSE_ECALL_M, ecall
    CHECK_MTVAL 0
    CHECK_TRAP_FROM PRV_M
    TEST_CASE 9                      /* ecall from S */
    ENTER_MODE PRV_S
    EXPECT_TRAP CAUSE_ECALL_S, ecall
    CHECK_MTVAL 0
    CHECK_TRAP_FROM PRV_S
    TEST_CASE 10                     /* ecall from U */
    ENTER_MODE PRV_U
    EXPECT_TRAP CAUSE_ECALL_U, ecall
    CHECK_MTVAL 0
    CHECK_TRAP_FROM PRV_U
    TEST_CASE 11                     /* registers survive the trap (handler is transparent) */
    li a0, 0x1234
    li a7, -7
    li t0, 0x55
    li t1, 0x66
    li t2, 0x77
    ENTER_MODE PRV_U
    EXPECT_TRAP CAUSE_ECALL_U, ecall
    CHECK_EQ a0, 0x1234
    CHECK_EQ a7, -7
    CHECK_EQ t0, 0x55
    CHECK_EQ t1, 0x66
    CHECK_EQ t2, 0x77

    TEST_CASE 12                     /* trap entry: MPIE <- MIE, MIE <- 0, MPP <- M */
    csrw mie, zero
    csrsi mstatus, MSTATUS_MIE
    ARM_TRAP 1f
    ecall
1:  LOAD_TREC trap_rec, TR_STATUS
    li t6, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP
    and t5, t5, t6
    CHECK_EQ t5, MSTATUS_MPIE | MSTATUS_MPP
    csrci mstatus, MSTATUS_MIE
    TEST_CASE 13                     /* trap entry from S with MIE=0: MPIE <- 0 */
    ENTER_MODE PRV_S
    ARM_TRAP 1f
    ecall
1:  LOAD_TREC trap_rec, TR_STATUS
    li t6, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP
    and t5, t5, t6
    CHECK_EQ t5, MSTATUS_MPP_S
    TEST_CASE 14                     /* vectored mtvec: exceptions still go to BASE */
    la a0, m_trap_vector
    ori a0, a0, 1
    csrw mtvec, a0
    CHECK_CSR_MASK mtvec, 3, 1
    EXPECT_TRAP CAUSE_ECALL_M, ecall
    ENTER_MODE PRV_U
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, .word 0x00057503
    la a0, m_trap_vector
    csrw mtvec, a0
    TEST_CASE 15                     /* jumps to 2-byte aligned targets are legal (C present) */
    la a0, half_target
    andi a1, a0, 3
    CHECK_EQ a1, 2
    li a1, 0
    jalr ra, 0(a0)
    CHECK_EQ a1, 9
    TEST_CASE 16                     /* illegal instruction in S-mode goes to M (not delegated) */
    ENTER_MODE PRV_S
    EXPECT_ILLEGAL_WORD 0x00057503
    CHECK_TRAP_FROM PRV_S
    TEST_CASE 17                     /* trap count moved by exactly one per exception */
    LOAD_TREC trap_rec, TR_COUNT
    mv a0, t5
    EXPECT_TRAP CAUSE_ECALL_M, ecall
    LOAD_TREC trap_rec, TR_COUNT
    sub t5, t5, a0
    CHECK_EQ t5, 1
    TEST_END

    .align 2
    .option push
    .option rvc
    c.nop
half_target:
    li a1, 9
    ret
    .option pop
