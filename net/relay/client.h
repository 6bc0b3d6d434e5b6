/* One WebSocket client of the relay: its own libslirp instance (DHCP, DNS forwarding, TCP and
 * UDP NAT), polled from the GLib main loop the WebSocket server also runs on, its destination
 * policy and flow cap, its bandwidth caps and a bounded queue of frames waiting to go out on
 * the WebSocket. */
#ifndef RELAY_CLIENT_H
#define RELAY_CLIENT_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "dns.h"
#include "policy.h"

typedef struct relay_config {
    net_policy_t policy;
    bool host_loopback;     /* 10.0.2.2 reaches the host's loopback (a personal relay) */
    unsigned max_flows;     /* per client, 0: no limit */
    uint64_t rate;          /* bytes per second per client and direction, 0: no limit */
    size_t out_queue_bytes; /* frames waiting for the WebSocket beyond this are dropped */
    bool has_dns;           /* --dns: queries to 10.0.2.3:53 go to this resolver */
    struct sockaddr_in dns;
} relay_config_t;

typedef struct bucket {
    double tokens;
    int64_t last_us;
} bucket_t;

typedef struct client_stats {
    uint64_t frames_in, bytes_in;   /* from the guest */
    uint64_t frames_out, bytes_out; /* to the guest */
    uint64_t denied, capped, dropped_in, dropped_out;
} client_stats_t;

struct lws;
typedef struct client {
    unsigned id;
    char peer[64];
    struct lws *wsi;
    const relay_config_t *cfg;
    struct Slirp *slirp;
    GSource *source; /* polls slirp's sockets */
    GQueue out;      /* GByteArray frames, each with LWS_PRE bytes of headroom */
    size_t out_bytes;
    flow_table_t flows;
    dns_proxy_t dns;
    bucket_t bucket_in, bucket_out;
    int64_t started_us;
    client_stats_t stats;
    bool logged_cap;
} client_t;

/* Creates the client's slirp instance on the default GLib main context; NULL on failure. */
client_t *client_new(unsigned id, const char *peer, struct lws *wsi, const relay_config_t *cfg);
/* Takes one Ethernet frame the guest sent. */
void client_from_guest(client_t *c, const uint8_t *frame, size_t len);
/* Takes the next frame for the WebSocket (with LWS_PRE bytes of headroom), NULL if none. The
 * caller frees it with g_byte_array_unref. */
GByteArray *client_next_out(client_t *c);
void client_free(client_t *c);

#endif
