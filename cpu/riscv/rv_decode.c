/* Instruction decoder: RV64GC encodings to rv_op_t. Compressed instructions are first expanded
 * to their 32-bit equivalents so that each behaviour is written once, in the executor. */
#include "rv_internal.h"

/* ---- 32-bit encoders used by the compressed expansion ------------------------------------ */

static uint32_t enc_r(uint32_t opc, uint32_t rd, uint32_t f3, uint32_t rs1, uint32_t rs2,
                      uint32_t f7)
{
    return opc | rd << 7 | f3 << 12 | rs1 << 15 | rs2 << 20 | f7 << 25;
}
static uint32_t enc_i(uint32_t opc, uint32_t rd, uint32_t f3, uint32_t rs1, int32_t imm)
{
    return opc | rd << 7 | f3 << 12 | rs1 << 15 | ((uint32_t)imm & 0xfff) << 20;
}
static uint32_t enc_s(uint32_t opc, uint32_t f3, uint32_t rs1, uint32_t rs2, int32_t imm)
{
    uint32_t u = (uint32_t)imm;
    return opc | (u & 0x1f) << 7 | f3 << 12 | rs1 << 15 | rs2 << 20 | ((u >> 5) & 0x7f) << 25;
}
static uint32_t enc_b(uint32_t f3, uint32_t rs1, uint32_t rs2, int32_t imm)
{
    uint32_t u = (uint32_t)imm;
    return 0x63 | ((u >> 11) & 1) << 7 | ((u >> 1) & 0xf) << 8 | f3 << 12 | rs1 << 15 | rs2 << 20 |
           ((u >> 5) & 0x3f) << 25 | ((u >> 12) & 1) << 31;
}
static uint32_t enc_j(uint32_t rd, int32_t imm)
{
    uint32_t u = (uint32_t)imm;
    return 0x6f | rd << 7 | ((u >> 12) & 0xff) << 12 | ((u >> 11) & 1) << 20 |
           ((u >> 1) & 0x3ff) << 21 | ((u >> 20) & 1) << 31;
}

static uint32_t bits(uint32_t v, int hi, int lo) { return (v >> lo) & ((1u << (hi - lo + 1)) - 1); }
static int32_t sext(uint32_t v, int width) { return (int32_t)(v << (32 - width)) >> (32 - width); }

enum {
    OPC_LOAD = 0x03,
    OPC_LOAD_FP = 0x07,
    OPC_OP_IMM = 0x13,
    OPC_OP_IMM_32 = 0x1b,
    OPC_STORE = 0x23,
    OPC_STORE_FP = 0x27,
    OPC_OP = 0x33,
    OPC_LUI = 0x37,
    OPC_OP_32 = 0x3b,
    OPC_JALR = 0x67,
    OPC_SYSTEM = 0x73
};

