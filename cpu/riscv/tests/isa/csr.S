# Zicsr: CSRRW/CSRRS/CSRRC and immediate forms, rs1=x0 / uimm=0 do not write, read-only and privileged CSR access -> illegal, sstatus/sie views, misa/mhartid/medeleg.
#include "test.h"

    TEST_CASE 1                      /* csrrw returns the old value */
    li a1, 0x1111
    csrw mscratch, a1
    li a2, 0x0123456789abcdef
    csrrw a0, mscratch, a2
    CHECK_EQ a0, 0x1111
    CHECK_CSR mscratch, 0x0123456789abcdef
    TEST_CASE 2                      /* csrrs sets bits */
    li a1, 0xf0
    csrrs a0, mscratch, a1
    CHECK_EQ a0, 0x0123456789abcdef
    CHECK_CSR mscratch, 0x0123456789abcdff
    TEST_CASE 3                      /* csrrc clears bits */
    li a1, 0x0f000000000000ff
    csrrc a0, mscratch, a1
    CHECK_EQ a0, 0x0123456789abcdff
    CHECK_CSR mscratch, 0x0023456789abcd00
    TEST_CASE 4                      /* csrrwi (uimm zero-extended) */
    csrrwi a0, mscratch, 31
    CHECK_EQ a0, 0x0023456789abcd00
    CHECK_CSR mscratch, 31
    TEST_CASE 5
    csrrci a0, mscratch, 0x15
    CHECK_EQ a0, 31
    CHECK_CSR mscratch, 0x0a
    csrrsi a0, mscratch, 0x11
    CHECK_EQ a0, 0x0a
    CHECK_CSR mscratch, 0x1b
    TEST_CASE 6                      /* rs1 = x0 / uimm = 0: read only, no write */
    csrrs a0, mscratch, x0
    CHECK_EQ a0, 0x1b
    csrrc a0, mscratch, x0
    CHECK_EQ a0, 0x1b
    csrrsi a0, mscratch, 0
    csrrci a0, mscratch, 0
    CHECK_CSR mscratch, 0x1b
    TEST_CASE 7                      /* rd = x0 still writes */
    li a1, 0x77
    csrrw x0, mscratch, a1
    CHECK_CSR mscratch, 0x77
    TEST_CASE 8                      /* rd == rs1: swap */
    li a0, 0x99
    csrrw a0, mscratch, a0
    CHECK_EQ a0, 0x77
    CHECK_CSR mscratch, 0x99
    TEST_CASE 9                      /* csrrw with rd=x0, rs1=x0 zeroes */
    csrw mscratch, zero
    CHECK_CSR mscratch, 0
    la a0, m_save                    /* restore the handler's scratch pointer */
    csrw mscratch, a0

    /* read-only CSRs: reads with rs1=x0 / uimm=0 are fine */
    TEST_CASE 10
    csrrs a0, mhartid, x0
    CHECK_EQ a0, 0
    csrrc a0, mvendorid, x0
    csrrsi a0, marchid, 0
    csrrci a0, mimpid, 0
    csrr a0, cycle
    TEST_CASE 11                     /* writes to read-only CSRs are illegal */
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, csrw mhartid, a0
    CHECK_MTVAL 0xf1451073           /* csrrw x0, mhartid, a0 */
    TEST_CASE 12
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, csrrwi a0, mvendorid, 0
    TEST_CASE 13
    li a1, 1
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, csrrs a0, mhartid, a1
    TEST_CASE 14
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, csrrci a0, marchid, 1
    TEST_CASE 15
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, csrrw a0, cycle, a1
    TEST_CASE 16
    EXPECT_ILLEGAL_WORD 0xc0001073   /* unimp = csrrw x0, cycle, x0 */
    TEST_CASE 17                     /* unallocated CSR number */
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, csrr a0, 0x0ff

    /* privilege checks on CSR access */
    TEST_CASE 18                     /* S-mode: M CSRs illegal, S CSRs fine */
    ENTER_MODE PRV_S
    csrw sscratch, zero
    li a0, 0x5a
    csrw sscratch, a0
    csrr a1, sscratch
    CHECK_EQ a1, 0x5a
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, csrr a0, mstatus
    CHECK_TRAP_FROM PRV_S
    TEST_CASE 19
    ENTER_MODE PRV_S
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, csrw mscratch, zero
    TEST_CASE 20
    ENTER_MODE PRV_S
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, csrr a0, mhartid
    TEST_CASE 21                     /* U-mode: S and M CSRs illegal */
    ENTER_MODE PRV_U
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, csrr a0, sstatus
    CHECK_TRAP_FROM PRV_U
    TEST_CASE 22
    ENTER_MODE PRV_U
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, csrw sscratch, zero
    TEST_CASE 23
    ENTER_MODE PRV_U
    EXPECT_TRAP CAUSE_ILLEGAL_INSN, csrr a0, mscratch
    la a0, s_save
    csrw sscratch, a0

    /* sstatus is a restricted view of mstatus */
    TEST_CASE 24
    csrsi sstatus, MSTATUS_SIE
    CHECK_CSR_MASK mstatus, MSTATUS_SIE, MSTATUS_SIE
    csrci mstatus, MSTATUS_SIE
    CHECK_CSR_MASK sstatus, MSTATUS_SIE, 0
    TEST_CASE 25                     /* M-only fields are invisible in sstatus */
    li a0, MSTATUS_MPP_M | MSTATUS_TSR
    csrs mstatus, a0
    CHECK_CSR_MASK sstatus, MSTATUS_MPP | MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_TSR | MSTATUS_TW | MSTATUS_TVM | MSTATUS_MPRV, 0
    li a0, MSTATUS_TSR
    csrc mstatus, a0
    TEST_CASE 26                     /* writes to sstatus cannot set M-only fields */
    li a0, MSTATUS_MPRV | MSTATUS_TW
    csrs sstatus, a0
    CHECK_CSR_MASK mstatus, MSTATUS_MPRV | MSTATUS_TW, 0
    TEST_CASE 27                     /* sstatus SUM/MXR/SPP shared with mstatus */
    li a0, MSTATUS_SUM | MSTATUS_MXR | MSTATUS_SPP
    csrs sstatus, a0
    CHECK_CSR_MASK mstatus, MSTATUS_SUM | MSTATUS_MXR | MSTATUS_SPP, MSTATUS_SUM | MSTATUS_MXR | MSTATUS_SPP
    csrc mstatus, a0
    CHECK_CSR_MASK sstatus, MSTATUS_SUM | MSTATUS_MXR | MSTATUS_SPP, 0
    TEST_CASE 28                     /* sie/sip follow mideleg */
    li a0, MIP_SSIP
    csrw mideleg, a0
    csrw sie, a0
    CHECK_CSR_MASK mie, MIP_SSIP, MIP_SSIP
    csrw mie, zero
    CHECK_CSR sie, 0
    csrw mideleg, zero

    /* identification */
    TEST_CASE 29                     /* misa: MXL=64, IMAFDC + S + U */
    csrr a0, misa
    srli a1, a0, 62
    CHECK_EQ a1, 2
    li a1, 0x14112d
    and a2, a0, a1
    CHECK_EQR a2, a1
    TEST_CASE 30
    CHECK_CSR mhartid, 0
    TEST_CASE 31                     /* mtvec holds the trap vector we set */
    csrr a0, mtvec
    CHECK_ADDR a0, m_trap_vector
    TEST_END
