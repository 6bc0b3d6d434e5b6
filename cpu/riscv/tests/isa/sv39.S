# Sv39 translation: satp bare vs Sv39, identity and non-identity 4K mappings, 2M/1G superpages, misaligned superpages, invalid/non-leaf PTEs, non-canonical VAs, sfence.vma after PTE changes, M-mode untranslated, MPRV.
#include "test.h"

#define VA 0x40000000                   /* 4K test pages: VA + n*0x1000 -> l0[n] */
#define VA_LOW 0x0                      /* root[0] shares l1 with root[1]: VA_LOW + x == VA + x */
#define VA_2M (VA + 0x200000)           /* l1[1]: 2 MiB superpage -> PA 0x80000000 */
#define VA_2M_BAD (VA + 0x400000)       /* l1[2]: misaligned 2 MiB superpage */
#define VA_1G 0x100000000               /* root[4]: 1 GiB superpage -> PA 0x80000000 */
#define VA_1G_BAD 0x140000000           /* root[5]: misaligned 1 GiB superpage */
#define RWAD (PTE_V|PTE_R|PTE_W|PTE_A|PTE_D)

    /* build the tables (M-mode, untranslated) */
    SV39_BASE_MAP root
    ZERO_PAGE l1
    ZERO_PAGE l0
    SET_PTE_L root, VPN2(VA), l1, PTE_V
    SET_PTE_L root, VPN2(VA_LOW), l1, PTE_V
    SET_PTE_L l1, VPN1(VA), l0, PTE_V
    SET_PTE_L l0, 0, page_a, RWAD
    SET_PTE_L l0, 1, page_b, RWAD
    SET_PTE_L l0, 2, xpage, PTE_V|PTE_X|PTE_A
    SET_PTE_L l0, 4, page_a, PTE_V          /* non-leaf at level 0 */
    SET_PTE_PA l0, 5, 0x0, RWAD             /* leaf to unmapped PA */
    SET_PTE_L l0, 8, page_a, RWAD           /* remapped later (sfence test) */
    SET_PTE_PA l1, VPN1(VA_2M), 0x80000000, RWAD
    SET_PTE_PA l1, VPN1(VA_2M_BAD), 0x80001000, RWAD
    SET_PTE_PA root, VPN2(VA_1G), 0x80000000, RWAD
    SET_PTE_PA root, VPN2(VA_1G_BAD), 0x80200000, RWAD

    TEST_CASE 1                         /* satp holds Sv39 mode and PPN */
    CHECK_CSR satp, 0
    SV39_ENABLE root
    la a0, root
    srli a0, a0, 12
    li a1, SATP_SV39
    or a0, a0, a1
    csrr a1, satp
    CHECK_EQR a0, a1

    TEST_CASE 2                         /* S: non-identity 4K pages */
    ENTER_MODE PRV_S
    li a1, VA
    ld a0, 0(a1)
    CHECK_EQ a0, 0xaaaaaaaa00000000
    li a1, VA + 0x1000
    ld a0, 8(a1)
    CHECK_EQ a0, 0xbbbbbbbb00000001
    TEST_CASE 3                         /* store through the mapping */
    li a1, VA
    li a2, 0x5151
    sd a2, 16(a1)
    BACK_TO_M PRV_S
    CHECK_MEM_D page_a + 16, 0x5151
    TEST_CASE 4                         /* S code and data through the identity gigapage */
    ENTER_MODE PRV_S
    la a1, page_b
    ld a0, 0(a1)
    CHECK_EQ a0, 0xbbbbbbbb00000000
    TEST_CASE 5                         /* 2 MiB superpage */
    SUPER_VA a1, VA_2M, page_a
    ld a0, 0(a1)
    CHECK_EQ a0, 0xaaaaaaaa00000000
    SUPER_VA a1, VA_2M, page_b
    ld a0, 8(a1)
    CHECK_EQ a0, 0xbbbbbbbb00000001
    TEST_CASE 6                         /* 1 GiB superpage above 4 GiB */
    SUPER_VA a1, VA_1G, page_b
    ld a0, 0(a1)
    CHECK_EQ a0, 0xbbbbbbbb00000000
    TEST_CASE 7                         /* execute from a non-identity 4K page */
    li a1, VA + 0x2000
    li a0, 0
    jalr ra, 0(a1)
    CHECK_EQ a0, 0x77
    TEST_CASE 8                         /* misaligned 2 MiB superpage -> page fault */
    li a1, VA_2M_BAD + 0x18
    EXPECT_TRAP CAUSE_LOAD_PAGE_FAULT, ld a0, 0(a1)
    CHECK_MTVAL VA_2M_BAD + 0x18
    CHECK_TRAP_FROM PRV_S
    TEST_CASE 9                         /* misaligned 1 GiB superpage -> page fault */
    ENTER_MODE PRV_S
    li a1, VA_1G_BAD
    EXPECT_TRAP CAUSE_STORE_PAGE_FAULT, sd a0, 0(a1)
    CHECK_MTVAL VA_1G_BAD
    TEST_CASE 10                        /* invalid PTE: load / store / fetch */
    ENTER_MODE PRV_S
    li a1, VA + 0x3008
    EXPECT_TRAP CAUSE_LOAD_PAGE_FAULT, lw a0, 0(a1)
    CHECK_MTVAL VA + 0x3008
    TEST_CASE 11
    ENTER_MODE PRV_S
    li a1, VA + 0x3010
    EXPECT_TRAP CAUSE_STORE_PAGE_FAULT, sb a0, 0(a1)
    CHECK_MTVAL VA + 0x3010
    TEST_CASE 12
    ARM_TRAP 2f
    li a1, VA + 0x3000
    GOTO_MODE PRV_S, 1f
