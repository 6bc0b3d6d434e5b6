# AMO/SC faults are store/AMO faults: misaligned AMO and SC.W/SC.D -> address-misaligned (6), AMO to unmapped memory -> access fault (7); memory unchanged. [reference-excluded]
#include "test.h"

    TEST_CASE 1
    la a1, mem
    addi a1, a1, 2
    EXPECT_TRAP CAUSE_STORE_MISALIGNED, amoadd.w a0, a2, (a1)
    CHECK_MTVAL_REG a1
    TEST_CASE 2
    la a1, mem
    addi a1, a1, 4
    EXPECT_TRAP CAUSE_STORE_MISALIGNED, amoswap.d a0, a2, (a1)
    CHECK_MTVAL_REG a1
    TEST_CASE 3
    la a1, mem
    addi a1, a1, 1
    EXPECT_TRAP CAUSE_STORE_MISALIGNED, amoor.d a0, a2, (a1)
    CHECK_MTVAL_REG a1
    TEST_CASE 4
    la a1, mem
    addi a1, a1, 3
    EXPECT_TRAP CAUSE_STORE_MISALIGNED, amomaxu.w a0, a2, (a1)
    CHECK_MTVAL_REG a1
    TEST_CASE 5                       /* memory untouched */
    la a1, mem
    ld a0, 0(a1)
    CHECK_EQ a0, 0x0123456789abcdef
    ld a0, 8(a1)
    CHECK_EQ a0, 0x0123456789abcdef
    TEST_CASE 6                       /* sc.w misaligned (no reservation held) */
    la a1, mem
    addi a1, a1, 2
    EXPECT_TRAP CAUSE_STORE_MISALIGNED, sc.w a0, a2, (a1)
    CHECK_MTVAL_REG a1
    TEST_CASE 7
    la a1, mem
    addi a1, a1, 4
    EXPECT_TRAP CAUSE_STORE_MISALIGNED, sc.d a0, a2, (a1)
    CHECK_MTVAL_REG a1
    TEST_CASE 8                       /* AMO on an unmapped physical address */
    li a1, 0
    EXPECT_TRAP CAUSE_STORE_ACCESS, amoadd.w a0, a2, (a1)
    CHECK_MTVAL 0
    TEST_CASE 9
    li a1, 0x40
    EXPECT_TRAP CAUSE_STORE_ACCESS, amoswap.d a0, a2, (a1)
    CHECK_MTVAL 0x40
    TEST_END

    .data
    .align 4
mem: .dword 0x0123456789abcdef, 0x0123456789abcdef
