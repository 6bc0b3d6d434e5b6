/* PLIC register model (see plic.h). Offsets from the RISC-V PLIC specification, chapter 3. */
#include "plic.h"

#include <string.h>

#define PLIC_PRIORITY_BASE 0x000000
#define PLIC_PENDING_BASE 0x001000
#define PLIC_ENABLE_BASE 0x002000
#define PLIC_ENABLE_STRIDE 0x80
#define PLIC_CONTEXT_BASE 0x200000
#define PLIC_CONTEXT_STRIDE 0x1000
#define PLIC_CONTEXT_THRESHOLD 0x0
#define PLIC_CONTEXT_CLAIM 0x4
#define PLIC_PRIORITY_MASK 7u
#define PLIC_SOURCE_MASK 0xfffffffeu /* source 0 does not exist */

void plic_reset(plic_t *p) { memset(p, 0, sizeof *p); }

static void update_pending(plic_t *p) { p->pending |= p->level & ~p->claimed; }

void plic_set_level(plic_t *p, unsigned source, bool high)
{
    if (source == 0 || source >= PLIC_NUM_SOURCES) return;
    uint32_t bit = 1u << source;
    if (high)
        p->level |= bit;
    else {
        p->level &= ~bit;
        p->pending &= ~bit; /* a level source that dropped is no longer pending */
    }
    update_pending(p);
}

/* The highest-priority pending enabled source above the context's threshold, or 0. */
static unsigned best_source(const plic_t *p, unsigned ctx)
{
    uint32_t cand = p->pending & p->enable[ctx] & PLIC_SOURCE_MASK;
    unsigned best = 0;
    uint32_t best_prio = p->threshold[ctx];
    for (unsigned s = 1; s < PLIC_NUM_SOURCES; s++)
        if (((cand >> s) & 1) && p->priority[s] > best_prio) {
            best = s;
            best_prio = p->priority[s];
        }
    return best;
}

uint32_t plic_outputs(const plic_t *p)
{
    uint32_t out = 0;
    for (unsigned c = 0; c < PLIC_NUM_CONTEXTS; c++)
        if (best_source(p, c)) out |= 1u << c;
    return out;
}

bool plic_read(plic_t *p, uint64_t off, unsigned size, uint64_t *val)
{
    if (size != 4 || (off & 3)) return false;
    if (off < PLIC_PENDING_BASE) {
        unsigned s = (unsigned)(off / 4);
        *val = s < PLIC_NUM_SOURCES ? p->priority[s] : 0;
        return true;
    }
    if (off < PLIC_ENABLE_BASE) {
        *val = off == PLIC_PENDING_BASE ? p->pending : 0;
        return true;
    }
    if (off < PLIC_CONTEXT_BASE) {
        uint64_t ctx = (off - PLIC_ENABLE_BASE) / PLIC_ENABLE_STRIDE;
        uint64_t word = (off - PLIC_ENABLE_BASE) % PLIC_ENABLE_STRIDE;
        *val = ctx < PLIC_NUM_CONTEXTS && word == 0 ? p->enable[ctx] : 0;
        return true;
    }
    uint64_t ctx = (off - PLIC_CONTEXT_BASE) / PLIC_CONTEXT_STRIDE;
    uint64_t reg = (off - PLIC_CONTEXT_BASE) % PLIC_CONTEXT_STRIDE;
    if (ctx >= PLIC_NUM_CONTEXTS) {
        *val = 0;
        return true;
    }
    if (reg == PLIC_CONTEXT_THRESHOLD) {
        *val = p->threshold[ctx];
    } else if (reg == PLIC_CONTEXT_CLAIM) {
        unsigned s = best_source(p, (unsigned)ctx);
        if (s) {
            p->pending &= ~(1u << s);
            p->claimed |= 1u << s;
        }
        *val = s;
    } else {
        *val = 0;
    }
    return true;
}

bool plic_write(plic_t *p, uint64_t off, unsigned size, uint64_t val)
{
    if (size != 4 || (off & 3)) return false;
    uint32_t v = (uint32_t)val;
    if (off < PLIC_PENDING_BASE) {
        unsigned s = (unsigned)(off / 4);
        if (s > 0 && s < PLIC_NUM_SOURCES) p->priority[s] = v & PLIC_PRIORITY_MASK;
        return true;
    }
    if (off < PLIC_ENABLE_BASE) return true; /* pending bits are read-only */
    if (off < PLIC_CONTEXT_BASE) {
        uint64_t ctx = (off - PLIC_ENABLE_BASE) / PLIC_ENABLE_STRIDE;
        uint64_t word = (off - PLIC_ENABLE_BASE) % PLIC_ENABLE_STRIDE;
        if (ctx < PLIC_NUM_CONTEXTS && word == 0) p->enable[ctx] = v & PLIC_SOURCE_MASK;
        return true;
    }
    uint64_t ctx = (off - PLIC_CONTEXT_BASE) / PLIC_CONTEXT_STRIDE;
    uint64_t reg = (off - PLIC_CONTEXT_BASE) % PLIC_CONTEXT_STRIDE;
    if (ctx >= PLIC_NUM_CONTEXTS) return true;
    if (reg == PLIC_CONTEXT_THRESHOLD) {
        p->threshold[ctx] = v & PLIC_PRIORITY_MASK;
    } else if (reg == PLIC_CONTEXT_CLAIM) {
        /* Completion: the gateway accepts the source again; a level still high re-pends. */
        if (v > 0 && v < PLIC_NUM_SOURCES && (p->enable[ctx] >> v & 1)) {
            p->claimed &= ~(1u << v);
            update_pending(p);
        }
    }
    return true;
}
