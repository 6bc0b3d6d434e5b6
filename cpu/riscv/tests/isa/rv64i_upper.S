# RV64I LUI and AUIPC: sign extension of the 32-bit result, PC-relative values.
#include "test.h"
    .option norvc

    TEST_CASE 1
    lui a0, 0x12345
    CHECK_EQ a0, 0x12345000
    TEST_CASE 2
    lui a0, 0x80000
    CHECK_EQ a0, 0xffffffff80000000
    TEST_CASE 3
    lui a0, 0xfffff
    CHECK_EQ a0, 0xfffffffffffff000
    TEST_CASE 4
    lui a0, 0x7ffff
    CHECK_EQ a0, 0x7ffff000
    TEST_CASE 5
    lui a0, 0
    CHECK_EQ a0, 0
    TEST_CASE 6
    lui a0, 0x12345
    addi a0, a0, 0x678
    CHECK_EQ a0, 0x12345678
    TEST_CASE 7
    lui a0, 0x12345
    addi a0, a0, -1
    CHECK_EQ a0, 0x12344fff
    TEST_CASE 8
    lui x0, 0x12345
    CHECK_EQ x0, 0

    TEST_CASE 9
1:  auipc a0, 0
    CHECK_ADDR a0, 1b
    TEST_CASE 10
1:  auipc a0, 1
    la a1, 1b
    li a2, 0x1000
    add a1, a1, a2
    CHECK_EQR a0, a1
    TEST_CASE 11
1:  auipc a0, 0xfffff            /* -4096 */
    la a1, 1b
    li a2, -4096
    add a1, a1, a2
    CHECK_EQR a0, a1
    TEST_CASE 12
1:  auipc a0, 0x80000            /* -2^31, sign-extended */
    la a1, 1b
    li a2, 0xffffffff80000000
    add a1, a1, a2
    CHECK_EQR a0, a1
    TEST_CASE 13
1:  auipc a0, 0x7ffff
    la a1, 1b
    li a2, 0x7ffff000
    add a1, a1, a2
    CHECK_EQR a0, a1
    TEST_CASE 14                 /* auipc + jalr pair */
1:  auipc a0, 0
    jalr a1, 16(a0)
2:  j test_fail
    j test_fail
3:  addi a0, a0, 16              /* jalr lands here, 16 bytes after auipc */
    CHECK_ADDR a0, 3b
    CHECK_ADDR a1, 2b
    TEST_END
