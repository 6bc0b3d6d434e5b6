# Sv39 permissions: R/W/X checks, reserved W-only PTE, U bit with SUM (loads/stores) and never for S fetch, MXR, page-fault causes 12/13/15 with xtval = VA, delegated page faults to S.
#include "test.h"

#define VA 0x40000000
#define P(n) (VA + (n) * 0x1000)

    SV39_BASE_MAP root
    ZERO_PAGE l1
    ZERO_PAGE l0
    SET_PTE_L root, VPN2(VA), l1, PTE_V
    SET_PTE_L l1, VPN1(VA), l0, PTE_V
    SET_PTE_L l0, 0, page_a, PTE_V|PTE_R|PTE_A                  /* read-only */
    SET_PTE_L l0, 1, page_a, PTE_V|PTE_W|PTE_A|PTE_D            /* W without R: reserved */
    SET_PTE_L l0, 2, page_b, PTE_V|PTE_X|PTE_A                  /* execute-only */
    SET_PTE_L l0, 3, page_a, PTE_V|PTE_R|PTE_W|PTE_U|PTE_A|PTE_D /* user data */
    SET_PTE_L l0, 4, xpage, PTE_V|PTE_X|PTE_U|PTE_A             /* user code */
    SET_PTE_L l0, 5, xpage, PTE_V|PTE_X|PTE_A                   /* supervisor code */
    SET_PTE_L l0, 6, page_a, PTE_V|PTE_R|PTE_W|PTE_A|PTE_D      /* supervisor data */
    SET_PTE_L l0, 7, page_b, PTE_V|PTE_X|PTE_U|PTE_A            /* user execute-only */
    SET_PTE_L l0, 8, page_a, PTE_V|PTE_R|PTE_X|PTE_A            /* no W */
    SET_PTE_L l0, 9, xpage, PTE_V|PTE_R|PTE_W|PTE_A|PTE_D       /* no X */
    SV39_ENABLE root

    TEST_CASE 1                         /* read-only page: load ok, store faults */
    ENTER_MODE PRV_S
    li a1, P(0)
    ld a0, 0(a1)
    CHECK_EQ a0, 0xaaaaaaaa00000000
    li a2, 0x99
    EXPECT_TRAP CAUSE_STORE_PAGE_FAULT, sd a2, 8(a1)
    CHECK_MTVAL P(0) + 8
    CHECK_MEM_D page_a + 8, 0xaaaaaaaa00000001
    TEST_CASE 2                         /* W without R is reserved: any access faults */
    ENTER_MODE PRV_S
    li a1, P(1)
    EXPECT_TRAP CAUSE_LOAD_PAGE_FAULT, ld a0, 0(a1)
    CHECK_MTVAL P(1)
    TEST_CASE 3
    ENTER_MODE PRV_S
    li a1, P(1)
    EXPECT_TRAP CAUSE_STORE_PAGE_FAULT, sd a0, 0(a1)
    TEST_CASE 4                         /* execute-only: load faults without MXR */
    ENTER_MODE PRV_S
    li a1, P(2)
    EXPECT_TRAP CAUSE_LOAD_PAGE_FAULT, ld a0, 0(a1)
    CHECK_MTVAL P(2)
    TEST_CASE 5                         /* ... and succeeds with MXR */
    li t0, MSTATUS_MXR
    csrs mstatus, t0
    ENTER_MODE PRV_S
    li a1, P(2)
    ld a0, 0(a1)
    CHECK_EQ a0, 0xbbbbbbbb00000000
    TEST_CASE 6                         /* MXR does not allow stores */
    EXPECT_TRAP CAUSE_STORE_PAGE_FAULT, sd a0, 0(a1)
    li t0, MSTATUS_MXR
    csrc mstatus, t0
    TEST_CASE 7                         /* no W: store faults */
    ENTER_MODE PRV_S
    li a1, P(8)
    ld a0, 0(a1)
    EXPECT_TRAP CAUSE_STORE_PAGE_FAULT, sw a0, 4(a1)
    CHECK_MTVAL P(8) + 4
    TEST_CASE 8                         /* no X: fetch faults, mepc = mtval = target */
    ARM_TRAP 2f
    li a1, P(9)
    GOTO_MODE PRV_S, 1f
1:  jalr ra, 0(a1)
    j test_fail
2:  CHECK_TRAP CAUSE_FETCH_PAGE_FAULT
    CHECK_MEPC_REG a1
    CHECK_MTVAL_REG a1
    TEST_CASE 9                         /* supervisor code page executes in S */
    ENTER_MODE PRV_S
    li a1, P(5)
    li a0, 0
    jalr ra, 0(a1)
    CHECK_EQ a0, 0x77
    BACK_TO_M PRV_S

    /* U bit and SUM */
    TEST_CASE 10                        /* S access to a user page with SUM=0 */
    ENTER_MODE PRV_S
    li a1, P(3)
    EXPECT_TRAP CAUSE_LOAD_PAGE_FAULT, ld a0, 0(a1)
    CHECK_MTVAL P(3)
    TEST_CASE 11
    ENTER_MODE PRV_S
    li a1, P(3)
    EXPECT_TRAP CAUSE_STORE_PAGE_FAULT, sd a0, 0(a1)
    TEST_CASE 12                        /* SUM=1 permits loads and stores */
    li t0, MSTATUS_SUM
    csrs mstatus, t0
    ENTER_MODE PRV_S
    li a1, P(3)
    ld a0, 0(a1)
    CHECK_EQ a0, 0xaaaaaaaa00000000
    li a2, 0x1212
    sd a2, 16(a1)
    BACK_TO_M PRV_S
    CHECK_MEM_D page_a + 16, 0x1212
    TEST_CASE 13                        /* SUM never permits S to execute user pages */
    ARM_TRAP 2f
    li a1, P(4)
    GOTO_MODE PRV_S, 1f
