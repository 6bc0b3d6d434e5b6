/* The core-local interruptor: M-mode software interrupt (msip), timer compare (mtimecmp) and the
 * platform time (mtime), at the SiFive CLINT offsets. It lives in the core because it is
 * per-hart state the hart checks between blocks. */
#include "rv_internal.h"

int rv_clint_read(rv_cpu_t *cpu, uint64_t off, unsigned size, uint64_t *val)
{
    uint64_t v;
    unsigned shift = (unsigned)(off & 7) * 8;
    if (off == CLINT_MSIP && size == 4) {
        *val = cpu->msip;
        return 0;
    }
    if ((off & ~7ull) == CLINT_MTIMECMP && (size == 8 || size == 4) && shift % (size * 8) == 0)
        v = cpu->mtimecmp;
    else if ((off & ~7ull) == CLINT_MTIME && (size == 8 || size == 4) && shift % (size * 8) == 0)
        v = rv_time(cpu);
    else
        return -1;
    v >>= shift;
    *val = size == 8 ? v : (uint32_t)v;
    return 0;
}

int rv_clint_write(rv_cpu_t *cpu, uint64_t off, unsigned size, uint64_t val)
{
    if (off == CLINT_MSIP && size == 4) {
        cpu->msip = val & 1;
        rv_update_timers(cpu);
        return 0;
    }
    if ((off & ~7ull) == CLINT_MTIMECMP && (size == 8 || size == 4)) {
        unsigned shift = (unsigned)(off & 7) * 8;
        if (size == 8) {
            cpu->mtimecmp = val;
        } else {
            uint64_t mask = 0xffffffffull << shift;
            cpu->mtimecmp = (cpu->mtimecmp & ~mask) | ((val & 0xffffffffull) << shift);
        }
        rv_update_timers(cpu);
        return 0;
    }
    if ((off & ~7ull) == CLINT_MTIME) return 0; /* mtime follows the platform clock */
    return -1;
}
