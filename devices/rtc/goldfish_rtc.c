/* Goldfish RTC (see goldfish_rtc.h). Register offsets are Linux's
 * include/clocksource/timer-goldfish.h. */
#include "goldfish_rtc.h"

#include <string.h>

#define RTC_TIME_LOW 0x00
#define RTC_TIME_HIGH 0x04
#define RTC_ALARM_LOW 0x08
#define RTC_ALARM_HIGH 0x0c
#define RTC_IRQ_ENABLED 0x10
#define RTC_CLEAR_ALARM 0x14
#define RTC_ALARM_STATUS 0x18
#define RTC_CLEAR_INTERRUPT 0x1c

void goldfish_rtc_init(goldfish_rtc_t *r, uint64_t (*host_ns)(void *), void *opaque)
{
    memset(r, 0, sizeof *r);
    r->host_ns = host_ns;
    r->opaque = opaque;
}

static uint64_t now(goldfish_rtc_t *r) { return r->host_ns(r->opaque) + (uint64_t)r->offset_ns; }

/* Fires the alarm if its time has come. */
static void check_alarm(goldfish_rtc_t *r)
{
    if (r->alarm_armed && now(r) >= r->alarm_ns) {
        r->alarm_armed = false;
        r->irq_pending = true;
    }
}

bool goldfish_rtc_read(goldfish_rtc_t *r, uint64_t off, unsigned size, uint64_t *val)
{
    if (size != 4 || (off & 3)) return false;
    uint64_t t;
    switch (off) {
    case RTC_TIME_LOW:
        t = now(r);
        r->time_high = (uint32_t)(t >> 32);
        *val = (uint32_t)t;
        break;
    case RTC_TIME_HIGH: *val = r->time_high; break;
    case RTC_ALARM_LOW: *val = (uint32_t)r->alarm_ns; break;
    case RTC_ALARM_HIGH: *val = (uint32_t)(r->alarm_ns >> 32); break;
    case RTC_IRQ_ENABLED: *val = r->irq_enabled; break;
    case RTC_ALARM_STATUS:
        check_alarm(r);
        *val = r->alarm_armed;
        break;
    default: *val = 0; break;
    }
    return true;
}

bool goldfish_rtc_write(goldfish_rtc_t *r, uint64_t off, unsigned size, uint64_t val)
{
    if (size != 4 || (off & 3)) return false;
    uint32_t v = (uint32_t)val;
    switch (off) {
    case RTC_TIME_HIGH: r->set_high = v; break;
    case RTC_TIME_LOW: {
        /* Linux writes HIGH then LOW: the pair sets the clock. */
        uint64_t want = (uint64_t)r->set_high << 32 | v;
        r->offset_ns = (int64_t)(want - r->host_ns(r->opaque));
        break;
    }
    case RTC_ALARM_HIGH: r->alarm_ns = (r->alarm_ns & 0xffffffffull) | (uint64_t)v << 32; break;
    case RTC_ALARM_LOW:
        /* Writing the low half arms the alarm (the guest wrote the high half first). */
        r->alarm_ns = (r->alarm_ns & ~0xffffffffull) | v;
        r->alarm_armed = true;
        check_alarm(r);
        break;
    case RTC_IRQ_ENABLED: r->irq_enabled = v & 1; break;
    case RTC_CLEAR_ALARM: r->alarm_armed = false; break;
    case RTC_CLEAR_INTERRUPT: r->irq_pending = false; break;
    default: break;
    }
    return true;
}

bool goldfish_rtc_irq_level(goldfish_rtc_t *r)
{
    check_alarm(r);
    return r->irq_pending && r->irq_enabled;
}
