/* Destination rules and the flow cap of the relay (see policy.h). Frames are parsed with every
 * length checked: a guest controls all of their bytes. */
#include "policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../shared/inet_csum.h"

#define ETH_HLEN 14
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP 0x0806
#define IPPROTO_ICMP_ 1
#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_ACK 0x10
#define UDP_IDLE_MS (240 * 1000)      /* slirp's SO_EXPIRE for UDP sockets */
#define TCP_CLOSED_MS (10 * 1000)     /* after both FINs: TIME_WAIT-ish, then forgotten */
#define TCP_IDLE_MS (2 * 3600 * 1000) /* a connection idle this long is taken as gone */

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

bool policy_parse_cidr(const char *s, bool allow, net_rule_t *out)
{
    unsigned a, b, c, d, n = 32;
    char tail;
    int got = sscanf(s, "%u.%u.%u.%u/%u%c", &a, &b, &c, &d, &n, &tail);
    if (got != 4 && got != 5) return false;
    if (got == 4 && strchr(s, '/')) return false;
    if (a > 255 || b > 255 || c > 255 || d > 255 || n > 32) return false;
    uint32_t mask = n == 0 ? 0 : 0xffffffffu << (32 - n);
    out->addr = (a << 24 | b << 16 | c << 8 | d) & mask;
    out->mask = mask;
    out->allow = allow;
    return true;
}

bool policy_add(net_policy_t *p, net_rule_t r)
{
    if (p->nrules >= POLICY_MAX_RULES) return false;
    p->rule[p->nrules++] = r;
    return true;
}

void policy_add_public_defaults(net_policy_t *p)
{
    static const char *const denied[] = {
        "0.0.0.0/8",      "10.0.0.0/8",    "100.64.0.0/10", "127.0.0.0/8",
        "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",  "192.168.0.0/16",
        "198.18.0.0/15",  "224.0.0.0/4",   "240.0.0.0/4",
    };
    for (size_t i = 0; i < sizeof denied / sizeof *denied; i++) {
        net_rule_t r;
        if (policy_parse_cidr(denied[i], false, &r)) policy_add(p, r);
    }
}

bool policy_allows(const net_policy_t *p, uint32_t dst)
{
    for (unsigned i = 0; i < p->nrules; i++)
        if ((dst & p->rule[i].mask) == p->rule[i].addr) return p->rule[i].allow;
    return true;
}

/* ---- flows: open addressing, linear probing, backward-shift deletion ---------------------- */

static unsigned slot_of(const flow_table_t *t, uint64_t key)
{
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdull;
    key ^= key >> 33;
    return (unsigned)key & (t->nslots - 1);
}

bool flows_init(flow_table_t *t, unsigned max)
{
    memset(t, 0, sizeof *t);
    t->max = max ? max : 65536;
    t->nslots = 16;
    while (t->nslots < 2 * t->max)
        t->nslots *= 2;
    t->slot = calloc(t->nslots, sizeof *t->slot);
    return t->slot != NULL;
}

void flows_free(flow_table_t *t)
{
    free(t->slot);
    t->slot = NULL;
}

static flow_t *flow_find(flow_table_t *t, uint64_t key)
{
    for (unsigned i = slot_of(t, key);; i = (i + 1) & (t->nslots - 1)) {
        if (!t->slot[i].key) return NULL;
        if (t->slot[i].key == key) return &t->slot[i];
    }
}

static flow_t *flow_add(flow_table_t *t, uint64_t key, int64_t now)
{
    if (t->count >= t->max) return NULL;
    unsigned i = slot_of(t, key);
    while (t->slot[i].key)
        i = (i + 1) & (t->nslots - 1);
    t->slot[i] = (flow_t){.key = key, .last_ms = now};
    t->count++;
    return &t->slot[i];
}

