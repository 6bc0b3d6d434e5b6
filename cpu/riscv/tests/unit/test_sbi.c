/* test_sbi.c - the emulator's SBI as a kernel sees it: a hart booted in S-mode runs `ecall`s
 * from RAM. Checks the base extension (spec version 2.0, probes) and the debug console
 * (DBCN): write, write_byte and read move exactly the bytes asked for, and a buffer that is not
 * wholly in guest RAM is SBI_ERR_INVALID_PARAM with nothing read or written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../rv_cpu.h"

static int failures, checks;
#define CHECK_EQ(a, b)                                                                             \
    do {                                                                                           \
        unsigned long long a_ = (unsigned long long)(a), b_ = (unsigned long long)(b);             \
        checks++;                                                                                  \
        if (a_ != b_) {                                                                            \
            failures++;                                                                            \
            fprintf(stderr, "%s:%d: %s = %#llx, expected %#llx\n", __FILE__, __LINE__, #a, a_,     \
                    b_);                                                                           \
        }                                                                                          \
    } while (0)

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (1u << 20)
#define EXT_BASE 0x10
#define EXT_DBCN 0x4442434e
#define SBI_ERR_NOT_SUPPORTED (-2)
#define SBI_ERR_INVALID_PARAM (-3)

static uint8_t *ram;
static rv_cpu_t *cpu;
static char out[256];
static size_t out_len;
static const char *input = "";

static void putch(void *o, int ch)
{
    if (out_len < sizeof out) out[out_len++] = (char)ch;
}
static int getch(void *o) { return *input ? *input++ : -1; }
static uint64_t now(void *o) { return 0; }

/* One SBI call: a0..a2, a6 = fid, a7 = ext; returns a0 (error), a1 in *val. */
static long long sbi(uint64_t ext, uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2,
                     uint64_t *val)
{
    static const uint8_t prog[] = {0x73, 0, 0, 0, 0x6f, 0, 0, 0}; /* ecall; j . */
    memcpy(ram, prog, sizeof prog);
    rv_boot_supervisor(cpu, RAM_BASE, 0);
    rv_set_xreg(cpu, 10, a0);
    rv_set_xreg(cpu, 11, a1);
    rv_set_xreg(cpu, 12, a2);
    rv_set_xreg(cpu, 16, fid);
    rv_set_xreg(cpu, 17, ext);
    rv_run(cpu, 8);
    CHECK_EQ(rv_get_pc(cpu), RAM_BASE + 4); /* the call returned to the next instruction */
    if (val) *val = rv_get_xreg(cpu, 11);
    return (long long)rv_get_xreg(cpu, 10);
}

int main(void)
{
    ram = calloc(1, RAM_SIZE);
    cpu = calloc(1, rv_cpu_size());
    tvm_bus_t bus = {.ram = ram,
                     .ram_base = RAM_BASE,
                     .ram_size = RAM_SIZE,
                     .time_now = now,
                     .timebase_hz = 10000000};
    rv_cpu_init(cpu, &bus, 0);
    rv_cpu_reset(cpu, RAM_BASE);
    rv_sbi_host_t host = {.console_putchar = putch, .console_getchar = getch};
    rv_sbi_enable(cpu, &host);
    uint64_t v;

    /* Base: SBI 2.0, and DBCN is there. */
    CHECK_EQ(sbi(EXT_BASE, 0, 0, 0, 0, &v), 0);
    CHECK_EQ(v, 2u << 24);
    CHECK_EQ(sbi(EXT_BASE, 3, EXT_DBCN, 0, 0, &v), 0);
    CHECK_EQ(v, 1);
    CHECK_EQ(sbi(EXT_BASE, 3, 0x12345678, 0, 0, &v), 0);
    CHECK_EQ(v, 0);

    /* DBCN write: the bytes at a guest physical address. */
    memcpy(ram + 0x1000, "hello, sbi", 10);
    CHECK_EQ(sbi(EXT_DBCN, 0, 10, RAM_BASE + 0x1000, 0, &v), 0);
    CHECK_EQ(v, 10);
    CHECK_EQ(out_len, 10);
    CHECK_EQ(memcmp(out, "hello, sbi", 10), 0);
    /* write_byte */
    CHECK_EQ(sbi(EXT_DBCN, 2, '!', 0, 0, &v), 0);
    CHECK_EQ(out_len, 11);
    CHECK_EQ(out[10], '!');

    /* Buffers not wholly in RAM: nothing is printed. */
    out_len = 0;
    CHECK_EQ(sbi(EXT_DBCN, 0, 16, RAM_BASE - 8, 0, &v), SBI_ERR_INVALID_PARAM);
    CHECK_EQ(sbi(EXT_DBCN, 0, 16, RAM_BASE + RAM_SIZE - 8, 0, &v), SBI_ERR_INVALID_PARAM);
    CHECK_EQ(sbi(EXT_DBCN, 0, UINT64_MAX, RAM_BASE + 8, 0, &v), SBI_ERR_INVALID_PARAM);
    CHECK_EQ(sbi(EXT_DBCN, 0, 4, RAM_BASE, 1, &v), SBI_ERR_INVALID_PARAM);   /* high half */
    CHECK_EQ(sbi(EXT_DBCN, 0, 1, 0x10000000, 0, &v), SBI_ERR_INVALID_PARAM); /* MMIO */
    CHECK_EQ(out_len, 0);
    CHECK_EQ(sbi(EXT_DBCN, 0, 8, RAM_BASE + RAM_SIZE - 8, 0, &v), 0); /* the last 8 bytes */
    CHECK_EQ(v, 8);

    /* DBCN read: what is waiting, never more than asked, never blocking. */
    input = "abc";
    memset(ram + 0x2000, 0xee, 8);
    CHECK_EQ(sbi(EXT_DBCN, 1, 2, RAM_BASE + 0x2000, 0, &v), 0);
    CHECK_EQ(v, 2);
    CHECK_EQ(memcmp(ram + 0x2000, "ab\xee", 3), 0);
    CHECK_EQ(sbi(EXT_DBCN, 1, 8, RAM_BASE + 0x2000, 0, &v), 0);
    CHECK_EQ(v, 1);
    CHECK_EQ(ram[0x2000], 'c');
    CHECK_EQ(sbi(EXT_DBCN, 1, 8, RAM_BASE + 0x2000, 0, &v), 0);
    CHECK_EQ(v, 0);
    CHECK_EQ(sbi(EXT_DBCN, 1, 8, RAM_BASE + RAM_SIZE, 0, &v), SBI_ERR_INVALID_PARAM);
    CHECK_EQ(sbi(EXT_DBCN, 3, 0, 0, 0, &v), SBI_ERR_NOT_SUPPORTED);

    printf("test_sbi: %d checks, %d failed\n", checks, failures);
    free(cpu);
    free(ram);
    return failures != 0;
}
