# Interrupts: MSIP via CLINT msip, MTIP via mtimecmp (incl. WFI wake-up), SSIP via mip/sip, mie/MIE/SIE gating, lower modes always take M interrupts, priority within a level, vectored mtvec.
#include "test.h"

/* t5 <- number of M-mode interrupts taken so far */
.macro IRQ_COUNT
    LOAD_TREC irq_rec, IR_COUNT
.endm

.macro RESET_IRQ_REC
    la t6, irq_rec
    sd zero, IR_COUNT(t6)
    sd zero, IR_CAUSE(t6)
    sd zero, IR_VEC(t6)
.endm

/* spin (bounded) until at least `n` M interrupts were taken */
.macro WAIT_IRQS n
    li a5, 50000000
.Lw_loop\@:
    IRQ_COUNT
    li t6, \n
    bgeu t5, t6, .Lw_done\@
    addi a5, a5, -1
    bnez a5, .Lw_loop\@
    j test_fail
.Lw_done\@:
.endm

    /* quiet the CLINT */
    li a0, CLINT_MSIP
    sw zero, 0(a0)
    li a0, CLINT_MTIMECMP
    li a1, -1
    sd a1, 0(a0)
    csrw mie, zero
    csrw mip, zero
    RESET_IRQ_REC

    TEST_CASE 1                      /* msip shows up in mip.MSIP */
    li a0, CLINT_MSIP
    li a1, 1
    sw a1, 0(a0)
    CHECK_CSR_MASK mip, MIP_MSIP, MIP_MSIP
    TEST_CASE 2                      /* not taken: mie.MSIE = 0 although MIE = 1 */
    csrsi mstatus, MSTATUS_MIE
    nop
    nop
    csrci mstatus, MSTATUS_MIE
    IRQ_COUNT
    CHECK_EQ t5, 0
    TEST_CASE 3                      /* not taken: MIE = 0 although MSIE = 1 */
    li a0, MIP_MSIP
    csrw mie, a0
    nop
    nop
    IRQ_COUNT
    CHECK_EQ t5, 0
    TEST_CASE 4                      /* taken once MIE = 1; mepc = next instruction */
    csrsi mstatus, MSTATUS_MIE
1:  nop
    csrci mstatus, MSTATUS_MIE
    IRQ_COUNT
    CHECK_EQ t5, 1
    LOAD_TREC irq_rec, IR_CAUSE
    CHECK_EQ t5, IRQ_BIT | IRQ_M_SOFT
    LOAD_TREC irq_rec, IR_EPC
    CHECK_ADDR t5, 1b
    CHECK_CSR_MASK mip, MIP_MSIP, 0  /* handler cleared msip */
    TEST_CASE 5                      /* MPIE recorded the enabled MIE, MPP = M */
    LOAD_TREC irq_rec, IR_STATUS
    li t6, MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MIE
    and t5, t5, t6
    CHECK_EQ t5, MSTATUS_MPIE | MSTATUS_MPP_M
    TEST_CASE 6                      /* mip.MSIP/MTIP are not writable through the CSR */
    li a0, MIP_MSIP | MIP_MTIP
    csrs mip, a0
    CHECK_CSR_MASK mip, MIP_MSIP | MIP_MTIP, 0

    /* timer */
    TEST_CASE 7                      /* mtimecmp <= mtime raises mip.MTIP */
    li a0, CLINT_MTIMECMP
    sd zero, 0(a0)
    CHECK_CSR_MASK mip, MIP_MTIP, MIP_MTIP
    li a1, -1
    sd a1, 0(a0)
    CHECK_CSR_MASK mip, MIP_MTIP, 0
    TEST_CASE 8                      /* mtime advances */
    li a0, CLINT_MTIME
    ld a1, 0(a0)
    li a2, 100000
1:  ld a3, 0(a0)
    bne a3, a1, 2f
    addi a2, a2, -1
    bnez a2, 1b
    j test_fail