static void flow_del(flow_table_t *t, unsigned i)
{
    unsigned m = t->nslots - 1;
    for (unsigned j = i;;) {
        j = (j + 1) & m;
        if (!t->slot[j].key) break;
        unsigned k = slot_of(t, t->slot[j].key);
        /* Move j back into the hole at i unless its home k lies cyclically in (i, j]. */
        bool home_between = i <= j ? (k > i && k <= j) : (k > i || k <= j);
        if (!home_between) {
            t->slot[i] = t->slot[j];
            i = j;
        }
    }
    t->slot[i].key = 0;
    t->count--;
}

void flows_expire(flow_table_t *t, int64_t now)
{
    for (unsigned i = 0; i < t->nslots;) {
        flow_t *f = &t->slot[i];
        bool tcp = f->key >> 63;
        int64_t limit = !tcp ? UDP_IDLE_MS : f->fin == 3 ? TCP_CLOSED_MS : TCP_IDLE_MS;
        if (f->key && now - f->last_ms > limit)
            flow_del(t, i); /* slot i now holds the next entry: look at it again */
        else
            i++;
    }
}

/* Key: bit 63 TCP, bits 32..62 the far address (31 bits suffice to tell flows apart; the top bit
 * of the address is folded into the ports), ports below. Never 0: a port is never 0 here. */
static uint64_t flow_key(bool tcp, uint32_t far, uint16_t guest_port, uint16_t far_port)
{
    uint64_t ports = (uint64_t)guest_port << 16 | far_port;
    ports ^= (uint64_t)(far >> 31) << 31;
    return (uint64_t)tcp << 63 | (uint64_t)(far & 0x7fffffffu) << 32 | ports | 1ull << 62;
}

/* ---- the ICMP answer to a refused frame --------------------------------------------------- */

static uint16_t csum(const uint8_t *p, size_t n) { return (uint16_t)~inet_fold(inet_sum(p, n, 0)); }

/* Destination unreachable, code 13 (communication administratively prohibited), from the
 * gateway to the guest, quoting the refused datagram's header and 8 bytes (RFC 792). */
static size_t icmp_prohibited(const uint8_t *frame, size_t ip_len, unsigned ihl, uint8_t *out)
{
    size_t quote = ihl + 8 < ip_len ? ihl + 8 : ip_len;
    memcpy(out, frame + 6, 6); /* to the guest's MAC */
    memcpy(out + 6, frame, 6); /* from the MAC it sent to (slirp's) */
    put16(out + 12, ETHERTYPE_IPV4);
    uint8_t *ip = out + ETH_HLEN;
    const uint8_t *orig = frame + ETH_HLEN;
    size_t total = 20 + 8 + quote;
    memset(ip, 0, 20);
    ip[0] = 0x45;
    put16(ip + 2, (uint16_t)total);
    ip[8] = 64;
    ip[9] = IPPROTO_ICMP_;
    memcpy(ip + 12, orig + 16, 4); /* from where it was going (Linux matches the quote) */
    memcpy(ip + 16, orig + 12, 4); /* to the guest */
    put16(ip + 10, csum(ip, 20));
    uint8_t *icmp = ip + 20;
    memset(icmp, 0, 8);
    icmp[0] = 3;
    icmp[1] = 13;
    memcpy(icmp + 8, orig, quote);
    put16(icmp + 2, csum(icmp, 8 + quote));
    return ETH_HLEN + total;
}