uint32_t rv_expand_compressed(uint16_t c)
{
    uint32_t rd = bits(c, 11, 7), rs2 = bits(c, 6, 2);
    uint32_t rdp = bits(c, 4, 2) + 8, rs1p = bits(c, 9, 7) + 8;
    int32_t imm6 = sext(bits(c, 12, 12) << 5 | bits(c, 6, 2), 6);
    switch ((bits(c, 15, 13) << 2) | bits(c, 1, 0)) {
    case 0x00: { /* C.ADDI4SPN */
        uint32_t imm =
            bits(c, 12, 11) << 4 | bits(c, 10, 7) << 6 | bits(c, 6, 6) << 2 | bits(c, 5, 5) << 3;
        return imm ? enc_i(OPC_OP_IMM, rdp, 0, 2, (int32_t)imm) : 0;
    }
    case 0x04: /* C.FLD */
        return enc_i(OPC_LOAD_FP, rdp, 3, rs1p,
                     (int32_t)(bits(c, 12, 10) << 3 | bits(c, 6, 5) << 6));
    case 0x08: /* C.LW */
        return enc_i(OPC_LOAD, rdp, 2, rs1p,
                     (int32_t)(bits(c, 12, 10) << 3 | bits(c, 6, 6) << 2 | bits(c, 5, 5) << 6));
    case 0x0c: /* C.LD */
        return enc_i(OPC_LOAD, rdp, 3, rs1p, (int32_t)(bits(c, 12, 10) << 3 | bits(c, 6, 5) << 6));
    case 0x14: /* C.FSD */
        return enc_s(OPC_STORE_FP, 3, rs1p, rdp,
                     (int32_t)(bits(c, 12, 10) << 3 | bits(c, 6, 5) << 6));
    case 0x18: /* C.SW */
        return enc_s(OPC_STORE, 2, rs1p, rdp,
                     (int32_t)(bits(c, 12, 10) << 3 | bits(c, 6, 6) << 2 | bits(c, 5, 5) << 6));
    case 0x1c: /* C.SD */
        return enc_s(OPC_STORE, 3, rs1p, rdp, (int32_t)(bits(c, 12, 10) << 3 | bits(c, 6, 5) << 6));

    case 0x01: /* C.ADDI (C.NOP when rd = 0) */ return enc_i(OPC_OP_IMM, rd, 0, rd, imm6);
    case 0x05: /* C.ADDIW */ return rd ? enc_i(OPC_OP_IMM_32, rd, 0, rd, imm6) : 0;
    case 0x09: /* C.LI */ return enc_i(OPC_OP_IMM, rd, 0, 0, imm6);
    case 0x0d:
        if (rd == 2) { /* C.ADDI16SP */
            int32_t imm = sext(bits(c, 12, 12) << 9 | bits(c, 6, 6) << 4 | bits(c, 5, 5) << 6 |
                                   bits(c, 4, 3) << 7 | bits(c, 2, 2) << 5,
                               10);
            return imm ? enc_i(OPC_OP_IMM, 2, 0, 2, imm) : 0;
        }
        /* C.LUI */
        return imm6 ? (OPC_LUI | rd << 7 | ((uint32_t)imm6 << 12)) : 0;
    case 0x11: { /* arithmetic on x8-x15 */
        uint32_t shamt = bits(c, 12, 12) << 5 | bits(c, 6, 2);
        switch (bits(c, 11, 10)) {
        case 0: return enc_i(OPC_OP_IMM, rs1p, 5, rs1p, (int32_t)shamt);           /* C.SRLI */
        case 1: return enc_i(OPC_OP_IMM, rs1p, 5, rs1p, (int32_t)(shamt | 0x400)); /* C.SRAI */
        case 2: return enc_i(OPC_OP_IMM, rs1p, 7, rs1p, imm6);                     /* C.ANDI */
        default: {
            static const uint8_t f3[4] = {0, 4, 6, 7}; /* SUB XOR OR AND */
            uint32_t sel = bits(c, 6, 5);
            if (!bits(c, 12, 12))
                return enc_r(OPC_OP, rs1p, f3[sel], rs1p, rdp, sel == 0 ? 0x20 : 0);
            if (sel == 0) return enc_r(OPC_OP_32, rs1p, 0, rs1p, rdp, 0x20); /* C.SUBW */
            if (sel == 1) return enc_r(OPC_OP_32, rs1p, 0, rs1p, rdp, 0);    /* C.ADDW */
            return 0;
        }
        }
    }
    case 0x15: /* C.J */
        return enc_j(0, sext(bits(c, 12, 12) << 11 | bits(c, 11, 11) << 4 | bits(c, 10, 9) << 8 |
                                 bits(c, 8, 8) << 10 | bits(c, 7, 7) << 6 | bits(c, 6, 6) << 7 |
                                 bits(c, 5, 3) << 1 | bits(c, 2, 2) << 5,
                             12));
    case 0x19:
    case 0x1d: { /* C.BEQZ, C.BNEZ */
        int32_t imm = sext(bits(c, 12, 12) << 8 | bits(c, 11, 10) << 3 | bits(c, 6, 5) << 6 |
                               bits(c, 4, 3) << 1 | bits(c, 2, 2) << 5,
                           9);
        return enc_b(bits(c, 13, 13), rs1p, 0, imm);
    }

    case 0x02: /* C.SLLI */
        return enc_i(OPC_OP_IMM, rd, 1, rd, (int32_t)(bits(c, 12, 12) << 5 | bits(c, 6, 2)));
    case 0x06: /* C.FLDSP */
        return enc_i(OPC_LOAD_FP, rd, 3, 2,
                     (int32_t)(bits(c, 12, 12) << 5 | bits(c, 6, 5) << 3 | bits(c, 4, 2) << 6));
    case 0x0a: /* C.LWSP */
        return rd ? enc_i(OPC_LOAD, rd, 2, 2,
                          (int32_t)(bits(c, 12, 12) << 5 | bits(c, 6, 4) << 2 | bits(c, 3, 2) << 6))
                  : 0;
    case 0x0e: /* C.LDSP */
        return rd ? enc_i(OPC_LOAD, rd, 3, 2,
                          (int32_t)(bits(c, 12, 12) << 5 | bits(c, 6, 5) << 3 | bits(c, 4, 2) << 6))
                  : 0;
    case 0x12:
        if (!bits(c, 12, 12)) {
            if (rs2 == 0) return rd ? enc_i(OPC_JALR, 0, 0, rd, 0) : 0; /* C.JR */
            return enc_r(OPC_OP, rd, 0, 0, rs2, 0);                     /* C.MV */
        }
        if (rs2 == 0) return rd ? enc_i(OPC_JALR, 1, 0, rd, 0) : 0x00100073; /* C.JALR / C.EBREAK */
        return enc_r(OPC_OP, rd, 0, rd, rs2, 0);                             /* C.ADD */
    case 0x16:                                                               /* C.FSDSP */
        return enc_s(OPC_STORE_FP, 3, 2, rs2, (int32_t)(bits(c, 12, 10) << 3 | bits(c, 9, 7) << 6));
    case 0x1a: /* C.SWSP */
        return enc_s(OPC_STORE, 2, 2, rs2, (int32_t)(bits(c, 12, 9) << 2 | bits(c, 8, 7) << 6));
    case 0x1e: /* C.SDSP */
        return enc_s(OPC_STORE, 3, 2, rs2, (int32_t)(bits(c, 12, 10) << 3 | bits(c, 9, 7) << 6));
    default: return 0;
    }
}

