/* test_rtc.c - the goldfish RTC against a host clock the test moves: the time is the host's,
 * the high half is latched by reading the low half, a time the guest writes becomes an offset
 * that follows the host clock, the alarm fires only when armed, enabled and due, and only
 * 32-bit aligned accesses are accepted. */
#include "../rtc/goldfish_rtc.h"
#include "test.h"

#define TIME_LOW 0x00
#define TIME_HIGH 0x04
#define ALARM_LOW 0x08
#define ALARM_HIGH 0x0c
#define IRQ_ENABLED 0x10
#define CLEAR_ALARM 0x14
#define ALARM_STATUS 0x18
#define CLEAR_INTERRUPT 0x1c

static uint64_t host; /* ns since the epoch */
static uint64_t host_ns(void *o) { return host; }

static uint32_t rd(goldfish_rtc_t *r, unsigned off)
{
    uint64_t v = 0xdead;
    CHECK(goldfish_rtc_read(r, off, 4, &v));
    return (uint32_t)v;
}
static void wr(goldfish_rtc_t *r, unsigned off, uint32_t v)
{
    CHECK(goldfish_rtc_write(r, off, 4, v));
}
static uint64_t read_time(goldfish_rtc_t *r)
{
    uint32_t lo = rd(r, TIME_LOW);
    return (uint64_t)rd(r, TIME_HIGH) << 32 | lo;
}

int main(void)
{
    goldfish_rtc_t r;
    host = 1796169600ull * 1000000000ull; /* 2026-12-02 */
    goldfish_rtc_init(&r, host_ns, NULL);

    TEST_CASE("the time is the host's, high half latched by the low read");
    CHECK_EQ(read_time(&r), host);
    uint32_t lo = rd(&r, TIME_LOW);
    host += 1ull << 40; /* the high half changes between the two reads */
    CHECK_EQ((uint64_t)rd(&r, TIME_HIGH) << 32 | lo, host - (1ull << 40));
    CHECK_EQ(read_time(&r), host);

    TEST_CASE("a time the guest sets follows the host clock");
    uint64_t want = 946684800ull * 1000000000ull; /* 2000-01-01 */
    wr(&r, TIME_HIGH, (uint32_t)(want >> 32));
    wr(&r, TIME_LOW, (uint32_t)want);
    CHECK_EQ(read_time(&r), want);
    host += 5000000000ull;
    CHECK_EQ(read_time(&r), want + 5000000000ull);

    TEST_CASE("the alarm: armed by its low half, fires when due and enabled, cleared");
    uint64_t at = read_time(&r) + 1000000000ull;
    wr(&r, ALARM_HIGH, (uint32_t)(at >> 32));
    wr(&r, ALARM_LOW, (uint32_t)at);
    CHECK_EQ(rd(&r, ALARM_STATUS), 1);
    CHECK(!goldfish_rtc_irq_level(&r));
    host += 2000000000ull;
    CHECK(!goldfish_rtc_irq_level(&r)); /* due, but interrupts are disabled */
    CHECK_EQ(rd(&r, ALARM_STATUS), 0);
    wr(&r, IRQ_ENABLED, 1);
    CHECK(goldfish_rtc_irq_level(&r));
    wr(&r, CLEAR_INTERRUPT, 1);
    CHECK(!goldfish_rtc_irq_level(&r));
    CHECK_EQ((uint64_t)rd(&r, ALARM_HIGH) << 32 | rd(&r, ALARM_LOW), at);

    TEST_CASE("an alarm cancelled before it is due never fires");
    at = read_time(&r) + 1000000000ull;
    wr(&r, ALARM_HIGH, (uint32_t)(at >> 32));
    wr(&r, ALARM_LOW, (uint32_t)at);
    wr(&r, CLEAR_ALARM, 1);
    host += 2000000000ull;
    CHECK(!goldfish_rtc_irq_level(&r));
    CHECK_EQ(rd(&r, IRQ_ENABLED), 1);

    TEST_CASE("only aligned 32-bit accesses");
    uint64_t v;
    CHECK(!goldfish_rtc_read(&r, TIME_LOW, 8, &v));
    CHECK(!goldfish_rtc_read(&r, 2, 4, &v));
    CHECK(!goldfish_rtc_write(&r, TIME_LOW, 2, 0));
    CHECK(goldfish_rtc_read(&r, 0x800, 4, &v) && v == 0); /* reserved: reads as zero */
    return test_report();
}
