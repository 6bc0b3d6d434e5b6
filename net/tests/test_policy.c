/* test_policy.c - the relay's destination rules and flow cap on hand-made frames: CIDR parsing,
 * first match wins, the public defaults (host loopback through 10.0.2.2, private ranges), what
 * always passes (ARP, DHCP, DNS to 10.0.2.3), the ICMP answer to a refused frame (a valid
 * checksum, quoting the refused header), the flow cap and its expiry, and truncated or garbage
 * frames (dropped, never read past their end: ASan checks). */
#include <stdlib.h>
#include <string.h>

#include "../../devices/tests/test.h"
#include "../relay/policy.h"

static uint8_t frame[256];

static uint16_t fold_sum(const uint8_t *p, size_t n)
{
    uint32_t s = 0;
    for (size_t i = 0; i + 1 < n; i += 2)
        s += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1) s += (uint32_t)p[n - 1] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)s;
}

/* An IPv4 frame from the guest: proto 6 (TCP, flags) or 17 (UDP); returns its length. */
static size_t ip_frame(uint8_t proto, uint32_t dst, uint16_t sport, uint16_t dport, uint8_t flags)
{
    memset(frame, 0, sizeof frame);
    memcpy(frame, "\x52\x55\x0a\x00\x02\x02", 6);
    memcpy(frame + 6, "\x52\x54\x00\x12\x34\x56", 6);
    frame[12] = 0x08;
    uint8_t *ip = frame + 14;
    size_t l4 = proto == 6 ? 20 : 8;
    ip[0] = 0x45;
    ip[3] = (uint8_t)(20 + l4);
    ip[8] = 64;
    ip[9] = proto;
    ip[12] = 10, ip[13] = 0, ip[14] = 2, ip[15] = 15;
    ip[16] = (uint8_t)(dst >> 24), ip[17] = (uint8_t)(dst >> 16), ip[18] = (uint8_t)(dst >> 8),
    ip[19] = (uint8_t)dst;
    uint8_t *t = ip + 20;
    t[0] = (uint8_t)(sport >> 8), t[1] = (uint8_t)sport, t[2] = (uint8_t)(dport >> 8),
    t[3] = (uint8_t)dport;
    if (proto == 6) t[13] = flags;
    return 14 + 20 + l4;
}

#define SYN 0x02
#define ACK 0x10
#define FIN 0x01

static verdict_t check(const net_policy_t *p, flow_table_t *f, int64_t now, size_t len)
{
    uint8_t reply[POLICY_REPLY_MAX];
    size_t rlen = 0;
    verdict_t v = policy_check_out(p, f, now, frame, len, reply, &rlen);
    if (v == VERDICT_DENY || v == VERDICT_CAP) {
        /* The answer: to the guest, ICMP 3/13 from where it was going, checksums valid. */
        CHECK(rlen <= POLICY_REPLY_MAX);
        CHECK(!memcmp(reply, frame + 6, 6));
        const uint8_t *ip = reply + 14;
        CHECK_EQ(ip[9], 1);
        CHECK_EQ(fold_sum(ip, 20), 0xffff);
        CHECK(!memcmp(ip + 12, frame + 14 + 16, 4));
        CHECK(!memcmp(ip + 16, frame + 14 + 12, 4));
        CHECK_EQ(ip[20], 3);
        CHECK_EQ(ip[21], 13);
        size_t icmp_len = (size_t)(ip[2] << 8 | ip[3]) - 20;
        CHECK_EQ(fold_sum(ip + 20, icmp_len), 0xffff);
        CHECK(!memcmp(ip + 28, frame + 14, 20)); /* the refused header, quoted */
    }
    return v;
}

static void test_cidr(void)
{
    TEST_CASE("CIDR parsing");
    net_rule_t r;
    CHECK(policy_parse_cidr("10.1.2.3/8", true, &r));
    CHECK_EQ(r.addr, 0x0a000000u);
    CHECK_EQ(r.mask, 0xff000000u);
    CHECK(policy_parse_cidr("1.2.3.4", false, &r));
    CHECK_EQ(r.mask, 0xffffffffu);
    CHECK(policy_parse_cidr("0.0.0.0/0", false, &r));
    CHECK_EQ(r.mask, 0);
    CHECK(!policy_parse_cidr("256.0.0.0/8", true, &r));
    CHECK(!policy_parse_cidr("1.2.3.4/33", true, &r));
    CHECK(!policy_parse_cidr("1.2.3/8", true, &r));
    CHECK(!policy_parse_cidr("1.2.3.4/8x", true, &r));
    CHECK(!policy_parse_cidr("1.2.3.4/", true, &r));
    CHECK(!policy_parse_cidr("", true, &r));
}