verdict_t policy_check_out(const net_policy_t *p, flow_table_t *flows, int64_t now,
                           const uint8_t *frame, size_t len, uint8_t *reply, size_t *reply_len)
{
    if (len < ETH_HLEN) return VERDICT_DROP;
    uint16_t type = be16(frame + 12);
    if (type == ETHERTYPE_ARP) return VERDICT_PASS;
    if (type != ETHERTYPE_IPV4) return VERDICT_DROP; /* slirp here speaks IPv4 only */
    const uint8_t *ip = frame + ETH_HLEN;
    size_t avail = len - ETH_HLEN;
    if (avail < 20 || ip[0] >> 4 != 4) return VERDICT_DROP;
    unsigned ihl = (ip[0] & 15) * 4u;
    size_t ip_len = be16(ip + 2);
    if (ihl < 20 || ip_len < ihl || ip_len > avail) return VERDICT_DROP;
    uint8_t proto = ip[9];
    uint32_t dst = be32(ip + 16);
    bool first_fragment = (be16(ip + 6) & 0x1fff) == 0;
    const uint8_t *l4 = ip + ihl;
    size_t l4_len = ip_len - ihl;
    bool ports = first_fragment && (proto == IPPROTO_TCP_ || proto == IPPROTO_UDP_) &&
                 l4_len >= (proto == IPPROTO_TCP_ ? 20u : 8u);
    uint16_t sport = ports ? be16(l4) : 0, dport = ports ? be16(l4 + 2) : 0;

    /* Where the frame really goes: slirp answers DHCP itself, forwards 10.0.2.3:53 to the
     * host's resolver, and connects every other address of the virtual network to the host's
     * loopback. */
    uint32_t real = dst;
    if (dst == 0xffffffffu || (dst & NET_VNETMASK) == NET_VNETWORK) {
        if (proto == IPPROTO_UDP_ && ports && dport == 67) return VERDICT_PASS;
        if (dst == 0xffffffffu || dst == (NET_VNETWORK | ~NET_VNETMASK)) return VERDICT_PASS;
        if (dst == NET_VNAMESERVER) {
            if (ports && dport == 53) return VERDICT_PASS;
            goto deny; /* anything else would reach the host's resolver on another port */
        }
        real = NET_LOOPBACK;
    }
    if (!policy_allows(p, real)) goto deny;
    if (!ports || !flows) return VERDICT_PASS;

    bool tcp = proto == IPPROTO_TCP_;
    uint64_t key = flow_key(tcp, real == NET_LOOPBACK ? dst : real, sport, dport);
    flow_t *f = flow_find(flows, key);
    uint8_t flags = tcp ? l4[13] : 0;
    if (!f) {
        /* Only a SYN opens a TCP flow; other TCP segments of an unknown flow (a connection
         * from before a restart) pass, slirp answers them with a reset. */
        if (tcp && !((flags & TCP_SYN) && !(flags & TCP_ACK))) return VERDICT_PASS;
        f = flow_add(flows, key, now);
        if (!f) {
            *reply_len = icmp_prohibited(frame, ip_len, ihl, reply);
            return VERDICT_CAP;
        }
    }
    f->last_ms = now;
    if (flags & TCP_FIN) f->fin |= 1;
    if (flags & TCP_RST) f->fin = 3;
    return VERDICT_PASS;
deny:
    *reply_len = icmp_prohibited(frame, ip_len, ihl, reply);
    return VERDICT_DENY;
}

void policy_note_in(flow_table_t *flows, int64_t now, const uint8_t *frame, size_t len)
{
    if (!flows || len < ETH_HLEN + 20 || be16(frame + 12) != ETHERTYPE_IPV4) return;
    const uint8_t *ip = frame + ETH_HLEN;
    unsigned ihl = (ip[0] & 15) * 4u;
    if (ip[9] != IPPROTO_TCP_ || ihl < 20 || len < ETH_HLEN + ihl + 20) return;
    const uint8_t *tcp = ip + ihl;
    uint32_t src = be32(ip + 12); /* an alias (10.0.2.2) as the guest's flow was keyed */
    flow_t *f = flow_find(flows, flow_key(true, src, be16(tcp + 2), be16(tcp)));
    if (!f) return;
    uint8_t flags = tcp[13];
    if (flags & TCP_FIN) f->fin |= 2;
    if (flags & TCP_RST) f->fin = 3;
    f->last_ms = now;
}
