/* Address translation (Sv39/Sv48 with hardware A/D updates), the software TLB behind the inline
 * fast paths, and the physical bus: RAM, the core-local CLINT, then the machine's MMIO. */
#include "rv_internal.h"

void rv_tlb_flush_set(rv_cpu_t *cpu, unsigned set)
{
    if (!(cpu->tlb_filled & (1u << set))) return; /* nothing entered since the last flush */
    cpu->tlb_filled &= ~(1u << set);
    cpu->tlb_super &= ~(1u << set);
    for (int a = 0; a < 3; a++)
        for (unsigned i = 0; i < RV_TLB_SIZE; i++)
            cpu->tlb[set][a][i].vpn = RV_TLB_INVALID;
}

void rv_tlb_flush_writes(rv_cpu_t *cpu)
{
    for (unsigned set = 0; set < RV_TLB_SETS; set++)
        for (unsigned i = 0; i < RV_TLB_SIZE; i++)
            cpu->tlb[set][RV_ACCESS_WRITE][i].vpn = RV_TLB_INVALID;
}

void rv_tlb_flush(rv_cpu_t *cpu)
{
    for (unsigned set = 0; set < RV_TLB_SETS; set++)
        rv_tlb_flush_set(cpu, set);
}

/* sfence.vma (priv. spec 4.2.1). Over-invalidating is always allowed: a given address drops
 * its slot in every set and ASID (a slot whose entry came from a superpage stands for only one
 * 4 KiB page of it, but other pages of that superpage may sit in other slots: a set is flushed
 * whole when the address falls in the span of the superpages it has seen); a given ASID drops
 * its entries in the U and S sets (global mappings are not told apart: they are refilled). */
void rv_sfence_vma(rv_cpu_t *cpu, int has_vaddr, uint64_t vaddr, int has_asid, uint64_t asid)
{
    if (has_vaddr) {
        uint64_t vpn = rv_vpn(vaddr), slot = vpn & (RV_TLB_SIZE - 1);
        for (unsigned set = 0; set < RV_TLB_SETS; set++) {
            if ((cpu->tlb_super & (1u << set)) && vpn >= cpu->super_lo[set] &&
                vpn <= cpu->super_hi[set]) {
                rv_tlb_flush_set(cpu, set);
                continue;
            }
            for (int a = 0; a < 3; a++) {
                rv_tlb_entry_t *e = &cpu->tlb[set][a][slot];
                if ((e->vpn & RV_TLB_VPN_MASK) == vpn) e->vpn = RV_TLB_INVALID;
            }
        }
        return;
    }
    if (has_asid) {
        uint64_t tag = (asid & ((1ull << SATP_ASID_BITS) - 1)) << RV_TLB_TAG_SHIFT;
        for (unsigned set = 0; set < RV_TLB_SETS; set++) {
            if (set == RV_TLB_M) {
                rv_tlb_flush_set(cpu, set); /* MPRV entries carry no tag */
                continue;
            }
            if (!(cpu->tlb_filled & (1u << set))) continue;
            for (int a = 0; a < 3; a++)
                for (unsigned i = 0; i < RV_TLB_SIZE; i++) {
                    rv_tlb_entry_t *e = &cpu->tlb[set][a][i];
                    if (e->vpn != RV_TLB_INVALID && (e->vpn & ~RV_TLB_VPN_MASK) == tag)
                        e->vpn = RV_TLB_INVALID;
                }
        }
        return;
    }
    rv_tlb_flush(cpu);
}

void rv_tlb_select(rv_cpu_t *cpu)
{
    if (cpu->priv == RV_PRIV_U)
        cpu->tlb_set = RV_TLB_U;
    else if (cpu->priv == RV_PRIV_S)
        cpu->tlb_set = (cpu->mstatus & MSTATUS_SUM) ? RV_TLB_S_SUM : RV_TLB_S;
    else
        cpu->tlb_set = RV_TLB_M;
    cpu->tlb_tag = cpu->tlb_set == RV_TLB_M
                       ? 0
                       : ((cpu->satp & SATP_ASID_MASK) >> SATP_ASID_SHIFT) << RV_TLB_TAG_SHIFT;
}

static uint8_t *ram_ptr(rv_cpu_t *cpu, uint64_t paddr, unsigned size)
{
    uint64_t off = paddr - cpu->bus.ram_base;
    if (off < cpu->bus.ram_size && size <= cpu->bus.ram_size - off) return cpu->bus.ram + off;
    return NULL;
}

int rv_phys_read(rv_cpu_t *cpu, uint64_t paddr, unsigned size, uint64_t *val)
{
    uint8_t *p = ram_ptr(cpu, paddr, size);
    if (p) {
        *val = rv_host_load(p, size);
        return 0;
    }
    cpu->mmio_touched = 1;
    if (paddr - CLINT_BASE < CLINT_SIZE) return rv_clint_read(cpu, paddr - CLINT_BASE, size, val);
    if (cpu->bus.mmio_read && cpu->bus.mmio_read(cpu->bus.opaque, paddr, size, val)) return 0;
    return -1;
}

