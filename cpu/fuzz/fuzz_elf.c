/* fuzz_elf.c - libFuzzer target: the ELF loader (shared/elf_load.c) on any file. It either
 * refuses with a message or loads segments that lie wholly inside the RAM it was given; ASan
 * reports any read outside the file or write outside RAM. */
#include <stdint.h>
#include <stdlib.h>

#include "../../shared/elf_load.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (1u << 20)
#define EM_RISCV 243

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t *ram;
    if (!ram && !(ram = malloc(RAM_SIZE))) abort();
    /* A copy of exactly `size` bytes, so ASan sees a read past the end of the file. */
    uint8_t *file = malloc(size ? size : 1);
    if (!file) abort();
    for (size_t i = 0; i < size; i++)
        file[i] = data[i];
    elf_image_t img;
    const char *err = elf_load(file, size, EM_RISCV, ram, RAM_BASE, RAM_SIZE, &img);
    if (!err &&
        (img.lowest < RAM_BASE || img.highest > RAM_BASE + RAM_SIZE || img.lowest > img.highest))
        __builtin_trap(); /* loaded, but says it used memory outside RAM */
    free(file);
    return 0;
}
