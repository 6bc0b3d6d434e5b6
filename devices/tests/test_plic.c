/* test_plic.c - the PLIC register model: priorities, per-context enables and thresholds, claim
 * and completion of level-triggered sources, the outputs to the hart, and accesses that must be
 * ignored (source 0, sources and contexts out of range, bad sizes). */
#include <string.h>

#include "../plic/plic.h"
#include "test.h"

#define PRIO(s) (4u * (s))
#define PENDING 0x1000u
#define ENABLE(c) (0x2000u + 0x80u * (c))
#define THRESHOLD(c) (0x200000u + 0x1000u * (c))
#define CLAIM(c) (0x200004u + 0x1000u * (c))
#define OUT_M 1u
#define OUT_S 2u

static plic_t P;

static uint32_t rd(uint64_t off)
{
    uint64_t v = 0xdeadbeef;
    CHECK(plic_read(&P, off, 4, &v));
    return (uint32_t)v;
}
static void wr(uint64_t off, uint32_t v) { CHECK(plic_write(&P, off, 4, v)); }
static uint32_t claim(unsigned ctx) { return rd(CLAIM(ctx)); }
static void complete(unsigned ctx, uint32_t s) { wr(CLAIM(ctx), s); }

static void test_registers(void)
{
    TEST_CASE("registers");
    plic_reset(&P);
    CHECK_EQ(plic_outputs(&P), 0);
    for (unsigned s = 0; s < 40; s++)
        CHECK_EQ(rd(PRIO(s)), 0);
    /* Priorities are 3 bits; source 0 and sources past the last do not exist. */
    for (unsigned s = 1; s < PLIC_NUM_SOURCES; s++)
        wr(PRIO(s), s);
    for (unsigned s = 1; s < PLIC_NUM_SOURCES; s++)
        CHECK_EQ(rd(PRIO(s)), s & 7);
    wr(PRIO(3), 0xffffffff);
    CHECK_EQ(rd(PRIO(3)), 7);
    wr(PRIO(0), 5);
    CHECK_EQ(rd(PRIO(0)), 0);
    wr(PRIO(PLIC_NUM_SOURCES), 5);
    wr(PRIO(1023), 5);
    CHECK_EQ(rd(PRIO(PLIC_NUM_SOURCES)), 0);
    CHECK_EQ(rd(PRIO(1023)), 0);
    CHECK_EQ(P.priority[0], 0);

    /* Enables per context; bit 0 (source 0) never sticks; other words and contexts read 0. */
    wr(ENABLE(0), 0xffffffff);
    wr(ENABLE(1), 0x0000f0f1);
    CHECK_EQ(rd(ENABLE(0)), 0xfffffffe);
    CHECK_EQ(rd(ENABLE(1)), 0x0000f0f0);
    wr(ENABLE(0) + 4, 0xffffffff);
    CHECK_EQ(rd(ENABLE(0) + 4), 0);
    CHECK_EQ(rd(ENABLE(0)), 0xfffffffe);
    wr(ENABLE(2), 0xffffffff);
    CHECK_EQ(rd(ENABLE(2)), 0);
    CHECK_EQ(rd(ENABLE(15871)), 0);
    CHECK_EQ(P.enable[0], 0xfffffffe);
    CHECK_EQ(P.enable[1], 0x0000f0f0);

    /* Thresholds are 3 bits per context. */
    wr(THRESHOLD(0), 3);
    wr(THRESHOLD(1), 0xff);
    CHECK_EQ(rd(THRESHOLD(0)), 3);
    CHECK_EQ(rd(THRESHOLD(1)), 7);
    wr(THRESHOLD(2), 1);
    CHECK_EQ(rd(THRESHOLD(2)), 0);
    CHECK_EQ(rd(THRESHOLD(15871)), 0);
    CHECK_EQ(rd(THRESHOLD(0) + 8), 0); /* reserved word in a context */
    CHECK_EQ(rd(CLAIM(2)), 0);

    /* Pending bits are read-only. */
    wr(PENDING, 0xffffffff);
    CHECK_EQ(rd(PENDING), 0);
    CHECK_EQ(rd(PENDING + 4), 0);

    /* Only aligned 32-bit accesses. */
    uint64_t v;
    CHECK(!plic_read(&P, PRIO(1), 2, &v));
    CHECK(!plic_read(&P, PRIO(1), 8, &v));
    CHECK(!plic_read(&P, PRIO(1) + 1, 4, &v));
    CHECK(!plic_write(&P, THRESHOLD(0), 1, 0));
    CHECK(!plic_write(&P, THRESHOLD(0) + 2, 4, 0));
    CHECK_EQ(rd(THRESHOLD(0)), 3);
    /* The last word of the region is answered. */
    CHECK(plic_read(&P, PLIC_SIZE - 4, 4, &v));
    CHECK_EQ(v, 0);
    plic_reset(&P);
    CHECK_EQ(rd(PRIO(3)), 0);
    CHECK_EQ(rd(ENABLE(0)), 0);
    CHECK_EQ(rd(THRESHOLD(1)), 0);
}

