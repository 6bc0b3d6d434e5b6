/* Control and status registers, trap entry and return, interrupt selection and the timers
 * (priv. spec chapters 2, 3 and 4). */
#include "rv_internal.h"

/* misa: RV64 with A C D F I M S U (priv. spec 3.1.1). Read-only: the extensions can't be
 * switched off. */
#define MISA_VALUE                                                                                 \
    ((2ull << 62) | (1u << ('A' - 'A')) | (1u << ('C' - 'A')) | (1u << ('D' - 'A')) |              \
     (1u << ('F' - 'A')) | (1u << ('I' - 'A')) | (1u << ('M' - 'A')) | (1u << ('S' - 'A')) |       \
     (1u << ('U' - 'A')))

#define MSTATUS_WRITABLE                                                                           \
    (MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP | MSTATUS_MPP |         \
     MSTATUS_FS | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW |            \
     MSTATUS_TSR)
#define SSTATUS_MASK                                                                               \
    (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_XS | MSTATUS_SUM |            \
     MSTATUS_MXR | MSTATUS_UXL | MSTATUS_SD)
#define S_INTERRUPTS (MIP_SSIP | MIP_STIP | MIP_SEIP)
#define M_INTERRUPTS (MIP_MSIP | MIP_MTIP | MIP_MEIP)
/* Exceptions M-mode may delegate: all but ecall from M (medeleg bit 11 is read-only zero). */
#define MEDELEG_WRITABLE                                                                           \
    ((1u << CAUSE_MISALIGNED_FETCH) | (1u << CAUSE_FETCH_ACCESS) |                                 \
     (1u << CAUSE_ILLEGAL_INSTRUCTION) | (1u << CAUSE_BREAKPOINT) |                                \
     (1u << CAUSE_MISALIGNED_LOAD) | (1u << CAUSE_LOAD_ACCESS) | (1u << CAUSE_MISALIGNED_STORE) |  \
     (1u << CAUSE_STORE_ACCESS) | (1u << CAUSE_USER_ECALL) | (1u << CAUSE_SUPERVISOR_ECALL) |      \
     (1u << CAUSE_FETCH_PAGE_FAULT) | (1u << CAUSE_LOAD_PAGE_FAULT) |                              \
     (1u << CAUSE_STORE_PAGE_FAULT))

uint64_t rv_time(rv_cpu_t *cpu)
{
    uint64_t t = cpu->bus.time_now ? cpu->bus.time_now(cpu->bus.opaque) : cpu->instret;
    cpu->last_time = t;
    return t;
}

void rv_update_timers(rv_cpu_t *cpu)
{
    uint64_t now = rv_time(cpu);
    uint64_t mip = cpu->mip & ~MIP_MTIP;
    if (now >= cpu->mtimecmp) mip |= MIP_MTIP;
    if (cpu->sbi_enabled || (cpu->menvcfg & MENVCFG_STCE)) {
        uint64_t deadline = (cpu->menvcfg & MENVCFG_STCE) ? cpu->stimecmp : cpu->sbi_timer;
        mip = (mip & ~MIP_STIP) | (now >= deadline ? MIP_STIP : 0);
    }
    if (cpu->msip)
        mip |= MIP_MSIP;
    else
        mip &= ~MIP_MSIP;
    cpu->mip = mip;
}

uint64_t rv_next_deadline(const rv_cpu_t *cpu)
{
    uint64_t d = UINT64_MAX;
    if (cpu->mie & MIP_MTIP) d = cpu->mtimecmp;
    if ((cpu->mie & MIP_STIP) && (cpu->sbi_enabled || (cpu->menvcfg & MENVCFG_STCE))) {
        uint64_t s = (cpu->menvcfg & MENVCFG_STCE) ? cpu->stimecmp : cpu->sbi_timer;
        if (s < d) d = s;
    }
    return d;
}

void rv_set_priv(rv_cpu_t *cpu, unsigned priv)
{
    cpu->priv = priv;
    rv_tlb_select(cpu);
}

