# RV64I shifts: SLL/SRL/SRA, immediate and W forms, shamt edge cases (0, 31/32, 63, 64+ masking).
#include "test.h"
    .option norvc

    TEST_RR  1, sll, 1, 63, 0x8000000000000000
    TEST_RR  2, sll, 0x0123456789abcdef, 4, 0x123456789abcdef0
    TEST_RR  3, sll, 0x0123456789abcdef, 64, 0x0123456789abcdef   /* only low 6 bits used */
    TEST_RR  4, sll, 1, 65, 2
    TEST_RR  5, sll, 0xff, 0, 0xff
    TEST_RR  6, srl, 0x8000000000000000, 63, 1
    TEST_RR  7, srl, -1, 1, 0x7fffffffffffffff
    TEST_RR  8, srl, 0x8000000000000000, 0xffffffffffffffc4, 0x0800000000000000  /* 0x..c4 & 63 = 4 */
    TEST_RR  9, sra, 0x8000000000000000, 63, -1
    TEST_RR 10, sra, 0x8000000000000000, 68, 0xf800000000000000
    TEST_RR 11, sra, 0x7fffffffffffffff, 62, 1
    TEST_RR 12, sra, -16, 2, -4

    TEST_RI 13, slli, 1, 63, 0x8000000000000000
    TEST_RI 14, slli, 0xabc, 0, 0xabc
    TEST_RI 15, slli, 0xffffffff, 32, 0xffffffff00000000
    TEST_RI 16, srli, 0x8000000000000000, 63, 1
    TEST_RI 17, srli, -1, 32, 0xffffffff
    TEST_RI 18, srli, 0x1234, 0, 0x1234
    TEST_RI 19, srai, 0x8000000000000000, 63, -1
    TEST_RI 20, srai, 0x8000000000000000, 32, 0xffffffff80000000
    TEST_RI 21, srai, 0x4000000000000000, 62, 1

    /* W forms: operate on low 32 bits, shamt from low 5 bits, sign-extend */
    TEST_RR 22, sllw, 1, 31, 0xffffffff80000000
    TEST_RR 23, sllw, 0x100000001, 32, 1                 /* shamt 32 & 31 = 0 */
    TEST_RR 24, sllw, 0x12345678, 4, 0x23456780
    TEST_RR 25, sllw, 0x12345678, 8, 0x34567800
    TEST_RR 26, srlw, 0xffffffff80000000, 31, 1
    TEST_RR 27, srlw, 0x80000000, 0, 0xffffffff80000000  /* shamt 0 still sign-extends */
    TEST_RR 28, srlw, 0x80000000, 1, 0x40000000
    TEST_RR 29, srlw, 0xffffffff00000000, 4, 0
    TEST_RR 30, srlw, 0x80000000, 33, 0x40000000
    TEST_RR 31, sraw, 0x80000000, 31, -1
    TEST_RR 32, sraw, 0x7fffffff80000000, 4, 0xfffffffff8000000
    TEST_RR 33, sraw, 0x80000000, 33, 0xffffffffc0000000
    TEST_RR 34, sraw, 0x7fffffff, 31, 0

    TEST_RI 35, slliw, 1, 31, 0xffffffff80000000
    TEST_RI 36, slliw, 0xffffffff00000001, 0, 1
    TEST_RI 37, slliw, 0x0000000180000001, 1, 2
    TEST_RI 38, srliw, 0x80000000, 31, 1
    TEST_RI 39, srliw, 0x80000000, 0, 0xffffffff80000000
    TEST_RI 40, srliw, 0xffffffffffffffff, 4, 0x0fffffff
    TEST_RI 41, sraiw, 0x80000000, 31, -1
    TEST_RI 42, sraiw, 0x80000000, 0, 0xffffffff80000000
    TEST_RI 43, sraiw, 0x00000000f0000000, 4, 0xffffffffff000000
    TEST_RI 44, sraiw, 0xffffffff70000000, 4, 0x07000000

    TEST_END
