/* A bare-metal test machine: one hart, RAM at 0x80000000, the CLINT, and the HTIF `tohost`
 * protocol that ISA test suites use to report results and print. Shared by the native runner
 * and the Wasm build so both run the same code. */
#ifndef RV_HTIF_H
#define RV_HTIF_H

#include <stddef.h>
#include <stdint.h>

#include "rv_cpu.h"

#define HTIF_RAM_BASE 0x80000000ull

enum htif_state { HTIF_RUNNING = 0, HTIF_PASS = 1, HTIF_FAIL = 2 };

typedef struct htif_machine {
    rv_cpu_t *cpu;
    uint8_t *ram;
    uint64_t ram_size;
    uint64_t tohost, fromhost;
    uint64_t time_skip; /* mtime = instret + time_skip: deterministic, and WFI skips ahead */
    int state;
    uint64_t exit_code; /* failing test number (tohost >> 1) or the exit() status */
    void (*putchar)(void *opaque, int ch);
    void *opaque;
} htif_machine_t;

/* Loads an ELF into a machine whose cpu and ram the caller allocated (rv_cpu_size() bytes and
 * ram_size bytes). Returns NULL or an error message. */
const char *htif_load(htif_machine_t *m, const uint8_t *elf, size_t len);
/* Runs about `budget` instructions; returns the state. */
int htif_step(htif_machine_t *m, int64_t budget);

#endif
