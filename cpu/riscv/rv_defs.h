/* RISC-V architectural constants, named as in the specifications, and the list of decoded
 * operation kinds. Privileged spec section numbers refer to the 20211203 ratified version. */
#ifndef RV_DEFS_H
#define RV_DEFS_H

/* Privilege levels (priv. spec 1.2). */
#define RV_PRIV_U 0u
#define RV_PRIV_S 1u
#define RV_PRIV_M 3u

/* Exception causes, mcause with interrupt bit clear (priv. spec 3.1.15, table 3.6). */
#define CAUSE_MISALIGNED_FETCH 0
#define CAUSE_FETCH_ACCESS 1
#define CAUSE_ILLEGAL_INSTRUCTION 2
#define CAUSE_BREAKPOINT 3
#define CAUSE_MISALIGNED_LOAD 4
#define CAUSE_LOAD_ACCESS 5
#define CAUSE_MISALIGNED_STORE 6
#define CAUSE_STORE_ACCESS 7
#define CAUSE_USER_ECALL 8
#define CAUSE_SUPERVISOR_ECALL 9
#define CAUSE_MACHINE_ECALL 11
#define CAUSE_FETCH_PAGE_FAULT 12
#define CAUSE_LOAD_PAGE_FAULT 13
#define CAUSE_STORE_PAGE_FAULT 15
#define CAUSE_INTERRUPT (1ull << 63)

/* Interrupt numbers (mip/mie bit positions, priv. spec 3.1.9). */
#define IRQ_S_SOFT 1
#define IRQ_M_SOFT 3
#define IRQ_S_TIMER 5
#define IRQ_M_TIMER 7
#define IRQ_S_EXT 9
#define IRQ_M_EXT 11
#define MIP_SSIP (1ull << IRQ_S_SOFT)
#define MIP_MSIP (1ull << IRQ_M_SOFT)
#define MIP_STIP (1ull << IRQ_S_TIMER)
#define MIP_MTIP (1ull << IRQ_M_TIMER)
#define MIP_SEIP (1ull << IRQ_S_EXT)
#define MIP_MEIP (1ull << IRQ_M_EXT)

/* mstatus fields (priv. spec 3.1.6). */
#define MSTATUS_SIE (1ull << 1)
#define MSTATUS_MIE (1ull << 3)
#define MSTATUS_SPIE (1ull << 5)
#define MSTATUS_UBE (1ull << 6)
#define MSTATUS_MPIE (1ull << 7)
#define MSTATUS_SPP (1ull << 8)
#define MSTATUS_VS (3ull << 9)
#define MSTATUS_MPP_SHIFT 11
#define MSTATUS_MPP (3ull << MSTATUS_MPP_SHIFT)
#define MSTATUS_FS_SHIFT 13
#define MSTATUS_FS (3ull << MSTATUS_FS_SHIFT)
#define MSTATUS_XS (3ull << 15)
#define MSTATUS_MPRV (1ull << 17)
#define MSTATUS_SUM (1ull << 18)
#define MSTATUS_MXR (1ull << 19)
#define MSTATUS_TVM (1ull << 20)
#define MSTATUS_TW (1ull << 21)
#define MSTATUS_TSR (1ull << 22)
#define MSTATUS_UXL (3ull << 32)
#define MSTATUS_SXL (3ull << 34)
#define MSTATUS_SD (1ull << 63)
#define FS_OFF 0ull
#define FS_DIRTY 3ull

/* satp (priv. spec 4.1.11) */
#define SATP_MODE_SHIFT 60
#define SATP_MODE_BARE 0
#define SATP_MODE_SV39 8
#define SATP_MODE_SV48 9
#define SATP_PPN_MASK ((1ull << 44) - 1)
#define SATP_ASID_SHIFT 44
/* ASIDLEN: Linux probes it by writing ones and reading back; 11 bits give 2048 address spaces
 * and leave the TLB key (vpn | asid << 52) below RV_TLB_INVALID. */
