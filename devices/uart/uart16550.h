/* A 16550A-compatible UART (the "ns16550a" of device trees), as far as Linux's 8250 driver and
 * its earlycon use it: 8-bit registers at consecutive offsets, transmit that is always ready
 * (a byte written goes straight to the host), receive from the host's input, the received-data
 * and transmitter-empty interrupts on one level-triggered line, the divisor latch, scratch and
 * modem registers, and loopback. Served synchronously by the board in the CPU worker, like the
 * PLIC and the RTC; it lets stock kernels use `console=ttyS0` and a plain `earlycon`. */
#ifndef UART16550_H
#define UART16550_H

#include <stdbool.h>
#include <stdint.h>

#define UART16550_SIZE 0x100
#define UART16550_LOOP_FIFO 16

typedef struct uart16550_host {
    void *opaque;
    void (*tx)(void *opaque, uint8_t byte);
    /* Input waiting from the host, and taking one byte of it. */
    uint32_t (*rx_avail)(void *opaque);
    uint8_t (*rx_take)(void *opaque);
} uart16550_host_t;

typedef struct uart16550 {
    uart16550_host_t host;
    uint8_t ier, lcr, mcr, scr, fcr, dll, dlm;
    bool thre_pending; /* the transmitter-empty interrupt is due (cleared by reading IIR) */
    /* Loopback (MCR bit 4): what is sent comes back here instead of going to the host. */
    uint8_t loop[UART16550_LOOP_FIFO];
    unsigned loop_len;
} uart16550_t;

void uart16550_init(uart16550_t *u, const uart16550_host_t *host);
/* Register accesses at offset off (0..7; wider accesses read or write the low byte). Return
 * false for offsets outside the device. */
bool uart16550_read(uart16550_t *u, uint64_t off, unsigned size, uint64_t *val);
bool uart16550_write(uart16550_t *u, uint64_t off, unsigned size, uint64_t val);
/* The interrupt line. */
bool uart16550_irq_level(const uart16550_t *u);
/* The guest has asked for receive interrupts (a port someone reads): where input should go. */
bool uart16550_rx_enabled(const uart16550_t *u);

#endif
