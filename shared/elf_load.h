/* Loads a little-endian ELF64 executable from a byte buffer into guest RAM, validating every
 * header and segment first, so a malformed file is reported and never read out of bounds. */
#ifndef ELF_LOAD_H
#define ELF_LOAD_H

#include <stddef.h>
#include <stdint.h>

#define ELF_MACHINE_RISCV 243

typedef struct elf_image {
    uint64_t entry;
    uint64_t tohost;          /* address of the symbol `tohost`, 0 if absent */
    uint64_t fromhost;        /* address of the symbol `fromhost`, 0 if absent */
    uint64_t lowest, highest; /* loaded physical range */
} elf_image_t;

/* Returns NULL on success, or a message saying what is wrong with the file. */
const char *elf_load(const uint8_t *file, size_t len, uint16_t machine, uint8_t *ram,
                     uint64_t ram_base, uint64_t ram_size, elf_image_t *out);

#endif
