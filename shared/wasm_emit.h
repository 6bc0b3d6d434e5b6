/* A small writer of WebAssembly binary modules (the core spec's binary format, section 5), for
 * JITs that generate code at run time. ISA-neutral: it knows Wasm, not the guest. Writing into a
 * fixed buffer, it never allocates; running out of room sets `overflow` and the module is
 * dropped by its caller. Header-only so each JIT inlines what it uses. */
#ifndef WASM_EMIT_H
#define WASM_EMIT_H

#include <stdint.h>
#include <string.h>

typedef struct wasm_buf {
    uint8_t *p;
    uint32_t len, cap;
    int overflow;
} wasm_buf_t;

/* Value and block types. */
enum { WASM_I32 = 0x7f, WASM_I64 = 0x7e, WASM_F64 = 0x7c, WASM_VOID = 0x40, WASM_FUNCREF = 0x70 };

/* The instructions the JITs use (core spec 5.4). */
// clang-format off
enum wasm_opcode {
    W_UNREACHABLE = 0x00, W_BLOCK = 0x02, W_LOOP = 0x03, W_IF = 0x04, W_ELSE = 0x05, W_END = 0x0b,
    W_BR = 0x0c, W_BR_IF = 0x0d, W_BR_TABLE = 0x0e, W_RETURN = 0x0f, W_CALL = 0x10,
    W_CALL_INDIRECT = 0x11, W_RETURN_CALL_INDIRECT = 0x13, /* tail calls */
    W_DROP = 0x1a, W_SELECT = 0x1b,
    W_LOCAL_GET = 0x20, W_LOCAL_SET = 0x21, W_LOCAL_TEE = 0x22,
    W_I32_LOAD = 0x28, W_I64_LOAD = 0x29,
    W_I64_LOAD8_S = 0x30, W_I64_LOAD8_U = 0x31, W_I64_LOAD16_S = 0x32, W_I64_LOAD16_U = 0x33,
    W_I64_LOAD32_S = 0x34, W_I64_LOAD32_U = 0x35,
    W_I32_STORE = 0x36, W_I64_STORE = 0x37, W_I64_STORE8 = 0x3c, W_I64_STORE16 = 0x3d,
    W_I64_STORE32 = 0x3e,
    W_I32_CONST = 0x41, W_I64_CONST = 0x42,
    W_I32_EQZ = 0x45, W_I32_EQ = 0x46, W_I32_NE = 0x47,
    W_I64_EQZ = 0x50, W_I64_EQ = 0x51, W_I64_NE = 0x52, W_I64_LT_S = 0x53, W_I64_LT_U = 0x54,
    W_I64_GT_S = 0x55, W_I64_GT_U = 0x56, W_I64_LE_S = 0x57, W_I64_LE_U = 0x58,
    W_I64_GE_S = 0x59, W_I64_GE_U = 0x5a,
    W_I32_ADD = 0x6a, W_I32_SUB = 0x6b, W_I32_MUL = 0x6c, W_I32_DIV_S = 0x6d, W_I32_DIV_U = 0x6e,
    W_I32_REM_S = 0x6f, W_I32_REM_U = 0x70, W_I32_AND = 0x71, W_I32_OR = 0x72, W_I32_XOR = 0x73,
    W_I32_SHL = 0x74, W_I32_SHR_S = 0x75, W_I32_SHR_U = 0x76,
    W_I64_ADD = 0x7c, W_I64_SUB = 0x7d, W_I64_MUL = 0x7e, W_I64_DIV_S = 0x7f, W_I64_DIV_U = 0x80,
    W_I64_REM_S = 0x81, W_I64_REM_U = 0x82, W_I64_AND = 0x83, W_I64_OR = 0x84, W_I64_XOR = 0x85,
    W_I64_SHL = 0x86, W_I64_SHR_S = 0x87, W_I64_SHR_U = 0x88,
    W_I32_WRAP_I64 = 0xa7, W_I64_EXTEND_I32_S = 0xac, W_I64_EXTEND_I32_U = 0xad,
    W_I64_EXTEND32_S = 0xc4,
};
// clang-format on