static void test_one_source(void)
{
    TEST_CASE("one source, two contexts");
    plic_reset(&P);
    plic_set_level(&P, 5, true);
    CHECK_EQ(rd(PENDING), 1u << 5);
    CHECK_EQ(plic_outputs(&P), 0); /* priority 0 never interrupts */
    wr(PRIO(5), 1);
    CHECK_EQ(plic_outputs(&P), 0); /* not enabled anywhere */
    wr(ENABLE(1), 1u << 5);
    CHECK_EQ(plic_outputs(&P), OUT_S);
    wr(ENABLE(0), 1u << 5);
    CHECK_EQ(plic_outputs(&P), OUT_M | OUT_S);
    /* The threshold masks priorities at or below it. */
    wr(THRESHOLD(0), 1);
    CHECK_EQ(plic_outputs(&P), OUT_S);
    wr(PRIO(5), 2);
    CHECK_EQ(plic_outputs(&P), OUT_M | OUT_S);
    wr(THRESHOLD(0), 7);
    wr(THRESHOLD(1), 2);
    CHECK_EQ(plic_outputs(&P), 0);
    CHECK_EQ(claim(1), 0); /* nothing above the threshold to claim */
    CHECK_EQ(rd(PENDING), 1u << 5);
    wr(THRESHOLD(0), 0);
    wr(THRESHOLD(1), 0);

    /* Claim takes it: pending clears, neither context sees it until completion. */
    CHECK_EQ(claim(1), 5);
    CHECK_EQ(rd(PENDING), 0);
    CHECK_EQ(plic_outputs(&P), 0);
    CHECK_EQ(claim(1), 0);
    CHECK_EQ(claim(0), 0);
    /* Still high while claimed: no new pending. */
    plic_set_level(&P, 5, true);
    CHECK_EQ(rd(PENDING), 0);
    /* Completion with the level still high pends it again. */
    complete(1, 5);
    CHECK_EQ(rd(PENDING), 1u << 5);
    CHECK_EQ(plic_outputs(&P), OUT_M | OUT_S);
    /* The level dropping clears pending. */
    plic_set_level(&P, 5, false);
    CHECK_EQ(rd(PENDING), 0);
    CHECK_EQ(plic_outputs(&P), 0);
    CHECK_EQ(claim(0), 0);

    /* Dropped while claimed: completion does not pend it. */
    plic_set_level(&P, 5, true);
    CHECK_EQ(claim(0), 5);
    plic_set_level(&P, 5, false);
    complete(0, 5);
    CHECK_EQ(rd(PENDING), 0);
    CHECK_EQ(plic_outputs(&P), 0);
    /* Dropped and raised again while claimed: pending only after completion. */
    plic_set_level(&P, 5, true);
    CHECK_EQ(claim(0), 5);
    plic_set_level(&P, 5, false);
    plic_set_level(&P, 5, true);
    CHECK_EQ(rd(PENDING), 0);
    complete(0, 5);
    CHECK_EQ(rd(PENDING), 1u << 5);
    CHECK_EQ(claim(0), 5);

    /* Completion must name a source enabled in that context; anything else is ignored. */
    wr(ENABLE(1), 0);
    complete(1, 5);
    CHECK_EQ(rd(PENDING), 0);
    complete(0, 0);
    complete(0, PLIC_NUM_SOURCES);
    complete(0, 0xffffffff);
    complete(0, 6);
    CHECK_EQ(rd(PENDING), 0);
    CHECK_EQ(P.claimed, 1u << 5);
    complete(0, 5);
    CHECK_EQ(P.claimed, 0);
    CHECK_EQ(rd(PENDING), 1u << 5);
    CHECK_EQ(plic_outputs(&P), OUT_M);
}

