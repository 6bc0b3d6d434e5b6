# Superinstructions and block chaining: a fault in either op of a fused pair leaves exactly the state of the ops before it (mepc at the faulting op, the first op's result kept); a jump whose remembered successor lies in another virtual page follows the page's new mapping after sfence.vma.
#include "test.h"

#define VA 0x40000000                   /* one 4K code page, remapped between runs */
#define HOLE 0x10                       /* no memory here: loads and stores fault */

    TEST_CASE 1                         /* ADD then LD (a pair): the LD faults */
    li a1, 5
    li a2, 7
    li a3, HOLE
    li a4, 0
    ARM_TRAP 2f
    .option push
    .option norvc
    add a4, a1, a2
1:  ld a5, 0(a3)
    .option pop
    j test_fail
2:  CHECK_TRAP CAUSE_LOAD_ACCESS
    CHECK_MEPC 1b
    CHECK_EQ a4, 12

    TEST_CASE 2                         /* LD then LD: the first faults, the second never runs */
    la a2, data
    li a5, 99
    ARM_TRAP 2f
    .option push
    .option norvc
1:  ld a4, 0(a3)
    ld a5, 0(a2)
    .option pop
    j test_fail
2:  CHECK_TRAP CAUSE_LOAD_ACCESS
    CHECK_MEPC 1b
    CHECK_EQ a5, 99

    TEST_CASE 3                         /* SD then SD: the second faults, the first is stored */
    la a2, data
    li a1, 0x1234
    ARM_TRAP 2f
    .option push
    .option norvc
    sd a1, 8(a2)
1:  sd a1, 0(a3)
    .option pop
    j test_fail
2:  CHECK_TRAP CAUSE_STORE_ACCESS
    CHECK_MEPC 1b
    CHECK_MEM_D data + 8, 0x1234

    TEST_CASE 4                         /* ADDI then ADDI, run often in a chained loop */
    li a0, 0
    li a1, 1000
1:  addi a0, a0, 3
    addi a0, a0, -1
    addi a1, a1, -1
    bnez a1, 1b
    CHECK_EQ a0, 2000

    /* VA -> code_one (li a0, 1; ret) */
    SV39_BASE_MAP root
    ZERO_PAGE l1
    ZERO_PAGE l0
    SET_PTE_L root, VPN2(VA), l1, PTE_V
    SET_PTE_L l1, VPN1(VA), l0, PTE_V
    SET_PTE_L l0, 0, code_one, PTE_V|PTE_X|PTE_A
    SV39_ENABLE root

    TEST_CASE 5                         /* the same jump to VA, many times: a chained successor */
    ENTER_MODE PRV_S
    li a1, VA
    li s0, 50
    li s1, 0
1:  call jump_to_a1
    add s1, s1, a0
    addi s0, s0, -1
    bnez s0, 1b
    CHECK_EQ s1, 50

    TEST_CASE 6                         /* VA -> code_two: the remembered successor is stale */
    SET_PTE_L l0, 0, code_two, PTE_V|PTE_X|PTE_A
    sfence.vma
    jalr ra, 0(a1)                      /* fills the fetch TLB with the new mapping */
    CHECK_EQ a0, 2
    li s0, 50
    li s1, 0
1:  call jump_to_a1
    add s1, s1, a0
    addi s0, s0, -1
    bnez s0, 1b
    CHECK_EQ s1, 100

    TEST_CASE 7                         /* and back, without touching VA first */
    SET_PTE_L l0, 0, code_one, PTE_V|PTE_X|PTE_A
    sfence.vma
    call jump_to_a1
    CHECK_EQ a0, 1
    BACK_TO_M PRV_S
    TEST_END

/* One jump site for every call, so its remembered successor is reused. */
jump_to_a1:
    jr a1

    .text
    .balign 4096
code_one:
    li a0, 1
    ret
    .balign 4096
code_two:
    li a0, 2
    ret
    .balign 4096

    .data
    .balign 8
data:
    .dword 0, 0

    .bss
    .balign 4096
root: .zero 4096
l1:   .zero 4096
l0:   .zero 4096
