/* 16550A UART (see uart16550.h). Register map: National Semiconductor PC16550D data sheet. */
#include "uart16550.h"

#include <string.h>

enum { RBR_THR = 0, IER = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };

#define IER_ERBFI 0x01 /* received data available */
#define IER_ETBEI 0x02 /* transmitter holding register empty */
#define IER_MASK 0x0f
#define IIR_NONE 0x01
#define IIR_THRE 0x02
#define IIR_RDA 0x04
#define IIR_FIFO 0xc0
#define LCR_DLAB 0x80
#define MCR_LOOP 0x10
#define MCR_MASK 0x1f
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define MSR_CTS 0x10
#define MSR_DSR 0x20
#define MSR_RI 0x40
#define MSR_DCD 0x80

void uart16550_init(uart16550_t *u, const uart16550_host_t *host)
{
    memset(u, 0, sizeof *u);
    u->host = *host;
}

static bool looping(const uart16550_t *u) { return (u->mcr & MCR_LOOP) != 0; }

static uint32_t rx_avail(const uart16550_t *u)
{
    if (looping(u)) return u->loop_len;
    return u->host.rx_avail ? u->host.rx_avail(u->host.opaque) : 0;
}

static uint8_t rx_take(uart16550_t *u)
{
    if (looping(u)) {
        if (!u->loop_len) return 0;
        uint8_t b = u->loop[0];
        memmove(u->loop, u->loop + 1, --u->loop_len);
        return b;
    }
    return u->host.rx_avail && u->host.rx_avail(u->host.opaque) ? u->host.rx_take(u->host.opaque)
                                                                : 0;
}

/* The highest-priority interrupt due, as IIR reports it. */
static uint8_t pending(const uart16550_t *u)
{
    if ((u->ier & IER_ERBFI) && rx_avail(u)) return IIR_RDA;
    if ((u->ier & IER_ETBEI) && u->thre_pending) return IIR_THRE;
    return IIR_NONE;
}

bool uart16550_irq_level(const uart16550_t *u) { return pending(u) != IIR_NONE; }

bool uart16550_rx_enabled(const uart16550_t *u) { return (u->ier & IER_ERBFI) != 0; }

bool uart16550_read(uart16550_t *u, uint64_t off, unsigned size, uint64_t *val)
{
    if (off > SCR) return false;
    uint8_t v = 0;
    bool dlab = (u->lcr & LCR_DLAB) != 0;
    switch (off) {
    case RBR_THR: v = dlab ? u->dll : rx_take(u); break;
    case IER: v = dlab ? u->dlm : u->ier; break;
    case IIR_FCR:
        v = pending(u);
        if (v == IIR_THRE) u->thre_pending = false; /* reading IIR clears THRE */
        if (u->fcr & 1) v |= IIR_FIFO;
        break;
    case LCR: v = u->lcr; break;
    case MCR: v = u->mcr; break;
    case LSR: v = (rx_avail(u) ? LSR_DR : 0) | LSR_THRE | LSR_TEMT; break;
    case MSR:
        if (looping(u)) /* DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD */
            v = (u->mcr & 1 ? MSR_DSR : 0) | (u->mcr & 2 ? MSR_CTS : 0) |
                (u->mcr & 4 ? MSR_RI : 0) | (u->mcr & 8 ? MSR_DCD : 0);
        else
            v = MSR_DCD | MSR_DSR | MSR_CTS;
        break;
    case SCR: v = u->scr; break;
    }
    *val = v;
    return true;
}

bool uart16550_write(uart16550_t *u, uint64_t off, unsigned size, uint64_t val)
{
    if (off > SCR) return false;
    uint8_t v = (uint8_t)val;
    bool dlab = (u->lcr & LCR_DLAB) != 0;
    switch (off) {
    case RBR_THR:
        if (dlab) {
            u->dll = v;
            break;
        }
        if (looping(u)) {
            if (u->loop_len < UART16550_LOOP_FIFO) u->loop[u->loop_len++] = v;
        } else if (u->host.tx) {
            u->host.tx(u->host.opaque, v);
        }
        u->thre_pending = true; /* sent at once: the holding register is empty again */
        break;
    case IER:
        if (dlab) {
            u->dlm = v;
            break;
        }
        /* Enabling the THRE interrupt while the register is empty raises it (as real 16550s
         * do, and as the 8250 driver's transmit start relies on). */
        if ((v & IER_ETBEI) && !(u->ier & IER_ETBEI)) u->thre_pending = true;
        u->ier = v & IER_MASK;
        break;
    case IIR_FCR:
        u->fcr = v & 0xc9; /* enable, DMA mode, trigger level; the clear bits are actions */
        if (v & 2) u->loop_len = 0;
        break;
    case LCR: u->lcr = v; break;
    case MCR: u->mcr = v & MCR_MASK; break;
    case LSR:
    case MSR: break; /* read-only in practice */
    case SCR: u->scr = v; break;
    }
    return true;
}
