/* Flattened device tree writer (see fdt.h). The structure block is written in place; the header
 * and memory reservation map are placed in front of it when the blob is finished. */
#include "fdt.h"

#include <string.h>

#define FDT_MAGIC 0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_END 9
#define FDT_VERSION 17
#define FDT_LAST_COMP_VERSION 16
#define FDT_HEADER_SIZE 40
#define FDT_RSVMAP_SIZE 16 /* one terminating empty entry */
#define FDT_STRUCT_OFF (FDT_HEADER_SIZE + FDT_RSVMAP_SIZE)

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void emit(fdt_t *f, const void *data, size_t len)
{
    size_t padded = (len + 3) & ~(size_t)3;
    if (f->overflow || FDT_STRUCT_OFF + f->struct_len + padded > f->cap) {
        f->overflow = 1;
        return;
    }
    uint8_t *p = f->buf + FDT_STRUCT_OFF + f->struct_len;
    memcpy(p, data, len);
    memset(p + len, 0, padded - len);
    f->struct_len += padded;
}

static void emit_u32(fdt_t *f, uint32_t v)
{
    uint8_t b[4];
    put_be32(b, v);
    emit(f, b, 4);
}

/* Offset of name in the strings block, adding it if new. */
static uint32_t string_offset(fdt_t *f, const char *name)
{
    size_t n = strlen(name) + 1;
    for (size_t off = 0; off < f->strings_len; off += strlen(f->strings + off) + 1)
        if (strcmp(f->strings + off, name) == 0) return (uint32_t)off;
    if (f->strings_len + n > sizeof f->strings) {
        f->overflow = 1;
        return 0;
    }
    memcpy(f->strings + f->strings_len, name, n);
    f->strings_len += n;
    return (uint32_t)(f->strings_len - n);
}

void fdt_begin(fdt_t *f, uint8_t *buf, size_t cap)
{
    memset(f, 0, sizeof *f);
    f->buf = buf;
    f->cap = cap;
}

void fdt_begin_node(fdt_t *f, const char *name)
{
    emit_u32(f, FDT_BEGIN_NODE);
    emit(f, name, strlen(name) + 1);
    f->depth++;
}

void fdt_end_node(fdt_t *f)
{
    emit_u32(f, FDT_END_NODE);
    f->depth--;
}

void fdt_prop(fdt_t *f, const char *name, const void *data, uint32_t len)
{
    emit_u32(f, FDT_PROP);
    emit_u32(f, len);
    emit_u32(f, string_offset(f, name));
    if (len) emit(f, data, len);
}

void fdt_prop_cells(fdt_t *f, const char *name, const uint32_t *cells, unsigned n)
{
    uint8_t b[4 * 16];
    if (n > 16) {
        f->overflow = 1;
        return;
    }
    for (unsigned i = 0; i < n; i++)
        put_be32(b + 4 * i, cells[i]);
    fdt_prop(f, name, b, 4 * n);
}

void fdt_prop_u32(fdt_t *f, const char *name, uint32_t v) { fdt_prop_cells(f, name, &v, 1); }

void fdt_prop_u64(fdt_t *f, const char *name, uint64_t v)
{
    uint32_t c[2] = {(uint32_t)(v >> 32), (uint32_t)v};
    fdt_prop_cells(f, name, c, 2);
}

void fdt_prop_str(fdt_t *f, const char *name, const char *s)
{
    fdt_prop(f, name, s, (uint32_t)strlen(s) + 1);
}

void fdt_prop_empty(fdt_t *f, const char *name) { fdt_prop(f, name, NULL, 0); }

size_t fdt_finish(fdt_t *f)
{
    emit_u32(f, FDT_END);
    size_t strings_off = FDT_STRUCT_OFF + f->struct_len;
    size_t total = strings_off + f->strings_len;
    if (f->overflow || f->depth != 0 || total > f->cap) return 0;
    memcpy(f->buf + strings_off, f->strings, f->strings_len);
    uint8_t *h = f->buf;
    put_be32(h + 0, FDT_MAGIC);
    put_be32(h + 4, (uint32_t)total);
    put_be32(h + 8, FDT_STRUCT_OFF);         /* off_dt_struct */
    put_be32(h + 12, (uint32_t)strings_off); /* off_dt_strings */
    put_be32(h + 16, FDT_HEADER_SIZE);       /* off_mem_rsvmap */
    put_be32(h + 20, FDT_VERSION);
    put_be32(h + 24, FDT_LAST_COMP_VERSION);
    put_be32(h + 28, 0);                        /* boot_cpuid_phys */
    put_be32(h + 32, (uint32_t)f->strings_len); /* size_dt_strings */
    put_be32(h + 36, (uint32_t)f->struct_len);  /* size_dt_struct */
    memset(h + FDT_HEADER_SIZE, 0, FDT_RSVMAP_SIZE);
    return total;
}
