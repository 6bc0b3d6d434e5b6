/* A small flattened-device-tree (DTB) writer: nodes and properties in order, then the blob.
 * Format: Devicetree Specification v0.4, chapter 5. */
#ifndef FDT_H
#define FDT_H

#include <stddef.h>
#include <stdint.h>

typedef struct fdt {
    uint8_t *buf; /* caller's buffer */
    size_t cap;
    size_t struct_len;  /* structure block, built from the start of buf */
    char strings[1024]; /* strings block, copied after the structure block at the end */
    size_t strings_len;
    int depth;
    int overflow;
} fdt_t;

void fdt_begin(fdt_t *f, uint8_t *buf, size_t cap);
void fdt_begin_node(fdt_t *f, const char *name);
void fdt_end_node(fdt_t *f);
void fdt_prop(fdt_t *f, const char *name, const void *data, uint32_t len);
void fdt_prop_u32(fdt_t *f, const char *name, uint32_t v);
void fdt_prop_u64(fdt_t *f, const char *name, uint64_t v);
void fdt_prop_cells(fdt_t *f, const char *name, const uint32_t *cells, unsigned n);
void fdt_prop_str(fdt_t *f, const char *name, const char *s);
void fdt_prop_empty(fdt_t *f, const char *name);
/* Finishes the blob; returns its size, or 0 if the buffer was too small. */
size_t fdt_finish(fdt_t *f);

#endif
