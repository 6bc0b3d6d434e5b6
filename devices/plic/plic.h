/* Platform-level interrupt controller (RISC-V PLIC spec 1.0.0) with level-triggered sources,
 * for one hart with two contexts: 0 = M-mode, 1 = S-mode. It only computes outputs; the board
 * turns them into the hart's MEIP/SEIP. */
#ifndef PLIC_H
#define PLIC_H

#include <stdbool.h>
#include <stdint.h>

#define PLIC_NUM_SOURCES 32 /* source 0 is reserved: 31 usable sources */
#define PLIC_NUM_CONTEXTS 2
#define PLIC_SIZE 0x4000000ull

typedef struct plic {
    uint32_t priority[PLIC_NUM_SOURCES];
    uint32_t level;   /* current input level per source */
    uint32_t pending; /* pending bits */
    uint32_t claimed; /* claimed and not yet completed */
    uint32_t enable[PLIC_NUM_CONTEXTS];
    uint32_t threshold[PLIC_NUM_CONTEXTS];
} plic_t;

void plic_reset(plic_t *p);
void plic_set_level(plic_t *p, unsigned source, bool high);
bool plic_read(plic_t *p, uint64_t off, unsigned size, uint64_t *val);
bool plic_write(plic_t *p, uint64_t off, unsigned size, uint64_t val);
/* Bit c set if context c has an interrupt to take. */
uint32_t plic_outputs(const plic_t *p);

#endif
