/* fuzz_boot.c - libFuzzer target: the board's boot checks (cpu/riscv/rv_virt.c) on any kernel
 * header, kernel and initramfs sizes, initramfs placement, RAM size and command line: what a
 * person's files and options control. rv_virt_boot either refuses with a message or leaves
 * the kernel image, the initramfs and the device tree inside RAM without overlapping, with a
 * valid device tree at the top; rv_virt_initrd_offset never proposes a place that breaks that. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "../../shared/tvm_layout.h"
#include "../riscv/rv_virt.h"

#define RAM_MAX (64ull << 20)

static uint64_t take(const uint8_t **p, size_t *left, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n && *left; i++, (*p)++, (*left)--)
        v |= (uint64_t) * *p << (8 * i);
    return v;
}

static uint64_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t now(void *o) { return 0; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t *ram;
    static rv_cpu_t *cpu;
    static rv_virt_t board;
    static uint32_t machine[TVM_M_WORDS], blocks[TVM_V_WORDS];
    if (!ram) {
        ram = mmap(NULL, RAM_MAX, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        cpu = calloc(1, rv_cpu_size());
        if (ram == MAP_FAILED || !cpu) abort();
    }
    const uint8_t *p = data;
    size_t left = size;
    uint64_t ram_size = (16 + take(&p, &left, 1) % 49) << 20; /* 16..64 MiB */
    uint64_t kernel_size = take(&p, &left, 8);
    uint64_t initrd_size = take(&p, &left, 8);
    int placed = take(&p, &left, 1) & 1; /* where the caller asks the board, or anywhere */
    uint64_t initrd_offset = take(&p, &left, 8);
    uint8_t header[64];
    for (unsigned i = 0; i < sizeof header; i++)
        header[i] = (uint8_t)take(&p, &left, 1);
    char cmdline[4096];
    size_t n = left < sizeof cmdline - 1 ? left : sizeof cmdline - 1;
    memcpy(cmdline, p, n);
    cmdline[n] = 0;

    rv_virt_config_t cfg = {.ram = ram,
                            .ram_size = ram_size,
                            .machine_block = machine,
                            .virtio_blocks = blocks,
                            .n_virtio = 1,
                            .time_now = now};
    rv_virt_init(&board, cpu, &cfg);
    memcpy(ram + VIRT_KERNEL_OFFSET, header, sizeof header);
    uint64_t top = ram_size - VIRT_DTB_SPACE;
    if (placed) {
        initrd_offset = rv_virt_initrd_offset(&board, kernel_size, initrd_size);
        if (initrd_offset) { /* a place inside RAM, above the kernel file, below the tree */
            if (initrd_offset > top || initrd_size > top - initrd_offset) __builtin_trap();
            if (kernel_size > initrd_offset || initrd_offset - kernel_size < VIRT_KERNEL_OFFSET)
                __builtin_trap();
        }
    }
    const char *err = rv_virt_boot(&board, kernel_size, initrd_offset, initrd_size, cmdline);
    if (err) return 0;
    uint64_t image_size = 0;
    for (int i = 7; i >= 0; i--)
        image_size = image_size << 8 | header[0x10 + i];
    if (image_size > top || VIRT_KERNEL_OFFSET > top - image_size) __builtin_trap();
    if (initrd_size && (initrd_offset < VIRT_KERNEL_OFFSET + image_size || initrd_offset > top ||
                        initrd_size > top - initrd_offset))
        __builtin_trap();
    const uint8_t *dtb = ram + top;
    if (be32(dtb) != 0xd00dfeed || be32(dtb + 4) > VIRT_DTB_SPACE) __builtin_trap();
    return 0;
}