/* ---- 32-bit decoder --------------------------------------------------------------------- */

static const uint16_t load_ops[8] = {RV_OP_LB,  RV_OP_LH,  RV_OP_LW,  RV_OP_LD,
                                     RV_OP_LBU, RV_OP_LHU, RV_OP_LWU, RV_OP_ILLEGAL};
static const uint16_t branch_ops[8] = {RV_OP_BEQ, RV_OP_BNE, RV_OP_ILLEGAL, RV_OP_ILLEGAL,
                                       RV_OP_BLT, RV_OP_BGE, RV_OP_BLTU,    RV_OP_BGEU};
static const uint16_t op_base[8] = {RV_OP_ADD, RV_OP_SLL, RV_OP_SLT, RV_OP_SLTU,
                                    RV_OP_XOR, RV_OP_SRL, RV_OP_OR,  RV_OP_AND};
static const uint16_t op_mul[8] = {RV_OP_MUL, RV_OP_MULH, RV_OP_MULHSU, RV_OP_MULHU,
                                   RV_OP_DIV, RV_OP_DIVU, RV_OP_REM,    RV_OP_REMU};
static const uint16_t op32_mul[8] = {RV_OP_MULW, RV_OP_ILLEGAL, RV_OP_ILLEGAL, RV_OP_ILLEGAL,
                                     RV_OP_DIVW, RV_OP_DIVUW,   RV_OP_REMW,    RV_OP_REMUW};

/* funct5 of the A extension, W forms; D forms follow at the same distance. */
static uint16_t amo_kind(uint32_t funct5, int is_d)
{
    static const struct {
        uint8_t f5;
        uint16_t w;
    } t[] = {
        {0x01, RV_OP_AMOSWAP_W}, {0x00, RV_OP_AMOADD_W},  {0x04, RV_OP_AMOXOR_W},
        {0x0c, RV_OP_AMOAND_W},  {0x08, RV_OP_AMOOR_W},   {0x10, RV_OP_AMOMIN_W},
        {0x14, RV_OP_AMOMAX_W},  {0x18, RV_OP_AMOMINU_W}, {0x1c, RV_OP_AMOMAXU_W},
    };
    for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++)
        if (t[i].f5 == funct5)
            return (uint16_t)(t[i].w + (is_d ? RV_OP_AMOSWAP_D - RV_OP_AMOSWAP_W : 0));
    return RV_OP_ILLEGAL;
}

