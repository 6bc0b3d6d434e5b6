/* tabvm-boot: boots a Linux Image on the native build, one thread: the CPU, the board and the
 * virtio console, with the console on stdin/stdout. A development and test tool; the product
 * runs the same C in workers (cli/, ui/). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../devices/console/virtio_console.h"
#include "../../shared/tvm_layout.h"
#include "../riscv/rv_virt.h"

#ifdef RV_OP_PROFILE
void rv_op_profile_report(FILE *out); /* rv_exec.c, in the profiling build */
#endif

static uint32_t machine_block[TVM_M_WORDS];
static uint32_t console_block[TVM_V_WORDS];
static uint8_t *ram;
static uint64_t ram_size;
static int device_wake, powered_off;
static uint8_t in_buf[4096];
static uint32_t in_len;

static uint64_t wall_ns(void *opaque)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t now_ticks(void *opaque)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * VIRT_TIMEBASE_HZ +
           (uint64_t)ts.tv_nsec / (1000000000 / VIRT_TIMEBASE_HZ);
}

/* One thread: the device runs right away, inside the guest's notify, as the guest's console
 * driver spins until its buffer comes back. */
static vcon_t con;
static void wake(void *opaque, uint32_t *word) { vcon_poll(&con); }

/* ---- the console device's host, natively ---- */
static uint32_t reg_load(void *o, unsigned w)
{
    return __atomic_load_n(&console_block[w], __ATOMIC_SEQ_CST);
}
static void reg_store(void *o, unsigned w, uint32_t v)
{
    __atomic_store_n(&console_block[w], v, __ATOMIC_SEQ_CST);
}
static uint32_t reg_or(void *o, unsigned w, uint32_t v)
{
    return __atomic_fetch_or(&console_block[w], v, __ATOMIC_SEQ_CST);
}
static uint32_t reg_xchg(void *o, unsigned w, uint32_t v)
{
    return __atomic_exchange_n(&console_block[w], v, __ATOMIC_SEQ_CST);
}
static void check_range(uint64_t gpa, uint32_t len)
{
    if (gpa < VIRT_RAM_BASE || gpa - VIRT_RAM_BASE > ram_size ||
        len > ram_size - (gpa - VIRT_RAM_BASE)) {
        fprintf(stderr, "tabvm-boot: device accessed outside RAM (bug)\n");
        abort();
    }
}
static void ram_read(void *o, uint64_t gpa, void *dst, uint32_t len)
{
    check_range(gpa, len);
    memcpy(dst, ram + (gpa - VIRT_RAM_BASE), len);
}
static void ram_write(void *o, uint64_t gpa, const void *src, uint32_t len)
{
    check_range(gpa, len);
    memcpy(ram + (gpa - VIRT_RAM_BASE), src, len);
}
static void raise_irq(void *o)
{
    __atomic_fetch_add(&machine_block[TVM_M_IRQ_SEQ], 1, __ATOMIC_SEQ_CST);
}
static void dev_log(void *o, const char *msg)
{
    fprintf(stderr, "tabvm-boot: virtio-console: %s\n", msg);
}

static uint32_t out_write(void *o, const uint8_t *buf, uint32_t len)
{
    fwrite(buf, 1, len, stdout);
    fflush(stdout);
    return len;
}
static uint32_t in_read(void *o, uint8_t *buf, uint32_t max)
{
    uint32_t n = in_len < max ? in_len : max;
    memcpy(buf, in_buf, n);
    memmove(in_buf, in_buf + n, in_len - n);
    in_len -= n;
    return n;
}
static uint32_t in_avail(void *o) { return in_len; }

static void sbi_putchar(void *o, int ch) { fputc(ch, stderr); }
/* The UART's output goes to stdout with the console's; it has no input here. */
static void uart_tx(void *o, uint8_t b) { fputc(b, stdout); }
static void sbi_reset(void *o, uint32_t type, uint32_t reason) { powered_off = 1; }

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(buf);
        return NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static int stdin_open = 1;
static void read_stdin(void)
{
    if (!stdin_open || in_len == sizeof in_buf) return;
    ssize_t n = read(0, in_buf + in_len, sizeof in_buf - in_len);
    if (n > 0) {
        in_len += (uint32_t)n;
        device_wake = 1;
    } else if (n == 0) {
        stdin_open = 0;
    }
}

