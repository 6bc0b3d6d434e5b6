/* test_fdt.c - the board's device tree, built through the public path (rv_virt_init, then
 * rv_virt_boot on a fabricated RISC-V Image header), decompiled with dtc and checked: /chosen,
 * memory, cpu, PLIC, one virtio_mmio node per present device. Also rv_virt_boot's refusals and
 * shared/fdt.c on buffers that are too small. Needs dtc (Debian: device-tree-compiler). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../cpu/riscv/rv_virt.h"
#include "../../shared/fdt.h"
#include "../../shared/tvm_layout.h"
#include "test.h"

#define IMAGE_SIZE 0x100000ull /* what the fabricated header claims */

static uint64_t time_zero(void *opaque) { return 0; }

typedef struct board {
    rv_virt_t v;
    rv_cpu_t *cpu;
    uint8_t *ram;
    uint64_t ram_size;
    uint32_t machine[TVM_M_WORDS];
    uint32_t blocks[VIRT_VIRTIO_SLOTS * TVM_V_WORDS];
} board_t;

/* The board's configuration with no RTC and no UART; tests add those. */
static rv_virt_config_t board_config(board_t *b, unsigned n_virtio)
{
    return (rv_virt_config_t){
        .ram = b->ram,
        .ram_size = b->ram_size,
        .machine_block = b->machine,
        .virtio_blocks = b->blocks,
        .n_virtio = n_virtio,
        .time_now = time_zero,
    };
}

/* A board with n_virtio slots; ready[i] says whether slot i's device published its block. RAM
 * is mapped lazily, so even 4 GiB costs only the pages the test touches. */
static board_t *board_new(uint64_t ram_size, unsigned n_virtio, const int *ready)
{
    board_t *b = calloc(1, sizeof *b);
    if (!b || !(b->cpu = calloc(1, rv_cpu_size()))) abort();
    b->ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (b->ram == MAP_FAILED) abort();
    b->ram_size = ram_size;
    for (unsigned i = 0; i < n_virtio; i++) {
        uint32_t *blk = b->blocks + i * TVM_V_WORDS;
        blk[TVM_V_DEVICE_ID] = VIRTIO_ID_CONSOLE;
        blk[TVM_V_READY] = ready[i] ? 1 : 0;
    }
    rv_virt_config_t cfg = board_config(b, n_virtio);
    rv_virt_init(&b->v, b->cpu, &cfg);
    /* The Image header: image size at 0x10, magic2 "RSC\x05" at 0x38. */
    uint8_t *h = b->ram + VIRT_KERNEL_OFFSET;
    for (int i = 0; i < 8; i++)
        h[0x10 + i] = (uint8_t)(IMAGE_SIZE >> (8 * i));
    memcpy(h + 0x38, "RSC\x05", 4);
    return b;
}

