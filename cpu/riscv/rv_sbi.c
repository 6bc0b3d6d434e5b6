/* A RISC-V SBI (v1.0) implemented in the emulator, so a kernel boots in S-mode without M-mode
 * firmware: fewer instructions per timer tick and console byte than trapping into an
 * emulated OpenSBI, and nothing to download or build. Extensions: base, TIME, IPI, RFENCE,
 * HSM (status only), SRST, and the legacy console, timer and shutdown calls. */
#include "rv_internal.h"

/* Extension IDs and error codes (SBI spec v1.0, chapters 3-10). */
#define SBI_EXT_LEGACY_SET_TIMER 0x00
#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_LEGACY_GETCHAR 0x02
#define SBI_EXT_LEGACY_CLEAR_IPI 0x03
#define SBI_EXT_LEGACY_SEND_IPI 0x04
#define SBI_EXT_LEGACY_REMOTE_FENCE_I 0x05
#define SBI_EXT_LEGACY_REMOTE_SFENCE_VMA 0x06
#define SBI_EXT_LEGACY_REMOTE_SFENCE_VMA_ASID 0x07
#define SBI_EXT_LEGACY_SHUTDOWN 0x08
#define SBI_EXT_BASE 0x10
#define SBI_EXT_TIME 0x54494d45
#define SBI_EXT_IPI 0x735049
#define SBI_EXT_RFENCE 0x52464e43
#define SBI_EXT_HSM 0x48534d
#define SBI_EXT_SRST 0x53525354
#define SBI_EXT_DBCN 0x4442434e
#define SBI_SUCCESS 0
#define SBI_ERR_NOT_SUPPORTED (-2)
#define SBI_ERR_INVALID_PARAM (-3)
#define SBI_SPEC_VERSION_2_0 (2u << 24)
#define SBI_IMPL_ID_TABVM 0x54564d /* not a registered ID: "TVM" */
#define SBI_HSM_STATE_STARTED 0

void rv_sbi_enable(rv_cpu_t *cpu, const rv_sbi_host_t *host)
{
    cpu->sbi_enabled = 1;
    cpu->sbi = *host;
    cpu->sbi_timer = UINT64_MAX;
}

void rv_boot_supervisor(rv_cpu_t *cpu, uint64_t entry, uint64_t dtb_paddr)
{
    /* What M-mode firmware leaves behind: every delegable trap goes to S-mode, counters are
     * readable from S and U, and the FPU is off until the kernel turns it on. */
    cpu->mideleg = MIP_SSIP | MIP_STIP | MIP_SEIP;
    cpu->medeleg = (1u << CAUSE_MISALIGNED_FETCH) | (1u << CAUSE_FETCH_ACCESS) |
                   (1u << CAUSE_ILLEGAL_INSTRUCTION) | (1u << CAUSE_BREAKPOINT) |
                   (1u << CAUSE_MISALIGNED_LOAD) | (1u << CAUSE_LOAD_ACCESS) |
                   (1u << CAUSE_MISALIGNED_STORE) | (1u << CAUSE_STORE_ACCESS) |
                   (1u << CAUSE_USER_ECALL) | (1u << CAUSE_FETCH_PAGE_FAULT) |
                   (1u << CAUSE_LOAD_PAGE_FAULT) | (1u << CAUSE_STORE_PAGE_FAULT);
    cpu->mcounteren = 7;
    cpu->scounteren = 7;
    cpu->menvcfg |= MENVCFG_STCE; /* Sstc: the kernel may program stimecmp itself */
    cpu->mie = 0;
    cpu->x[10] = cpu->mhartid;
    cpu->x[11] = dtb_paddr;
    cpu->pc = entry;
    rv_set_priv(cpu, RV_PRIV_S);
}

/* A kernel that does not use Sstc still sets its timer through SBI; with Sstc enabled the
 * deadline that counts is stimecmp, so that is where it goes (as OpenSBI does). */
static void set_timer(rv_cpu_t *cpu, uint64_t deadline)
{
    if (cpu->menvcfg & MENVCFG_STCE)
        cpu->stimecmp = deadline;
    else
        cpu->sbi_timer = deadline;
    rv_update_timers(cpu);
}

static int64_t probe(uint64_t ext)
{
    switch (ext) {
    case SBI_EXT_TIME:
    case SBI_EXT_IPI:
    case SBI_EXT_RFENCE:
    case SBI_EXT_HSM:
    case SBI_EXT_SRST:
    case SBI_EXT_DBCN:
    case SBI_EXT_BASE: return 1;
    default: return ext <= SBI_EXT_LEGACY_SHUTDOWN;
    }
}

/* Debug console (SBI 2.0, chapter 12): kernels without the legacy console calls (Debian's, for
 * one) print their early console through it. The buffer is guest physical memory and must lie
 * in RAM: anything else is SBI_ERR_INVALID_PARAM, never a host access. */
