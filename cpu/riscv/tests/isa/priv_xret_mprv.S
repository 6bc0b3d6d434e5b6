# MRET/SRET that leave M-mode for a less privileged mode clear mstatus.MPRV (privileged spec 1.12). [reference-excluded: QEMU 7.2 keeps MPRV]
#include "test.h"

.macro SET_MSTATUS_FIELD mask, val
    li t6, \mask
    csrc mstatus, t6
    li t6, \val
    csrs mstatus, t6
.endm

/* t5 <- MPRV as seen on entry to the last M-mode trap */
.macro TRAP_MPRV
    LOAD_TREC trap_rec, TR_STATUS
    li t6, MSTATUS_MPRV
    and t5, t5, t6
.endm

    TEST_CASE 1                      /* mret to S */
    SET_MSTATUS_FIELD MSTATUS_MPP|MSTATUS_MPRV, MSTATUS_MPP_S|MSTATUS_MPRV
    la t0, 1f
    csrw mepc, t0
    ARM_TRAP 2f
    mret
1:  ecall
2:  CHECK_TRAP CAUSE_ECALL_S
    TRAP_MPRV
    CHECK_EQ t5, 0
    TEST_CASE 2                      /* mret to U */
    SET_MSTATUS_FIELD MSTATUS_MPP|MSTATUS_MPRV, MSTATUS_MPRV
    la t0, 1f
    csrw mepc, t0
    ARM_TRAP 2f
    mret
1:  ecall
2:  CHECK_TRAP CAUSE_ECALL_U
    TRAP_MPRV
    CHECK_EQ t5, 0
    TEST_CASE 3                      /* sret from M to S */
    SET_MSTATUS_FIELD MSTATUS_SPP|MSTATUS_MPRV|MSTATUS_MPP, MSTATUS_SPP|MSTATUS_MPRV|MSTATUS_MPP_M
    la t0, 1f
    csrw sepc, t0
    ARM_TRAP 2f
    sret
1:  ecall
2:  CHECK_TRAP CAUSE_ECALL_S
    TRAP_MPRV
    CHECK_EQ t5, 0
    TEST_CASE 4                      /* mret to M keeps it */
    SET_MSTATUS_FIELD MSTATUS_MPP|MSTATUS_MPRV, MSTATUS_MPP_M|MSTATUS_MPRV
    la t0, 1f
    csrw mepc, t0
    mret
1:  csrr a0, mstatus
    li t6, MSTATUS_MPRV
    csrc mstatus, t6
    and a0, a0, t6
    CHECK_EQ a0, MSTATUS_MPRV
    TEST_END