#define SATP_ASID_BITS 11
#define SATP_ASID_MASK (((1ull << SATP_ASID_BITS) - 1) << SATP_ASID_SHIFT)

/* Page-table entry bits (priv. spec 4.3.1). */
#define PTE_V (1ull << 0)
#define PTE_R (1ull << 1)
#define PTE_W (1ull << 2)
#define PTE_X (1ull << 3)
#define PTE_U (1ull << 4)
#define PTE_G (1ull << 5)
#define PTE_A (1ull << 6)
#define PTE_D (1ull << 7)
#define PTE_PPN_SHIFT 10
#define PTE_RESERVED_MASK (0x3ffull << 54) /* PBMT and N are not implemented */

/* fcsr (unpriv. spec 11.2) */
#define FFLAGS_NX 1u
#define FFLAGS_UF 2u
#define FFLAGS_OF 4u
#define FFLAGS_DZ 8u
#define FFLAGS_NV 16u
#define FRM_DYN 7u

/* CSR numbers (priv. spec 2.2, tables 2.2-2.5). */
#define CSR_FFLAGS 0x001
#define CSR_FRM 0x002
#define CSR_FCSR 0x003
#define CSR_CYCLE 0xc00
#define CSR_TIME 0xc01
#define CSR_INSTRET 0xc02
#define CSR_HPMCOUNTER3 0xc03
#define CSR_HPMCOUNTER31 0xc1f
#define CSR_SSTATUS 0x100
#define CSR_SIE 0x104
#define CSR_STVEC 0x105
#define CSR_SCOUNTEREN 0x106
#define CSR_SENVCFG 0x10a
#define CSR_SSCRATCH 0x140
#define CSR_SEPC 0x141
#define CSR_SCAUSE 0x142
#define CSR_STVAL 0x143
#define CSR_SIP 0x144
#define CSR_STIMECMP 0x14d
#define CSR_SATP 0x180
#define CSR_MVENDORID 0xf11
#define CSR_MARCHID 0xf12
#define CSR_MIMPID 0xf13
#define CSR_MHARTID 0xf14
#define CSR_MCONFIGPTR 0xf15
#define CSR_MSTATUS 0x300
#define CSR_MISA 0x301
#define CSR_MEDELEG 0x302
#define CSR_MIDELEG 0x303
#define CSR_MIE 0x304
#define CSR_MTVEC 0x305
#define CSR_MCOUNTEREN 0x306
#define CSR_MENVCFG 0x30a
#define CSR_MCOUNTINHIBIT 0x320
#define CSR_MHPMEVENT3 0x323
#define CSR_MHPMEVENT31 0x33f
#define CSR_MSCRATCH 0x340
#define CSR_MEPC 0x341
#define CSR_MCAUSE 0x342
#define CSR_MTVAL 0x343
#define CSR_MIP 0x344
#define CSR_PMPCFG0 0x3a0
#define CSR_PMPCFG15 0x3af
#define CSR_PMPADDR0 0x3b0
#define CSR_PMPADDR63 0x3ef
#define CSR_TSELECT 0x7a0
#define CSR_TDATA1 0x7a1
#define CSR_TDATA3 0x7a3
#define CSR_MCYCLE 0xb00
#define CSR_MINSTRET 0xb02
#define CSR_MHPMCOUNTER3 0xb03
#define CSR_MHPMCOUNTER31 0xb1f

/* menvcfg.STCE enables the Sstc stimecmp CSR (Sstc spec). */
#define MENVCFG_STCE (1ull << 63)

/* CLINT layout (SiFive CLINT, as in the ACLINT spec's MSWI/MTIMER devices). */
#define CLINT_BASE 0x02000000ull
#define CLINT_SIZE 0x10000ull
#define CLINT_MSIP 0x0
#define CLINT_MTIMECMP 0x4000
#define CLINT_MTIME 0xbff8

/* Decoded operation kinds, in groups handled alike by the executor. The order matters: the
 * decoder adds small offsets within a group (funct3, rs2) and between the S and D groups. */
