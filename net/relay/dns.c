/* DNS forwarding to a named resolver (see dns.h): frames parsed and built with every length
 * checked, ids rewritten so queries from different guest ports never collide upstream. */
#include "dns.h"

#include <string.h>

#include "../../shared/inet_csum.h"
#include "policy.h"

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static uint16_t csum(uint32_t s) { return (uint16_t)~inet_fold(s); }

bool dns_is_query(const uint8_t *f, size_t len, const uint8_t **payload, size_t *plen)
{
    if (len < 14 + 20 + 8 || be16(f + 12) != 0x0800) return false;
    const uint8_t *ip = f + 14;
    size_t ihl = (ip[0] & 15) * 4u, total = be16(ip + 2);
    if (ip[0] >> 4 != 4 || ihl < 20 || total < ihl + 8 || total > len - 14) return false;
    if (ip[9] != 17 || (be16(ip + 6) & 0x3fff)) return false; /* UDP, not a fragment */
    uint32_t dst = (uint32_t)ip[16] << 24 | (uint32_t)ip[17] << 16 | (uint32_t)ip[18] << 8 | ip[19];
    const uint8_t *u = ip + ihl;
    size_t ulen = be16(u + 4);
    if (dst != NET_VNAMESERVER || be16(u + 2) != 53 || ulen < 8 || ulen > total - ihl) return false;
    *payload = u + 8;
    *plen = ulen - 8;
    return true;
}

size_t dns_take_query(dns_proxy_t *p, const uint8_t *f, size_t len, int64_t now, uint8_t *out,
                      size_t out_max)
{
    const uint8_t *msg;
    size_t mlen;
    if (!dns_is_query(f, len, &msg, &mlen) || mlen < 12 || mlen > out_max) return 0;
    dns_query_t *slot = &p->q[0];
    for (unsigned i = 0; i < DNS_PENDING; i++) {
        if (!p->q[i].used) {
            slot = &p->q[i];
            break;
        }
        if (p->q[i].at_ms < slot->at_ms) slot = &p->q[i];
    }
    const uint8_t *ip = f + 14;
    slot->used = true;
    slot->id_guest = be16(msg);
    slot->id_out = p->next_id++;
    slot->guest_port = be16(ip + (ip[0] & 15) * 4u);
    slot->guest_ip =
        (uint32_t)ip[12] << 24 | (uint32_t)ip[13] << 16 | (uint32_t)ip[14] << 8 | ip[15];
    memcpy(slot->guest_mac, f + 6, 6);
    slot->at_ms = now;
    memcpy(out, msg, mlen);
    put16(out, slot->id_out);
    return mlen;
}

size_t dns_make_answer(dns_proxy_t *p, const uint8_t *msg, size_t len, uint8_t *out, size_t out_max)
{
    if (len < 12 || len > 65507 || 42 + len > out_max) return 0;
    dns_query_t *q = NULL;
    for (unsigned i = 0; i < DNS_PENDING && !q; i++)
        if (p->q[i].used && p->q[i].id_out == be16(msg)) q = &p->q[i];
    if (!q) return 0;
    q->used = false;
    static const uint8_t ns_mac[6] = {0x52, 0x55, 0x0a, 0x00, 0x02, 0x03}; /* slirp's for .3 */
    memcpy(out, q->guest_mac, 6);
    memcpy(out + 6, ns_mac, 6);
    put16(out + 12, 0x0800);
    uint8_t *ip = out + 14, *u = ip + 20;
    memset(ip, 0, 28);
    ip[0] = 0x45;
    put16(ip + 2, (uint16_t)(28 + len));
    ip[8] = 64;
    ip[9] = 17;
    put16(ip + 12, NET_VNAMESERVER >> 16);
    put16(ip + 14, (uint16_t)NET_VNAMESERVER);
    put16(ip + 16, (uint16_t)(q->guest_ip >> 16));
    put16(ip + 18, (uint16_t)q->guest_ip);
    put16(ip + 10, csum(inet_sum(ip, 20, 0)));
    put16(u, 53);
    put16(u + 2, q->guest_port);
    put16(u + 4, (uint16_t)(8 + len));
    memcpy(u + 8, msg, len);
    put16(u + 8, q->id_guest);
    uint16_t c = csum(inet_sum(u, 8 + len, inet_sum(ip + 12, 8, 0) + 17 + 8 + (uint32_t)len));
    put16(u + 6, c ? c : 0xffff);
    return 42 + len;
}