static void set_mstatus(rv_cpu_t *cpu, uint64_t v)
{
    uint64_t old = cpu->mstatus;
    uint64_t mpp = (v & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
    if (mpp == 2) v = (v & ~MSTATUS_MPP) | (old & MSTATUS_MPP); /* reserved: keep (WARL) */
    uint64_t m = (old & ~MSTATUS_WRITABLE) | (v & MSTATUS_WRITABLE);
    if ((m & MSTATUS_FS) == MSTATUS_FS)
        m |= MSTATUS_SD;
    else
        m &= ~MSTATUS_SD;
    cpu->mstatus = m;
    uint64_t changed = old ^ m;
    if (changed & MSTATUS_MXR)
        rv_tlb_flush(cpu); /* changes what every set may read */
    else if (changed & (MSTATUS_MPRV | MSTATUS_MPP | MSTATUS_SUM))
        rv_tlb_flush_set(cpu, RV_TLB_M);
    if (changed & MSTATUS_SUM) rv_tlb_select(cpu);
}

/* Counter access from S and U modes, gated by mcounteren/scounteren (priv. spec 3.1.11). */
static int counter_allowed(const rv_cpu_t *cpu, unsigned csr)
{
    unsigned bit = csr & 31;
    if (cpu->priv < RV_PRIV_M && !((cpu->mcounteren >> bit) & 1)) return 0;
    if (cpu->priv == RV_PRIV_U && !((cpu->scounteren >> bit) & 1)) return 0;
    return 1;
}

int rv_csr_read(rv_cpu_t *cpu, unsigned csr, uint64_t *val)
{
    if (((csr >> 8) & 3) > cpu->priv) return -1;
    switch (csr) {
    case CSR_FFLAGS:
    case CSR_FRM:
    case CSR_FCSR:
        if ((cpu->mstatus & MSTATUS_FS) == 0) return -1;
        *val = csr == CSR_FFLAGS ? cpu->fflags
               : csr == CSR_FRM  ? cpu->frm
                                 : (cpu->frm << 5 | cpu->fflags);
        return 0;
    case CSR_CYCLE:
    case CSR_INSTRET:
        if (!counter_allowed(cpu, csr)) return -1;
        *val = cpu->instret;
        return 0;
    case CSR_TIME:
        if (!counter_allowed(cpu, csr)) return -1;
        *val = rv_time(cpu);
        return 0;
    case CSR_SSTATUS: *val = cpu->mstatus & SSTATUS_MASK; return 0;
    case CSR_SIE: *val = cpu->mie & cpu->mideleg; return 0;
    case CSR_STVEC: *val = cpu->stvec; return 0;
    case CSR_SCOUNTEREN: *val = cpu->scounteren; return 0;
    case CSR_SENVCFG: *val = cpu->senvcfg; return 0;
    case CSR_SSCRATCH: *val = cpu->sscratch; return 0;
    case CSR_SEPC: *val = cpu->sepc; return 0;
    case CSR_SCAUSE: *val = cpu->scause; return 0;
    case CSR_STVAL: *val = cpu->stval; return 0;
    case CSR_SIP: *val = cpu->mip & cpu->mideleg; return 0;
    case CSR_STIMECMP:
        if (cpu->priv < RV_PRIV_M && !(cpu->menvcfg & MENVCFG_STCE)) return -1;
        *val = cpu->stimecmp;
        return 0;
    case CSR_SATP:
        if (cpu->priv == RV_PRIV_S && (cpu->mstatus & MSTATUS_TVM)) return -1;
        *val = cpu->satp;
        return 0;
    case CSR_MVENDORID:
    case CSR_MARCHID:
    case CSR_MIMPID:
    case CSR_MCONFIGPTR: *val = 0; return 0;
    case CSR_MHARTID: *val = cpu->mhartid; return 0;
    case CSR_MSTATUS: *val = cpu->mstatus; return 0;
    case CSR_MISA: *val = MISA_VALUE; return 0;
    case CSR_MEDELEG: *val = cpu->medeleg; return 0;
    case CSR_MIDELEG: *val = cpu->mideleg; return 0;
    case CSR_MIE: *val = cpu->mie; return 0;
    case CSR_MTVEC: *val = cpu->mtvec; return 0;
    case CSR_MCOUNTEREN: *val = cpu->mcounteren; return 0;
    case CSR_MENVCFG: *val = cpu->menvcfg; return 0;
    case CSR_MCOUNTINHIBIT: *val = cpu->mcountinhibit; return 0;
    case CSR_MSCRATCH: *val = cpu->mscratch; return 0;
    case CSR_MEPC: *val = cpu->mepc; return 0;
    case CSR_MCAUSE: *val = cpu->mcause; return 0;
    case CSR_MTVAL: *val = cpu->mtval; return 0;
    case CSR_MIP: *val = cpu->mip; return 0;
    case CSR_MCYCLE:
    case CSR_MINSTRET: *val = cpu->instret; return 0;
    case CSR_TSELECT:
    case CSR_TDATA1:
    case CSR_TDATA1 + 1:
    case CSR_TDATA3:
        *val = 0; /* no triggers: tdata1 type 0 says so */
        return 0;
    default: break;
    }
    if (csr >= CSR_HPMCOUNTER3 && csr <= CSR_HPMCOUNTER31) {
        if (!counter_allowed(cpu, csr)) return -1;
        *val = 0;
        return 0;
    }
    if ((csr >= CSR_MHPMCOUNTER3 && csr <= CSR_MHPMCOUNTER31) ||
        (csr >= CSR_MHPMEVENT3 && csr <= CSR_MHPMEVENT31)) {
        *val = 0;
        return 0;
    }
    if (csr >= CSR_PMPCFG0 && csr <= CSR_PMPCFG15) {
        /* RV64 uses only the even pmpcfg registers; two are kept, the rest read zero. */
        unsigned i = csr - CSR_PMPCFG0;
        if (i & 1) return -1;
        *val = i / 2 < 2 ? cpu->pmpcfg[i / 2] : 0;
        return 0;
    }
    if (csr >= CSR_PMPADDR0 && csr <= CSR_PMPADDR63) {
        unsigned i = csr - CSR_PMPADDR0;
        *val = i < 16 ? cpu->pmpaddr[i] : 0;
        return 0;
    }
    return -1;
}

int rv_csr_write(rv_cpu_t *cpu, unsigned csr, uint64_t v)
{
    if (((csr >> 8) & 3) > cpu->priv) return -1;
    if ((csr >> 10) == 3) return -1; /* read-only CSR */
    switch (csr) {
    case CSR_FFLAGS:
    case CSR_FRM:
    case CSR_FCSR:
        if ((cpu->mstatus & MSTATUS_FS) == 0) return -1;
        if (csr == CSR_FFLAGS)
            cpu->fflags = v & 31;
        else if (csr == CSR_FRM)
            cpu->frm = v & 7;
        else {
            cpu->fflags = v & 31;
            cpu->frm = (v >> 5) & 7;
        }
        cpu->mstatus |= MSTATUS_FS | MSTATUS_SD;
        return 0;
    case CSR_SSTATUS:
        set_mstatus(cpu, (cpu->mstatus & ~SSTATUS_MASK) | (v & SSTATUS_MASK));
        return 0;
    case CSR_SIE: cpu->mie = (cpu->mie & ~cpu->mideleg) | (v & cpu->mideleg); return 0;
    case CSR_STVEC: cpu->stvec = v & ~2ull; return 0;
    case CSR_SCOUNTEREN: cpu->scounteren = v & 0xffffffff; return 0;
    case CSR_SENVCFG: cpu->senvcfg = 0; return 0; /* no FIOM/CBIE/CBCFE/CBZE */
    case CSR_SSCRATCH: cpu->sscratch = v; return 0;
    case CSR_SEPC: cpu->sepc = v & ~1ull; return 0;
    case CSR_SCAUSE: cpu->scause = v; return 0;
    case CSR_STVAL: cpu->stval = v; return 0;
    case CSR_SIP: {
        /* Only SSIP is writable from S-mode, and only if delegated. */
        uint64_t m = MIP_SSIP & cpu->mideleg;
        cpu->mip = (cpu->mip & ~m) | (v & m);
        return 0;
    }
    case CSR_STIMECMP:
        if (cpu->priv < RV_PRIV_M && !(cpu->menvcfg & MENVCFG_STCE)) return -1;
        cpu->stimecmp = v;
        rv_update_timers(cpu);
        return 0;
    case CSR_SATP: {
        if (cpu->priv == RV_PRIV_S && (cpu->mstatus & MSTATUS_TVM)) return -1;
        unsigned mode = (unsigned)(v >> SATP_MODE_SHIFT);
        if (mode != SATP_MODE_BARE && mode != SATP_MODE_SV39 && mode != SATP_MODE_SV48)
            return 0; /* unsupported mode: the write has no effect (WARL) */
        /* ASID bits above SATP_ASID_BITS read as 0. Another ASID or root table needs no flush
         * (the TLB is tagged by ASID, and software fences a reused ASID); another mode does, as
         * entries made without translation look like translations to the same tag. M-mode's
         * set (MPRV accesses) is untagged. */
        uint64_t old = cpu->satp;
        cpu->satp = v & (0xfull << SATP_MODE_SHIFT | SATP_ASID_MASK | SATP_PPN_MASK);
        if ((old ^ cpu->satp) >> SATP_MODE_SHIFT)
            rv_tlb_flush(cpu);
        else
            rv_tlb_flush_set(cpu, RV_TLB_M);
        rv_tlb_select(cpu);
        return 0;
    }
    case CSR_MSTATUS: set_mstatus(cpu, v); return 0;
    case CSR_MISA: return 0;
    case CSR_MEDELEG: cpu->medeleg = v & MEDELEG_WRITABLE; return 0;
    case CSR_MIDELEG: cpu->mideleg = v & S_INTERRUPTS; return 0;
    case CSR_MIE: cpu->mie = v & (S_INTERRUPTS | M_INTERRUPTS); return 0;
    case CSR_MTVEC: cpu->mtvec = v & ~2ull; return 0;
    case CSR_MCOUNTEREN: cpu->mcounteren = v & 0xffffffff; return 0;
    case CSR_MENVCFG:
        cpu->menvcfg = v & MENVCFG_STCE;
        rv_update_timers(cpu);
        return 0;
    case CSR_MCOUNTINHIBIT: cpu->mcountinhibit = v & ~2ull; return 0;
    case CSR_MSCRATCH: cpu->mscratch = v; return 0;
    case CSR_MEPC: cpu->mepc = v & ~1ull; return 0;
    case CSR_MCAUSE: cpu->mcause = v; return 0;
    case CSR_MTVAL: cpu->mtval = v; return 0;
    case CSR_MIP: {
        /* SSIP, STIP and SEIP are writable from M-mode; the others follow the hardware. STIP is
         * hardware-driven when the SBI timer or Sstc own it. */
        uint64_t m = MIP_SSIP | MIP_SEIP;
        if (!cpu->sbi_enabled && !(cpu->menvcfg & MENVCFG_STCE)) m |= MIP_STIP;
        cpu->seip_sw = v & MIP_SEIP;
        cpu->mip = (cpu->mip & ~m) | (v & m) | (cpu->ext_hw & MIP_SEIP);
        return 0;
    }
    case CSR_MCYCLE:
    case CSR_MINSTRET:
        /* This instruction retires after the write, so the next read sees v + 1. */
        cpu->instret = v - 1;
        return 0;
    case CSR_TSELECT:
    case CSR_TDATA1:
    case CSR_TDATA1 + 1:
    case CSR_TDATA3: return 0;
    default: break;
    }
    if ((csr >= CSR_MHPMCOUNTER3 && csr <= CSR_MHPMCOUNTER31) ||
        (csr >= CSR_MHPMEVENT3 && csr <= CSR_MHPMEVENT31))
        return 0;
    if (csr >= CSR_PMPCFG0 && csr <= CSR_PMPCFG15) {
        unsigned i = csr - CSR_PMPCFG0;
        if (i & 1) return -1;
        if (i / 2 < 2) cpu->pmpcfg[i / 2] = v;
        return 0;
    }
    if (csr >= CSR_PMPADDR0 && csr <= CSR_PMPADDR63) {
        unsigned i = csr - CSR_PMPADDR0;
        if (i < 16) cpu->pmpaddr[i] = v & ((1ull << 54) - 1);
        return 0;
    }
    return -1;
}

/* ---- traps ------------------------------------------------------------------------------ */

static void enter_trap(rv_cpu_t *cpu, uint64_t cause, uint64_t tval, uint64_t pc)
{
    int is_irq = (cause & CAUSE_INTERRUPT) != 0;
    unsigned code = (unsigned)(cause & 63);
    uint64_t deleg = is_irq ? cpu->mideleg : cpu->medeleg;
    cpu->resv_valid = 0;
    cpu->wfi = 0;
    if (cpu->priv <= RV_PRIV_S && ((deleg >> code) & 1)) {
        cpu->scause = cause;
        cpu->sepc = pc;
        cpu->stval = tval;
        uint64_t s = cpu->mstatus;
        s = (s & ~MSTATUS_SPIE) | ((s & MSTATUS_SIE) ? MSTATUS_SPIE : 0);
        s = (s & ~MSTATUS_SPP) | (cpu->priv == RV_PRIV_S ? MSTATUS_SPP : 0);
        cpu->mstatus = s & ~MSTATUS_SIE;
        rv_set_priv(cpu, RV_PRIV_S);
        uint64_t base = cpu->stvec & ~3ull;
        cpu->pc = ((cpu->stvec & 1) && is_irq) ? base + 4 * code : base;
    } else {
        cpu->mcause = cause;
        cpu->mepc = pc;
        cpu->mtval = tval;
        uint64_t s = cpu->mstatus;
        s = (s & ~MSTATUS_MPIE) | ((s & MSTATUS_MIE) ? MSTATUS_MPIE : 0);
        s = (s & ~MSTATUS_MPP) | ((uint64_t)cpu->priv << MSTATUS_MPP_SHIFT);
        /* Under MPRV, M-mode's TLB set holds translations made for the old MPP. */
        if ((s & MSTATUS_MPRV) && ((s ^ cpu->mstatus) & MSTATUS_MPP))
            rv_tlb_flush_set(cpu, RV_TLB_M);
        cpu->mstatus = s & ~MSTATUS_MIE;
        rv_set_priv(cpu, RV_PRIV_M);
        uint64_t base = cpu->mtvec & ~3ull;
        cpu->pc = ((cpu->mtvec & 1) && is_irq) ? base + 4 * code : base;
    }
}

void rv_raise(rv_cpu_t *cpu, uint64_t cause, uint64_t tval, uint64_t pc)
{
    enter_trap(cpu, cause, tval, pc);
}

/* Interrupt priority: MEI, MSI, MTI, SEI, SSI, STI (priv. spec 3.1.9). */
static const unsigned irq_priority[6] = {IRQ_M_EXT, IRQ_M_SOFT, IRQ_M_TIMER,
                                         IRQ_S_EXT, IRQ_S_SOFT, IRQ_S_TIMER};

int rv_check_interrupts(rv_cpu_t *cpu)
{
    uint64_t pending = cpu->mip & cpu->mie;
    if (!pending) return 0;
    uint64_t m_pending = pending & ~cpu->mideleg;
    uint64_t s_pending = pending & cpu->mideleg;
    int m_enabled = cpu->priv < RV_PRIV_M || (cpu->mstatus & MSTATUS_MIE);
    int s_enabled =
        cpu->priv < RV_PRIV_S || (cpu->priv == RV_PRIV_S && (cpu->mstatus & MSTATUS_SIE));
    uint64_t take = (m_enabled ? m_pending : 0) | (s_enabled ? s_pending : 0);
    if (!take) return 0;
    for (unsigned i = 0; i < 6; i++) {
        if ((take >> irq_priority[i]) & 1) {
            enter_trap(cpu, CAUSE_INTERRUPT | irq_priority[i], 0, cpu->pc);
            return 1;
        }
    }
    return 0;
}

void rv_mret(rv_cpu_t *cpu)
{
    uint64_t s = cpu->mstatus;
    unsigned mpp = (unsigned)((s & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);
    s = (s & ~MSTATUS_MIE) | ((s & MSTATUS_MPIE) ? MSTATUS_MIE : 0);
    s |= MSTATUS_MPIE;
    s &= ~MSTATUS_MPP; /* MPP becomes U, the least-privileged mode */
    if (mpp != RV_PRIV_M) s &= ~MSTATUS_MPRV;
    if ((cpu->mstatus ^ s) & (MSTATUS_MPRV | MSTATUS_MPP)) rv_tlb_flush_set(cpu, RV_TLB_M);
    cpu->mstatus = s;
    cpu->resv_valid = 0;
    rv_set_priv(cpu, mpp);
    cpu->pc = cpu->mepc;
}

void rv_sret(rv_cpu_t *cpu)
{
    uint64_t s = cpu->mstatus;
    unsigned spp = (s & MSTATUS_SPP) ? RV_PRIV_S : RV_PRIV_U;
    s = (s & ~MSTATUS_SIE) | ((s & MSTATUS_SPIE) ? MSTATUS_SIE : 0);
    s |= MSTATUS_SPIE;
    s &= ~MSTATUS_SPP;
    s &= ~MSTATUS_MPRV; /* returning to a mode below M clears MPRV */
    if ((cpu->mstatus ^ s) & MSTATUS_MPRV) rv_tlb_flush_set(cpu, RV_TLB_M);
    cpu->mstatus = s;
    cpu->resv_valid = 0;
    rv_set_priv(cpu, spp);
    cpu->pc = cpu->sepc;
}

/* ---- lifecycle and accessors ------------------------------------------------------------ */

unsigned long rv_cpu_size(void) { return sizeof(rv_cpu_t); }

void rv_cpu_init(rv_cpu_t *cpu, const tvm_bus_t *bus, uint64_t hartid)
{
    memset(cpu, 0, offsetof(rv_cpu_t, arena));
    cpu->jit.hot = INT32_MAX; /* off until rv_jit_attach */
    cpu->bus = *bus;
    /* Chained blocks poll this word for device interrupts (rv_exec.c); with no interrupt
     * controller it is a word that never changes. */
    cpu->irq_watch = bus->irq_seq ? bus->irq_seq : &cpu->irq_seen;
    cpu->mhartid = hartid;
    rv_cpu_reset(cpu, bus->ram_base);
}

void rv_cpu_reset(rv_cpu_t *cpu, uint64_t pc)
{
    memset(cpu->x, 0, sizeof cpu->x);
    memset(cpu->f, 0, sizeof cpu->f);
    cpu->pc = pc;
    cpu->mstatus = MSTATUS_UXL & (2ull << 32);
    cpu->mstatus |= MSTATUS_SXL & (2ull << 34);
    cpu->misa = MISA_VALUE;
    cpu->mtimecmp = UINT64_MAX;
    cpu->stimecmp = UINT64_MAX;
    cpu->sbi_timer = UINT64_MAX;
    cpu->wfi = 0;
    cpu->halted = 0;
    cpu->resv_valid = 0;
    cpu->tlb_filled = (1u << RV_TLB_SETS) - 1;
    rv_tlb_flush(cpu);
    rv_set_priv(cpu, RV_PRIV_M);
    rv_flush_code(cpu);
}

uint64_t rv_get_pc(const rv_cpu_t *cpu) { return cpu->pc; }
uint64_t rv_get_xreg(const rv_cpu_t *cpu, unsigned r) { return r < 32 ? cpu->x[r] : 0; }
void rv_set_xreg(rv_cpu_t *cpu, unsigned r, uint64_t v)
{
    if (r > 0 && r < 32) cpu->x[r] = v;
}
uint64_t rv_get_instret(const rv_cpu_t *cpu) { return cpu->instret; }
unsigned rv_get_priv(const rv_cpu_t *cpu) { return cpu->priv; }
uint32_t rv_irq_seen(const rv_cpu_t *cpu) { return cpu->irq_seen; }

void rv_get_arch_state(const rv_cpu_t *cpu, uint64_t out[RV_ARCH_STATE_WORDS])
{
    memcpy(out, cpu->x, 32 * sizeof(uint64_t));
    memcpy(out + 32, cpu->f, 32 * sizeof(uint64_t));
    out[RV_ARCH_PC] = cpu->pc;
    out[RV_ARCH_PRIV] = cpu->priv;
    out[RV_ARCH_INSTRET] = cpu->instret;
    out[RV_ARCH_FFLAGS] = cpu->fflags;
    out[RV_ARCH_FRM] = cpu->frm;
    out[RV_ARCH_MSTATUS] = cpu->mstatus;
    out[RV_ARCH_MCAUSE] = cpu->mcause;
    out[RV_ARCH_MEPC] = cpu->mepc;
    out[RV_ARCH_MTVAL] = cpu->mtval;
    out[RV_ARCH_SCAUSE] = cpu->scause;
    out[RV_ARCH_SEPC] = cpu->sepc;
    out[RV_ARCH_STVAL] = cpu->stval;
    out[RV_ARCH_SATP] = cpu->satp;
    out[RV_ARCH_MIP] = cpu->mip;
    out[RV_ARCH_MIE] = cpu->mie;
    out[RV_ARCH_MSCRATCH] = cpu->mscratch;
    out[RV_ARCH_SSCRATCH] = cpu->sscratch;
    out[RV_ARCH_RESV_VALID] = (uint64_t)cpu->resv_valid;
    out[RV_ARCH_RESV_ADDR] = cpu->resv_addr;
}
