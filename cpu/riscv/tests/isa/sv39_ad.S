# Sv39 A/D bits updated by hardware (Svadu-style): A on any permitted access (load, store, fetch, U, MPRV, superpage), D on stores only, no update on faulting accesses or non-leaf PTEs, re-set after sfence.vma.
#include "test.h"

#define VA 0x40000000
#define P(n) (VA + (n) * 0x1000)
#define VA_2M (VA + 0x200000)

/* low 8 bits (flags) of table[index] == flags */
.macro CHECK_PTE_FLAGS table, index, flags
    la t5, \table
    ld t5, ((\index) * 8)(t5)
    andi t5, t5, 0xff
    CHECK_EQ t5, \flags
.endm

    SV39_BASE_MAP root
    ZERO_PAGE l1
    ZERO_PAGE l0
    SET_PTE_L root, VPN2(VA), l1, PTE_V
    SET_PTE_L l1, VPN1(VA), l0, PTE_V
    SET_PTE_L l0, 0, page_a, PTE_V|PTE_R|PTE_W
    SET_PTE_L l0, 1, page_a, PTE_V|PTE_R|PTE_W
    SET_PTE_L l0, 2, xpage, PTE_V|PTE_X
    SET_PTE_L l0, 3, page_a, PTE_V|PTE_R
    SET_PTE_L l0, 4, page_a, PTE_V|PTE_R|PTE_W|PTE_A
    SET_PTE_L l0, 5, page_a, PTE_V|PTE_X
    SET_PTE_L l0, 6, page_a, PTE_V|PTE_R|PTE_W|PTE_U
    SET_PTE_L l0, 7, page_a, PTE_V|PTE_R|PTE_W
    SET_PTE_PA l1, VPN1(VA_2M), 0x80000000, PTE_V|PTE_R|PTE_W
    SV39_ENABLE root

    TEST_CASE 1                         /* load sets A only */
    ENTER_MODE PRV_S
    li a1, P(0)
    ld a0, 0(a1)
    CHECK_EQ a0, 0xaaaaaaaa00000000
    BACK_TO_M PRV_S
    CHECK_PTE_FLAGS l0, 0, PTE_V|PTE_R|PTE_W|PTE_A
    TEST_CASE 2                         /* store then sets D */
    ENTER_MODE PRV_S
    li a1, P(0)
    sd a0, 8(a1)
    BACK_TO_M PRV_S
    CHECK_PTE_FLAGS l0, 0, PTE_V|PTE_R|PTE_W|PTE_A|PTE_D
    TEST_CASE 3                         /* first access a store: A and D */
    ENTER_MODE PRV_S
    li a1, P(1)
    sw a0, 16(a1)
    BACK_TO_M PRV_S
    CHECK_PTE_FLAGS l0, 1, PTE_V|PTE_R|PTE_W|PTE_A|PTE_D
    TEST_CASE 4                         /* fetch sets A */
    ENTER_MODE PRV_S
    li a1, P(2)
    jalr ra, 0(a1)
    CHECK_EQ a0, 0x77
    BACK_TO_M PRV_S
    CHECK_PTE_FLAGS l0, 2, PTE_V|PTE_X|PTE_A
    TEST_CASE 5                         /* store to a read-only page faults and sets nothing */
    ENTER_MODE PRV_S
    li a1, P(3)
    EXPECT_TRAP CAUSE_STORE_PAGE_FAULT, sd a0, 0(a1)
    CHECK_PTE_FLAGS l0, 3, PTE_V|PTE_R
    TEST_CASE 6                         /* then a load sets A */
    ENTER_MODE PRV_S
    li a1, P(3)
    ld a0, 0(a1)
    BACK_TO_M PRV_S
    CHECK_PTE_FLAGS l0, 3, PTE_V|PTE_R|PTE_A
    TEST_CASE 7                         /* A already set: a load leaves D clear */
    ENTER_MODE PRV_S
    li a1, P(4)
    ld a0, 0(a1)
    BACK_TO_M PRV_S
    CHECK_PTE_FLAGS l0, 4, PTE_V|PTE_R|PTE_W|PTE_A
    TEST_CASE 8                         /* ... a store sets D */
    ENTER_MODE PRV_S
    li a1, P(4)
    sb a0, 3(a1)
    BACK_TO_M PRV_S
    CHECK_PTE_FLAGS l0, 4, PTE_V|PTE_R|PTE_W|PTE_A|PTE_D
    TEST_CASE 9                         /* faulting load (execute-only page) leaves A clear */
    ENTER_MODE PRV_S
    li a1, P(5)
    EXPECT_TRAP CAUSE_LOAD_PAGE_FAULT, ld a0, 0(a1)
    CHECK_PTE_FLAGS l0, 5, PTE_V|PTE_X
    TEST_CASE 10                        /* U-mode access sets A */
    ARM_TRAP 2f
    li a1, P(6)
    GOTO_USER_ALIAS 1f