1:  jalr ra, 0(a1)
    j test_fail
2:  CHECK_TRAP CAUSE_FETCH_PAGE_FAULT
    CHECK_MEPC_REG a1
    CHECK_MTVAL VA + 0x3000
    TEST_CASE 13                        /* unmapped top-level entry */
    ENTER_MODE PRV_S
    li a1, 0x3fc0001000                 /* root[255] is empty */
    EXPECT_TRAP CAUSE_LOAD_PAGE_FAULT, ld a0, 0(a1)
    CHECK_MTVAL 0x3fc0001000
    TEST_CASE 14                        /* non-leaf PTE at the last level -> page fault */
    ENTER_MODE PRV_S
    li a1, VA + 0x4000
    EXPECT_TRAP CAUSE_LOAD_PAGE_FAULT, ld a0, 0(a1)
    TEST_CASE 15                        /* leaf to unmapped physical memory -> access fault */
    ENTER_MODE PRV_S
    li a1, VA + 0x5020
    EXPECT_TRAP CAUSE_LOAD_ACCESS, ld a0, 0(a1)
    CHECK_MTVAL VA + 0x5020
    TEST_CASE 16                        /* non-canonical addresses -> page fault */
    ENTER_MODE PRV_S
    li a1, 0x0000008000000000
    EXPECT_TRAP CAUSE_LOAD_PAGE_FAULT, ld a0, 0(a1)
    CHECK_MTVAL 0x0000008000000000
    TEST_CASE 17
    ENTER_MODE PRV_S
    li a1, 0x8000000080000000           /* low bits would hit the identity page */
    EXPECT_TRAP CAUSE_STORE_PAGE_FAULT, sd a0, 0(a1)
    CHECK_MTVAL 0x8000000080000000
    TEST_CASE 18
    ENTER_MODE PRV_S
    li a1, 0xffffffc000000000           /* canonical, but root[256] is empty */
    EXPECT_TRAP CAUSE_LOAD_PAGE_FAULT, ld a0, 0(a1)
    CHECK_MTVAL 0xffffffc000000000

    TEST_CASE 19                        /* sfence.vma makes a changed PTE visible */
    ENTER_MODE PRV_S
    li a1, VA + 0x8000
    ld a0, 0(a1)
    CHECK_EQ a0, 0xaaaaaaaa00000000
    BACK_TO_M PRV_S
    SET_PTE_L l0, 8, page_b, RWAD
    ENTER_MODE PRV_S
    sfence.vma
    li a1, VA + 0x8000
    ld a0, 0(a1)
    CHECK_EQ a0, 0xbbbbbbbb00000000
    BACK_TO_M PRV_S
    TEST_CASE 20                        /* sfence.vma with an address operand */
    SET_PTE_L l0, 8, page_a, RWAD
    ENTER_MODE PRV_S
    li a1, VA + 0x8000
    sfence.vma a1, zero
    ld a0, 0(a1)
    CHECK_EQ a0, 0xaaaaaaaa00000000
    BACK_TO_M PRV_S
    TEST_CASE 21                        /* removing a mapping + sfence.vma -> fault */
    CLEAR_PTE l0, 8
    ENTER_MODE PRV_S
    sfence.vma
    li a1, VA + 0x8000
    EXPECT_TRAP CAUSE_LOAD_PAGE_FAULT, ld a0, 0(a1)

    TEST_CASE 22                        /* U-mode runs from the user alias */
    ARM_TRAP 2f
    GOTO_USER_ALIAS 1f
