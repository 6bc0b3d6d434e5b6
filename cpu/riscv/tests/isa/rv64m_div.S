# RV64M division: DIV/DIVU/REM/REMU and W forms, rounding toward zero, division by zero and signed overflow results.
#include "test.h"
    .option norvc

    TEST_RR  1, div, 20, 6, 3
    TEST_RR  2, div, -20, 6, -3
    TEST_RR  3, div, 20, -6, -3
    TEST_RR  4, div, -20, -6, 3
    TEST_RR  5, rem, 20, 6, 2
    TEST_RR  6, rem, -20, 6, -2
    TEST_RR  7, rem, 20, -6, 2
    TEST_RR  8, rem, -20, -6, -2
    TEST_RR  9, divu, 20, 6, 3
    TEST_RR 10, divu, -1, 2, 0x7fffffffffffffff
    TEST_RR 11, divu, -20, 6, 0x2aaaaaaaaaaaaaa7
    TEST_RR 12, remu, 20, 6, 2
    TEST_RR 13, remu, -20, 6, 2
    TEST_RR 14, remu, 5, -1, 5
    /* division by zero */
    TEST_RR 15, div, 42, 0, -1
    TEST_RR 16, div, -42, 0, -1
    TEST_RR 17, divu, 42, 0, 0xffffffffffffffff
    TEST_RR 18, rem, 42, 0, 42
    TEST_RR 19, rem, -42, 0, -42
    TEST_RR 20, remu, 42, 0, 42
    TEST_RR 21, remu, -1, 0, -1
    /* signed overflow */
    TEST_RR 22, div, 0x8000000000000000, -1, 0x8000000000000000
    TEST_RR 23, rem, 0x8000000000000000, -1, 0
    TEST_RR 24, div, 0x8000000000000000, 1, 0x8000000000000000
    TEST_RR 25, divu, 0x8000000000000000, -1, 0

    /* W forms */
    TEST_RR 26, divw, -20, 6, -3
    TEST_RR 27, divw, 0x100000014, 0x100000006, 3       /* upper bits ignored */
    TEST_RR 28, divw, 0xffffffff, 1, -1                 /* low 32 bits = -1 */
    TEST_RR 29, divuw, 0xffffffff, 2, 0x7fffffff
    TEST_RR 30, divuw, 0x80000000, 1, 0xffffffff80000000 /* result sign-extended */
    TEST_RR 31, remw, -20, 6, -2
    TEST_RR 32, remw, 0x100000014, 6, 2
    TEST_RR 33, remuw, 0xfffffffe, 0xffffffff, 0xfffffffffffffffe
    TEST_RR 34, remuw, 20, 6, 2
    TEST_RR 35, divw, 42, 0, -1
    TEST_RR 36, divuw, 42, 0, 0xffffffffffffffff
    TEST_RR 37, divw, 42, 0x100000000, -1               /* divisor's low 32 bits are 0 */
    TEST_RR 38, remw, 0x80000001, 0, 0xffffffff80000001
    TEST_RR 39, remuw, 0x0000000780000001, 0, 0xffffffff80000001
    TEST_RR 40, divw, 0x80000000, -1, 0xffffffff80000000
    TEST_RR 41, remw, 0x80000000, -1, 0
    TEST_RR 42, divw, 0x80000000, 0xffffffff, 0xffffffff80000000
    TEST_RR 43, remw, 0x7fffffff, 0x80000000, 0x7fffffff

    TEST_CASE 44                           /* quotient * divisor + remainder == dividend */
    li a1, -123456789012345
    li a2, 9876543
    div a3, a1, a2
    rem a4, a1, a2
    mul a5, a3, a2
    add a5, a5, a4
    CHECK_EQR a5, a1
    TEST_END