int main(int argc, char **argv)
{
    const char *kernel = NULL, *initrd = NULL, *append = "console=hvc0 earlycon=sbi";
    unsigned long mem_mib = 256;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--kernel") && i + 1 < argc)
            kernel = argv[++i];
        else if (!strcmp(argv[i], "--initrd") && i + 1 < argc)
            initrd = argv[++i];
        else if (!strcmp(argv[i], "--append") && i + 1 < argc)
            append = argv[++i];
        else if (!strcmp(argv[i], "--mem") && i + 1 < argc)
            mem_mib = strtoul(argv[++i], NULL, 10);
        else {
            fprintf(stderr, "usage: tabvm-boot --kernel Image [--initrd FILE] [--mem MiB] "
                            "[--append CMDLINE]\n");
            return 2;
        }
    }
    if (!kernel || mem_mib < 16 || mem_mib > 4096) {
        fprintf(stderr, "tabvm-boot: need --kernel, and --mem from 16 to 4096\n");
        return 2;
    }
    ram_size = (uint64_t)mem_mib << 20;
    ram = calloc(1, ram_size);
    rv_cpu_t *cpu = calloc(1, rv_cpu_size());
    static rv_virt_t board;
    rv_virt_config_t cfg = {
        .ram = ram,
        .ram_size = ram_size,
        .machine_block = machine_block,
        .virtio_blocks = console_block,
        .n_virtio = 1,
        .wake_device = wake,
        .time_now = now_ticks,
        .wall_ns = wall_ns,
        .uart = {.tx = uart_tx},
        .sbi = {.console_putchar = sbi_putchar, .system_reset = sbi_reset},
    };
    static const vdev_host_t host = {
        .ram_base = VIRT_RAM_BASE,
        .reg_load = reg_load,
        .reg_store = reg_store,
        .reg_or = reg_or,
        .reg_xchg = reg_xchg,
        .ram_read = ram_read,
        .ram_write = ram_write,
        .raise_irq = raise_irq,
        .log = dev_log,
    };
    vdev_host_t h = host;
    h.ram_size = ram_size;
    static const con_io_t io = {.out_write = out_write, .in_read = in_read, .in_avail = in_avail};
    vcon_init(&con, &h, &io, 80, 24);
    rv_virt_init(&board, cpu, &cfg);

    size_t klen, ilen = 0;
    uint8_t *k = read_file(kernel, &klen);
    if (!k) {
        fprintf(stderr, "tabvm-boot: cannot read %s: %s\n", kernel, strerror(errno));
        return 2;
    }
    if (VIRT_KERNEL_OFFSET + klen > ram_size) {
        fprintf(stderr, "tabvm-boot: kernel too large for RAM\n");
        return 2;
    }
    memcpy(ram + VIRT_KERNEL_OFFSET, k, klen);
    uint64_t ioff = 0;
    if (initrd) {
        uint8_t *d = read_file(initrd, &ilen);
        if (!d) {
            fprintf(stderr, "tabvm-boot: cannot read %s: %s\n", initrd, strerror(errno));
            return 2;
        }
        ioff = rv_virt_initrd_offset(&board, klen, ilen);
        if (!ioff) {
            fprintf(stderr, "tabvm-boot: initrd does not fit in RAM\n");
            return 2;
        }
        memcpy(ram + ioff, d, ilen);
    }
    uint8_t seed[VIRT_RNG_SEED_BYTES];
    FILE *ur = fopen("/dev/urandom", "rb");
    if (ur && fread(seed, 1, sizeof seed, ur) == sizeof seed)
        rv_virt_set_rng_seed(&board, seed, sizeof seed);
    if (ur) fclose(ur);
    const char *err = rv_virt_boot(&board, klen, ioff, ilen, append);
    if (err) {
        fprintf(stderr, "tabvm-boot: %s\n", err);
        return 2;
    }
    fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
    uint64_t start = now_ticks(NULL);
    while (!powered_off) {
        int r = rv_run(cpu, 200000);
        read_stdin();
        if (device_wake) {
            device_wake = 0;
            vcon_poll(&con);
        }
        if (r == RV_RUN_HALT) break;
        if (r == RV_RUN_WFI) {
            uint64_t d = rv_next_deadline(cpu), now = now_ticks(NULL);
            int ms = d == UINT64_MAX ? 100
                     : d <= now      ? 0
                                     : (int)((d - now) / (VIRT_TIMEBASE_HZ / 1000));
            if (ms > 100) ms = 100;
            struct pollfd p = {.fd = 0, .events = POLLIN};
            poll(&p, stdin_open ? 1 : 0, ms);
        }
    }
    fprintf(stderr, "tabvm-boot: powered off after %.2f s, %llu instructions\n",
            (double)(now_ticks(NULL) - start) / VIRT_TIMEBASE_HZ,
            (unsigned long long)rv_get_instret(cpu));
#ifdef RV_OP_PROFILE
    rv_op_profile_report(stderr);
#endif
    return 0;
}
