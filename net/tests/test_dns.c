/* test_dns.c - the relay's --dns forwarding on hand-made frames: a guest query is recognised
 * (UDP to 10.0.2.3:53 only), given a fresh id upstream, and the answer comes back to the
 * guest's MAC, address and port as from 10.0.2.3:53 with its own id and valid checksums; an
 * answer to nothing pending is dropped; the oldest query makes room; truncated frames are
 * never read past their end (ASan checks). */
#include <stdlib.h>
#include <string.h>

#include "../../devices/tests/test.h"
#include "../relay/dns.h"
#include "../relay/policy.h"

static uint32_t sum(const uint8_t *p, size_t n, uint32_t s)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        s += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1) s += (uint32_t)p[n - 1] << 8;
    return s;
}
static uint16_t fold(uint32_t s)
{
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)s;
}

/* A query from 10.0.2.15:sport to dst:dport with a 20-byte DNS message of id. */
static size_t query(uint8_t *f, uint32_t dst, uint16_t sport, uint16_t dport, uint16_t id)
{
    memset(f, 0, 14 + 28 + 20);
    memcpy(f, "\x52\x55\x0a\x00\x02\x03\x02\x00\x00\x00\x00\x07", 12);
    f[12] = 0x08;
    uint8_t *ip = f + 14, *u = ip + 20;
    ip[0] = 0x45, ip[3] = 48, ip[8] = 64, ip[9] = 17;
    ip[12] = 10, ip[14] = 2, ip[15] = 15;
    ip[16] = (uint8_t)(dst >> 24), ip[17] = (uint8_t)(dst >> 16), ip[18] = (uint8_t)(dst >> 8),
    ip[19] = (uint8_t)dst;
    u[0] = (uint8_t)(sport >> 8), u[1] = (uint8_t)sport, u[2] = (uint8_t)(dport >> 8),
    u[3] = (uint8_t)dport, u[5] = 28;
    u[8] = (uint8_t)(id >> 8), u[9] = (uint8_t)id, u[13] = 1; /* qdcount 1 */
    return 14 + 48;
}

int main(void)
{
    test_start();
    dns_proxy_t p = {.fd = -1, .next_id = 0x4000};
    uint8_t f[128], out[4096], ans[4096];

    TEST_CASE("only queries to 10.0.2.3:53");
    const uint8_t *msg;
    size_t mlen;
    CHECK(dns_is_query(f, query(f, NET_VNAMESERVER, 40000, 53, 1), &msg, &mlen));
    CHECK_EQ(mlen, 20);
    CHECK(!dns_is_query(f, query(f, NET_VHOST, 40000, 53, 1), &msg, &mlen));
    CHECK(!dns_is_query(f, query(f, NET_VNAMESERVER, 40000, 80, 1), &msg, &mlen));

    TEST_CASE("a query forwarded with a fresh id, its answer back to the guest");
    size_t n =
        dns_take_query(&p, f, query(f, NET_VNAMESERVER, 40000, 53, 0x1234), 5, out, sizeof out);
    CHECK_EQ(n, 20);
    CHECK_EQ(out[0] << 8 | out[1], 0x4000);
    out[2] = 0x81; /* the resolver's answer: the same message with the response bit */
    size_t a = dns_make_answer(&p, out, n, ans, sizeof ans);
    CHECK_EQ(a, 42 + 20);
    CHECK(!memcmp(ans, "\x02\x00\x00\x00\x00\x07", 6)); /* to the guest's MAC */
    const uint8_t *ip = ans + 14, *u = ip + 20;
    CHECK_EQ(fold(sum(ip, 20, 0)), 0xffff);
    CHECK_EQ(ip[12] << 24 | ip[13] << 16 | ip[14] << 8 | ip[15], NET_VNAMESERVER);
    CHECK_EQ(ip[19], 15);
    CHECK_EQ(u[0] << 8 | u[1], 53);
    CHECK_EQ(u[2] << 8 | u[3], 40000);
    CHECK_EQ(fold(sum(u, 28, sum(ip + 12, 8, 0) + 17 + 28)), 0xffff);
    CHECK_EQ(u[8] << 8 | u[9], 0x1234);                        /* the guest's own id again */
    CHECK_EQ(dns_make_answer(&p, out, n, ans, sizeof ans), 0); /* answered once only */

    TEST_CASE("the oldest pending query makes room");
    for (unsigned i = 0; i < DNS_PENDING + 1; i++)
        dns_take_query(&p, f, query(f, NET_VNAMESERVER, (uint16_t)(1000 + i), 53, (uint16_t)i), i,
                       out, sizeof out);
    out[0] = 0x40, out[1] = 0x01; /* the first of them: gone */
    CHECK_EQ(dns_make_answer(&p, out, 20, ans, sizeof ans), 0);
    out[1] = 0x02;
    CHECK_EQ(dns_make_answer(&p, out, 20, ans, sizeof ans), 62);
    CHECK_EQ(dns_make_answer(&p, out, 5, ans, sizeof ans), 0); /* shorter than a DNS header */

    TEST_CASE("truncated and random frames");
    size_t full = query(f, NET_VNAMESERVER, 40000, 53, 9);
    for (size_t len = 0; len <= full; len++) {
        uint8_t *copy = malloc(len ? len : 1);
        memcpy(copy, f, len);
        size_t got = dns_take_query(&p, copy, len, 0, out, sizeof out);
        CHECK(got == 0 || len == full);
        free(copy);
    }
    srand(3);
    for (int i = 0; i < 3000; i++) {
        size_t len = (size_t)(rand() % 100);
        uint8_t *copy = malloc(len ? len : 1);
        for (size_t k = 0; k < len; k++)
            copy[k] = (uint8_t)rand();
        if (len > 40) memcpy(copy, f, 40);
        dns_take_query(&p, copy, len, 0, out, sizeof out);
        dns_make_answer(&p, copy, len, ans, sizeof ans);
        free(copy);
    }
    return test_report();
}
