/* tabvm-elf: runs a bare-metal RISC-V ELF test on the native build of the core and reports
 * its HTIF result through the exit status (0 pass, 1 fail, 2 bad input or usage, 3 timeout). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../riscv/rv_htif.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: tabvm-elf [--timeout SECONDS] [--mem MiB] [--quiet] FILE.elf\n"
               "Runs a bare-metal RV64 ELF (RAM at 0x80000000) until it writes `tohost`.\n"
               "Exit status: 0 pass, 1 fail (test number printed), 2 bad input, 3 timeout.\n");
}

static void put(void *opaque, int ch)
{
    (void)opaque;
    putchar(ch);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "tabvm-elf: cannot open %s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (n == cap) buf = realloc(buf, cap *= 2);
        size_t got = fread(buf + n, 1, cap - n, f);
        if (got == 0) break;
        n += got;
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        fprintf(stderr, "tabvm-elf: cannot read %s\n", path);
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    double timeout = 60;
    unsigned long mem_mib = 64;
    int quiet = 0;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        char *end;
        if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) {
            timeout = strtod(argv[++i], &end);
            if (*end || timeout <= 0) {
                fprintf(stderr, "tabvm-elf: --timeout needs a positive number of seconds\n");
                return 2;
            }
        } else if (strcmp(argv[i], "--mem") == 0 && i + 1 < argc) {
            mem_mib = strtoul(argv[++i], &end, 10);
            if (*end || mem_mib < 1 || mem_mib > 4096) {
                fprintf(stderr, "tabvm-elf: --mem needs a size from 1 to 4096 MiB\n");
                return 2;
            }
        } else if (strcmp(argv[i], "--quiet") == 0) {
            quiet = 1;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (argv[i][0] == '-' || path) {
            fprintf(stderr, "tabvm-elf: unexpected argument '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        } else {
            path = argv[i];
        }
    }
    if (!path) {
        usage(stderr);
        return 2;
    }
    size_t len;
    uint8_t *elf = read_file(path, &len);
    if (!elf) return 2;

    htif_machine_t m = {0};
    m.ram_size = (uint64_t)mem_mib << 20;
    m.ram = calloc(1, (size_t)m.ram_size);
    m.cpu = calloc(1, rv_cpu_size());
    m.putchar = put;
    if (!m.ram || !m.cpu) {
        fprintf(stderr, "tabvm-elf: out of memory\n");
        return 2;
    }
    const char *err = htif_load(&m, elf, len);
    free(elf);
    if (err) {
        fprintf(stderr, "tabvm-elf: %s: %s\n", path, err);
        return 2;
    }
    double start = now_seconds();
    int state;
    while ((state = htif_step(&m, 1 << 22)) == HTIF_RUNNING) {
        if (now_seconds() - start > timeout) {
            fprintf(stderr, "tabvm-elf: %s: timeout after %g s (pc=0x%llx)\n", path, timeout,
                    (unsigned long long)rv_get_pc(m.cpu));
            return 3;
        }
    }
    fflush(stdout);
    if (state == HTIF_PASS) {
        if (!quiet)
            fprintf(stderr, "tabvm-elf: %s: pass (%llu instructions)\n", path,
                    (unsigned long long)rv_get_instret(m.cpu));
        return 0;
    }
    if (m.exit_code == UINT64_MAX)
        fprintf(stderr, "tabvm-elf: %s: hart asleep in WFI with no wake-up source (pc=0x%llx)\n",
                path, (unsigned long long)rv_get_pc(m.cpu));
    else
        fprintf(stderr, "tabvm-elf: %s: FAIL: test %llu\n", path, (unsigned long long)m.exit_code);
    return 1;
}