static void test_rules(void)
{
    TEST_CASE("rules: first match wins, default allow");
    net_policy_t p = {0};
    net_rule_t r;
    CHECK(policy_allows(&p, 0x01020304));
    policy_parse_cidr("192.0.2.7/32", true, &r);
    policy_add(&p, r);
    policy_parse_cidr("192.0.2.0/24", false, &r);
    policy_add(&p, r);
    CHECK(policy_allows(&p, 0xc0000207));
    CHECK(!policy_allows(&p, 0xc0000208));
    CHECK(policy_allows(&p, 0xc0000308));
    CHECK(check(&p, NULL, 0, ip_frame(6, 0xc0000208, 40000, 80, SYN)) == VERDICT_DENY);
    CHECK(check(&p, NULL, 0, ip_frame(17, 0xc0000208, 40000, 53, 0)) == VERDICT_DENY);
    CHECK(check(&p, NULL, 0, ip_frame(6, 0xc0000207, 40000, 80, SYN)) == VERDICT_PASS);
}

static void test_public(void)
{
    TEST_CASE("public defaults");
    net_policy_t p = {0};
    policy_add_public_defaults(&p);
    /* 10.0.2.2 is the host's loopback: refused; so is any other alias of the network. */
    CHECK(check(&p, NULL, 0, ip_frame(6, NET_VHOST, 40000, 8080, SYN)) == VERDICT_DENY);
    CHECK(check(&p, NULL, 0, ip_frame(6, 0x0a000209, 40000, 22, SYN)) == VERDICT_DENY);
    CHECK(check(&p, NULL, 0, ip_frame(6, 0xc0a80001, 40000, 80, SYN)) == VERDICT_DENY);
    CHECK(check(&p, NULL, 0, ip_frame(6, 0xac100001, 40000, 80, SYN)) == VERDICT_DENY);
    CHECK(check(&p, NULL, 0, ip_frame(6, 0xa9fea9fe, 40000, 80, SYN)) == VERDICT_DENY);
    CHECK(check(&p, NULL, 0, ip_frame(17, 0xe0000001, 40000, 5353, 0)) == VERDICT_DENY);
    CHECK(check(&p, NULL, 0, ip_frame(6, 0x08080808, 40000, 443, SYN)) == VERDICT_PASS);
    /* What slirp answers itself passes: DHCP, broadcast, DNS on 10.0.2.3 (port 53 only). */
    CHECK(check(&p, NULL, 0, ip_frame(17, 0xffffffff, 68, 67, 0)) == VERDICT_PASS);
    CHECK(check(&p, NULL, 0, ip_frame(17, NET_VHOST, 68, 67, 0)) == VERDICT_PASS);
    CHECK(check(&p, NULL, 0, ip_frame(17, NET_VNAMESERVER, 40000, 53, 0)) == VERDICT_PASS);
    CHECK(check(&p, NULL, 0, ip_frame(6, NET_VNAMESERVER, 40000, 53, SYN)) == VERDICT_PASS);
    CHECK(check(&p, NULL, 0, ip_frame(6, NET_VNAMESERVER, 40000, 80, SYN)) == VERDICT_DENY);
    /* An explicit allow before the defaults opens the host's loopback again. */
    net_policy_t q = {0};
    net_rule_t r;
    policy_parse_cidr("127.0.0.1/32", true, &r);
    policy_add(&q, r);
    policy_add_public_defaults(&q);
    CHECK(check(&q, NULL, 0, ip_frame(6, NET_VHOST, 40000, 8080, SYN)) == VERDICT_PASS);
}

