# Code keyed by physical address under Sv39, in S-mode: one physical code page mapped at two virtual addresses (auipc and jal link values follow the mapping), remapped with sfence.vma, under two page tables switched through satp, and rewritten through its identity mapping while hot.
#include "test.h"

#define VA1 0x40000000                  /* both map `shared` ... */
#define VA2 0x40001000
#define VA3 0x40002000                  /* ... and this maps `other` */

/* s1 <- number of calls of the code at `va` (in a1) that returned the wrong auipc/jal values;
 * s2 <- sum of what it added to a2 */
.macro CALL_HOT va, n
    li a1, \va
    li s0, \n
    li s1, 0
    li a2, 0
.Lch\@:
    jalr ra, 0(a1)
    sub t0, a0, a1                      /* auipc result - va: 0 */
    or s1, s1, t0
    addi t0, a1, 8
    sub t0, t0, a3                      /* jal link - (va + 8): 0 */
    or s1, s1, t0
    addi s0, s0, -1
    bnez s0, .Lch\@
    mv s2, a2
.endm

    SV39_BASE_MAP root
    ZERO_PAGE l1
    ZERO_PAGE l0
    SET_PTE_L root, VPN2(VA1), l1, PTE_V
    SET_PTE_L l1, VPN1(VA1), l0, PTE_V
    SET_PTE_L l0, VPN0(VA1), shared, PTE_V|PTE_X|PTE_A
    SET_PTE_L l0, VPN0(VA2), shared, PTE_V|PTE_X|PTE_A
    SET_PTE_L l0, VPN0(VA3), other, PTE_V|PTE_X|PTE_A
    /* A second root: the same tables, but VA2 -> other (its own l1 and l0). */
    SV39_BASE_MAP root2
    ZERO_PAGE l1b
    ZERO_PAGE l0b
    SET_PTE_L root2, VPN2(VA1), l1b, PTE_V
    SET_PTE_L l1b, VPN1(VA1), l0b, PTE_V
    SET_PTE_L l0b, VPN0(VA1), shared, PTE_V|PTE_X|PTE_A
    SET_PTE_L l0b, VPN0(VA2), other, PTE_V|PTE_X|PTE_A
    SV39_ENABLE root
    ENTER_MODE PRV_S

    TEST_CASE 1                         /* hot at VA1 */
    CALL_HOT VA1, 3000
    CHECK_EQ s1, 0
    CHECK_EQ s2, 3000

    TEST_CASE 2                         /* the same physical code, hot at VA2 */
    CALL_HOT VA2, 3000
    CHECK_EQ s1, 0
    CHECK_EQ s2, 3000

    TEST_CASE 3                         /* back at VA1 once */
    CALL_HOT VA1, 1
    CHECK_EQ s1, 0

    TEST_CASE 4                         /* `shared` rewritten through its identity mapping */
    la t0, tmpl_add3
    lwu t1, 0(t0)
    la t0, shared_patch
    sw t1, 0(t0)
    fence.i
    CALL_HOT VA2, 2000
    CHECK_EQ s1, 0
    CHECK_EQ s2, 6000
    CALL_HOT VA1, 2000
    CHECK_EQ s1, 0
    CHECK_EQ s2, 6000

    TEST_CASE 5                         /* VA1 remapped to `other` (adds 100, no link values) */
    SET_PTE_L l0, VPN0(VA1), other, PTE_V|PTE_X|PTE_A
    sfence.vma
    li a1, VA1
    li s0, 2000
    li a2, 0
1:  jalr ra, 0(a1)
    addi s0, s0, -1
    bnez s0, 1b
    CHECK_EQ a2, 200000
    CHECK_EQ a0, 0x55

    TEST_CASE 6                         /* and back, hot again at VA1 */
    SET_PTE_L l0, VPN0(VA1), shared, PTE_V|PTE_X|PTE_A
    sfence.vma
    CALL_HOT VA1, 2000
    CHECK_EQ s1, 0
    CHECK_EQ s2, 6000

    TEST_CASE 7                         /* satp -> root2: VA2 is `other` there */
    SV39_ENABLE root2
    li a1, VA2
    li a2, 0
    li s0, 1000
1:  jalr ra, 0(a1)
    addi s0, s0, -1
    bnez s0, 1b
    CHECK_EQ a2, 100000
    CALL_HOT VA1, 1000                  /* VA1 is still `shared` */
    CHECK_EQ s1, 0
    CHECK_EQ s2, 3000

    TEST_CASE 8                         /* satp -> root: VA2 is `shared` again */
    SV39_ENABLE root
    CALL_HOT VA2, 1000
    CHECK_EQ s1, 0
    CHECK_EQ s2, 3000

    BACK_TO_M PRV_S
    TEST_END

    .text
    .balign 4096
shared:                                 /* a0 <- its own address, a3 <- its address + 8 */
    .option push
    .option norvc
    auipc a0, 0
    jal a3, 1f
1:
shared_patch:
    addi a2, a2, 1
    ret
    .option pop
    .balign 4096
other:
    addi a2, a2, 100
    li a0, 0x55
    ret
    .balign 4096

    .option push
    .option norvc
tmpl_add3: addi a2, a2, 3
    .option pop

    .bss
    .balign 4096
root:  .zero 4096
l1:    .zero 4096
l0:    .zero 4096
root2: .zero 4096
l1b:   .zero 4096
l0b:   .zero 4096