static void board_free(board_t *b)
{
    munmap(b->ram, b->ram_size);
    free(b->cpu);
    free(b);
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* ---- dtc ----------------------------------------------------------------------------------- */

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, len = 0;
    char *s = malloc(cap);
    size_t n;
    while (s && (n = fread(s + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len - 1 == 0) s = realloc(s, cap *= 2);
    }
    fclose(f);
    if (s) s[len] = 0;
    return s;
}

/* Decompiles the blob; returns the dts text (caller frees) or NULL. */
static char *decompile(const uint8_t *blob, size_t len)
{
    const char *tmp = getenv("TMPDIR");
    char dir[256];
    snprintf(dir, sizeof dir, "%s/tvm-fdt-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) return NULL;
    char in[300], out[300], err[300], cmd[1024];
    snprintf(in, sizeof in, "%s/board.dtb", dir);
    snprintf(out, sizeof out, "%s/board.dts", dir);
    snprintf(err, sizeof err, "%s/dtc.err", dir);
    FILE *f = fopen(in, "wb");
    if (!f || fwrite(blob, 1, len, f) != len) abort();
    fclose(f);
    snprintf(cmd, sizeof cmd, "dtc -I dtb -O dts -o '%s' '%s' 2>'%s'", out, in, err);
    int rc = system(cmd);
    char *dts = rc == 0 ? read_all(out) : NULL;
    char *msg = read_all(err);
    if (rc != 0)
        printf("dtc failed (status %d; is device-tree-compiler installed?): %s\n", rc,
               msg ? msg : "");
    free(msg);
    unlink(in);
    unlink(out);
    unlink(err);
    rmdir(dir);
    return dts;
}

#define TABS "\t\t\t\t\t\t\t\t\t\t"

/* The text of the node at path ("/", "/cpus/cpu@0") in dtc's output, up to and including its
 * closing brace, with *depth its nesting level; NULL if absent. */
static const char *node_at(const char *dts, const char *path, int *depth, size_t *len)
{
    const char *p = strstr(dts, "\n/ {\n");
    if (!p) return NULL;
    p++;
    const char *end = strstr(p, "\n};");
    int d = 0;
    for (const char *name = path + 1; *name && end;) {
        const char *slash = strchr(name, '/');
        int n = slash ? (int)(slash - name) : (int)strlen(name);
        char want[160], close[16];
        d++;
        snprintf(want, sizeof want, "\n%.*s%.*s {\n", d, TABS, n, name);
        p = strstr(p, want);
        if (!p || p > end) return NULL;
        p++;
        snprintf(close, sizeof close, "\n%.*s};", d, TABS);
        end = strstr(p, close);
        name = slash ? slash + 1 : name + n;
    }
    if (!end) return NULL;
    *depth = d;
    *len = (size_t)(end - p) + 3 + (size_t)d;
    return p;
}

/* The value text of property prop directly in the node at path ("" for an empty property), or
 * NULL; copied into buf. */
static const char *prop(const char *dts, const char *path, const char *name, char *buf, size_t cap)
{
    int d;
    size_t len;
    const char *node = node_at(dts, path, &d, &len);
    if (!node) return NULL;
    char want[128];
    int n = snprintf(want, sizeof want, "\n%.*s%s", d + 1, TABS, name);
    for (const char *p = strstr(node, want); p && p < node + len; p = strstr(p + 1, want)) {
        const char *v = p + n;
        if (*v == ';') {
            buf[0] = 0;
            return buf;
        }
        if (strncmp(v, " = ", 3) != 0) continue;
        v += 3;
        const char *semi = strstr(v, ";\n");
        if (!semi || (size_t)(semi - v) >= cap) return NULL;
        memcpy(buf, v, (size_t)(semi - v));
        buf[semi - v] = 0;
        return buf;
    }
    return NULL;
}

/* Cells of a <...> property; returns how many (or -1 if absent or not cells). */
static int cells(const char *dts, const char *path, const char *name, uint64_t *out, int max)
{
    char buf[512];
    if (!prop(dts, path, name, buf, sizeof buf) || buf[0] != '<') return -1;
    int n = 0;
    char *p = buf + 1;
    while (*p && *p != '>' && n < max) {
        char *end;
        out[n++] = strtoull(p, &end, 0);
        if (end == p) return -1;
        p = end;
        while (*p == ' ')
            p++;
    }
    return n;
}

static int str_is(const char *dts, const char *path, const char *name, const char *want)
{
    char buf[512];
    return prop(dts, path, name, buf, sizeof buf) && strcmp(buf, want) == 0;
}

static int u32_is(const char *dts, const char *path, const char *name, uint64_t want)
{
    uint64_t c[4];
    return cells(dts, path, name, c, 4) == 1 && c[0] == want;
}

static unsigned count(const char *s, const char *needle)
{
    unsigned n = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* ---- tests --------------------------------------------------------------------------------- */

static char *boot_and_decompile(board_t *b, uint64_t initrd_off, uint64_t initrd_size,
                                const char *cmdline)
{
    const char *err = rv_virt_boot(&b->v, IMAGE_SIZE, initrd_off, initrd_size, cmdline);
    CHECK(err == NULL);
    if (err) {
        printf("rv_virt_boot: %s\n", err);
        return NULL;
    }
    uint64_t dtb = b->ram_size - VIRT_DTB_SPACE;
    const uint8_t *blob = b->ram + dtb;
    CHECK_EQ(be32(blob), 0xd00dfeed);
    uint32_t total = be32(blob + 4);
    CHECK(total > 40 && total <= VIRT_DTB_SPACE);
    /* The hart starts the kernel in S-mode with a0 = hart id, a1 = the blob. */
    CHECK_EQ(rv_get_pc(b->cpu), VIRT_RAM_BASE + VIRT_KERNEL_OFFSET);
    CHECK_EQ(rv_get_xreg(b->cpu, 10), 0);
    CHECK_EQ(rv_get_xreg(b->cpu, 11), VIRT_RAM_BASE + dtb);
    CHECK_EQ(rv_get_priv(b->cpu), 1);
    /* dtc must accept it; its style warnings (which vary between versions) are not checked. */
    char *dts = decompile(blob, total);
    CHECK(dts != NULL);
    return dts;
}

static void test_board_tree(void)
{
    TEST_CASE("board device tree");
    static const int ready[] = {1, 0, 1};
    board_t *b = board_new(64ull << 20, 3, ready);
    const char *cmdline = "console=hvc0 earlycon=sbi root=/dev/vda rw";
    char *dts = boot_and_decompile(b, 0, 0, cmdline);
    if (!dts) {
        board_free(b);
        return;
    }
    uint64_t c[8];
    CHECK(str_is(dts, "/", "compatible", "\"tabvm,riscv-virt\""));
    CHECK(u32_is(dts, "/", "#address-cells", 2));
    CHECK(u32_is(dts, "/", "#size-cells", 2));
    CHECK(str_is(dts, "/chosen", "bootargs", "\"console=hvc0 earlycon=sbi root=/dev/vda rw\""));
    CHECK_EQ(cells(dts, "/chosen", "linux,initrd-start", c, 8), -1); /* no initrd */
    CHECK(str_is(dts, "/memory@80000000", "device_type", "\"memory\""));
    CHECK_EQ(cells(dts, "/memory@80000000", "reg", c, 8), 4);
    CHECK_EQ(c[0] << 32 | c[1], VIRT_RAM_BASE);
    CHECK_EQ(c[2] << 32 | c[3], 64ull << 20);

    CHECK(u32_is(dts, "/cpus", "timebase-frequency", VIRT_TIMEBASE_HZ));
    CHECK(u32_is(dts, "/cpus", "#address-cells", 1));
    CHECK(u32_is(dts, "/cpus", "#size-cells", 0));
    CHECK(str_is(dts, "/cpus/cpu@0", "device_type", "\"cpu\""));
    CHECK(u32_is(dts, "/cpus/cpu@0", "reg", 0));
    CHECK(str_is(dts, "/cpus/cpu@0", "riscv,isa", "\"rv64imafdc_zicntr_zicsr_zifencei_sstc\""));
    CHECK(str_is(dts, "/cpus/cpu@0", "riscv,isa-base", "\"rv64i\""));
    CHECK(str_is(dts, "/cpus/cpu@0", "riscv,isa-extensions",
                 "\"i\", \"m\", \"a\", \"f\", \"d\", \"c\", \"zicntr\", \"zicsr\", \"zifencei\", "
                 "\"sstc\"") ||
          str_is(dts, "/cpus/cpu@0", "riscv,isa-extensions",
                 "\"i\\0m\\0a\\0f\\0d\\0c\\0zicntr\\0zicsr\\0zifencei\\0sstc\""));
    CHECK(str_is(dts, "/cpus/cpu@0", "mmu-type", "\"riscv,sv48\""));
    CHECK(str_is(dts, "/cpus/cpu@0", "status", "\"okay\""));
    const char *intc = "/cpus/cpu@0/interrupt-controller";
    CHECK(str_is(dts, intc, "compatible", "\"riscv,cpu-intc\""));
    CHECK(str_is(dts, intc, "interrupt-controller", ""));
    CHECK(u32_is(dts, intc, "#interrupt-cells", 1));
    uint64_t intc_ph[1];
    CHECK_EQ(cells(dts, intc, "phandle", intc_ph, 1), 1);

    CHECK(str_is(dts, "/soc", "compatible", "\"simple-bus\""));
    CHECK(str_is(dts, "/soc", "ranges", ""));
    const char *plic = "/soc/plic@c000000";
    /* A string list; dtc prints it one way or the other depending on its version. */
    CHECK(str_is(dts, plic, "compatible", "\"sifive,plic-1.0.0\\0riscv,plic0\"") ||
          str_is(dts, plic, "compatible", "\"sifive,plic-1.0.0\", \"riscv,plic0\""));
    CHECK_EQ(cells(dts, plic, "reg", c, 8), 4);
    CHECK_EQ(c[0] << 32 | c[1], VIRT_PLIC_BASE);
    CHECK_EQ(c[2] << 32 | c[3], PLIC_SIZE);
    CHECK(str_is(dts, plic, "interrupt-controller", ""));
    CHECK(u32_is(dts, plic, "#interrupt-cells", 1));
    CHECK(u32_is(dts, plic, "riscv,ndev", PLIC_NUM_SOURCES - 1));
    /* Context 0 is the hart's M external interrupt (11), context 1 its S one (9). */
    CHECK_EQ(cells(dts, plic, "interrupts-extended", c, 8), 4);
    CHECK_EQ(c[0], intc_ph[0]);
    CHECK_EQ(c[1], 11);
    CHECK_EQ(c[2], intc_ph[0]);
    CHECK_EQ(c[3], 9);
    uint64_t plic_ph[1];
    CHECK_EQ(cells(dts, plic, "phandle", plic_ph, 1), 1);
    CHECK(plic_ph[0] != intc_ph[0]);

    /* Slots 0 and 2 have devices, slot 1 does not: exactly two nodes. */
    CHECK_EQ(count(dts, "virtio_mmio@"), 2);
    CHECK_EQ(count(dts, "\"virtio,mmio\""), 2);
    CHECK(strstr(dts, "virtio_mmio@10002000") == NULL);
    static const struct {
        const char *path;
        uint64_t base, irq;
    } dev[] = {{"/soc/virtio_mmio@10001000", 0x10001000, 1},
               {"/soc/virtio_mmio@10003000", 0x10003000, 3}};
    for (unsigned i = 0; i < 2; i++) {
        CHECK(str_is(dts, dev[i].path, "compatible", "\"virtio,mmio\""));
        CHECK_EQ(cells(dts, dev[i].path, "reg", c, 8), 4);
        CHECK_EQ(c[0] << 32 | c[1], dev[i].base);
        CHECK_EQ(c[2] << 32 | c[3], 0x1000);
        CHECK(u32_is(dts, dev[i].path, "interrupts", dev[i].irq));
        CHECK(u32_is(dts, dev[i].path, "interrupt-parent", plic_ph[0]));
    }
    free(dts);
    board_free(b);
}

/* 4 GiB of RAM (the size needs the high cell) and an initrd. */
static void test_big_ram_initrd(void)
{
    TEST_CASE("4 GiB and an initrd");
    int ready[VIRT_VIRTIO_SLOTS];
    for (unsigned i = 0; i < VIRT_VIRTIO_SLOTS; i++)
        ready[i] = 1;
    board_t *b = board_new(4ull << 30, VIRT_VIRTIO_SLOTS, ready);
    uint64_t initrd_size = 5000000;
    uint64_t off = rv_virt_initrd_offset(&b->v, IMAGE_SIZE, initrd_size);
    CHECK(off != 0);
    CHECK_EQ(off & 0xfff, 0);
    CHECK(off + initrd_size <= b->ram_size - VIRT_DTB_SPACE);
    CHECK(off >= VIRT_KERNEL_OFFSET + IMAGE_SIZE);
    char *dts = boot_and_decompile(b, off, initrd_size, "");
    if (!dts) {
        board_free(b);
        return;
    }
    uint64_t c[8];
    CHECK_EQ(cells(dts, "/memory@80000000", "reg", c, 8), 4);
    CHECK_EQ(c[0] << 32 | c[1], VIRT_RAM_BASE);
    CHECK_EQ(c[2] << 32 | c[3], 4ull << 30);
    CHECK(str_is(dts, "/chosen", "bootargs", "[00]") || str_is(dts, "/chosen", "bootargs", "\"\""));
    CHECK_EQ(cells(dts, "/chosen", "linux,initrd-start", c, 8), 2);
    CHECK_EQ(c[0] << 32 | c[1], VIRT_RAM_BASE + off);
    CHECK_EQ(cells(dts, "/chosen", "linux,initrd-end", c, 8), 2);
    CHECK_EQ(c[0] << 32 | c[1], VIRT_RAM_BASE + off + initrd_size);
    CHECK_EQ(count(dts, "virtio_mmio@"), VIRT_VIRTIO_SLOTS);
    for (unsigned i = 0; i < VIRT_VIRTIO_SLOTS; i++) {
        char path[64];
        snprintf(path, sizeof path, "/soc/virtio_mmio@%llx",
                 (unsigned long long)(VIRT_VIRTIO_BASE + 0x1000ull * i));
        CHECK(u32_is(dts, path, "interrupts", i < 8 ? i + 1 : i + 4)); /* 11 is the RTC's */
    }
    free(dts);
    board_free(b);
}

static void test_boot_refusals(void)
{
    TEST_CASE("rv_virt_boot refusals");
    static const int ready[] = {1};
    board_t *b = board_new(16ull << 20, 1, ready);
    /* No slot published: no virtio node at all. */
    b->blocks[TVM_V_READY] = 0;
    char *dts = boot_and_decompile(b, 0, 0, "x");
    CHECK(dts && count(dts, "virtio") == 0);
    free(dts);
    b->blocks[TVM_V_READY] = 1;

    CHECK(rv_virt_boot(&b->v, 0x3f, 0, 0, "") != NULL); /* shorter than a header */
    /* A kernel size near 2^64 must not wrap into a place for the initrd (found by fuzz_boot). */
    CHECK_EQ(rv_virt_initrd_offset(&b->v, 0xfffffffffeffffdeull, 0x1d1d00), 0);
    CHECK_EQ(rv_virt_initrd_offset(&b->v, UINT64_MAX, 4096), 0);
    b->ram[VIRT_KERNEL_OFFSET + 0x38] = 'X';
    CHECK(rv_virt_boot(&b->v, IMAGE_SIZE, 0, 0, "") != NULL); /* bad magic */
    b->ram[VIRT_KERNEL_OFFSET + 0x38] = 'R';
    CHECK(rv_virt_boot(&b->v, IMAGE_SIZE, 0, 0, "") == NULL);
    /* An image that claims more than RAM holds, including absurd sizes. */
    static const uint64_t sizes[] = {14ull << 20, 1ull << 40, ~0ull, ~0ull - 0x200000};
    for (unsigned i = 0; i < 4; i++) {
        for (int k = 0; k < 8; k++)
            b->ram[VIRT_KERNEL_OFFSET + 0x10 + k] = (uint8_t)(sizes[i] >> (8 * k));
        CHECK(rv_virt_boot(&b->v, IMAGE_SIZE, 0, 0, "") != NULL);
    }
    for (int k = 0; k < 8; k++)
        b->ram[VIRT_KERNEL_OFFSET + 0x10 + k] = (uint8_t)(IMAGE_SIZE >> (8 * k));
    /* An initrd over the kernel, over the device tree, or wrapping around. */
    uint64_t top = b->ram_size - VIRT_DTB_SPACE;
    CHECK(rv_virt_boot(&b->v, IMAGE_SIZE, VIRT_KERNEL_OFFSET, 4096, "") != NULL);
    CHECK(rv_virt_boot(&b->v, IMAGE_SIZE, top - 4096, 8192, "") != NULL);
    CHECK(rv_virt_boot(&b->v, IMAGE_SIZE, top - 4096, ~0ull - top + 4097 + 4096, "") != NULL);
    CHECK(rv_virt_boot(&b->v, IMAGE_SIZE, top - 4096, 4096, "") == NULL);
    /* Initrds that cannot fit. */
    CHECK_EQ(rv_virt_initrd_offset(&b->v, IMAGE_SIZE, top), 0);
    CHECK_EQ(rv_virt_initrd_offset(&b->v, IMAGE_SIZE, ~0ull), 0);
    /* A command line too long for the space kept for the device tree. */
    size_t n = VIRT_DTB_SPACE;
    char *longline = malloc(n + 1);
    memset(longline, 'a', n);
    longline[n] = 0;
    CHECK(rv_virt_boot(&b->v, IMAGE_SIZE, 0, 0, longline) != NULL);
    free(longline);
    board_free(b);
}

/* Builds a small tree into buf; returns fdt_finish's result. */
static size_t small_tree(uint8_t *buf, size_t cap)
{
    fdt_t f;
    fdt_begin(&f, buf, cap);
    fdt_begin_node(&f, "");
    fdt_prop_u32(&f, "#address-cells", 2);
    fdt_begin_node(&f, "chosen");
    fdt_prop_str(&f, "bootargs", "console=hvc0");
    fdt_prop_u64(&f, "big", 0x123456789abcdef0ull);
    fdt_prop_empty(&f, "flag");
    fdt_end_node(&f);
    fdt_end_node(&f);
    return fdt_finish(&f);
}

static void test_fdt_writer(void)
{
    TEST_CASE("fdt writer limits");
    static uint8_t buf[4096];
    size_t need = small_tree(buf, sizeof buf);
    CHECK(need > 56 && need < 400);
    CHECK_EQ(be32(buf), 0xd00dfeed);
    CHECK_EQ(be32(buf + 4), need);
    char *dts = decompile(buf, need);
    CHECK(dts != NULL);
    if (dts) {
        CHECK(str_is(dts, "/chosen", "bootargs", "\"console=hvc0\""));
        uint64_t c[2];
        CHECK_EQ(cells(dts, "/chosen", "big", c, 2), 2);
        CHECK_EQ(c[0] << 32 | c[1], 0x123456789abcdef0ull);
        CHECK(str_is(dts, "/chosen", "flag", ""));
        free(dts);
    }
    /* Every smaller buffer fails, and nothing is written past its end. */
    unsigned bad = 0, spill = 0;
    for (size_t cap = 0; cap < need; cap++) {
        memset(buf, 0xa5, sizeof buf);
        if (small_tree(buf, cap) != 0) bad++;
        for (size_t i = cap; i < sizeof buf; i++)
            if (buf[i] != 0xa5) {
                spill++;
                break;
            }
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(spill, 0);
    memset(buf, 0xa5, sizeof buf);
    CHECK_EQ(small_tree(buf, need), need);
    CHECK_EQ(buf[need], 0xa5);

    /* Unbalanced nodes and too many distinct property names fail too. */
    fdt_t f;
    fdt_begin(&f, buf, sizeof buf);
    fdt_begin_node(&f, "");
    fdt_begin_node(&f, "open");
    fdt_end_node(&f);
    CHECK_EQ(fdt_finish(&f), 0);
    static uint8_t big[65536];
    fdt_begin(&f, big, sizeof big);
    fdt_begin_node(&f, "");
    for (unsigned i = 0; i < 200; i++) {
        char name[32];
        snprintf(name, sizeof name, "property-name-%u", i);
        fdt_prop_u32(&f, name, i);
    }
    fdt_end_node(&f);
    CHECK_EQ(fdt_finish(&f), 0);
    /* More than 16 cells in one property. */
    uint32_t many[17] = {0};
    fdt_begin(&f, big, sizeof big);
    fdt_begin_node(&f, "");
    fdt_prop_cells(&f, "reg", many, 17);
    fdt_end_node(&f);
    CHECK_EQ(fdt_finish(&f), 0);
}

static uint64_t wall_fixed(void *o) { return 1796169600ull * 1000000000ull; }

/* With a wall clock the board has a goldfish RTC at its address and interrupt, and the
 * device tree carries the host's entropy in /chosen/rng-seed. */
static void test_rtc_and_seed(void)
{
    TEST_CASE("goldfish RTC node and rng-seed");
    int ready[1] = {1};
    board_t *b = board_new(64ull << 20, 1, ready);
    rv_virt_config_t cfg = board_config(b, 1);
    cfg.wall_ns = wall_fixed;
    rv_virt_init(&b->v, b->cpu, &cfg);
    uint8_t seed[VIRT_RNG_SEED_BYTES];
    for (unsigned i = 0; i < sizeof seed; i++)
        seed[i] = (uint8_t)(i * 37 + 1);
    rv_virt_set_rng_seed(&b->v, seed, sizeof seed);
    char *dts = boot_and_decompile(b, 0, 0, "console=hvc0");
    if (dts) {
        CHECK(str_is(dts, "/soc/rtc@101000", "compatible", "\"google,goldfish-rtc\""));
        uint64_t c[4];
        CHECK_EQ(cells(dts, "/soc/rtc@101000", "reg", c, 4), 4);
        CHECK(c[1] == VIRT_RTC_BASE && c[3] == GOLDFISH_RTC_SIZE);
        CHECK(u32_is(dts, "/soc/rtc@101000", "interrupts", VIRT_RTC_IRQ));
        char buf[512];
        CHECK(prop(dts, "/chosen", "rng-seed", buf, sizeof buf) != NULL);
        /* 64 bytes: dtc prints them as 16 cells (or bytes, by version); the first is 01 26 4b 70.
         */
        CHECK(strstr(buf, "0x1264b70") != NULL || strstr(buf, "01 26 4b 70") != NULL);
        /* The RTC reads the host's time through the bus. */
        uint64_t lo = 0, hi = 0;
        CHECK(cfg.wall_ns != NULL);
        CHECK(goldfish_rtc_read(&b->v.rtc, 0, 4, &lo) && goldfish_rtc_read(&b->v.rtc, 4, 4, &hi));
        CHECK_EQ(hi << 32 | lo, wall_fixed(NULL));
        free(dts);
    }
    board_free(b);
}

static void uart_drop(void *o, uint8_t b) {}

/* With a UART host the board has a 16550A at QEMU's address and source, as the default
 * console of a kernel told nothing (stdout-path); without one, neither. */
static void test_uart(void)
{
    TEST_CASE("16550A UART node and stdout-path");
    int ready[1] = {1};
    board_t *b = board_new(64ull << 20, 1, ready);
    rv_virt_config_t cfg = board_config(b, 1);
    cfg.uart.tx = uart_drop;
    rv_virt_init(&b->v, b->cpu, &cfg);
    char *dts = boot_and_decompile(b, 0, 0, "console=hvc0");
    if (dts) {
        const char *uart = "/soc/serial@10000000";
        CHECK(str_is(dts, uart, "compatible", "\"ns16550a\""));
        uint64_t c[4];
        CHECK_EQ(cells(dts, uart, "reg", c, 4), 4);
        CHECK(c[1] == VIRT_UART_BASE && c[3] == UART16550_SIZE);
        CHECK(u32_is(dts, uart, "interrupts", VIRT_UART_IRQ));
        /* 3686400 is the bytes 00 38 40 00, which dtc shows as the string "\08@". */
        CHECK(u32_is(dts, uart, "clock-frequency", 3686400) ||
              str_is(dts, uart, "clock-frequency", "\"\\08@\""));
        CHECK(str_is(dts, "/chosen", "stdout-path", "\"/soc/serial@10000000\""));
        free(dts);
    }
    CHECK(b->v.has_uart);
    board_free(b);
    /* No UART host: no node, nothing at its address. */
    b = board_new(64ull << 20, 1, ready);
    dts = boot_and_decompile(b, 0, 0, "console=hvc0");
    if (dts) {
        CHECK(strstr(dts, "serial@") == NULL);
        CHECK(strstr(dts, "stdout-path") == NULL);
        free(dts);
    }
    CHECK(!b->v.has_uart);
    board_free(b);
}

int main(void)
{
    test_start();
    test_rtc_and_seed();
    test_uart();
    test_board_tree();
    test_big_ram_initrd();
    test_boot_refusals();
    test_fdt_writer();
    return test_report();
}