static void test_flows(void)
{
    TEST_CASE("flow cap");
    net_policy_t p = {0};
    flow_table_t f;
    CHECK(flows_init(&f, 3));
    for (uint16_t i = 0; i < 3; i++)
        CHECK(check(&p, &f, 0, ip_frame(6, 0x08080808, (uint16_t)(40000 + i), 80, SYN)) ==
              VERDICT_PASS);
    CHECK_EQ(f.count, 3);
    /* Segments of open flows, and of unknown ones (not a SYN), pass; a fourth SYN does not. */
    CHECK(check(&p, &f, 1, ip_frame(6, 0x08080808, 40001, 80, ACK)) == VERDICT_PASS);
    CHECK(check(&p, &f, 1, ip_frame(6, 0x08080808, 50000, 80, ACK)) == VERDICT_PASS);
    CHECK(check(&p, &f, 1, ip_frame(6, 0x08080808, 40003, 80, SYN)) == VERDICT_CAP);
    CHECK(check(&p, &f, 1, ip_frame(17, 0x08080808, 40003, 53, 0)) == VERDICT_CAP);
    /* Both FINs close a flow; ten seconds later it is forgotten and a new one may open. */
    CHECK(check(&p, &f, 2, ip_frame(6, 0x08080808, 40000, 80, FIN | ACK)) == VERDICT_PASS);
    uint8_t in[64];
    memcpy(in, frame, 54);
    memcpy(in + 14 + 12, frame + 14 + 16, 4); /* the far end's FIN back to the guest */
    memcpy(in + 14 + 16, frame + 14 + 12, 4);
    in[14 + 20] = 0, in[14 + 21] = 80, in[14 + 22] = 40000 >> 8, in[14 + 23] = 40000 & 255;
    policy_note_in(&f, 3, in, 54);
    flows_expire(&f, 5000);
    CHECK_EQ(f.count, 3);
    flows_expire(&f, 20000);
    CHECK_EQ(f.count, 2);
    CHECK(check(&p, &f, 20000, ip_frame(6, 0x08080808, 40003, 80, SYN)) == VERDICT_PASS);
    /* UDP conversations expire after 4 minutes idle, TCP connections do not. */
    CHECK(check(&p, &f, 20000, ip_frame(17, 0x08080808, 40009, 53, 0)) == VERDICT_CAP);
    flows_expire(&f, 20000 + 241000);
    CHECK_EQ(f.count, 3);
    flows_free(&f);

    TEST_CASE("flow table under churn");
    CHECK(flows_init(&f, 200));
    srand(7);
    for (int i = 0; i < 20000; i++) {
        uint16_t port = (uint16_t)(1024 + rand() % 400);
        verdict_t v = check(&p, &f, i, ip_frame(17, 0x08080808, port, 53, 0));
        CHECK(v == VERDICT_PASS || (v == VERDICT_CAP && f.count == 200));
        if (i % 97 == 0) flows_expire(&f, i + 240001 - (rand() % 2000));
    }
    unsigned n = 0;
    for (unsigned i = 0; i < f.nslots; i++)
        n += f.slot[i].key != 0;
    CHECK_EQ(n, f.count);
    flows_free(&f);
}

static void test_garbage(void)
{
    TEST_CASE("truncated and garbage frames");
    net_policy_t p = {0};
    flow_table_t f;
    flows_init(&f, 4);
    size_t full = ip_frame(6, 0x08080808, 40000, 80, SYN);
    for (size_t n = 0; n < full; n++) {
        uint8_t *copy = malloc(n ? n : 1); /* exactly n bytes: ASan catches a read past them */
        memcpy(copy, frame, n);
        uint8_t reply[POLICY_REPLY_MAX];
        size_t rlen;
        verdict_t v = policy_check_out(&p, &f, 0, copy, n, reply, &rlen);
        policy_note_in(&f, 0, copy, n);
        CHECK(v == VERDICT_DROP || n >= 14 + 20);
        free(copy);
    }
    srand(11);
    for (int i = 0; i < 5000; i++) {
        size_t n = (size_t)(rand() % 120);
        uint8_t *copy = malloc(n ? n : 1);
        for (size_t k = 0; k < n; k++)
            copy[k] = (uint8_t)rand();
        if (n > 14 && i % 2) copy[12] = 8, copy[13] = 0, copy[14] = 0x45;
        uint8_t reply[POLICY_REPLY_MAX];
        size_t rlen;
        policy_check_out(&p, &f, 0, copy, n, reply, &rlen);
        policy_note_in(&f, 0, copy, n);
        free(copy);
    }
    /* ARP passes; IPv6 and unknown types are dropped. */
    memset(frame, 0, 60);
    frame[12] = 0x08, frame[13] = 0x06;
    CHECK(check(&p, &f, 0, 42) == VERDICT_PASS);
    frame[12] = 0x86, frame[13] = 0xdd;
    CHECK(check(&p, &f, 0, 60) == VERDICT_DROP);
    flows_free(&f);
}

int main(void)
{
    test_start();
    test_cidr();
    test_rules();
    test_public();
    test_flows();
    test_garbage();
    return test_report();
}