// clang-format off
#define RV_OP_LIST(X)                                                                          \
    X(ILLEGAL) X(NOP)                                                                          \
    X(LUI) X(AUIPC) X(JAL) X(JALR)                                                             \
    X(BEQ) X(BNE) X(BLT) X(BGE) X(BLTU) X(BGEU)                                                \
    X(LB) X(LH) X(LW) X(LD) X(LBU) X(LHU) X(LWU)                                               \
    X(SB) X(SH) X(SW) X(SD)                                                                    \
    X(ADDI) X(SLTI) X(SLTIU) X(XORI) X(ORI) X(ANDI) X(SLLI) X(SRLI) X(SRAI)                    \
    X(ADDIW) X(SLLIW) X(SRLIW) X(SRAIW)                                                        \
    X(ADD) X(SUB) X(SLL) X(SLT) X(SLTU) X(XOR) X(SRL) X(SRA) X(OR) X(AND)                      \
    X(ADDW) X(SUBW) X(SLLW) X(SRLW) X(SRAW)                                                    \
    X(MUL) X(MULH) X(MULHSU) X(MULHU) X(DIV) X(DIVU) X(REM) X(REMU)                            \
    X(MULW) X(DIVW) X(DIVUW) X(REMW) X(REMUW)                                                  \
    X(FENCE) X(FENCE_I)                                                                        \
    X(ECALL) X(EBREAK) X(MRET) X(SRET) X(WFI) X(SFENCE_VMA)                                    \
    X(CSRRW) X(CSRRS) X(CSRRC)                                                                 \
    X(LR_W) X(SC_W) X(LR_D) X(SC_D)                                                            \
    X(AMOSWAP_W) X(AMOADD_W) X(AMOXOR_W) X(AMOAND_W) X(AMOOR_W)                                \
    X(AMOMIN_W) X(AMOMAX_W) X(AMOMINU_W) X(AMOMAXU_W)                                          \
    X(AMOSWAP_D) X(AMOADD_D) X(AMOXOR_D) X(AMOAND_D) X(AMOOR_D)                                \
    X(AMOMIN_D) X(AMOMAX_D) X(AMOMINU_D) X(AMOMAXU_D)                                          \
    X(FLW) X(FLD) X(FSW) X(FSD)                                                                \
    X(FADD_S) X(FSUB_S) X(FMUL_S) X(FDIV_S) X(FSQRT_S) X(FSGNJ_S) X(FSGNJN_S) X(FSGNJX_S)      \
    X(FMIN_S) X(FMAX_S) X(FEQ_S) X(FLT_S) X(FLE_S) X(FCLASS_S) X(FMV_X_W) X(FMV_W_X)           \
    X(FCVT_W_S) X(FCVT_WU_S) X(FCVT_L_S) X(FCVT_LU_S)                                          \
    X(FCVT_S_W) X(FCVT_S_WU) X(FCVT_S_L) X(FCVT_S_LU)                                          \
    X(FMADD_S) X(FMSUB_S) X(FNMSUB_S) X(FNMADD_S)                                              \
    X(FADD_D) X(FSUB_D) X(FMUL_D) X(FDIV_D) X(FSQRT_D) X(FSGNJ_D) X(FSGNJN_D) X(FSGNJX_D)      \
    X(FMIN_D) X(FMAX_D) X(FEQ_D) X(FLT_D) X(FLE_D) X(FCLASS_D) X(FMV_X_D) X(FMV_D_X)           \
    X(FCVT_W_D) X(FCVT_WU_D) X(FCVT_L_D) X(FCVT_LU_D)                                          \
    X(FCVT_D_W) X(FCVT_D_WU) X(FCVT_D_L) X(FCVT_D_LU)                                          \
    X(FCVT_S_D) X(FCVT_D_S)                                                                    \
    X(FMADD_D) X(FMSUB_D) X(FNMSUB_D) X(FNMADD_D)
// clang-format on

#define RV_OP_ENUM(name) RV_OP_##name,
enum rv_op_kind { RV_OP_LIST(RV_OP_ENUM) RV_OP_COUNT };
#undef RV_OP_ENUM

#endif
