# Interrupt priority across levels: MEI > MSI > MTI > SEI > SSI > STI for simultaneously pending M-mode interrupts. [reference-excluded: QEMU 7.2 takes the lowest-numbered first]
#include "test.h"

.macro RESET_IRQ_REC
    la t6, irq_rec
    sd zero, IR_COUNT(t6)
.endm

.macro CHECK_NTH i, cause
    la t5, irq_rec
    ld t5, IR_LIST+8*(\i)(t5)
    CHECK_EQ t5, IRQ_BIT | (\cause)
.endm

.macro TAKE_ALL
    csrsi mstatus, MSTATUS_MIE
    nop
    nop
    nop
    csrci mstatus, MSTATUS_MIE
.endm

    li a0, CLINT_MSIP
    sw zero, 0(a0)
    li a0, CLINT_MTIMECMP
    li a1, -1
    sd a1, 0(a0)
    csrw mie, zero
    csrw mip, zero

    TEST_CASE 1                      /* MSI, MTI, SSI, STI all pending */
    RESET_IRQ_REC
    li a0, CLINT_MSIP
    li a1, 1
    sw a1, 0(a0)
    li a0, CLINT_MTIMECMP
    sd zero, 0(a0)
    li a0, MIP_SSIP | MIP_STIP
    csrs mip, a0
    li a0, MIP_MSIP | MIP_MTIP | MIP_SSIP | MIP_STIP
    csrw mie, a0
    TAKE_ALL
    LOAD_TREC irq_rec, IR_COUNT
    CHECK_EQ t5, 4
    CHECK_NTH 0, IRQ_M_SOFT
    CHECK_NTH 1, IRQ_M_TIMER
    CHECK_NTH 2, IRQ_S_SOFT
    CHECK_NTH 3, IRQ_S_TIMER
    TEST_CASE 2                      /* MTI before SSI */
    RESET_IRQ_REC
    li a0, CLINT_MTIMECMP
    sd zero, 0(a0)
    li a0, MIP_SSIP
    csrs mip, a0
    li a0, MIP_MTIP | MIP_SSIP
    csrw mie, a0
    TAKE_ALL
    LOAD_TREC irq_rec, IR_COUNT
    CHECK_EQ t5, 2
    CHECK_NTH 0, IRQ_M_TIMER
    CHECK_NTH 1, IRQ_S_SOFT
    TEST_CASE 3                      /* MSI before SSI */
    RESET_IRQ_REC
    li a0, CLINT_MSIP
    li a1, 1
    sw a1, 0(a0)
    li a0, MIP_SSIP
    csrs mip, a0
    li a0, MIP_MSIP | MIP_SSIP
    csrw mie, a0
    TAKE_ALL
    CHECK_NTH 0, IRQ_M_SOFT
    CHECK_NTH 1, IRQ_S_SOFT
    TEST_CASE 4                      /* SEI before SSI and STI */
    RESET_IRQ_REC
    li a0, MIP_SEIP | MIP_SSIP | MIP_STIP
    csrs mip, a0
    csrw mie, a0
    TAKE_ALL
    LOAD_TREC irq_rec, IR_COUNT
    CHECK_EQ t5, 3
    CHECK_NTH 0, IRQ_S_EXT
    CHECK_NTH 1, IRQ_S_SOFT
    CHECK_NTH 2, IRQ_S_TIMER
    csrw mie, zero
    TEST_END