static void test_priority_order(void)
{
    TEST_CASE("claim order");
    plic_reset(&P);
    static const unsigned src[] = {3, 7, 9, 12, 31, 1};
    static const unsigned pri[] = {2, 5, 5, 1, 5, 0};
    for (unsigned i = 0; i < 6; i++) {
        wr(PRIO(src[i]), pri[i]);
        plic_set_level(&P, src[i], true);
    }
    wr(ENABLE(0), 0xffffffff);
    CHECK_EQ(rd(PENDING), (1u << 3) | (1u << 7) | (1u << 9) | (1u << 12) | (1u << 31) | 2u);
    /* Highest priority first, ties to the lowest id; priority 0 never. */
    static const unsigned order[] = {7, 9, 31, 3, 12, 0};
    for (unsigned i = 0; i < 6; i++)
        CHECK_EQ(claim(0), order[i]);
    CHECK_EQ(rd(PENDING), 2u);
    /* Raising a priority while pending changes the order. */
    for (unsigned i = 0; i < 5; i++)
        complete(0, src[i]);
    wr(PRIO(12), 6);
    CHECK_EQ(claim(0), 12);
    wr(PRIO(31), 7);
    CHECK_EQ(claim(0), 31);
    /* A threshold lets only higher priorities through. */
    wr(THRESHOLD(0), 4);
    CHECK_EQ(claim(0), 7);
    CHECK_EQ(claim(0), 9);
    CHECK_EQ(claim(0), 0);
    CHECK_EQ(rd(PENDING), (1u << 3) | 2u);
    /* The S context sees only what it enables. */
    wr(ENABLE(1), 1u << 3);
    CHECK_EQ(plic_outputs(&P), OUT_S);
    CHECK_EQ(claim(1), 3);
    CHECK_EQ(plic_outputs(&P), 0);
}

static void test_bad_sources(void)
{
    TEST_CASE("source 0 and out-of-range sources");
    plic_reset(&P);
    wr(ENABLE(0), 0xffffffff);
    wr(ENABLE(1), 0xffffffff);
    for (unsigned s = 1; s < PLIC_NUM_SOURCES; s++)
        wr(PRIO(s), 1);
    static const unsigned bad[] = {0,    PLIC_NUM_SOURCES, PLIC_NUM_SOURCES + 1, 64,
                                   1000, 0xffffffffu};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        plic_set_level(&P, bad[i], true);
        CHECK_EQ(P.level, 0);
        CHECK_EQ(P.pending, 0);
        CHECK_EQ(plic_outputs(&P), 0);
        CHECK_EQ(claim(0), 0);
    }
    /* Every real source works, the last one included. */
    for (unsigned s = 1; s < PLIC_NUM_SOURCES; s++) {
        plic_set_level(&P, s, true);
        CHECK_EQ(plic_outputs(&P), OUT_M | OUT_S);
        CHECK_EQ(claim(s & 1), s);
        plic_set_level(&P, s, false);
        complete(s & 1, s);
        CHECK_EQ(P.pending | P.claimed | P.level, 0);
    }
    /* Source 0 cannot be completed or forced pending through the registers either. */
    uint32_t prio0 = rd(PRIO(0));
    CHECK_EQ(prio0, 0);
    complete(0, 0);
    CHECK_EQ(P.claimed, 0);
}

int main(void)
{
    test_start();
    test_registers();
    test_one_source();
    test_priority_order();
    test_bad_sources();
    return test_report();
}
