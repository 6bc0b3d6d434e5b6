# Sv39 address spaces: satp's ASID field, translations of one ASID not seen under another
# (without a fence between), sfence.vma with an ASID operand, and sfence.vma of an address
# inside a superpage dropping the other pages of that superpage the TLB holds.
#include "test.h"

#define VA 0x40000000                   /* 4K pages: VA + n*0x1000 -> l0[n] (both spaces) */
#define VA_2M (VA + 0x200000)           /* l1[1]: 2 MiB superpage -> PA 0x80000000 */
#define VA_G 0x180000000                /* root[6]: 1 GiB superpage, in address space 1 only */
#define RWAD (PTE_V|PTE_R|PTE_W|PTE_A|PTE_D)

/* satp <- Sv39, ASID `asid`, root table `root`; no fence */
.macro SATP_ASID root, asid
    la t5, \root
    srli t5, t5, 12
    li t6, SATP_SV39 | ((\asid) << 44)
    or t5, t5, t6
    csrw satp, t5
.endm

    SV39_BASE_MAP root
    ZERO_PAGE l1
    ZERO_PAGE l0
    SET_PTE_L root, VPN2(VA), l1, PTE_V
    SET_PTE_L l1, VPN1(VA), l0, PTE_V
    SET_PTE_L l0, 8, page_a, RWAD
    SET_PTE_PA l1, VPN1(VA_2M), 0x80000000, RWAD
    SET_PTE_PA root, VPN2(VA_G), 0x80000000, RWAD
    SV39_BASE_MAP root2
    SET_PTE_L root2, VPN2(VA), l1, PTE_V  /* shares VA's tables with address space 1 */

    TEST_CASE 1                         /* the ASID field holds an ASID */
    SATP_ASID root, 1
    sfence.vma
    csrr a0, satp
    srli a0, a0, 44
    li t0, 0xffff
    and a0, a0, t0
    CHECK_EQ a0, 1

    TEST_CASE 2                         /* ASID 1's translation is not ASID 2's */
    ENTER_MODE PRV_S
    SUPER_VA a1, VA_G, page_a
    ld a0, 0(a1)
    CHECK_EQ a0, 0xaaaaaaaa00000000
    BACK_TO_M PRV_S
    SATP_ASID root2, 2
    ENTER_MODE PRV_S
    SUPER_VA a1, VA_G, page_a
    EXPECT_TRAP CAUSE_LOAD_PAGE_FAULT, ld a0, 0(a1)
    CHECK_TRAP_FROM PRV_S

    TEST_CASE 3                         /* and back to ASID 1, no fence: it maps again */
    SATP_ASID root, 1
    ENTER_MODE PRV_S
    SUPER_VA a1, VA_G, page_b
    ld a0, 0(a1)
    CHECK_EQ a0, 0xbbbbbbbb00000000
    BACK_TO_M PRV_S

    TEST_CASE 4                         /* sfence.vma zero, asid makes a changed PTE visible */
    ENTER_MODE PRV_S
    li a1, VA + 0x8000
    ld a0, 0(a1)
    CHECK_EQ a0, 0xaaaaaaaa00000000
    BACK_TO_M PRV_S
    SET_PTE_L l0, 8, page_b, RWAD
    ENTER_MODE PRV_S
    li t0, 1
    sfence.vma zero, t0
    li a1, VA + 0x8000
    ld a0, 0(a1)
    CHECK_EQ a0, 0xbbbbbbbb00000000
    BACK_TO_M PRV_S

    TEST_CASE 5                         /* sfence.vma addr, zero reaches every ASID */
    SATP_ASID root2, 2
    ENTER_MODE PRV_S
    li a1, VA + 0x8000
    ld a0, 0(a1)
    CHECK_EQ a0, 0xbbbbbbbb00000000
    BACK_TO_M PRV_S
    SET_PTE_L l0, 8, page_a, RWAD
    ENTER_MODE PRV_S
    li a1, VA + 0x8000
    sfence.vma a1, zero
    ld a0, 0(a1)
    CHECK_EQ a0, 0xaaaaaaaa00000000
    BACK_TO_M PRV_S
    SATP_ASID root, 1
    ENTER_MODE PRV_S
    li a1, VA + 0x8000
    ld a0, 0(a1)
    CHECK_EQ a0, 0xaaaaaaaa00000000
    BACK_TO_M PRV_S

    TEST_CASE 6                         /* a fenced address drops its whole superpage */
    ENTER_MODE PRV_S
    SUPER_VA a1, VA_2M, page_a
    ld a0, 0(a1)
    CHECK_EQ a0, 0xaaaaaaaa00000000
    SUPER_VA a2, VA_2M, page_b
    ld a0, 0(a2)
    CHECK_EQ a0, 0xbbbbbbbb00000000
    BACK_TO_M PRV_S
    CLEAR_PTE l1, VPN1(VA_2M)
    ENTER_MODE PRV_S
    SUPER_VA a1, VA_2M, page_a
    sfence.vma a1, zero
    SUPER_VA a2, VA_2M, page_b
    EXPECT_TRAP CAUSE_LOAD_PAGE_FAULT, ld a0, 0(a2)
    CHECK_TRAP_FROM PRV_S
    TEST_END

#include "sv39_fixture.h"
    .bss
    .balign 4096
root2: .zero 4096