2:  CHECK_LTU a1, a3
    TEST_CASE 9                      /* timer interrupt */
    RESET_IRQ_REC
    li a0, MIP_MTIP
    csrw mie, a0
    li a0, CLINT_MTIME
    ld a1, 0(a0)
    addi a1, a1, 100
    li a0, CLINT_MTIMECMP
    sd a1, 0(a0)
    csrsi mstatus, MSTATUS_MIE
    WAIT_IRQS 1
    csrci mstatus, MSTATUS_MIE
    LOAD_TREC irq_rec, IR_CAUSE
    CHECK_EQ t5, IRQ_BIT | IRQ_M_TIMER
    CHECK_CSR_MASK mip, MIP_MTIP, 0
    TEST_CASE 10                     /* wfi woken by the timer interrupt */
    RESET_IRQ_REC
    li a0, CLINT_MTIME
    ld a1, 0(a0)
    li a2, 20000                     /* far enough to reach the wfi first */
    add a1, a1, a2
    li a0, CLINT_MTIMECMP
    sd a1, 0(a0)
    csrsi mstatus, MSTATUS_MIE
    IRQ_COUNT
    bnez t5, 1f                      /* (interrupt already taken: skip the wfi) */
    wfi
1:  WAIT_IRQS 1
    csrci mstatus, MSTATUS_MIE
    LOAD_TREC irq_rec, IR_CAUSE
    CHECK_EQ t5, IRQ_BIT | IRQ_M_TIMER
    TEST_CASE 11                     /* wfi with MIE = 0 resumes on a pending enabled interrupt */
    RESET_IRQ_REC
    li a0, CLINT_MTIME
    ld a1, 0(a0)
    addi a1, a1, 200
    li a0, CLINT_MTIMECMP
    sd a1, 0(a0)
    wfi
    li a2, 2000000                   /* (wfi may also return early) */
1:  csrr a3, mip
    andi a3, a3, MIP_MTIP
    bnez a3, 2f
    addi a2, a2, -1
    bnez a2, 1b
    j test_fail
2:  IRQ_COUNT
    CHECK_EQ t5, 0
    li a0, CLINT_MTIMECMP
    li a1, -1
    sd a1, 0(a0)
    csrw mie, zero

    /* supervisor software interrupt, not delegated: an M-level interrupt */
    TEST_CASE 12
    RESET_IRQ_REC
    li a0, MIP_SSIP
    csrw mie, a0
    csrs mip, a0
    CHECK_CSR_MASK mip, MIP_SSIP, MIP_SSIP
    IRQ_COUNT
    CHECK_EQ t5, 0
    csrsi mstatus, MSTATUS_MIE
    nop
    csrci mstatus, MSTATUS_MIE
    IRQ_COUNT
    CHECK_EQ t5, 1
    LOAD_TREC irq_rec, IR_CAUSE
    CHECK_EQ t5, IRQ_BIT | IRQ_S_SOFT
    CHECK_CSR_MASK mip, MIP_SSIP, 0
    TEST_CASE 13                     /* delegated SSIP raised by S through sip, gated by SIE */
    li a0, MIP_SSIP
    csrw mideleg, a0
    csrci mstatus, MSTATUS_SIE
    ENTER_MODE PRV_S
    csrsi sip, MIP_SSIP
    nop
    LOAD_TREC s_irq_rec, IR_COUNT
    CHECK_EQ t5, 0
    csrsi sstatus, MSTATUS_SIE
    nop
    csrci sstatus, MSTATUS_SIE
    LOAD_TREC s_irq_rec, IR_COUNT
    CHECK_EQ t5, 1
    LOAD_TREC s_irq_rec, IR_CAUSE
    CHECK_EQ t5, IRQ_BIT | IRQ_S_SOFT
    BACK_TO_M PRV_S
    csrw mideleg, zero
    csrw mie, zero

    TEST_CASE 14                     /* M interrupts are taken in U/S even with MIE = 0 */
    RESET_IRQ_REC
    li a0, MIP_MSIP
    csrw mie, a0
    ENTER_MODE PRV_U
    li a0, CLINT_MSIP
    li a1, 1
    sw a1, 0(a0)
    WAIT_IRQS 1
    BACK_TO_M PRV_U
    LOAD_TREC irq_rec, IR_CAUSE
    CHECK_EQ t5, IRQ_BIT | IRQ_M_SOFT
    LOAD_TREC irq_rec, IR_STATUS
    li t6, MSTATUS_MPP
    and t5, t5, t6
    CHECK_EQ t5, 0                   /* interrupted U-mode */
    TEST_CASE 15
    RESET_IRQ_REC
    ENTER_MODE PRV_S
    li a0, CLINT_MSIP
    li a1, 1
    sw a1, 0(a0)
    WAIT_IRQS 1
    BACK_TO_M PRV_S
    LOAD_TREC irq_rec, IR_STATUS
    li t6, MSTATUS_MPP
    and t5, t5, t6
    CHECK_EQ t5, MSTATUS_MPP_S
    csrw mie, zero

    TEST_CASE 16                     /* priority within M-level: MSI before MTI */
    RESET_IRQ_REC
    li a0, CLINT_MTIMECMP
    sd zero, 0(a0)
    li a0, CLINT_MSIP
    li a1, 1
    sw a1, 0(a0)
    li a0, MIP_MSIP | MIP_MTIP
    csrw mie, a0
    CHECK_CSR_MASK mip, MIP_MSIP | MIP_MTIP, MIP_MSIP | MIP_MTIP
    csrsi mstatus, MSTATUS_MIE
    nop
    nop
    csrci mstatus, MSTATUS_MIE
    IRQ_COUNT
    CHECK_EQ t5, 2
    la a0, irq_rec
    ld t5, IR_LIST+0(a0)
    CHECK_EQ t5, IRQ_BIT | IRQ_M_SOFT
    ld t5, IR_LIST+8(a0)
    CHECK_EQ t5, IRQ_BIT | IRQ_M_TIMER
    TEST_CASE 17                     /* and SSI before STI */
    RESET_IRQ_REC
    li a0, MIP_SSIP | MIP_STIP
    csrs mip, a0
    csrw mie, a0
    csrsi mstatus, MSTATUS_MIE
    nop
    nop
    csrci mstatus, MSTATUS_MIE
    IRQ_COUNT
    CHECK_EQ t5, 2
    la a0, irq_rec
    ld t5, IR_LIST+0(a0)
    CHECK_EQ t5, IRQ_BIT | IRQ_S_SOFT
    ld t5, IR_LIST+8(a0)
    CHECK_EQ t5, IRQ_BIT | IRQ_S_TIMER
    csrw mie, zero

    /* vectored mode: interrupt n goes to BASE + 4*n */