1:  auipc a0, 0
    ecall
2:  CHECK_TRAP CAUSE_ECALL_U
    la a1, 1b
    li a2, USER_ALIAS
    add a1, a1, a2
    CHECK_EQR a0, a1

    TEST_CASE 23                        /* M-mode is never translated (PA 0 is a hole) */
    ENTER_MODE PRV_S
    li a1, VA_LOW
    ld a0, 0(a1)                        /* S: VA 0 -> page_a */
    CHECK_EQ a0, 0xaaaaaaaa00000000
    BACK_TO_M PRV_S
    li a1, VA_LOW
    EXPECT_TRAP CAUSE_LOAD_ACCESS, ld a0, 0(a1)
    CHECK_MTVAL VA_LOW
    la a1, page_a
    ld a0, 0(a1)
    CHECK_EQ a0, 0xaaaaaaaa00000000

    TEST_CASE 24                        /* MPRV=1, MPP=S: M loads/stores are translated */
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, MSTATUS_MPRV | MSTATUS_MPP_S
    csrs mstatus, t0
    li a1, VA + 0x1000
    ld a0, 0(a1)
    li a2, 0x6262
    sd a2, 24(a1)
    li t0, MSTATUS_MPRV
    csrc mstatus, t0
    CHECK_EQ a0, 0xbbbbbbbb00000000
    CHECK_MEM_D page_b + 24, 0x6262
    TEST_CASE 25                        /* MPRV=1, MPP=U: supervisor page -> page fault */
    ARM_TRAP 2f                         /* (before MPRV: the handler data is not user-mapped) */
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, MSTATUS_MPRV
    csrs mstatus, t0
    li a1, VA
1:  ld a0, 0(a1)
    j test_fail
2:  CHECK_TRAP CAUSE_LOAD_PAGE_FAULT
    CHECK_MEPC 1b
    CHECK_MTVAL VA
    CHECK_CSR_MASK mstatus, MSTATUS_MPRV, 0
    TEST_CASE 26                        /* MPRV=1, MPP=U: user alias works */
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, MSTATUS_MPRV
    csrs mstatus, t0
    la a1, page_a + USER_ALIAS
    ld a0, 0(a1)
    li t0, MSTATUS_MPRV
    csrc mstatus, t0
    CHECK_EQ a0, 0xaaaaaaaa00000000
    TEST_CASE 27                        /* MPRV=1, MPP=M: untranslated */
    li t0, MSTATUS_MPRV | MSTATUS_MPP_M
    csrs mstatus, t0
    la a1, page_b
    ld a0, 0(a1)
    li t0, MSTATUS_MPRV
    csrc mstatus, t0
    CHECK_EQ a0, 0xbbbbbbbb00000000
    ARM_TRAP 2f                         /* VA_LOW is a physical hole */
    li t0, MSTATUS_MPRV | MSTATUS_MPP_M
    csrs mstatus, t0
    li a1, VA_LOW
1:  ld a0, 0(a1)
    j test_fail
2:  CHECK_TRAP CAUSE_LOAD_ACCESS

    TEST_CASE 28                        /* back to bare: S addresses are physical again */
    csrw satp, zero
    sfence.vma
    ENTER_MODE PRV_S
    la a1, page_b
    ld a0, 0(a1)
    CHECK_EQ a0, 0xbbbbbbbb00000000
    li a1, VA_LOW + 0x10
    EXPECT_TRAP CAUSE_LOAD_ACCESS, ld a0, 0(a1)
    CHECK_MTVAL VA_LOW + 0x10
    TEST_CASE 29                        /* satp write with a reserved MODE has no effect */
    csrw satp, zero
    li a0, (1 << 60) | 0x1234
    csrw satp, a0
    CHECK_CSR satp, 0
    TEST_END

#include "sv39_fixture.h"
