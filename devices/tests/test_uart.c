/* test_uart.c - the 16550A UART's registers as Linux's 8250 driver and earlycon use them:
 * transmit goes to the host at once and the holding register is always empty; received bytes
 * come from the host's input in order; the receive and transmitter-empty interrupts follow IER
 * and are reported (and THRE cleared) through IIR; the divisor latch and scratch keep what is
 * written; loopback returns what is sent and maps the modem lines; bad offsets are refused. */
#include <string.h>

#include "../uart/uart16550.h"
#include "test.h"

static uint8_t sent[64];
static unsigned n_sent;
static const char *input = "";

static void tx(void *o, uint8_t b)
{
    if (n_sent < sizeof sent) sent[n_sent++] = b;
}
static uint32_t rx_avail(void *o) { return (uint32_t)strlen(input); }
static uint8_t rx_take(void *o) { return (uint8_t)*input++; }

static uint8_t rd(uart16550_t *u, unsigned off)
{
    uint64_t v = 0xdead;
    CHECK(uart16550_read(u, off, 1, &v));
    CHECK(v <= 0xff);
    return (uint8_t)v;
}
static void wr(uart16550_t *u, unsigned off, uint8_t v) { CHECK(uart16550_write(u, off, 1, v)); }

int main(void)
{
    uart16550_t u;
    uart16550_host_t host = {.tx = tx, .rx_avail = rx_avail, .rx_take = rx_take};
    uart16550_init(&u, &host);

    TEST_CASE("idle");
    CHECK_EQ(rd(&u, 5), 0x60); /* LSR: THRE | TEMT, no data */
    CHECK_EQ(rd(&u, 2), 0x01); /* IIR: nothing pending */
    CHECK(!uart16550_irq_level(&u));
    CHECK(!uart16550_rx_enabled(&u));
    CHECK_EQ(rd(&u, 6) & 0xb0, 0xb0); /* MSR: DCD, DSR, CTS */

    TEST_CASE("transmit");
    wr(&u, 0, 'h');
    wr(&u, 0, 'i');
    CHECK_EQ(n_sent, 2);
    CHECK(memcmp(sent, "hi", 2) == 0);
    CHECK(!uart16550_irq_level(&u)); /* THRE interrupt not enabled */

    TEST_CASE("THRE interrupt");
    wr(&u, 1, 0x02); /* IER: ETBEI, with the register empty: due at once */
    CHECK(uart16550_irq_level(&u));
    CHECK_EQ(rd(&u, 2), 0x02); /* IIR says THRE, and reading it clears it */
    CHECK(!uart16550_irq_level(&u));
    CHECK_EQ(rd(&u, 2), 0x01);
    wr(&u, 0, '!'); /* each byte sent makes it due again */
    CHECK(uart16550_irq_level(&u));
    wr(&u, 1, 0x00);
    CHECK(!uart16550_irq_level(&u));

    TEST_CASE("receive");
    input = "ab";
    CHECK_EQ(rd(&u, 5) & 1, 1); /* data ready */
    CHECK(!uart16550_irq_level(&u));
    wr(&u, 1, 0x01); /* ERBFI */
    CHECK(uart16550_rx_enabled(&u));
    CHECK(uart16550_irq_level(&u));
    CHECK_EQ(rd(&u, 2), 0x04); /* received data available */
    CHECK_EQ(rd(&u, 0), 'a');
    CHECK_EQ(rd(&u, 0), 'b');
    CHECK_EQ(rd(&u, 5) & 1, 0);
    CHECK(!uart16550_irq_level(&u));
    CHECK_EQ(rd(&u, 0), 0); /* nothing there: 0, no host call */
    wr(&u, 1, 0x03);        /* both: received data comes first */
    input = "c";
    CHECK_EQ(rd(&u, 2), 0x04);
    CHECK_EQ(rd(&u, 0), 'c');
    CHECK_EQ(rd(&u, 2), 0x02);
    wr(&u, 1, 0);

    TEST_CASE("divisor latch, line control, scratch, FIFO");
    wr(&u, 3, 0x83); /* DLAB, 8N1 */
    wr(&u, 0, 0x01);
    wr(&u, 1, 0x00);
    CHECK_EQ(rd(&u, 0), 0x01);
    CHECK_EQ(rd(&u, 1), 0x00);
    CHECK_EQ(n_sent, 3); /* writing DLL sent nothing */
    wr(&u, 3, 0x03);
    CHECK_EQ(rd(&u, 3), 0x03);
    CHECK_EQ(rd(&u, 1), 0x00); /* IER again */
    wr(&u, 7, 0x5a);
    CHECK_EQ(rd(&u, 7), 0x5a);
    wr(&u, 2, 0x07); /* FIFO on, both cleared */
    CHECK_EQ(rd(&u, 2) & 0xc0, 0xc0);

    TEST_CASE("loopback");
    wr(&u, 4, 0x1f); /* LOOP, OUT2, OUT1, RTS, DTR */
    CHECK_EQ(rd(&u, 6) & 0xf0, 0xf0);
    wr(&u, 4, 0x10);
    CHECK_EQ(rd(&u, 6) & 0xf0, 0x00);
    wr(&u, 0, 0x55);
    CHECK_EQ(n_sent, 3); /* not to the host */
    CHECK_EQ(rd(&u, 5) & 1, 1);
    CHECK_EQ(rd(&u, 0), 0x55);
    for (int i = 0; i < 40; i++) /* more than the loop FIFO holds: the rest is dropped */
        wr(&u, 0, (uint8_t)i);
    int got = 0;
    while (rd(&u, 5) & 1) {
        CHECK_EQ(rd(&u, 0), got);
        got++;
    }
    CHECK_EQ(got, UART16550_LOOP_FIFO);
    wr(&u, 4, 0);

    TEST_CASE("bad offsets");
    uint64_t v;
    CHECK(!uart16550_read(&u, 8, 1, &v));
    CHECK(!uart16550_write(&u, 0xff, 1, 0));
    CHECK(uart16550_read(&u, 5, 4, &v)); /* a wider access reads the byte */
    CHECK_EQ(v, 0x60);
    return test_report();
}
