# RV64M multiplication: MUL, MULH, MULHSU, MULHU, MULW with signed/unsigned extremes.
#include "test.h"
    .option norvc

    TEST_RR  1, mul, 3, 7, 21
    TEST_RR  2, mul, -3, 7, -21
    TEST_RR  3, mul, -3, -7, 21
    TEST_RR  4, mul, 0x7fffffffffffffff, 2, 0xfffffffffffffffe
    TEST_RR  5, mul, 0x0000000100000001, 0x0000000100000001, 0x0000000200000001
    TEST_RR  6, mul, 0x8000000000000000, -1, 0x8000000000000000
    TEST_RR  7, mul, 0x123456789abcdef0, 0, 0

    TEST_RR  8, mulh, -1, -1, 0
    TEST_RR  9, mulh, -1, 1, -1
    TEST_RR 10, mulh, 0x8000000000000000, 0x8000000000000000, 0x4000000000000000
    TEST_RR 11, mulh, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x3fffffffffffffff
    TEST_RR 12, mulh, 0x8000000000000000, 0x7fffffffffffffff, 0xc000000000000000
    TEST_RR 13, mulh, 2, 3, 0

    TEST_RR 14, mulhu, -1, -1, 0xfffffffffffffffe
    TEST_RR 15, mulhu, 0x8000000000000000, 2, 1
    TEST_RR 16, mulhu, -1, 1, 0
    TEST_RR 17, mulhu, 0x0000000100000000, 0x0000000100000000, 1

    TEST_RR 18, mulhsu, -1, -1, -1          /* -1 * (2^64-1) = -2^64 + 1 */
    TEST_RR 19, mulhsu, -1, 1, -1
    TEST_RR 20, mulhsu, 2, -1, 1            /* 2 * (2^64-1) */
    TEST_RR 21, mulhsu, 0x8000000000000000, 0x8000000000000000, 0xc000000000000000
    TEST_RR 22, mulhsu, 0x7fffffffffffffff, 0xffffffffffffffff, 0x7ffffffffffffffe

    TEST_RR 23, mulw, 0x7fffffff, 2, 0xfffffffffffffffe
    TEST_RR 24, mulw, 0x100000003, 0x100000005, 15
    TEST_RR 25, mulw, -1, -1, 1
    TEST_RR 26, mulw, 0x10000, 0x10000, 0
    TEST_RR 27, mulw, 0x8000, 0x10000, 0xffffffff80000000

    TEST_CASE 28                            /* rd == rs1 == rs2 */
    li a0, 12
    mul a0, a0, a0
    CHECK_EQ a0, 144
    TEST_CASE 29                            /* mulh/mul pair gives the full product */
    li a1, 0x123456789
    li a2, 0x987654321
    mulhu a3, a1, a2
    mul a4, a1, a2
    CHECK_EQ a3, 0xa
    CHECK_EQ a4, 0xd77d742cce1833a9
    TEST_END
