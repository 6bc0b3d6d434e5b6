# Privilege transitions: MRET/SRET to each mode with MPP/SPP/MPIE/SPIE updates, MPRV kept by MRET to M, SRET/MRET/WFI illegal cases, TSR, TW, TVM.
#include "test.h"

.macro SET_MSTATUS_FIELD mask, val
    li t6, \mask
    csrc mstatus, t6
    li t6, \val
    csrs mstatus, t6
.endm

    TEST_CASE 1                      /* mret to S: MIE <- MPIE; trap back records MPIE = 1 */
    csrw mie, zero
    SET_MSTATUS_FIELD MSTATUS_MPP|MSTATUS_MPIE|MSTATUS_MIE, MSTATUS_MPP_S|MSTATUS_MPIE
    la t0, 1f
    csrw mepc, t0
    ARM_TRAP 2f
    mret
1:  ecall
    j test_fail
2:  CHECK_TRAP CAUSE_ECALL_S
    LOAD_TREC trap_rec, TR_STATUS
    li t6, MSTATUS_MPP|MSTATUS_MPIE|MSTATUS_MIE
    and t5, t5, t6
    CHECK_EQ t5, MSTATUS_MPP_S|MSTATUS_MPIE
    csrci mstatus, MSTATUS_MIE
    TEST_CASE 2                      /* mret to M: MPIE <- 1, MPP <- U, MIE <- MPIE(0) */
    SET_MSTATUS_FIELD MSTATUS_MPP|MSTATUS_MPIE|MSTATUS_MIE, MSTATUS_MPP_M
    la t0, 1f
    csrw mepc, t0
    mret
1:  CHECK_CSR_MASK mstatus, MSTATUS_MPP|MSTATUS_MPIE|MSTATUS_MIE, MSTATUS_MPIE
    EXPECT_TRAP CAUSE_ECALL_M, ecall
    TEST_CASE 3                      /* mret to U */
    SET_MSTATUS_FIELD MSTATUS_MPP|MSTATUS_MPIE, 0
    la t0, 1f
    csrw mepc, t0
    ARM_TRAP 2f
    mret
1:  ecall
    j test_fail
2:  CHECK_TRAP CAUSE_ECALL_U
    CHECK_TRAP_FROM PRV_U
    TEST_CASE 4                      /* mret to M keeps MPRV */
    SET_MSTATUS_FIELD MSTATUS_MPP|MSTATUS_MPRV, MSTATUS_MPP_M|MSTATUS_MPRV
    la t0, 1f
    csrw mepc, t0
    mret
1:  csrr a0, mstatus
    li t6, MSTATUS_MPRV
    csrc mstatus, t6
    and a0, a0, t6
    CHECK_EQ a0, MSTATUS_MPRV

    TEST_CASE 5                      /* sret from S to U */
    ENTER_MODE PRV_S
    li t0, MSTATUS_SPP
    csrc sstatus, t0
    la t0, 1f
    csrw sepc, t0
    ARM_TRAP 2f
    sret
1:  ecall
2:  CHECK_TRAP CAUSE_ECALL_U
    TEST_CASE 6                      /* sret from S to S */
    ENTER_MODE PRV_S
    li t0, MSTATUS_SPP
    csrs sstatus, t0
    la t0, 1f
    csrw sepc, t0
    ARM_TRAP 2f
    sret
1:  ecall
2:  CHECK_TRAP CAUSE_ECALL_S
    TEST_CASE 7                      /* sret: SIE <- SPIE, SPIE <- 1, SPP <- U */
    ENTER_MODE PRV_S
    li t0, MSTATUS_SPP | MSTATUS_SPIE
    csrs sstatus, t0
    csrci sstatus, MSTATUS_SIE
    la t0, 1f
    csrw sepc, t0
    sret
1:  csrr a0, sstatus
    csrci sstatus, MSTATUS_SIE
    li t6, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE
    and a0, a0, t6
    CHECK_EQ a0, MSTATUS_SPIE | MSTATUS_SIE
    TEST_CASE 8                      /* sret with SPIE = 0 leaves SIE = 0 */
    li t0, MSTATUS_SPP
    csrs sstatus, t0
    li t0, MSTATUS_SPIE
    csrc sstatus, t0
    la t0, 1f
    csrw sepc, t0
    sret
