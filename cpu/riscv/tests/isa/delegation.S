# Trap delegation: medeleg/mideleg route exceptions and interrupts from U/S to the S handler (scause/sepc/stval/sstatus, stvec), never from M; undelegated ones go to M.
#include "test.h"

#define BAD_WORD 0x00057503          /* reserved LOAD funct3: illegal */

/* t5 <- selected bits of sstatus as recorded by the S handler */
.macro STRAP_STATUS mask
    LOAD_TREC s_trap_rec, TR_STATUS
    li t6, \mask
    and t5, t5, t6
.endm

    TEST_CASE 1                      /* illegal in U, delegated -> S */
    li t0, 1 << CAUSE_ILLEGAL_INSN
    csrw medeleg, t0
    LOAD_TREC trap_rec, TR_COUNT
    mv s0, t5
    ARM_STRAP 3f
    ARM_TRAP 4f
    GOTO_MODE PRV_U, 1f
1:  .word BAD_WORD
    j test_fail
3:  ebreak                           /* S: back to M (breakpoint is not delegated) */
    j test_fail
4:  CHECK_TRAP CAUSE_BREAKPOINT
    CHECK_TRAP_FROM PRV_S
    CHECK_STRAP CAUSE_ILLEGAL_INSN
    CHECK_SEPC 1b
    CHECK_STVAL BAD_WORD
    STRAP_STATUS MSTATUS_SPP
    CHECK_EQ t5, 0                   /* came from U */
    LOAD_TREC trap_rec, TR_COUNT
    sub t5, t5, s0
    CHECK_EQ t5, 1                   /* only the ebreak reached M */

    TEST_CASE 2                      /* illegal in S, delegated -> S; SPP = 1, SPIE <- SIE */
    ARM_STRAP 3f
    ARM_TRAP 4f
    csrsi mstatus, MSTATUS_SIE       /* SIE = 1 in S (no S interrupts enabled) */
    GOTO_MODE PRV_S, 1f
1:  .word BAD_WORD
    j test_fail
3:  ebreak
4:  CHECK_TRAP CAUSE_BREAKPOINT
    CHECK_STRAP CAUSE_ILLEGAL_INSN
    CHECK_SEPC 1b
    STRAP_STATUS MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE
    CHECK_EQ t5, MSTATUS_SPP | MSTATUS_SPIE   /* SIE was cleared on trap entry */
    csrci mstatus, MSTATUS_SIE

    TEST_CASE 3                      /* delegation never applies to traps taken in M */
    LOAD_TREC s_trap_rec, TR_COUNT
    mv s0, t5
    EXPECT_ILLEGAL_WORD BAD_WORD
    LOAD_TREC s_trap_rec, TR_COUNT
    CHECK_EQR t5, s0

    TEST_CASE 4                      /* ecall from U delegated */
    li t0, (1 << CAUSE_ECALL_U)
    csrw medeleg, t0
    ARM_STRAP 3f
    ARM_TRAP 4f
    GOTO_MODE PRV_U, 1f
1:  ecall
    j test_fail
3:  ebreak
4:  CHECK_TRAP CAUSE_BREAKPOINT
    CHECK_STRAP CAUSE_ECALL_U
    CHECK_SEPC 1b
    CHECK_STVAL 0
    TEST_CASE 5                      /* ecall from S delegated: S traps to itself */
    li t0, (1 << CAUSE_ECALL_S)
    csrw medeleg, t0
    ARM_STRAP 3f
    ARM_TRAP 4f
    GOTO_MODE PRV_S, 1f
1:  ecall
    j test_fail
3:  ebreak
4:  CHECK_TRAP CAUSE_BREAKPOINT
    CHECK_STRAP CAUSE_ECALL_S
    CHECK_SEPC 1b
    TEST_CASE 6                      /* undelegated cause (ecall from U) still goes to M */
    ENTER_MODE PRV_U
    EXPECT_TRAP CAUSE_ECALL_U, ecall
    TEST_CASE 7                      /* breakpoint delegated */
    li t0, (1 << CAUSE_BREAKPOINT)
    csrw medeleg, t0
    ARM_STRAP 3f
    ARM_TRAP 4f
    GOTO_MODE PRV_U, 1f
1:  c.ebreak
    j test_fail
3:  ecall
4:  CHECK_TRAP CAUSE_ECALL_S
    CHECK_STRAP CAUSE_BREAKPOINT
    CHECK_SEPC 1b
    TEST_CASE 8                      /* load access fault delegated, stval = address */
    li t0, (1 << CAUSE_LOAD_ACCESS)
    csrw medeleg, t0
    ARM_STRAP 3f
    ARM_TRAP 4f
    li a1, 0x18
    GOTO_MODE PRV_U, 1f
1:  ld a0, 0(a1)
    j test_fail
3:  ecall
4:  CHECK_TRAP CAUSE_ECALL_S
    CHECK_STRAP CAUSE_LOAD_ACCESS
    CHECK_SEPC 1b
    CHECK_STVAL 0x18
    TEST_CASE 9                      /* the trap goes to stvec: use an alternate S vector */
    li t0, (1 << CAUSE_ILLEGAL_INSN)
    csrw medeleg, t0
    la t0, alt_stvec
    csrw stvec, t0
    la t0, alt_hits
    sd zero, 0(t0)
    ARM_STRAP 3f
    ARM_TRAP 4f
    GOTO_MODE PRV_U, 1f
