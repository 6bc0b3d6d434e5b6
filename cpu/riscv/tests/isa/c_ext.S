# RV64C: every compressed instruction class (CI/CSS/CIW/CL/CS/CA/CB/CJ/CR incl. C.ADDI16SP, C.ADDIW, *SP loads/stores, FP forms), C.EBREAK, 0x0000 illegal, 32-bit insn across a page.
#include "test.h"
    .option rvc

    TEST_CASE 1                      /* c.li */
    c.li a0, -32
    CHECK_EQ a0, -32
    c.li a0, 31
    CHECK_EQ a0, 31
    TEST_CASE 2                      /* c.lui, sign-extended */
    c.lui a0, 0x1f
    CHECK_EQ a0, 0x1f000
    c.lui a0, 0xfffe0
    CHECK_EQ a0, 0xfffffffffffe0000
    c.lui a0, 1
    CHECK_EQ a0, 0x1000
    TEST_CASE 3                      /* c.addi */
    li a0, 10
    c.addi a0, -11
    CHECK_EQ a0, -1
    c.addi a0, 31
    CHECK_EQ a0, 30
    c.nop
    CHECK_EQ a0, 30
    TEST_CASE 4                      /* c.addiw: 32-bit add, sign-extend */
    li a0, 0x7fffffff
    c.addiw a0, 1
    CHECK_EQ a0, 0xffffffff80000000
    li a0, 0x0000000180000000
    c.addiw a0, 0                    /* sext.w */
    CHECK_EQ a0, 0xffffffff80000000
    li a0, 0x1234567800000000
    c.addiw a0, -1
    CHECK_EQ a0, -1
    TEST_CASE 5                      /* c.addi16sp */
    mv s1, sp
    la sp, cbuf + 512
    c.addi16sp sp, -512
    CHECK_ADDR sp, cbuf
    c.addi16sp sp, 496
    CHECK_ADDR sp, cbuf + 496
    c.addi16sp sp, -16
    CHECK_ADDR sp, cbuf + 480
    TEST_CASE 6                      /* c.addi4spn */
    la sp, cbuf
    c.addi4spn a0, sp, 8
    CHECK_ADDR a0, cbuf + 8
    c.addi4spn a5, sp, 1020
    CHECK_ADDR a5, cbuf + 1020
    TEST_CASE 7                      /* c.swsp/c.lwsp (sign-extending) */
    li a0, 0x80000001
    c.swsp a0, 0(sp)
    c.swsp a0, 252(sp)
    c.lwsp a2, 252(sp)
    CHECK_EQ a2, 0xffffffff80000001
    c.lwsp a3, 0(sp)
    CHECK_EQ a3, 0xffffffff80000001
    TEST_CASE 8                      /* c.sdsp/c.ldsp */
    li a0, 0x0123456789abcdef
    c.sdsp a0, 504(sp)
    c.sdsp a0, 8(sp)
    c.ldsp a2, 504(sp)
    CHECK_EQ a2, 0x0123456789abcdef
    ld a3, 8(sp)
    CHECK_EQ a3, 0x0123456789abcdef
    TEST_CASE 9                      /* c.fsdsp/c.fldsp */
    li a0, 0x400921fb54442d18
    fmv.d.x f9, a0
    c.fsdsp f9, 496(sp)
    c.fldsp f10, 496(sp)
    fmv.x.d a1, f10
    CHECK_EQR a1, a0
    mv sp, s1

    TEST_CASE 10                     /* c.sw/c.lw with register base */
    la s0, cbuf
    li a0, 0xfedcba98
    c.sw a0, 124(s0)
    c.lw a1, 124(s0)
    CHECK_EQ a1, 0xfffffffffedcba98
    c.sw a0, 4(s0)
    lwu a1, 4(s0)
    CHECK_EQ a1, 0xfedcba98
    TEST_CASE 11                     /* c.sd/c.ld */
    li a0, 0x1122334455667788
    c.sd a0, 248(s0)
    c.ld a2, 248(s0)
    CHECK_EQ a2, 0x1122334455667788
    c.sd a0, 16(s0)
    c.ld a3, 16(s0)
    CHECK_EQR a3, a0
    TEST_CASE 12                     /* c.fsd/c.fld */
    li a0, 0xbff8000000000000
    fmv.d.x f8, a0
    c.fsd f8, 240(s0)
    c.fld f15, 240(s0)
    fmv.x.d a4, f15
    CHECK_EQR a4, a0

    TEST_CASE 13                     /* c.slli/c.srli/c.srai */
    li a0, 1
    c.slli a0, 63
    CHECK_EQ a0, 0x8000000000000000
    c.srai a0, 3
    CHECK_EQ a0, 0xf000000000000000
    c.srli a0, 60
    CHECK_EQ a0, 0xf
    li a0, 0xffffffff
    c.slli a0, 32
    CHECK_EQ a0, 0xffffffff00000000
    c.srli a0, 33
    CHECK_EQ a0, 0x7fffffff
    TEST_CASE 14                     /* c.andi */
    li a0, 0x12345
    c.andi a0, 0x1f
    CHECK_EQ a0, 0x5
    li a0, -1
    c.andi a0, -32
    CHECK_EQ a0, 0xffffffffffffffe0
    TEST_CASE 15                     /* c.mv / c.add */
    li a1, 0x55
    c.mv a0, a1
    CHECK_EQ a0, 0x55
    c.add a0, a1
    CHECK_EQ a0, 0xaa
    li t0, 0x100000000
    c.add t0, a0
    CHECK_EQ t0, 0x1000000aa
    TEST_CASE 16                     /* CA format */
    li a0, 10
    li a1, 3
    c.sub a0, a1
    CHECK_EQ a0, 7
    li a0, 0xf0f0
    li a1, 0xff00
    c.xor a0, a1
    CHECK_EQ a0, 0x0ff0
    c.or a0, a1
    CHECK_EQ a0, 0xfff0
    li a1, 0x0ff0
    c.and a0, a1
    CHECK_EQ a0, 0x0ff0
    TEST_CASE 17                     /* c.addw / c.subw sign-extend */
    li a0, 0x7fffffff
    li a1, 1
    c.addw a0, a1
    CHECK_EQ a0, 0xffffffff80000000
    li a0, 0x100000000
    li a1, 1
    c.subw a0, a1
    CHECK_EQ a0, -1

    TEST_CASE 18                     /* c.beqz / c.bnez */
    li a0, 0
    c.beqz a0, 1f
    j test_fail
