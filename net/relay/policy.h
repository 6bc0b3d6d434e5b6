/* What a guest may reach through the relay: the destination networks it may open connections
 * to, checked on every frame the guest sends before libslirp sees it, and a cap on the flows
 * (TCP connections, UDP conversations) it keeps open. A frame that is refused never reaches
 * slirp, so no host socket is ever opened for it; the guest is told with an ICMP "communication
 * administratively prohibited" (its connect fails at once with EHOSTUNREACH instead of timing
 * out). Pure C on frames: no sockets, no clock of its own (the caller passes the time), so the
 * unit tests drive it directly. */
#ifndef RELAY_POLICY_H
#define RELAY_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The guest's side of the slirp network (QEMU's user-mode defaults, which guests expect). */
#define NET_VNETWORK 0x0a000200u /* 10.0.2.0/24 */
#define NET_VNETMASK 0xffffff00u
#define NET_VHOST 0x0a000202u       /* 10.0.2.2: the gateway, and the host's loopback */
#define NET_VNAMESERVER 0x0a000203u /* 10.0.2.3: DNS, forwarded to the host's resolver */
#define NET_VGUEST 0x0a00020fu      /* 10.0.2.15: the first DHCP lease */
#define NET_LOOPBACK 0x7f000001u    /* what slirp connects to for 10.0.2.2 and the other aliases */

typedef struct net_rule {
    uint32_t addr, mask; /* host order */
    bool allow;
} net_rule_t;

#define POLICY_MAX_RULES 64

typedef struct net_policy {
    net_rule_t rule[POLICY_MAX_RULES]; /* first match wins; none matches: allowed */
    unsigned nrules;
} net_policy_t;

/* Parses "A.B.C.D[/N]" into a rule; false if malformed. */
bool policy_parse_cidr(const char *s, bool allow, net_rule_t *out);
/* Appends a rule; false when the list is full. */
bool policy_add(net_policy_t *p, net_rule_t r);
/* The networks a relay for others denies unless told otherwise: the host's loopback (which the
 * guest reaches as 10.0.2.2), private, link-local, shared (CGNAT), multicast and reserved
 * ranges. */
void policy_add_public_defaults(net_policy_t *p);
/* Whether the guest may reach this real (translated) IPv4 destination. */
bool policy_allows(const net_policy_t *p, uint32_t dst);

/* One flow the guest opened: TCP connection or UDP conversation. */
typedef struct flow {
    uint64_t key; /* 0: free slot */
    int64_t last_ms;
    uint8_t fin; /* bit 0: the guest sent FIN, bit 1: the far end did */
} flow_t;

typedef struct flow_table {
    flow_t *slot;
    unsigned nslots, count, max;
} flow_table_t;

/* max: the most flows open at once (0: no limit). */
bool flows_init(flow_table_t *t, unsigned max);
void flows_free(flow_table_t *t);

typedef enum verdict {
    VERDICT_PASS, /* give the frame to slirp */
    VERDICT_DENY, /* destination refused: send the reply frame to the guest */
    VERDICT_CAP,  /* too many flows open: send the reply frame to the guest */
    VERDICT_DROP, /* not IPv4/ARP, or malformed: drop silently */
} verdict_t;

/* Checks one frame from the guest. For DENY and CAP, writes an ICMP destination-unreachable
 * frame for the guest into reply (at least 14 + 20 + 8 + 60 + 8 bytes) and its length into
 * *reply_len. */
verdict_t policy_check_out(const net_policy_t *p, flow_table_t *flows, int64_t now_ms,
                           const uint8_t *frame, size_t len, uint8_t *reply, size_t *reply_len);
/* Notes one frame slirp sends to the guest (the far end closing a TCP connection). */
void policy_note_in(flow_table_t *flows, int64_t now_ms, const uint8_t *frame, size_t len);
/* Forgets flows idle past their time (UDP 4 minutes as slirp; TCP after both FINs or a RST). */
void flows_expire(flow_table_t *t, int64_t now_ms);

#define POLICY_REPLY_MAX 128

#endif
