# RV64I/RV64C odds and ends: FENCE variants, FENCE.TSO, PAUSE and other HINT encodings (writes to x0) execute as no-ops.
#include "test.h"

.macro SET_MARKERS
    li a0, 0x1111
    li a1, 0x2222
    li a2, 0x3333
.endm
.macro CHECK_MARKERS
    CHECK_EQ a0, 0x1111
    CHECK_EQ a1, 0x2222
    CHECK_EQ a2, 0x3333
    CHECK_EQ x0, 0
.endm

    TEST_CASE 1                      /* fences */
    SET_MARKERS
    la a3, buf
    sd a0, 0(a3)
    fence
    fence rw, rw
    fence r, r
    fence w, w
    fence iorw, iorw
    .word 0x8330000f                 /* fence.tso */
    .word 0x0100000f                 /* pause (fence w, 0) */
    ld a4, 0(a3)
    CHECK_EQ a4, 0x1111
    CHECK_MARKERS
    TEST_CASE 2                      /* 32-bit HINTs: integer ops writing x0 */
    SET_MARKERS
    .option push
    .option norvc
    addi x0, a1, 5
    lui x0, 0x12345
    auipc x0, 0x1
    slli x0, a1, 3
    sltu x0, a1, a2
    add x0, a1, a2
    .option pop
    CHECK_MARKERS
    TEST_CASE 3                      /* compressed HINTs */
    SET_MARKERS
    .hword 0x0005                    /* c.nop 1 (c.addi x0, 1) */
    .hword 0x4005                    /* c.li x0, 1 */
    .hword 0x6005                    /* c.lui x0, 1 */
    .hword 0x802a                    /* c.mv x0, a0 */
    .hword 0x902a                    /* c.add x0, a0 */
    .hword 0x0006                    /* c.slli x0, 1 */
    c.nop
    CHECK_MARKERS
    TEST_CASE 4                      /* fence with pred/succ = 0 is a HINT */
    .word 0x0000000f
    CHECK_MARKERS
    TEST_END

    .data
    .align 3
buf: .dword 0
