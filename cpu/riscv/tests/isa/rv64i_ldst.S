# RV64I loads and stores of every width: sign/zero extension, offsets (incl. +-2047/-2048), partial stores, x0 destination.
#include "test.h"
    .option norvc

.macro LD_TEST n, op, sym, off, exp
    TEST_CASE \n
    la a1, \sym
    \op a0, \off(a1)
    CHECK_EQ a0, \exp
.endm

    LD_TEST  1, lb,  d0, 0, 0xffffffffffffff87
    LD_TEST  2, lbu, d0, 0, 0x87
    LD_TEST  3, lb,  d0, 1, 0xffffffffffffff96
    LD_TEST  4, lb,  d1, 7, 0x01
    LD_TEST  5, lbu, d0, 7, 0xf0
    LD_TEST  6, lh,  d0, 0, 0xffffffffffff9687
    LD_TEST  7, lhu, d0, 0, 0x9687
    LD_TEST  8, lh,  d1, 6, 0x0123
    LD_TEST  9, lhu, d0, 6, 0xf0e1
    LD_TEST 10, lw,  d0, 0, 0xffffffffb4a59687
    LD_TEST 11, lwu, d0, 0, 0xb4a59687
    LD_TEST 12, lw,  d0, 4, 0xfffffffff0e1d2c3
    LD_TEST 13, lw,  d1, 4, 0x01234567
    LD_TEST 14, lwu, d1, 0, 0x89abcdef
    LD_TEST 15, ld,  d0, 0, 0xf0e1d2c3b4a59687
    LD_TEST 16, ld,  d1, 0, 0x0123456789abcdef
    LD_TEST 17, ld,  d1, -8, 0xf0e1d2c3b4a59687   /* negative offset */
    LD_TEST 18, lbu, d1, -1, 0xf0

    TEST_CASE 19                   /* offsets at the 12-bit limits */
    la a1, big
    addi a1, a1, 2047
    addi a1, a1, 1                 /* a1 = big + 2048 */
    ld a0, -2048(a1)
    CHECK_EQ a0, 0x1111111111111111
    ld a0, 2040(a1)
    CHECK_EQ a0, 0x2222222222222222
    lbu a0, 2047(a1)
    CHECK_EQ a0, 0x22

    /* stores */
    TEST_CASE 20
    la a1, buf
    li a2, -1
    sd a2, 0(a1)
    li a3, 0x12
    sb a3, 3(a1)
    ld a0, 0(a1)
    CHECK_EQ a0, 0xffffffff12ffffff
    TEST_CASE 21
    li a3, 0x5678abcd
    sh a3, 6(a1)                   /* only the low 16 bits are stored */
    ld a0, 0(a1)
    CHECK_EQ a0, 0xabcdffff12ffffff
    TEST_CASE 22
    li a3, 0x0123456700000000
    sw a3, 0(a1)                   /* stores low 32 bits: zero */
    ld a0, 0(a1)
    CHECK_EQ a0, 0xabcdffff00000000
    TEST_CASE 23
    li a3, 0x8877665544332211
    sd a3, 8(a1)
    ld a0, 8(a1)
    CHECK_EQ a0, 0x8877665544332211
    lw a0, 12(a1)
    CHECK_EQ a0, 0xffffffff88776655
    lhu a0, 10(a1)
    CHECK_EQ a0, 0x4433
    lb a0, 15(a1)
    CHECK_EQ a0, 0xffffffffffffff88
    TEST_CASE 24                   /* neighbours untouched */
    ld a0, 0(a1)
    CHECK_EQ a0, 0xabcdffff00000000
    ld a0, 16(a1)
    CHECK_EQ a0, 0x5a5a5a5a5a5a5a5a
    ld a0, -8(a1)
    CHECK_EQ a0, 0xa5a5a5a5a5a5a5a5
    TEST_CASE 25                   /* store with negative offset */
    li a3, 0x77
    sb a3, -1(a1)
    ld a0, -8(a1)
    CHECK_EQ a0, 0x77a5a5a5a5a5a5a5
    TEST_CASE 26                   /* load into x0 has no effect */
    lw x0, 0(a1)
    ld x0, 8(a1)
    CHECK_EQ x0, 0
    TEST_CASE 27                   /* store x0 */
    sd x0, 8(a1)
    ld a0, 8(a1)
    CHECK_EQ a0, 0
    TEST_CASE 28                   /* base == destination */
    la a0, d1
    ld a0, 0(a0)
    CHECK_EQ a0, 0x0123456789abcdef
    TEST_CASE 29                   /* store then immediately load back */
    li a3, 0xdeadbeefcafef00d
    sd a3, 24(a1)
    ld a4, 24(a1)
    CHECK_EQR a3, a4
    lwu a4, 24(a1)
    CHECK_EQ a4, 0xcafef00d

    TEST_END

    .data
    .align 3
d0: .dword 0xf0e1d2c3b4a59687
d1: .dword 0x0123456789abcdef
    .dword 0xa5a5a5a5a5a5a5a5
buf:
    .dword 0, 0
    .dword 0x5a5a5a5a5a5a5a5a
    .dword 0
    .align 3
big:
    .dword 0x1111111111111111
    .fill 4086/2, 2, 0x2222    /* big+8 .. big+4094 */
    .dword 0x2222222222222222