1:  csrr a0, sstatus
    li t6, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE
    and a0, a0, t6
    CHECK_EQ a0, MSTATUS_SPIE
    BACK_TO_M PRV_S
    TEST_CASE 9                     /* sret executed in M goes to SPP (= S) */
    li t0, MSTATUS_SPP
    csrs mstatus, t0
    la t0, 1f
    csrw sepc, t0
    ARM_TRAP 2f
    sret
1:  ecall
2:  CHECK_TRAP CAUSE_ECALL_S
    TEST_CASE 10                     /* sret executed in M with SPP = U */
    li t0, MSTATUS_SPP
    csrc mstatus, t0
    la t0, 1f
    csrw sepc, t0
    ARM_TRAP 2f
    sret
1:  ecall
2:  CHECK_TRAP CAUSE_ECALL_U

    TEST_CASE 11                     /* sret in U is illegal */
    ENTER_MODE PRV_U
    EXPECT_ILLEGAL_WORD 0x10200073
    CHECK_TRAP_FROM PRV_U
    TEST_CASE 12                     /* mret in S is illegal */
    ENTER_MODE PRV_S
    EXPECT_ILLEGAL_WORD 0x30200073
    CHECK_TRAP_FROM PRV_S
    TEST_CASE 13                     /* TSR = 1: sret in S is illegal */
    li t0, MSTATUS_TSR
    csrs mstatus, t0
    ENTER_MODE PRV_S
    EXPECT_ILLEGAL_WORD 0x10200073
    TEST_CASE 14                     /* TSR does not affect M */
    li t0, MSTATUS_SPP
    csrs mstatus, t0
    la t0, 1f
    csrw sepc, t0
    ARM_TRAP 2f
    sret
1:  ecall
2:  CHECK_TRAP CAUSE_ECALL_S
    li t0, MSTATUS_TSR
    csrc mstatus, t0

    TEST_CASE 15                     /* wfi in U is illegal */
    csrw mie, zero
    csrw mip, zero
    ENTER_MODE PRV_U
    EXPECT_ILLEGAL_WORD 0x10500073
    TEST_CASE 16                     /* TW = 1: wfi in S is illegal */
    li t0, MSTATUS_TW
    csrs mstatus, t0
    ENTER_MODE PRV_S
    EXPECT_ILLEGAL_WORD 0x10500073
    CHECK_TRAP_FROM PRV_S
    li t0, MSTATUS_TW
    csrc mstatus, t0
    TEST_CASE 17                     /* wfi in M with a pending, locally enabled interrupt
                                        but MIE = 0: falls through, nothing taken */
    li t0, MIP_SSIP
    csrw mie, t0
    csrs mip, t0
    LOAD_TREC irq_rec, IR_COUNT
    mv a1, t5
    wfi
    LOAD_TREC irq_rec, IR_COUNT
    CHECK_EQR t5, a1
    csrw mip, zero
    csrw mie, zero
    TEST_CASE 18                     /* TW = 0: wfi in S completes (delegated SSIP pending, SIE = 0) */
    csrci mstatus, MSTATUS_SIE
    li t0, MIP_SSIP
    csrw mideleg, t0
    csrw mie, t0
    csrs mip, t0
    ENTER_MODE PRV_S
    wfi
    csrci sip, MIP_SSIP
    BACK_TO_M PRV_S
    csrw mie, zero
    csrw mideleg, zero
    LOAD_TREC s_irq_rec, IR_COUNT
    CHECK_EQ t5, 0

    TEST_CASE 19                     /* TVM = 1: satp and sfence.vma illegal in S */
    li t0, MSTATUS_TVM
    csrs mstatus, t0
    ENTER_MODE PRV_S
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, csrr a0, satp
    TEST_CASE 20
    ENTER_MODE PRV_S
    EXPECT_ILLEGAL_WORD 0x12000073   /* sfence.vma x0, x0 */
    TEST_CASE 21                     /* ... but fine in M */
    csrr a0, satp
    sfence.vma
    li t0, MSTATUS_TVM
    csrc mstatus, t0
    TEST_CASE 22                     /* TVM = 0: S may use satp / sfence.vma */
    ENTER_MODE PRV_S
    csrr a0, satp
    csrw satp, zero
    sfence.vma
    BACK_TO_M PRV_S
    TEST_CASE 23                     /* sfence.vma in U is illegal */
    ENTER_MODE PRV_U
    EXPECT_ILLEGAL_WORD 0x12000073
    TEST_END