1:  c.bnez a0, test_fail_near
    li a0, 5
    c.bnez a0, 2f
    j test_fail
2:  c.beqz a0, test_fail_near
    TEST_CASE 19                     /* backward c.bnez loop */
    li a0, 4
    li a1, 0
1:  c.addi a1, 2
    c.addi a0, -1
    c.bnez a0, 1b
    CHECK_EQ a1, 8
    TEST_CASE 20                     /* c.j */
    c.j 1f
    j test_fail
1:
    TEST_CASE 21                     /* c.jr */
    la a0, 1f
    c.jr a0
    j test_fail
1:
    TEST_CASE 22                     /* c.jalr links pc+2 */
    la a0, 3f
    c.jalr a0
2:  j 4f
3:  CHECK_ADDR ra, 2b
    ret
4:
    TEST_CASE 23                     /* c.ebreak: breakpoint, mepc = its address */
    EXPECT_TRAP CAUSE_BREAKPOINT, c.ebreak
    TEST_CASE 24                     /* ebreak (32-bit) for comparison */
    .option push
    .option norvc
    EXPECT_TRAP CAUSE_BREAKPOINT, ebreak
    .option pop
    TEST_CASE 25                     /* 0x0000 is illegal, mtval = 0 */
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, .hword 0x0000
    CHECK_MTVAL 0
    TEST_CASE 26                     /* illegal compressed insn: mtval = its 16 bits */
    li t0, MSTATUS_FS
    csrc mstatus, t0                 /* FP off -> c.fsdsp is illegal */
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, .hword 0xa022   /* c.fsdsp f8, 0(sp) */
    CHECK_MTVAL 0xa022
    li t0, MSTATUS_FS_INITIAL
    csrs mstatus, t0
    TEST_CASE 27                     /* 32-bit instruction at 2 mod 4 and across a page */
    li a0, 0
    la a1, cross_target
    jr a1
cross_back:
    CHECK_EQ a0, 7
    TEST_CASE 28                     /* c.mv/c.add leave other registers alone */
    li a0, 1
    li a1, 2
    li a2, 3
    c.mv a2, a0
    CHECK_EQ a1, 2
    CHECK_EQ a2, 1
    TEST_END

test_fail_near:
    j test_fail

    .balign 4096
    .fill 2046, 2, 0x0001            /* c.nop */
cross_target:                        /* page offset 4092 */
    c.nop
    .option push
    .option norvc
    addi a0, a0, 7                   /* bytes 4094..4097: spans the page boundary */
    .option pop
    j cross_back

    .data
    .align 4
cbuf: .zero 1040