/* Section ids (core spec 5.5.2). */
enum {
    WASM_SEC_TYPE = 1,
    WASM_SEC_IMPORT = 2,
    WASM_SEC_FUNCTION = 3,
    WASM_SEC_EXPORT = 7,
    WASM_SEC_CODE = 10
};

static inline void wasm_byte(wasm_buf_t *b, uint8_t v)
{
    if (b->len < b->cap)
        b->p[b->len++] = v;
    else
        b->overflow = 1;
}
static inline void wasm_bytes(wasm_buf_t *b, const void *src, uint32_t n)
{
    if (b->cap - b->len < n) {
        b->overflow = 1;
        return;
    }
    memcpy(b->p + b->len, src, n);
    b->len += n;
}
static inline void wasm_u32(wasm_buf_t *b, uint32_t v) /* unsigned LEB128 */
{
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        wasm_byte(b, (uint8_t)(byte | (v ? 0x80 : 0)));
    } while (v);
}
static inline void wasm_s64(wasm_buf_t *b, int64_t v) /* signed LEB128 */
{
    for (;;) {
        uint8_t byte = v & 0x7f;
        v >>= 7; /* arithmetic: the compilers this builds with shift signed values so */
        if ((v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40))) {
            wasm_byte(b, byte);
            return;
        }
        wasm_byte(b, byte | 0x80);
    }
}
static inline void wasm_name(wasm_buf_t *b, const char *s)
{
    uint32_t n = (uint32_t)strlen(s);
    wasm_u32(b, n);
    wasm_bytes(b, s, n);
}

/* A length that is patched in later: five LEB128 bytes, so the value never moves code. */
static inline uint32_t wasm_reserve_len(wasm_buf_t *b)
{
    uint32_t at = b->len;
    for (int i = 0; i < 5; i++)
        wasm_byte(b, 0);
    return at;
}
static inline void wasm_patch_len(wasm_buf_t *b, uint32_t at)
{
    if (b->overflow) return;
    uint32_t v = b->len - at - 5;
    for (int i = 0; i < 5; i++, v >>= 7)
        b->p[at + i] = (uint8_t)((v & 0x7f) | (i < 4 ? 0x80 : 0));
}

/* Instructions with immediates. */
static inline void wasm_op(wasm_buf_t *b, enum wasm_opcode op) { wasm_byte(b, (uint8_t)op); }
static inline void wasm_local(wasm_buf_t *b, enum wasm_opcode op, uint32_t idx)
{
    wasm_byte(b, (uint8_t)op);
    wasm_u32(b, idx);
}
static inline void wasm_i32_const(wasm_buf_t *b, int32_t v)
{
    wasm_byte(b, W_I32_CONST);
    wasm_s64(b, v);
}
static inline void wasm_i64_const(wasm_buf_t *b, int64_t v)
{
    wasm_byte(b, W_I64_CONST);
    wasm_s64(b, v);
}
/* A load or store with its memarg: alignment hint (log2 bytes) and a constant offset. */
static inline void wasm_mem(wasm_buf_t *b, enum wasm_opcode op, uint32_t align_log2,
                            uint32_t offset)
{
    wasm_byte(b, (uint8_t)op);
    wasm_u32(b, align_log2);
    wasm_u32(b, offset);
}
static inline void wasm_br(wasm_buf_t *b, enum wasm_opcode op, uint32_t depth)
{
    wasm_byte(b, (uint8_t)op);
    wasm_u32(b, depth);
}
/* block / loop / if with a block type (WASM_VOID or a value type). */
static inline void wasm_block(wasm_buf_t *b, enum wasm_opcode op, uint8_t type)
{
    wasm_byte(b, (uint8_t)op);
    wasm_byte(b, type);
}
static inline void wasm_call_indirect(wasm_buf_t *b, uint32_t type_idx, uint32_t table_idx)
{
    wasm_byte(b, W_CALL_INDIRECT);
    wasm_u32(b, type_idx);
    wasm_u32(b, table_idx);
}

#endif