/* OP-FP (unpriv. spec chapters 11 and 12). Single and double kinds are laid out in parallel,
 * so a D kind is its S kind plus this distance, except for the cross-format conversions. */
#define FP_D (RV_OP_FADD_D - RV_OP_FADD_S)

static uint16_t decode_op_fp(uint32_t insn, rv_op_t *op)
{
    uint32_t f7 = insn >> 25, f3 = bits(insn, 14, 12), rs2 = bits(insn, 24, 20);
    uint32_t fmt = f7 & 3;
    int valid_rm = f3 != 5 && f3 != 6;
    if (fmt > 1) return RV_OP_ILLEGAL;
    uint16_t d = fmt ? FP_D : 0;
    switch (f7 >> 2) {
    case 0x00: return valid_rm ? RV_OP_FADD_S + d : RV_OP_ILLEGAL;
    case 0x01: return valid_rm ? RV_OP_FSUB_S + d : RV_OP_ILLEGAL;
    case 0x02: return valid_rm ? RV_OP_FMUL_S + d : RV_OP_ILLEGAL;
    case 0x03: return valid_rm ? RV_OP_FDIV_S + d : RV_OP_ILLEGAL;
    case 0x0b: return valid_rm && rs2 == 0 ? RV_OP_FSQRT_S + d : RV_OP_ILLEGAL;
    case 0x04: return f3 < 3 ? RV_OP_FSGNJ_S + d + f3 : RV_OP_ILLEGAL;
    case 0x05: return f3 < 2 ? RV_OP_FMIN_S + d + f3 : RV_OP_ILLEGAL;
    case 0x08: /* FCVT.S.D (fmt S, rs2 = 1) and FCVT.D.S (fmt D, rs2 = 0) */
        if (!valid_rm) return RV_OP_ILLEGAL;
        if (fmt == 0 && rs2 == 1) return RV_OP_FCVT_S_D;
        if (fmt == 1 && rs2 == 0) return RV_OP_FCVT_D_S;
        return RV_OP_ILLEGAL;
    case 0x14:
        if (f3 == 2) return RV_OP_FEQ_S + d;
        if (f3 == 1) return RV_OP_FLT_S + d;
        if (f3 == 0) return RV_OP_FLE_S + d;
        return RV_OP_ILLEGAL;
    case 0x18: return valid_rm && rs2 < 4 ? RV_OP_FCVT_W_S + d + rs2 : RV_OP_ILLEGAL;
    case 0x1a: return valid_rm && rs2 < 4 ? RV_OP_FCVT_S_W + d + rs2 : RV_OP_ILLEGAL;
    case 0x1c:
        if (rs2 != 0) return RV_OP_ILLEGAL;
        if (f3 == 0) return RV_OP_FMV_X_W + d;
        if (f3 == 1) return RV_OP_FCLASS_S + d;
        return RV_OP_ILLEGAL;
    case 0x1e: return rs2 == 0 && f3 == 0 ? RV_OP_FMV_W_X + d : RV_OP_ILLEGAL;
    default: (void)op; return RV_OP_ILLEGAL;
    }
}

static uint16_t decode_system(uint32_t insn, rv_op_t *op)
{
    uint32_t f3 = bits(insn, 14, 12);
    if (f3 == 0) {
        switch (insn) {
        case 0x00000073: return RV_OP_ECALL;
        case 0x00100073: return RV_OP_EBREAK;
        case 0x30200073: return RV_OP_MRET;
        case 0x10200073: return RV_OP_SRET;
        case 0x10500073: return RV_OP_WFI;
        default: break;
        }
        if ((insn >> 25) == 0x09 && bits(insn, 11, 7) == 0) return RV_OP_SFENCE_VMA;
        return RV_OP_ILLEGAL;
    }
    if (f3 == 4) return RV_OP_ILLEGAL;
    op->imm = (int32_t)(insn >> 20); /* CSR number */
    op->rm = f3 >= 5;                /* rs1 holds a 5-bit immediate */
    static const uint16_t k[4] = {RV_OP_ILLEGAL, RV_OP_CSRRW, RV_OP_CSRRS, RV_OP_CSRRC};
    return k[f3 & 3];
}