static int64_t dbcn(rv_cpu_t *cpu, uint64_t fid, const uint64_t *a, int64_t *val)
{
    if (fid == 2) { /* write_byte */
        if (cpu->sbi.console_putchar) cpu->sbi.console_putchar(cpu->sbi.opaque, (int)(a[0] & 0xff));
        return SBI_SUCCESS;
    }
    if (fid > 1) return SBI_ERR_NOT_SUPPORTED;
    uint64_t n = a[0], addr = a[1]; /* a[2], the high half, must be 0 on RV64 */
    uint64_t off = addr - cpu->bus.ram_base;
    if (a[2] || off >= cpu->bus.ram_size || n > cpu->bus.ram_size - off)
        return SBI_ERR_INVALID_PARAM;
    uint64_t done = 0;
    if (fid == 0) { /* write */
        for (; done < n && cpu->sbi.console_putchar; done++)
            cpu->sbi.console_putchar(cpu->sbi.opaque, cpu->bus.ram[off + done]);
        done = n; /* without a console the bytes are dropped, as written */
    } else {      /* read: what input is waiting, without blocking */
        for (; done < n && cpu->sbi.console_getchar; done++) {
            int ch = cpu->sbi.console_getchar(cpu->sbi.opaque);
            if (ch < 0) break;
            rv_phys_write(cpu, addr + done, 1, (uint64_t)ch);
        }
    }
    *val = (int64_t)done;
    return SBI_SUCCESS;
}

int rv_sbi_call(rv_cpu_t *cpu)
{
    uint64_t *a = &cpu->x[10];
    uint64_t ext = cpu->x[17], fid = cpu->x[16];
    int64_t err = SBI_SUCCESS, val = 0;
    switch (ext) {
    /* Legacy calls return their result in a0 only. */
    case SBI_EXT_LEGACY_SET_TIMER:
        set_timer(cpu, a[0]);
        a[0] = 0;
        return 1;
    case SBI_EXT_LEGACY_PUTCHAR:
        if (cpu->sbi.console_putchar) cpu->sbi.console_putchar(cpu->sbi.opaque, (int)(a[0] & 0xff));
        a[0] = 0;
        return 1;
    case SBI_EXT_LEGACY_GETCHAR:
        a[0] =
            (uint64_t)(int64_t)(cpu->sbi.console_getchar ? cpu->sbi.console_getchar(cpu->sbi.opaque)
                                                         : -1);
        return 1;
    case SBI_EXT_LEGACY_CLEAR_IPI:
        cpu->mip &= ~MIP_SSIP;
        a[0] = 0;
        return 1;
    case SBI_EXT_LEGACY_SEND_IPI:
        cpu->mip |= MIP_SSIP;
        a[0] = 0;
        return 1;
    case SBI_EXT_LEGACY_REMOTE_FENCE_I:
        rv_fence_i(cpu);
        a[0] = 0;
        return 1;
    case SBI_EXT_LEGACY_REMOTE_SFENCE_VMA:
    case SBI_EXT_LEGACY_REMOTE_SFENCE_VMA_ASID:
        rv_tlb_flush(cpu);
        a[0] = 0;
        return 1;
    case SBI_EXT_LEGACY_SHUTDOWN:
        cpu->halted = 1;
        if (cpu->sbi.system_reset) cpu->sbi.system_reset(cpu->sbi.opaque, 0, 0);
        return 1;

    case SBI_EXT_BASE:
        switch (fid) {
        case 0: val = SBI_SPEC_VERSION_2_0; break;
        case 1: val = SBI_IMPL_ID_TABVM; break;
        case 2: val = 1; break;
        case 3: val = probe(a[0]); break;
        case 4:
        case 5:
        case 6: val = 0; break; /* mvendorid, marchid, mimpid */
        default: err = SBI_ERR_NOT_SUPPORTED;
        }
        break;
    case SBI_EXT_TIME:
        if (fid == 0)
            set_timer(cpu, a[0]);
        else
            err = SBI_ERR_NOT_SUPPORTED;
        break;
    case SBI_EXT_IPI: /* one hart: only hart 0 can be a target */
        if (fid != 0)
            err = SBI_ERR_NOT_SUPPORTED;
        else if (a[1] == UINT64_MAX ||
                 (a[1] <= cpu->mhartid && ((a[0] >> (cpu->mhartid - a[1])) & 1)))
            cpu->mip |= MIP_SSIP;
        break;
    case SBI_EXT_RFENCE:
        if (fid == 0)
            rv_fence_i(cpu);
        else if (fid <= 2)
            rv_tlb_flush(cpu);
        else
            err = SBI_ERR_NOT_SUPPORTED;
        break;
    case SBI_EXT_HSM:
        if (fid == 2) { /* hart_get_status */
            if (a[0] == cpu->mhartid)
                val = SBI_HSM_STATE_STARTED;
            else
                err = SBI_ERR_INVALID_PARAM;
        } else {
            err = SBI_ERR_NOT_SUPPORTED;
        }
        break;
    case SBI_EXT_SRST:
        if (fid == 0 && a[0] <= 2) {
            cpu->halted = 1;
            if (cpu->sbi.system_reset)
                cpu->sbi.system_reset(cpu->sbi.opaque, (uint32_t)a[0], (uint32_t)a[1]);
        } else {
            err = SBI_ERR_INVALID_PARAM;
        }
        break;
    case SBI_EXT_DBCN: err = dbcn(cpu, fid, a, &val); break;
    default: err = SBI_ERR_NOT_SUPPORTED;
    }
    a[0] = (uint64_t)err;
    a[1] = (uint64_t)val;
    return 1;
}
