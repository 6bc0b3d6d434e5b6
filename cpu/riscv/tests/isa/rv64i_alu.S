# RV64I integer ALU: register and immediate forms, W forms, x0 as destination.
#include "test.h"
    .option norvc

    /* ADD / SUB */
    TEST_RR  1, add, 1, 2, 3
    TEST_RR  2, add, 0x7fffffffffffffff, 1, 0x8000000000000000
    TEST_RR  3, add, -1, -1, -2
    TEST_RR  4, add, 0xffffffffffffffff, 1, 0
    TEST_RR  5, sub, 5, 7, -2
    TEST_RR  6, sub, 0x8000000000000000, 1, 0x7fffffffffffffff
    TEST_RR  7, sub, 0, 0x8000000000000000, 0x8000000000000000
    /* logic */
    TEST_RR  8, and, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0x0f000f000f000f00
    TEST_RR  9, or,  0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xfff0fff0fff0fff0
    TEST_RR 10, xor, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xf0f0f0f0f0f0f0f0
    /* set-less-than */
    TEST_RR 11, slt, -1, 1, 1
    TEST_RR 12, slt, 1, -1, 0
    TEST_RR 13, slt, 7, 7, 0
    TEST_RR 14, slt, 0x8000000000000000, 0x7fffffffffffffff, 1
    TEST_RR 15, sltu, -1, 1, 0
    TEST_RR 16, sltu, 1, -1, 1
    TEST_RR 17, sltu, 7, 7, 0
    TEST_RR 18, sltu, 0, 1, 1
    /* W forms: 32-bit result, sign-extended; upper source bits ignored */
    TEST_RR 19, addw, 0x7fffffff, 1, 0xffffffff80000000
    TEST_RR 20, addw, 0xffffffff00000001, 0x00000000ffffffff, 0
    TEST_RR 21, addw, 0x1234567800000005, 0x8765432100000003, 8
    TEST_RR 22, subw, 0, 1, 0xffffffffffffffff
    TEST_RR 23, subw, 0x80000000, 1, 0x7fffffff
    TEST_RR 24, subw, 0xaaaaaaaa00000000, 0x5555555580000000, 0xffffffff80000000

    /* immediate forms */
    TEST_RI 25, addi, 0, -2048, -2048
    TEST_RI 26, addi, 0, 2047, 2047
    TEST_RI 27, addi, 0x7fffffffffffffff, 1, 0x8000000000000000
    TEST_RI 28, andi, 0x123456789abcdef7, -16, 0x123456789abcdef0
    TEST_RI 29, andi, -1, 0x7ff, 0x7ff
    TEST_RI 30, ori, 0, -1, -1
    TEST_RI 31, ori, 0x1200, 0x34, 0x1234
    TEST_RI 32, xori, 0x00ff00ff00ff00ff, -1, 0xff00ff00ff00ff00
    TEST_RI 33, xori, 0x5a, 0x0f, 0x55
    TEST_RI 34, slti, -5, -4, 1
    TEST_RI 35, slti, -4, -5, 0
    TEST_RI 36, slti, 0, 0, 0
    TEST_RI 37, sltiu, 5, -1, 1          /* imm sign-extends to 2^64-1 */
    TEST_RI 38, sltiu, 0, 1, 1           /* seqz */
    TEST_RI 39, sltiu, 1, 1, 0
    TEST_RI 40, sltiu, -1, 2047, 0
    TEST_RI 41, addiw, 0x7fffffff, 1, 0xffffffff80000000
    TEST_RI 42, addiw, 0x0000000080000000, 0, 0xffffffff80000000
    TEST_RI 43, addiw, 0x123456787fffffff, 0, 0x7fffffff
    TEST_RI 44, addiw, 0, -1, -1
    TEST_RI 45, addiw, 0xffffffff80000000, -1, 0x7fffffff

    /* x0 as destination is discarded */
    TEST_CASE 46
    li a1, 5
    li a2, 6
    add x0, a1, a2
    addi x0, a1, 1
    CHECK_EQ x0, 0
    /* x0 as source reads zero */
    TEST_CASE 47
    li a0, 99
    add a0, x0, x0
    CHECK_EQ a0, 0
    /* source == destination */
    TEST_CASE 48
    li a1, 21
    add a1, a1, a1
    CHECK_EQ a1, 42
    TEST_CASE 49
    li a1, 0x1234
    sub a1, a1, a1
    CHECK_EQ a1, 0
    /* chained dependency */
    TEST_CASE 50
    li a0, 1
    addi a0, a0, 2
    slli a0, a0, 4
    xori a0, a0, 0x30
    CHECK_EQ a0, 0
    /* nop variants do not change state */
    TEST_CASE 51
    li a0, 77
    nop
    addi x0, x0, 0
    CHECK_EQ a0, 77

    TEST_END