1:  ld a0, 0(a1)
    ecall
2:  CHECK_TRAP CAUSE_ECALL_U
    CHECK_PTE_FLAGS l0, 6, PTE_V|PTE_R|PTE_W|PTE_U|PTE_A
    TEST_CASE 11                        /* MPRV access from M sets A and D */
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, MSTATUS_MPRV | MSTATUS_MPP_S
    csrs mstatus, t0
    li a1, P(7)
    sd zero, 24(a1)
    li t0, MSTATUS_MPRV
    csrc mstatus, t0
    CHECK_PTE_FLAGS l0, 7, PTE_V|PTE_R|PTE_W|PTE_A|PTE_D
    TEST_CASE 12                        /* superpage leaf: load sets A, store sets D */
    ENTER_MODE PRV_S
    li a1, VA_2M
    ld a0, 0(a1)
    BACK_TO_M PRV_S
    CHECK_PTE_FLAGS l1, VPN1(VA_2M), PTE_V|PTE_R|PTE_W|PTE_A
    ENTER_MODE PRV_S
    la a1, page_b
    li t0, 0x80000000
    sub a1, a1, t0
    li t0, VA_2M
    add a1, a1, t0
    li a0, 0xb0b0
    sd a0, 16(a1)
    BACK_TO_M PRV_S
    CHECK_PTE_FLAGS l1, VPN1(VA_2M), PTE_V|PTE_R|PTE_W|PTE_A|PTE_D
    CHECK_MEM_D page_b + 16, 0xb0b0
    TEST_CASE 13                        /* non-leaf PTEs are not updated */
    CHECK_PTE_FLAGS root, VPN2(VA), PTE_V
    CHECK_PTE_FLAGS l1, VPN1(VA), PTE_V
    TEST_CASE 14                        /* A cleared by software + sfence.vma: set again */
    SET_PTE_L l0, 0, page_a, PTE_V|PTE_R|PTE_W
    ENTER_MODE PRV_S
    sfence.vma
    li a1, P(0)
    ld a0, 0(a1)
    BACK_TO_M PRV_S
    CHECK_PTE_FLAGS l0, 0, PTE_V|PTE_R|PTE_W|PTE_A
    TEST_CASE 15                        /* D cleared by software + sfence.vma: set again */
    SET_PTE_L l0, 0, page_a, PTE_V|PTE_R|PTE_W|PTE_A
    sfence.vma
    ENTER_MODE PRV_S
    li a1, P(0)
    sd a0, 0(a1)
    BACK_TO_M PRV_S
    CHECK_PTE_FLAGS l0, 0, PTE_V|PTE_R|PTE_W|PTE_A|PTE_D
    TEST_CASE 16                        /* the PPN is preserved by the update */
    la t5, l0
    ld a0, 0(t5)
    srli a0, a0, 10
    slli a0, a0, 12
    CHECK_ADDR a0, page_a
    csrw satp, zero
    TEST_END

#include "sv39_fixture.h"
