/* The HTIF test machine (see rv_htif.h). tohost protocol, as the riscv-tests environments use
 * it: an odd value ends the run with status value >> 1; device 1 command 1 prints a byte;
 * device 0 command 0 with an even payload points to a syscall block (exit and write). */
#include "rv_htif.h"

#include <string.h>

#include "../../shared/elf_load.h"

#define HTIF_DEV_SHIFT 56
#define HTIF_CMD_SHIFT 48
#define HTIF_PAYLOAD_MASK ((1ull << 48) - 1)
#define SYS_write 64
#define SYS_exit 93

static uint64_t htif_time(void *opaque)
{
    htif_machine_t *m = opaque;
    return rv_get_instret(m->cpu) + m->time_skip;
}

static uint8_t *ram_at(htif_machine_t *m, uint64_t paddr, uint64_t size)
{
    if (paddr < HTIF_RAM_BASE || paddr - HTIF_RAM_BASE > m->ram_size ||
        size > m->ram_size - (paddr - HTIF_RAM_BASE))
        return NULL;
    return m->ram + (paddr - HTIF_RAM_BASE);
}

static uint64_t rd64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

const char *htif_load(htif_machine_t *m, const uint8_t *elf, size_t len)
{
    elf_image_t img;
    memset(m->ram, 0, (size_t)m->ram_size);
    const char *err =
        elf_load(elf, len, ELF_MACHINE_RISCV, m->ram, HTIF_RAM_BASE, m->ram_size, &img);
    if (err) return err;
    if (!img.tohost) return "ELF file has no `tohost` symbol (needed to report a result)";
    if (!ram_at(m, img.tohost, 8)) return "`tohost` is outside guest RAM";
    m->tohost = img.tohost;
    m->fromhost = img.fromhost && ram_at(m, img.fromhost, 8) ? img.fromhost : 0;
    m->state = HTIF_RUNNING;
    m->time_skip = 0;
    tvm_bus_t bus = {.ram = m->ram,
                     .ram_base = HTIF_RAM_BASE,
                     .ram_size = m->ram_size,
                     .opaque = m,
                     .time_now = htif_time,
                     .timebase_hz = 10000000};
    rv_cpu_init(m->cpu, &bus, 0);
    rv_cpu_reset(m->cpu, img.entry);
    return NULL;
}

static void syscall_block(htif_machine_t *m, uint64_t addr)
{
    uint8_t *blk = ram_at(m, addr, 64);
    if (!blk) return;
    uint64_t which = rd64(blk), a0 = rd64(blk + 8), a1 = rd64(blk + 16), a2 = rd64(blk + 24);
    uint64_t ret = 0;
    if (which == SYS_exit) {
        m->state = a0 == 0 ? HTIF_PASS : HTIF_FAIL;
        m->exit_code = a0;
    } else if (which == SYS_write && a0 == 1) {
        uint8_t *buf = ram_at(m, a1, a2);
        if (buf && m->putchar)
            for (uint64_t i = 0; i < a2; i++)
                m->putchar(m->opaque, buf[i]);
        ret = buf ? a2 : (uint64_t)-14; /* -EFAULT */
    } else {
        ret = (uint64_t)-38; /* -ENOSYS */
    }
    memcpy(blk, &ret, 8);
}

static void poll_tohost(htif_machine_t *m)
{
    uint8_t *t = ram_at(m, m->tohost, 8);
    uint64_t v = rd64(t);
    if (!v) return;
    unsigned dev = (unsigned)(v >> HTIF_DEV_SHIFT), cmd = (unsigned)(v >> HTIF_CMD_SHIFT) & 0xff;
    uint64_t payload = v & HTIF_PAYLOAD_MASK;
    if (dev == 0 && cmd == 0 && (payload & 1)) {
        m->exit_code = payload >> 1;
        m->state = m->exit_code == 0 ? HTIF_PASS : HTIF_FAIL;
    } else if (dev == 0 && cmd == 0) {
        syscall_block(m, payload);
    } else if (dev == 1 && cmd == 1 && m->putchar) {
        m->putchar(m->opaque, (int)(payload & 0xff));
    }
    memset(t, 0, 8);
    if (m->fromhost) {
        uint64_t ack = ((uint64_t)dev << HTIF_DEV_SHIFT) | ((uint64_t)cmd << HTIF_CMD_SHIFT) | 1;
        memcpy(ram_at(m, m->fromhost, 8), &ack, 8);
    }
}

int htif_step(htif_machine_t *m, int64_t budget)
{
    if (m->state != HTIF_RUNNING) return m->state;
    /* Poll often: a test spinning on tohost should not burn the whole budget. A smaller
     * budget is honoured, so differential tests can step two harts to the same instruction. */
    const int64_t slice = budget < 4096 ? budget : 4096;
    while (budget > 0 && m->state == HTIF_RUNNING) {
        int r = rv_run(m->cpu, slice);
        budget -= slice;
        poll_tohost(m);
        if (r == RV_RUN_WFI) {
            uint64_t deadline = rv_next_deadline(m->cpu), now = htif_time(m);
            /* Nothing external can arrive on this machine: jump to the timer deadline. */
            if (deadline == UINT64_MAX) {
                m->state = HTIF_FAIL;
                m->exit_code = UINT64_MAX; /* asleep forever */
                break;
            }
            if (deadline > now) m->time_skip += deadline - now;
        } else if (r == RV_RUN_HALT) {
            break;
        }
    }
    return m->state;
}