int rv_phys_write(rv_cpu_t *cpu, uint64_t paddr, unsigned size, uint64_t val)
{
    uint8_t *p = ram_ptr(cpu, paddr, size);
    if (p) {
        rv_code_note_write(cpu, paddr);
        rv_host_store(p, size, val);
        return 0;
    }
    cpu->mmio_touched = 1;
    if (paddr - CLINT_BASE < CLINT_SIZE) return rv_clint_write(cpu, paddr - CLINT_BASE, size, val);
    if (cpu->bus.mmio_write && cpu->bus.mmio_write(cpu->bus.opaque, paddr, size, val)) return 0;
    return -1;
}

static const uint64_t page_fault_cause[3] = {CAUSE_LOAD_PAGE_FAULT, CAUSE_STORE_PAGE_FAULT,
                                             CAUSE_FETCH_PAGE_FAULT};
static const uint64_t access_fault_cause[3] = {CAUSE_LOAD_ACCESS, CAUSE_STORE_ACCESS,
                                               CAUSE_FETCH_ACCESS};

static int fault(rv_cpu_t *cpu, uint64_t cause, uint64_t vaddr)
{
    cpu->exc_cause = cause;
    cpu->exc_tval = vaddr;
    return -1;
}

/* Virtual to physical (priv. spec 4.3.2). Returns 0, or -1 with the exception recorded. */
static int translate(rv_cpu_t *cpu, uint64_t vaddr, int acc, uint64_t *paddr)
{
    unsigned priv = cpu->priv;
    if (acc != RV_ACCESS_FETCH && (cpu->mstatus & MSTATUS_MPRV) && priv == RV_PRIV_M)
        priv = (unsigned)((cpu->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);
    unsigned mode = (unsigned)(cpu->satp >> SATP_MODE_SHIFT);
    if (priv == RV_PRIV_M || mode == SATP_MODE_BARE) {
        cpu->walk_pages = 1;
        *paddr = vaddr;
        return 0;
    }
    int levels = mode == SATP_MODE_SV39 ? 3 : 4;
    int va_bits = 12 + 9 * levels;
    if ((uint64_t)((int64_t)(vaddr << (64 - va_bits)) >> (64 - va_bits)) != vaddr)
        return fault(cpu, page_fault_cause[acc], vaddr);

    uint64_t table = (cpu->satp & SATP_PPN_MASK) << 12;
    for (int level = levels - 1; level >= 0; level--) {
        uint64_t pte_addr = table + ((vaddr >> (12 + 9 * level)) & 511) * 8;
        uint8_t *pte_host = ram_ptr(cpu, pte_addr, 8);
        if (!pte_host) return fault(cpu, access_fault_cause[acc], vaddr);
        uint64_t pte = rv_host_load(pte_host, 8);
        if (!(pte & PTE_V) || (!(pte & PTE_R) && (pte & PTE_W)) || (pte & PTE_RESERVED_MASK))
            return fault(cpu, page_fault_cause[acc], vaddr);
        uint64_t ppn = (pte >> PTE_PPN_SHIFT) & SATP_PPN_MASK;
        if (!(pte & (PTE_R | PTE_X))) {
            table = ppn << 12;
            continue;
        }
        /* A leaf: check permissions (4.3.1, 3.1.6.3 for SUM and MXR). */
        if (priv == RV_PRIV_U && !(pte & PTE_U)) return fault(cpu, page_fault_cause[acc], vaddr);
        if (priv == RV_PRIV_S && (pte & PTE_U) &&
            (acc == RV_ACCESS_FETCH || !(cpu->mstatus & MSTATUS_SUM)))
            return fault(cpu, page_fault_cause[acc], vaddr);
        int ok;
        if (acc == RV_ACCESS_READ)
            ok = (pte & PTE_R) || ((cpu->mstatus & MSTATUS_MXR) && (pte & PTE_X));
        else if (acc == RV_ACCESS_WRITE)
            ok = (pte & PTE_W) != 0;
        else
            ok = (pte & PTE_X) != 0;
        if (!ok) return fault(cpu, page_fault_cause[acc], vaddr);
        if (level > 0 && (ppn & ((1ull << (9 * level)) - 1)))
            return fault(cpu, page_fault_cause[acc], vaddr); /* misaligned superpage */
        /* Accessed and dirty bits are set by the hardware walk, as QEMU does (Svadu-style). */
        uint64_t updated = pte | PTE_A | (acc == RV_ACCESS_WRITE ? PTE_D : 0);
        if (updated != pte) {
            rv_code_note_write(cpu, pte_addr);
            rv_host_store(pte_host, 8, updated);
        }
        *paddr = (ppn << 12) | (vaddr & ((1ull << (12 + 9 * level)) - 1));
        cpu->walk_pages = 1ull << (9 * level);
        return 0;
    }
    return fault(cpu, page_fault_cause[acc], vaddr);
}

/* Enters a RAM page in the TLB for this access type. */
static void tlb_fill(rv_cpu_t *cpu, int acc, uint64_t vaddr, uint64_t paddr, uint8_t *host)
{
    rv_tlb_entry_t *e = rv_tlb_slot(cpu, acc, vaddr);
    cpu->tlb_filled |= 1u << cpu->tlb_set;
    if (cpu->walk_pages > 1) {
        unsigned set = cpu->tlb_set;
        uint64_t first = rv_vpn(vaddr) & ~(cpu->walk_pages - 1), last = first + cpu->walk_pages - 1;
        if (!(cpu->tlb_super & (1u << set))) {
            cpu->tlb_super |= 1u << set;
            cpu->super_lo[set] = first;
            cpu->super_hi[set] = last;
        } else {
            if (first < cpu->super_lo[set]) cpu->super_lo[set] = first;
            if (last > cpu->super_hi[set]) cpu->super_hi[set] = last;
        }
    }
    e->vpn = rv_tlb_key(cpu, vaddr);
    e->paddr_page = paddr & ~4095ull;
    e->addend = (uintptr_t)(host - (paddr & 4095)) - (uintptr_t)(vaddr & ~4095ull);
}

/* One naturally aligned (or single-page) access. */
static int access_one(rv_cpu_t *cpu, uint64_t vaddr, unsigned size, int acc, uint64_t *val)
{
    uint64_t paddr;
    if (translate(cpu, vaddr, acc, &paddr)) return -1;
    uint8_t *host = ram_ptr(cpu, paddr, size);
    if (host) {
        if (acc == RV_ACCESS_WRITE) rv_code_note_write(cpu, paddr);
        if (ram_ptr(cpu, paddr & ~4095ull, 4096)) tlb_fill(cpu, acc, vaddr, paddr, host);
        if (acc == RV_ACCESS_WRITE)
            rv_host_store(host, size, *val);
        else
            *val = rv_host_load(host, size);
        return 0;
    }
    int r = acc == RV_ACCESS_WRITE ? rv_phys_write(cpu, paddr, size, *val)
                                   : rv_phys_read(cpu, paddr, size, val);
    return r ? fault(cpu, access_fault_cause[acc], vaddr) : 0;
}

/* Misaligned accesses are carried out in hardware (priv. spec 3.6.4 allows either): both pages
 * are translated first, so a fault leaves memory untouched and reports the faulting byte. */
static int access_misaligned(rv_cpu_t *cpu, uint64_t vaddr, unsigned size, int acc, uint64_t *val)
{
    uint64_t paddr, last = vaddr + size - 1;
    if (translate(cpu, vaddr, acc, &paddr)) return -1;
    if ((last >> 12) != (vaddr >> 12) && translate(cpu, last & ~4095ull, acc, &paddr)) {
        cpu->exc_tval = last & ~4095ull;
        return -1;
    }
    uint64_t v = acc == RV_ACCESS_WRITE ? *val : 0;
    for (unsigned i = 0; i < size; i++) {
        uint64_t byte = (v >> (8 * i)) & 0xff;
        if (access_one(cpu, vaddr + i, 1, acc, &byte)) return -1;
        if (acc != RV_ACCESS_WRITE) v |= byte << (8 * i);
    }
    if (acc != RV_ACCESS_WRITE) *val = v;
    return 0;
}

int rv_load_slow(rv_cpu_t *cpu, uint64_t vaddr, unsigned size, uint64_t *val)
{
    if (vaddr & (size - 1)) return access_misaligned(cpu, vaddr, size, RV_ACCESS_READ, val);
    return access_one(cpu, vaddr, size, RV_ACCESS_READ, val);
}

int rv_store_slow(rv_cpu_t *cpu, uint64_t vaddr, unsigned size, uint64_t val)
{
    if (vaddr & (size - 1)) return access_misaligned(cpu, vaddr, size, RV_ACCESS_WRITE, &val);
    return access_one(cpu, vaddr, size, RV_ACCESS_WRITE, &val);
}

int rv_fetch_translate(rv_cpu_t *cpu, uint64_t vaddr, uint64_t *paddr, uint8_t **host)
{
    if (translate(cpu, vaddr, RV_ACCESS_FETCH, paddr)) return -1;
    *host = ram_ptr(cpu, *paddr & ~4095ull, 4096) ? ram_ptr(cpu, *paddr, 2) : NULL;
    if (*host) tlb_fill(cpu, RV_ACCESS_FETCH, vaddr, *paddr, *host);
    return 0;
}

uint8_t *rv_translate_rmw(rv_cpu_t *cpu, uint64_t vaddr, unsigned size, int is_lr)
{
    int acc = is_lr ? RV_ACCESS_READ : RV_ACCESS_WRITE;
    uint64_t paddr;
    if (vaddr & (size - 1)) {
        fault(cpu, is_lr ? CAUSE_MISALIGNED_LOAD : CAUSE_MISALIGNED_STORE, vaddr);
        return NULL;
    }
    if (translate(cpu, vaddr, acc, &paddr)) return NULL;
    uint8_t *host = ram_ptr(cpu, paddr, size);
    if (!host)
        fault(cpu, access_fault_cause[acc], vaddr); /* no atomics on MMIO */
    else if (!is_lr)
        rv_code_note_write(cpu, paddr);
    return host;
}