1:  .word BAD_WORD
3:  ecall
4:  CHECK_TRAP CAUSE_ECALL_S
    CHECK_STRAP CAUSE_ILLEGAL_INSN
    CHECK_MEM_D alt_hits, 1
    la t0, s_trap_vector
    csrw stvec, t0
    TEST_CASE 10                     /* vectored stvec: exceptions still use BASE */
    la t0, s_trap_vector
    ori t0, t0, 1
    csrw stvec, t0
    ARM_STRAP 3f
    ARM_TRAP 4f
    GOTO_MODE PRV_U, 1f
1:  .word BAD_WORD
3:  ecall
4:  CHECK_TRAP CAUSE_ECALL_S
    CHECK_STRAP CAUSE_ILLEGAL_INSN
    la t0, s_trap_vector
    csrw stvec, t0
    csrw medeleg, zero

    /* interrupt delegation */
    TEST_CASE 11                     /* delegated SSI taken in U regardless of SIE */
    csrci mstatus, MSTATUS_SIE
    li t0, MIP_SSIP
    csrw mideleg, t0
    csrw mie, t0
    csrs mip, t0
    ARM_TRAP 4f
    GOTO_MODE PRV_U, 1f
1:  nop
    nop
    ecall
4:  CHECK_TRAP CAUSE_ECALL_U
    LOAD_TREC s_irq_rec, IR_COUNT
    CHECK_EQ t5, 1
    LOAD_TREC s_irq_rec, IR_CAUSE
    CHECK_EQ t5, IRQ_BIT | IRQ_S_SOFT
    LOAD_TREC s_irq_rec, IR_STATUS
    andi t5, t5, MSTATUS_SPP
    CHECK_EQ t5, 0
    LOAD_TREC irq_rec, IR_COUNT
    CHECK_EQ t5, 0                   /* M saw nothing */
    TEST_CASE 12                     /* delegated interrupt is not taken in M even with MIE = 1 */
    li t0, MIP_SSIP
    csrs mip, t0
    csrsi mstatus, MSTATUS_MIE
    nop
    nop
    csrci mstatus, MSTATUS_MIE
    LOAD_TREC irq_rec, IR_COUNT
    CHECK_EQ t5, 0
    LOAD_TREC s_irq_rec, IR_COUNT
    CHECK_EQ t5, 1
    TEST_CASE 13                     /* in S: masked by SIE = 0, taken once SIE = 1 */
    ENTER_MODE PRV_S
    nop
    nop
    LOAD_TREC s_irq_rec, IR_COUNT
    CHECK_EQ t5, 1
    csrsi sstatus, MSTATUS_SIE
    nop
    nop
    csrci sstatus, MSTATUS_SIE
    LOAD_TREC s_irq_rec, IR_COUNT
    CHECK_EQ t5, 2
    LOAD_TREC s_irq_rec, IR_STATUS
    andi t5, t5, MSTATUS_SPP | MSTATUS_SPIE
    CHECK_EQ t5, MSTATUS_SPP | MSTATUS_SPIE
    BACK_TO_M PRV_S
    TEST_CASE 14                     /* sie.SSIE = 0 masks it in U too */
    li t0, MIP_SSIP
    csrs mip, t0
    csrw mie, zero
    ENTER_MODE PRV_U
    nop
    nop
    BACK_TO_M PRV_U
    LOAD_TREC s_irq_rec, IR_COUNT
    CHECK_EQ t5, 2
    CHECK_CSR_MASK mip, MIP_SSIP, MIP_SSIP
    csrw mip, zero
    TEST_CASE 15                     /* not delegated: SSI from S goes to M although MIE = 0 */
    csrw mideleg, zero
    li t0, MIP_SSIP
    csrw mie, t0
    csrs mip, t0
    ENTER_MODE PRV_S
    nop
    nop
    BACK_TO_M PRV_S
    LOAD_TREC irq_rec, IR_COUNT
    CHECK_EQ t5, 1
    LOAD_TREC irq_rec, IR_CAUSE
    CHECK_EQ t5, IRQ_BIT | IRQ_S_SOFT
    LOAD_TREC irq_rec, IR_STATUS
    li t6, MSTATUS_MPP
    and t5, t5, t6
    CHECK_EQ t5, MSTATUS_MPP_S
    csrw mie, zero
    TEST_END

    .align 2
alt_stvec:                           /* counts hits, then enters the standard handler */
    csrrw t6, sscratch, t6           /* t6 <- &s_save */
    sd t0, SV_T0(t6)
    sd t1, SV_T1(t6)
    la t0, alt_hits
    ld t1, 0(t0)
    addi t1, t1, 1
    sd t1, 0(t0)
    ld t0, SV_T0(t6)
    ld t1, SV_T1(t6)
    csrrw t6, sscratch, t6           /* registers and sscratch as on entry */
    j s_trap_vector

    .data
    .align 3
alt_hits: .dword 0