static uint16_t decode32(uint32_t insn, rv_op_t *op)
{
    uint32_t f3 = bits(insn, 14, 12), f7 = insn >> 25;
    int32_t imm_i = (int32_t)insn >> 20;
    switch (insn & 0x7f) {
    case 0x37: op->imm = (int32_t)(insn & 0xfffff000); return RV_OP_LUI;
    case 0x17: op->imm = (int32_t)(insn & 0xfffff000); return RV_OP_AUIPC;
    case 0x6f:
        op->imm = sext(bits(insn, 31, 31) << 20 | bits(insn, 19, 12) << 12 |
                           bits(insn, 20, 20) << 11 | bits(insn, 30, 21) << 1,
                       21);
        return RV_OP_JAL;
    case 0x67: op->imm = imm_i; return f3 == 0 ? RV_OP_JALR : RV_OP_ILLEGAL;
    case 0x63:
        op->imm = sext(bits(insn, 31, 31) << 12 | bits(insn, 7, 7) << 11 | bits(insn, 30, 25) << 5 |
                           bits(insn, 11, 8) << 1,
                       13);
        return branch_ops[f3];
    case 0x03: op->imm = imm_i; return load_ops[f3];
    case 0x23:
        op->imm = (int32_t)((uint32_t)((int32_t)insn >> 25) << 5 | bits(insn, 11, 7));
        return f3 < 4 ? RV_OP_SB + f3 : RV_OP_ILLEGAL;
    case 0x13:
        op->imm = imm_i;
        switch (f3) {
        case 0: return RV_OP_ADDI;
        case 1: op->imm &= 63; return (insn >> 26) == 0 ? RV_OP_SLLI : RV_OP_ILLEGAL;
        case 2: return RV_OP_SLTI;
        case 3: return RV_OP_SLTIU;
        case 4: return RV_OP_XORI;
        case 5:
            op->imm &= 63;
            if ((insn >> 26) == 0) return RV_OP_SRLI;
            if ((insn >> 26) == 0x10) return RV_OP_SRAI;
            return RV_OP_ILLEGAL;
        case 6: return RV_OP_ORI;
        default: return RV_OP_ANDI;
        }
    case 0x1b:
        op->imm = imm_i;
        if (f3 == 0) return RV_OP_ADDIW;
        op->imm &= 31;
        if (f3 == 1 && f7 == 0) return RV_OP_SLLIW;
        if (f3 == 5 && f7 == 0) return RV_OP_SRLIW;
        if (f3 == 5 && f7 == 0x20) return RV_OP_SRAIW;
        return RV_OP_ILLEGAL;
    case 0x33:
        if (f7 == 0) return op_base[f3];
        if (f7 == 1) return op_mul[f3];
        if (f7 == 0x20 && f3 == 0) return RV_OP_SUB;
        if (f7 == 0x20 && f3 == 5) return RV_OP_SRA;
        return RV_OP_ILLEGAL;
    case 0x3b:
        if (f7 == 1) return op32_mul[f3];
        if (f7 == 0 && f3 == 0) return RV_OP_ADDW;
        if (f7 == 0 && f3 == 1) return RV_OP_SLLW;
        if (f7 == 0 && f3 == 5) return RV_OP_SRLW;
        if (f7 == 0x20 && f3 == 0) return RV_OP_SUBW;
        if (f7 == 0x20 && f3 == 5) return RV_OP_SRAW;
        return RV_OP_ILLEGAL;
    case 0x0f:
        if (f3 == 0) return RV_OP_FENCE;
        if (f3 == 1) return RV_OP_FENCE_I;
        return RV_OP_ILLEGAL;
    case 0x73: return decode_system(insn, op);
    case 0x2f: {
        uint32_t f5 = insn >> 27;
        if (f3 != 2 && f3 != 3) return RV_OP_ILLEGAL;
        int is_d = f3 == 3;
        if (f5 == 0x02)
            return bits(insn, 24, 20) ? RV_OP_ILLEGAL : (is_d ? RV_OP_LR_D : RV_OP_LR_W);
        if (f5 == 0x03) return is_d ? RV_OP_SC_D : RV_OP_SC_W;
        return amo_kind(f5, is_d);
    }
    case 0x07:
        op->imm = imm_i;
        if (f3 == 2) return RV_OP_FLW;
        if (f3 == 3) return RV_OP_FLD;
        return RV_OP_ILLEGAL;
    case 0x27:
        op->imm = (int32_t)((uint32_t)((int32_t)insn >> 25) << 5 | bits(insn, 11, 7));
        if (f3 == 2) return RV_OP_FSW;
        if (f3 == 3) return RV_OP_FSD;
        return RV_OP_ILLEGAL;
    case 0x43:
    case 0x47:
    case 0x4b:
    case 0x4f: {
        uint32_t fmt = bits(insn, 26, 25);
        if (fmt > 1 || f3 == 5 || f3 == 6) return RV_OP_ILLEGAL;
        op->rs3 = (uint8_t)(insn >> 27);
        return (uint16_t)((fmt ? RV_OP_FMADD_D : RV_OP_FMADD_S) + (bits(insn, 3, 2)));
    }
    case 0x53: return decode_op_fp(insn, op);
    default: return RV_OP_ILLEGAL;
    }
}

