/* Goldfish real-time clock (the register interface of Android's virtual platform, which QEMU's
 * RISC-V virt board also uses and Linux drives with rtc-goldfish): nanoseconds since the Unix
 * epoch from the host's clock, a guest-set offset, and an alarm with one interrupt line. It is
 * served synchronously by the CPU worker's board: every register is a computation, nothing
 * waits. */
#ifndef GOLDFISH_RTC_H
#define GOLDFISH_RTC_H

#include <stdbool.h>
#include <stdint.h>

#define GOLDFISH_RTC_SIZE 0x1000ull

typedef struct goldfish_rtc {
    uint64_t (*host_ns)(void *opaque); /* the host's wall clock, ns since the epoch */
    void *opaque;
    int64_t offset_ns;  /* guest time minus host time, set by the guest writing the time */
    uint32_t time_high; /* latched when TIME_LOW is read, as the device does */
    uint32_t set_high;  /* TIME_HIGH written, applied with the next TIME_LOW write */
    uint64_t alarm_ns;  /* guest time of the alarm */
    bool alarm_armed, irq_enabled, irq_pending;
} goldfish_rtc_t;

void goldfish_rtc_init(goldfish_rtc_t *r, uint64_t (*host_ns)(void *), void *opaque);
bool goldfish_rtc_read(goldfish_rtc_t *r, uint64_t off, unsigned size, uint64_t *val);
bool goldfish_rtc_write(goldfish_rtc_t *r, uint64_t off, unsigned size, uint64_t val);
/* The interrupt line: an armed alarm whose time has come, with interrupts enabled. The board
 * samples it whenever it recomputes interrupt lines. */
bool goldfish_rtc_irq_level(goldfish_rtc_t *r);

#endif
