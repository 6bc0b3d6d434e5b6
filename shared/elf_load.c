/* ELF64 loader for bare-metal test programs and kernels given as ELF (see elf_load.h). Field
 * offsets follow the System V gABI, ELF-64 object file format. */
#include "elf_load.h"

#include <string.h>

#define EI_NIDENT 16
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ET_EXEC 2
#define PT_LOAD 1
#define SHT_SYMTAB 2
#define EHDR_SIZE 64
#define PHDR_SIZE 56
#define SHDR_SIZE 64
#define SYM_SIZE 24

static uint64_t rd(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* Whether [off, off + size) lies inside a buffer of length len, without overflow. */
static int in_file(uint64_t off, uint64_t size, size_t len)
{
    return off <= len && size <= len - off;
}

static void find_symbols(const uint8_t *f, size_t len, elf_image_t *out)
{
    uint64_t shoff = rd(f + 0x28, 8);
    unsigned shentsize = (unsigned)rd(f + 0x3a, 2), shnum = (unsigned)rd(f + 0x3c, 2);
    if (shentsize != SHDR_SIZE || !in_file(shoff, (uint64_t)shnum * SHDR_SIZE, len)) return;
    for (unsigned i = 0; i < shnum; i++) {
        const uint8_t *sh = f + shoff + (uint64_t)i * SHDR_SIZE;
        if (rd(sh + 4, 4) != SHT_SYMTAB) continue;
        uint64_t off = rd(sh + 0x18, 8), size = rd(sh + 0x20, 8);
        unsigned link = (unsigned)rd(sh + 0x28, 4);
        if (!in_file(off, size, len) || link >= shnum) continue;
        const uint8_t *strsh = f + shoff + (uint64_t)link * SHDR_SIZE;
        uint64_t stroff = rd(strsh + 0x18, 8), strsize = rd(strsh + 0x20, 8);
        if (!in_file(stroff, strsize, len)) continue;
        for (uint64_t s = 0; s + SYM_SIZE <= size; s += SYM_SIZE) {
            const uint8_t *sym = f + off + s;
            uint64_t name = rd(sym, 4);
            if (name >= strsize) continue;
            const char *n = (const char *)f + stroff + name;
            size_t max = (size_t)(strsize - name);
            if (!memchr(n, 0, max)) continue; /* unterminated name */
            if (strcmp(n, "tohost") == 0) out->tohost = rd(sym + 8, 8);
            if (strcmp(n, "fromhost") == 0) out->fromhost = rd(sym + 8, 8);
        }
    }
}

const char *elf_load(const uint8_t *f, size_t len, uint16_t machine, uint8_t *ram,
                     uint64_t ram_base, uint64_t ram_size, elf_image_t *out)
{
    memset(out, 0, sizeof *out);
    if (len < EHDR_SIZE || memcmp(f, "\177ELF", 4) != 0) return "not an ELF file";
    if (f[4] != ELFCLASS64) return "not a 64-bit ELF file";
    if (f[5] != ELFDATA2LSB) return "not a little-endian ELF file";
    if (rd(f + 0x12, 2) != machine) return "ELF file is for another machine type";
    if (rd(f + 0x10, 2) != ET_EXEC) return "ELF file is not an executable";
    uint64_t phoff = rd(f + 0x20, 8);
    unsigned phentsize = (unsigned)rd(f + 0x36, 2), phnum = (unsigned)rd(f + 0x38, 2);
    if (phentsize != PHDR_SIZE || phnum == 0) return "ELF file has no usable program headers";
    if (!in_file(phoff, (uint64_t)phnum * PHDR_SIZE, len))
        return "ELF program headers lie outside the file (truncated?)";

    /* Validate every segment before writing any. */
    int loads = 0;
    out->lowest = UINT64_MAX;
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = f + phoff + (uint64_t)i * PHDR_SIZE;
        if (rd(ph, 4) != PT_LOAD) continue;
        uint64_t off = rd(ph + 8, 8), paddr = rd(ph + 0x18, 8);
        uint64_t filesz = rd(ph + 0x20, 8), memsz = rd(ph + 0x28, 8);
        if (filesz > memsz) return "ELF segment has a file size larger than its memory size";
        if (!in_file(off, filesz, len)) return "ELF segment lies outside the file (truncated?)";
        if (paddr < ram_base || paddr - ram_base > ram_size ||
            memsz > ram_size - (paddr - ram_base))
            return "ELF segment does not fit in guest RAM";
        if (paddr < out->lowest) out->lowest = paddr;
        if (paddr + memsz > out->highest) out->highest = paddr + memsz;
        loads++;
    }
    if (!loads) return "ELF file has no loadable segment";
    out->entry = rd(f + 0x18, 8);
    if (out->entry < ram_base || out->entry - ram_base >= ram_size)
        return "ELF entry point is outside guest RAM";
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = f + phoff + (uint64_t)i * PHDR_SIZE;
        if (rd(ph, 4) != PT_LOAD) continue;
        uint64_t off = rd(ph + 8, 8), paddr = rd(ph + 0x18, 8);
        uint64_t filesz = rd(ph + 0x20, 8), memsz = rd(ph + 0x28, 8);
        memcpy(ram + (paddr - ram_base), f + off, (size_t)filesz);
        memset(ram + (paddr - ram_base) + filesz, 0, (size_t)(memsz - filesz));
    }
    find_symbols(f, len, out);
    return NULL;
}
