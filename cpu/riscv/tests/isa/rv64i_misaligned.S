# Misaligned loads/stores (all widths, incl. across a page boundary and FP loads/stores): must complete with the correct value, no trap.
#include "test.h"
    .option norvc

    /* bytes at `pat` are 0x00,0x11,0x22,...,0xff (then repeated) */
    TEST_CASE 1
    la a1, pat
    lh a0, 1(a1)
    CHECK_EQ a0, 0x2211
    TEST_CASE 2
    lhu a0, 15(a1)
    CHECK_EQ a0, 0x00ff             /* wraps into the next 16-byte block */
    TEST_CASE 3
    lh a0, 14(a1)
    CHECK_EQ a0, 0xffffffffffffffee
    TEST_CASE 4
    lw a0, 1(a1)
    CHECK_EQ a0, 0x44332211
    TEST_CASE 5
    lw a0, 2(a1)
    CHECK_EQ a0, 0x55443322
    TEST_CASE 6
    lw a0, 3(a1)
    CHECK_EQ a0, 0x66554433
    TEST_CASE 7
    lw a0, 13(a1)
    CHECK_EQ a0, 0x00ffeedd
    TEST_CASE 8
    lw a0, 9(a1)
    CHECK_EQ a0, 0xffffffffccbbaa99
    TEST_CASE 9
    lwu a0, 9(a1)
    CHECK_EQ a0, 0xccbbaa99
    TEST_CASE 10
    ld a0, 1(a1)
    CHECK_EQ a0, 0x8877665544332211
    TEST_CASE 11
    ld a0, 3(a1)
    CHECK_EQ a0, 0xaa99887766554433
    TEST_CASE 12
    ld a0, 7(a1)
    CHECK_EQ a0, 0xeeddccbbaa998877
    TEST_CASE 13
    ld a0, 12(a1)
    CHECK_EQ a0, 0x33221100ffeeddcc

    /* misaligned stores */
    TEST_CASE 14
    la a1, sbuf
    sd zero, 0(a1)
    sd zero, 8(a1)
    li a2, 0xbbaa
    sh a2, 1(a1)
    ld a0, 0(a1)
    CHECK_EQ a0, 0x0000000000bbaa00
    TEST_CASE 15
    li a2, 0x44332211
    sw a2, 6(a1)
    ld a0, 0(a1)
    CHECK_EQ a0, 0x2211000000bbaa00
    ld a0, 8(a1)
    CHECK_EQ a0, 0x4433
    TEST_CASE 16
    li a2, 0x0807060504030201
    sd a2, 5(a1)
    ld a0, 0(a1)
    CHECK_EQ a0, 0x0302010000bbaa00
    ld a0, 8(a1)
    CHECK_EQ a0, 0x0000000807060504

    /* across a 4 KiB page boundary */
    TEST_CASE 17
    la a1, pgbuf
    li a2, 0x1000
    add a1, a1, a2                 /* a1 = page boundary inside pgbuf */
    li a2, 0x1122334455667788
    sd a2, -3(a1)
    ld a0, -3(a1)
    CHECK_EQR a0, a2
    ld a0, -8(a1)
    CHECK_EQ a0, 0x6677880000000000
    ld a0, 0(a1)
    CHECK_EQ a0, 0x0000001122334455
    TEST_CASE 18
    li a2, 0xa1b2c3d4
    sw a2, -2(a1)
    lw a0, -2(a1)
    CHECK_EQ a0, 0xffffffffa1b2c3d4
    lhu a0, -2(a1)
    CHECK_EQ a0, 0xc3d4
    lhu a0, 0(a1)
    CHECK_EQ a0, 0xa1b2

    /* FP loads/stores */
    TEST_CASE 19
    la a1, pat
    fld f1, 5(a1)
    fmv.x.d a0, f1
    CHECK_EQ a0, 0xccbbaa9988776655
    TEST_CASE 20
    flw f1, 3(a1)
    fmv.x.d a0, f1
    CHECK_EQ a0, 0xffffffff66554433
    TEST_CASE 21
    la a1, sbuf
    sd zero, 0(a1)
    sd zero, 8(a1)
    li a2, 0x0123456789abcdef
    fmv.d.x f2, a2
    fsd f2, 3(a1)
    ld a0, 3(a1)
    CHECK_EQR a0, a2
    TEST_CASE 22
    fsw f2, 9(a1)
    lwu a0, 9(a1)
    CHECK_EQ a0, 0x89abcdef

    TEST_END

    .data
    .align 4
pat:
    .byte 0x00,0x11,0x22,0x33,0x44,0x55,0x66,0x77,0x88,0x99,0xaa,0xbb,0xcc,0xdd,0xee,0xff
    .byte 0x00,0x11,0x22,0x33,0x44,0x55,0x66,0x77,0x88,0x99,0xaa,0xbb,0xcc,0xdd,0xee,0xff
    .align 4
sbuf:
    .zero 32
    .bss
    .align 12
pgbuf:
    .zero 0x2000