1:  jalr ra, 0(a1)
    j test_fail
2:  CHECK_TRAP CAUSE_FETCH_PAGE_FAULT
    CHECK_MTVAL_REG a1
    li t0, MSTATUS_SUM
    csrc mstatus, t0

    TEST_CASE 14                        /* U executes a user page */
    ARM_TRAP 2f
    GOTO_USER_ALIAS 1f
1:  li a1, P(4)
    li a0, 0
    jalr ra, 0(a1)
    ecall
2:  CHECK_TRAP CAUSE_ECALL_U
    CHECK_EQ a0, 0x77
    TEST_CASE 15                        /* U reads and writes a user page */
    ARM_TRAP 2f
    GOTO_USER_ALIAS 1f
1:  li a1, P(3)
    ld a0, 0(a1)
    li a2, 0x3434
    sd a2, 24(a1)
    ecall
2:  CHECK_TRAP CAUSE_ECALL_U
    CHECK_EQ a0, 0xaaaaaaaa00000000
    CHECK_MEM_D page_a + 24, 0x3434
    TEST_CASE 16                        /* U fetch from a supervisor page */
    ARM_TRAP 2f
    li a1, P(5)
    GOTO_USER_ALIAS 1f
1:  jalr ra, 0(a1)
    j test_fail
2:  CHECK_TRAP CAUSE_FETCH_PAGE_FAULT
    CHECK_TRAP_FROM PRV_U
    CHECK_MTVAL_REG a1
    TEST_CASE 17                        /* U load / store to a supervisor page */
    ARM_TRAP 2f
    li a1, P(6)
    GOTO_USER_ALIAS 1f
1:  ld a0, 0(a1)
    j test_fail
2:  CHECK_TRAP CAUSE_LOAD_PAGE_FAULT
    CHECK_MTVAL_REG a1
    TEST_CASE 18
    ARM_TRAP 2f
    li a1, P(6)
    GOTO_USER_ALIAS 1f
1:  sd a0, 8(a1)
    j test_fail
2:  CHECK_TRAP CAUSE_STORE_PAGE_FAULT
    addi a1, a1, 8
    CHECK_MTVAL_REG a1
    TEST_CASE 19                        /* U load from execute-only page: MXR=0 faults */
    ARM_TRAP 2f
    li a1, P(7)
    GOTO_USER_ALIAS 1f
1:  ld a0, 0(a1)
    j test_fail
2:  CHECK_TRAP CAUSE_LOAD_PAGE_FAULT
    TEST_CASE 20                        /* ... MXR=1 allows it (MXR applies to U too) */
    li t0, MSTATUS_MXR
    csrs mstatus, t0
    ARM_TRAP 2f
    li a1, P(7)
    GOTO_USER_ALIAS 1f
1:  ld a0, 0(a1)
    ecall
2:  CHECK_TRAP CAUSE_ECALL_U
    CHECK_EQ a0, 0xbbbbbbbb00000000
    li t0, MSTATUS_MXR
    csrc mstatus, t0

    /* page faults delegated to S: scause / sepc / stval */
    TEST_CASE 21
    li t0, (1 << CAUSE_FETCH_PAGE_FAULT) | (1 << CAUSE_LOAD_PAGE_FAULT) | (1 << CAUSE_STORE_PAGE_FAULT)
    csrw medeleg, t0
    ARM_STRAP 3f
    ARM_TRAP 4f
    li a1, P(6) + 0x28
    GOTO_USER_ALIAS 1f
1:  ld a0, 0(a1)
    j test_fail
3:  ecall                               /* S handler resumed here, in S */
4:  CHECK_TRAP CAUSE_ECALL_S
    CHECK_STRAP CAUSE_LOAD_PAGE_FAULT
    CHECK_STVAL P(6) + 0x28
    LOAD_TREC s_trap_rec, TR_EPC
    la t6, 1b
    li a2, USER_ALIAS
    add t6, t6, a2
    CHECK_EQR t5, t6
    TEST_CASE 22                        /* store page fault from S, delegated */
    ARM_STRAP 3f
    ARM_TRAP 4f
    li a1, P(0) + 0x30
    GOTO_MODE PRV_S, 1f
1:  sd a0, 0(a1)
    j test_fail
3:  ecall
4:  CHECK_TRAP CAUSE_ECALL_S
    CHECK_STRAP CAUSE_STORE_PAGE_FAULT
    CHECK_SEPC 1b
    CHECK_STVAL P(0) + 0x30
    TEST_CASE 23                        /* fetch page fault from S, delegated: sepc = stval = target */
    ARM_STRAP 3f
    ARM_TRAP 4f
    li a1, P(9)
    GOTO_MODE PRV_S, 1f
1:  jalr ra, 0(a1)
    j test_fail
3:  ecall
4:  CHECK_TRAP CAUSE_ECALL_S
    CHECK_STRAP CAUSE_FETCH_PAGE_FAULT
    CHECK_STVAL P(9)
    LOAD_TREC s_trap_rec, TR_EPC
    CHECK_EQR t5, a1
    csrw medeleg, zero
    TEST_END

#include "sv39_fixture.h"
