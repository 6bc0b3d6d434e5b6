# RV64A AMOs: every AMO*.W and AMO*.D, old value returned, memory result, .W sign extension, neighbours untouched, rd = x0.
#include "test.h"

/* mem <- init; a0 <- amo(mem, src); check a0 == old and mem == new */
.macro AMO_D n, op, init, src, old, new
    TEST_CASE \n
    la a1, mem
    li a2, \init
    sd a2, 0(a1)
    li a3, \src
    \op a0, a3, (a1)
    CHECK_EQ a0, \old
    ld a4, 0(a1)
    CHECK_EQ a4, \new
.endm

/* 32-bit: the neighbouring word (mem+4) must be unchanged */
.macro AMO_W n, op, init, src, old, new
    TEST_CASE \n
    la a1, mem
    li a2, 0x5a5a5a5a00000000 | ((\init) & 0xffffffff)
    sd a2, 0(a1)
    li a3, \src
    \op a0, a3, (a1)
    CHECK_EQ a0, \old
    lwu a4, 0(a1)
    CHECK_EQ a4, \new
    lwu a4, 4(a1)
    CHECK_EQ a4, 0x5a5a5a5a
.endm

    AMO_D  1, amoswap.d, 0x1111111111111111, 0x2222222222222222, 0x1111111111111111, 0x2222222222222222
    AMO_D  2, amoadd.d,  0x7fffffffffffffff, 1, 0x7fffffffffffffff, 0x8000000000000000
    AMO_D  3, amoxor.d,  0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xff00ff00ff00ff00, 0xf0f0f0f0f0f0f0f0
    AMO_D  4, amoand.d,  0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xff00ff00ff00ff00, 0x0f000f000f000f00
    AMO_D  5, amoor.d,   0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xff00ff00ff00ff00, 0xfff0fff0fff0fff0
    AMO_D  6, amomin.d,  -5, 3, -5, -5
    AMO_D  7, amomin.d,  5, -3, 5, -3
    AMO_D  8, amomax.d,  -5, 3, -5, 3
    AMO_D  9, amomax.d,  0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff
    AMO_D 10, amominu.d, -5, 3, -5, 3
    AMO_D 11, amominu.d, 1, -1, 1, 1
    AMO_D 12, amomaxu.d, -5, 3, -5, -5
    AMO_D 13, amomaxu.d, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000

    AMO_W 14, amoswap.w, 0x80000000, 0x12345678, 0xffffffff80000000, 0x12345678
    AMO_W 15, amoswap.w, 0x12345678, 0xffffffff87654321, 0x12345678, 0x87654321
    AMO_W 16, amoadd.w,  0x7fffffff, 1, 0x7fffffff, 0x80000000
    AMO_W 17, amoadd.w,  0xffffffff, 1, -1, 0                 /* no carry into mem+4 */
    AMO_W 18, amoxor.w,  0xf0f0f0f0, 0xffffffff, 0xfffffffff0f0f0f0, 0x0f0f0f0f
    AMO_W 19, amoand.w,  0xf0f0f0f0, 0x0ff00ff0, 0xfffffffff0f0f0f0, 0x00f000f0
    AMO_W 20, amoor.w,   0x80000000, 1, 0xffffffff80000000, 0x80000001
    AMO_W 21, amomin.w,  0x80000000, 1, 0xffffffff80000000, 0x80000000
    AMO_W 22, amomin.w,  1, 0x80000000, 1, 0x80000000     /* src 0x0000000080000000 is negative as a word */
    AMO_W 23, amomax.w,  0x80000000, 1, 0xffffffff80000000, 1
    AMO_W 24, amomax.w,  0xffffffff, 0x100000000, -1, 0   /* src word = 0 > -1 */
    AMO_W 25, amominu.w, 0x80000000, 1, 0xffffffff80000000, 1
    AMO_W 26, amominu.w, 5, 0xffffffff, 5, 5
    AMO_W 27, amomaxu.w, 0x80000000, 1, 0xffffffff80000000, 0x80000000
    AMO_W 28, amomaxu.w, 5, 0x1ffffffff, 5, 0xffffffff

    TEST_CASE 29                      /* rd = x0 still performs the operation */
    la a1, mem
    li a2, 40
    sd a2, 0(a1)
    li a3, 2
    amoadd.d x0, a3, (a1)
    ld a0, 0(a1)
    CHECK_EQ a0, 42
    TEST_CASE 30                      /* rd == rs2 */
    li a3, 8
    amoadd.d a3, a3, (a1)
    CHECK_EQ a3, 42
    ld a0, 0(a1)
    CHECK_EQ a0, 50
    TEST_CASE 31                      /* aq/rl variants */
    li a3, 1
    amoadd.d.aq a0, a3, (a1)
    amoadd.d.rl a0, a3, (a1)
    amoadd.w.aqrl a0, a3, (a1)
    CHECK_EQ a0, 52
    ld a0, 0(a1)
    CHECK_EQ a0, 53
    TEST_CASE 32                      /* amoswap on the upper word of a dword */
    li a2, 0x1122334455667788
    sd a2, 0(a1)
    li a3, 0xdeadbeef
    addi a5, a1, 4
    amoswap.w a0, a3, (a5)
    CHECK_EQ a0, 0x11223344
    ld a0, 0(a1)
    CHECK_EQ a0, 0xdeadbeef55667788
    TEST_END

    .data
    .align 3
mem: .dword 0, 0