.macro VEC_FIRE
    csrsi mstatus, MSTATUS_MIE
    nop
    nop
    csrci mstatus, MSTATUS_MIE
    IRQ_COUNT
    CHECK_EQ t5, 1
.endm
    la a0, vec_table
    ori a0, a0, 1
    csrw mtvec, a0
    li a0, MIP_MSIP | MIP_MTIP | MIP_SSIP
    csrw mie, a0
    TEST_CASE 18
    RESET_IRQ_REC
    li a0, CLINT_MSIP
    li a1, 1
    sw a1, 0(a0)
    VEC_FIRE
    LOAD_TREC irq_rec, IR_VEC
    CHECK_EQ t5, 3
    TEST_CASE 19
    RESET_IRQ_REC
    li a0, CLINT_MTIMECMP
    sd zero, 0(a0)
    VEC_FIRE
    LOAD_TREC irq_rec, IR_VEC
    CHECK_EQ t5, 7
    TEST_CASE 20
    RESET_IRQ_REC
    csrsi mip, MIP_SSIP
    VEC_FIRE
    LOAD_TREC irq_rec, IR_VEC
    CHECK_EQ t5, 1
    TEST_CASE 21                     /* exceptions in vectored mode use BASE (slot 0) */
    RESET_IRQ_REC
    EXPECT_TRAP CAUSE_ECALL_M, ecall
    LOAD_TREC irq_rec, IR_VEC
    CHECK_EQ t5, 0
    la a0, m_trap_vector
    csrw mtvec, a0
    csrw mie, zero
    TEST_END

/* vectored stub: note which slot was used, then run the common handler */
.macro VSLOT n
vslot\n:
    csrrw t6, mscratch, t6
    sd t0, SV_T0(t6)
    sd t1, SV_T1(t6)
    li t1, \n
    la t0, irq_rec
    sd t1, IR_VEC(t0)
    ld t0, SV_T0(t6)
    ld t1, SV_T1(t6)
    csrrw t6, mscratch, t6
    j m_trap_vector
.endm
    VSLOT 1
    VSLOT 3
    VSLOT 5
    VSLOT 7

    .option push
    .option norvc
    .align 8
vec_table:
    j m_trap_vector                  /* 0: exceptions */
    j vslot1                         /* 1: SSI */
    j test_fail
    j vslot3                         /* 3: MSI */
    j test_fail
    j vslot5                         /* 5: STI */
    j test_fail
    j vslot7                         /* 7: MTI */
    j test_fail
    j test_fail
    j test_fail
    j test_fail
    .option pop