void rv_decode(uint32_t insn, unsigned len, rv_op_t *op)
{
    memset(op, 0, sizeof *op);
    op->len = (uint8_t)len;
    op->rd = (uint8_t)bits(insn, 11, 7);
    op->rs1 = (uint8_t)bits(insn, 19, 15);
    op->rs2 = (uint8_t)bits(insn, 24, 20);
    op->rm = (uint8_t)bits(insn, 14, 12);
    op->kind = decode32(insn, op);
    if (op->kind == RV_OP_ILLEGAL) {
        op->imm = (int32_t)insn;
        return;
    }
    /* Integer destinations of x0 go to the sink register. FP destinations are real registers. */
    int int_rd;
    switch (op->kind) {
    case RV_OP_SB:
    case RV_OP_SH:
    case RV_OP_SW:
    case RV_OP_SD:
    case RV_OP_FSW:
    case RV_OP_FSD:
    case RV_OP_BEQ:
    case RV_OP_BNE:
    case RV_OP_BLT:
    case RV_OP_BGE:
    case RV_OP_BLTU:
    case RV_OP_BGEU:
    case RV_OP_FENCE:
    case RV_OP_FENCE_I:
    case RV_OP_ECALL:
    case RV_OP_EBREAK:
    case RV_OP_MRET:
    case RV_OP_SRET:
    case RV_OP_WFI:
    case RV_OP_SFENCE_VMA:
    case RV_OP_FLW:
    case RV_OP_FLD: int_rd = 0; break;
    default:
        int_rd = op->kind < RV_OP_FLW || op->kind == RV_OP_FMV_X_W || op->kind == RV_OP_FMV_X_D ||
                 (op->kind >= RV_OP_FEQ_S && op->kind <= RV_OP_FCLASS_S) ||
                 (op->kind >= RV_OP_FEQ_D && op->kind <= RV_OP_FCLASS_D) ||
                 (op->kind >= RV_OP_FCVT_W_S && op->kind <= RV_OP_FCVT_LU_S) ||
                 (op->kind >= RV_OP_FCVT_W_D && op->kind <= RV_OP_FCVT_LU_D);
    }
    /* CSR ops keep rd = 0 visible: CSRRW with rd = x0 must not read the CSR. */
    if (int_rd && op->rd == 0 && op->kind != RV_OP_CSRRW) op->rd = RV_REG_SINK;
}

int rv_op_ends_block(const rv_op_t *op)
{
    switch (op->kind) {
    case RV_OP_JAL:
    case RV_OP_JALR:
    case RV_OP_BEQ:
    case RV_OP_BNE:
    case RV_OP_BLT:
    case RV_OP_BGE:
    case RV_OP_BLTU:
    case RV_OP_BGEU:
    case RV_OP_FENCE_I:
    case RV_OP_ECALL:
    case RV_OP_EBREAK:
    case RV_OP_MRET:
    case RV_OP_SRET:
    case RV_OP_WFI:
    case RV_OP_SFENCE_VMA:
    case RV_OP_CSRRW:
    case RV_OP_CSRRS:
    case RV_OP_CSRRC:
    case RV_OP_ILLEGAL: return 1;
    default: return 0;
    }
}
