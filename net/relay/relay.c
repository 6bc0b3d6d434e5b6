/* tabvm-relay: a WebSocket server that gives each client a user-mode IP network of its own
 * (libslirp): one raw Ethernet frame per binary message, no header, in both directions, the
 * framing other in-browser emulators' relays speak. Usage: tabvm-relay --help; design and
 * defaults in net/README.md. */
#include <arpa/inet.h>
#include <errno.h>
#include <glib-unix.h>
#include <libwebsockets.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client.h"

/* An Ethernet frame with a VLAN tag is 1518 bytes; a message far beyond any frame the guest's
 * MTU allows is a client that does not speak the protocol. */
#define MAX_MESSAGE 16384

typedef struct session {
    client_t *c;
    uint8_t *rx; /* the message being received */
    size_t rx_len;
} session_t;

static relay_config_t cfg = {.out_queue_bytes = 1 << 20};
static unsigned max_clients = 16, nclients, next_id = 1;
static const char *origins[16];
static unsigned norigins;
static bool public_relay;
static GMainLoop *loop;

/* A browser page may connect only from an origin on the list; by default a personal relay
 * takes pages served from this machine's loopback only, since it lets its guests reach the
 * host's loopback: any web site could otherwise use a visitor's relay to reach their local
 * services. Clients that are not browsers send no Origin. */
static bool origin_allowed(struct lws *wsi)
{
    char origin[256];
    if (lws_hdr_copy(wsi, origin, sizeof origin, WSI_TOKEN_ORIGIN) <= 0) return true;
    if (norigins) {
        for (unsigned i = 0; i < norigins; i++)
            if (!strcmp(origin, origins[i])) return true;
        return false;
    }
    if (public_relay) return true;
    static const char *const local[] = {"http://127.0.0.1",  "http://localhost",  "http://[::1]",
                                        "https://127.0.0.1", "https://localhost", "https://[::1]"};
    for (size_t i = 0; i < sizeof local / sizeof *local; i++) {
        size_t n = strlen(local[i]);
        if (!strncmp(origin, local[i], n) && (origin[n] == 0 || origin[n] == ':')) return true;
    }
    return false;
}

static int refuse(struct lws *wsi, session_t *s, enum lws_close_status code, const char *why)
{
    lwsl_user("relay: client %u (%s): %s: closing it\n", s->c ? s->c->id : 0,
              s->c ? s->c->peer : "?", why);
    lws_close_reason(wsi, code, (unsigned char *)why, strlen(why));
    return -1;
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                    size_t len)
{
    session_t *s = user;
    char peer[64];
    switch (reason) {
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
        lws_get_peer_simple(wsi, peer, sizeof peer);
        if (!origin_allowed(wsi)) {
            lwsl_user("relay: refused %s: its page's origin is not allowed (--origin)\n", peer);
            return 1;
        }
        if (nclients >= max_clients) {
            lwsl_user("relay: refused %s: %u clients, the cap (--max-clients)\n", peer, nclients);
            return 1;
        }
        return 0;
    case LWS_CALLBACK_ESTABLISHED:
        lws_get_peer_simple(wsi, peer, sizeof peer);
        s->c = client_new(next_id++, peer, wsi, &cfg);
        if (!s->c) {
            lwsl_err("relay: cannot start a network for %s\n", peer);
            return -1;
        }
        s->rx = g_malloc(MAX_MESSAGE);
        nclients++;
        lwsl_user("relay: client %u connected from %s (%u connected)\n", s->c->id, peer, nclients);
        return 0;
    case LWS_CALLBACK_RECEIVE:
        if (!s->c) return -1;
        if (!lws_frame_is_binary(wsi))
            return refuse(wsi, s, LWS_CLOSE_STATUS_UNACCEPTABLE_OPCODE, "a text message");
        if (len > MAX_MESSAGE - s->rx_len)
            return refuse(wsi, s, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, "an oversized message");
        memcpy(s->rx + s->rx_len, in, len);
        s->rx_len += len;
        if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi)) return 0;
        if (s->rx_len < 14)
            return refuse(wsi, s, LWS_CLOSE_STATUS_INVALID_PAYLOAD,
                          "a message shorter than a frame");
        client_from_guest(s->c, s->rx, s->rx_len);
        s->rx_len = 0;
        return 0;
    case LWS_CALLBACK_SERVER_WRITEABLE: {
        if (!s->c) return 0;
        /* Several frames per turn while the socket takes them. */
        for (int n = 0; n < 64 && !lws_send_pipe_choked(wsi); n++) {
            GByteArray *f = client_next_out(s->c);
            if (!f) return 0;
            int w = lws_write(wsi, f->data + LWS_PRE, f->len - LWS_PRE, LWS_WRITE_BINARY);
            g_byte_array_unref(f);
            if (w < 0) return -1;
        }
        if (s->c->out.length) lws_callback_on_writable(wsi);
        return 0;
    }
    case LWS_CALLBACK_CLOSED: {
        if (!s->c) return 0;
        client_t *c = s->c;
        const client_stats_t *st = &c->stats;
        double secs = (double)(g_get_monotonic_time() - c->started_us) / 1e6;
        nclients--;
        lwsl_user("relay: client %u (%s) disconnected after %.1f s: %llu frames (%llu bytes) "
                  "from it, %llu frames (%llu bytes) to it, %llu refused, %llu over the flow "
                  "cap, %llu dropped (%u connected)\n",
                  c->id, c->peer, secs, (unsigned long long)st->frames_in,
                  (unsigned long long)st->bytes_in, (unsigned long long)st->frames_out,
                  (unsigned long long)st->bytes_out, (unsigned long long)st->denied,
                  (unsigned long long)st->capped,
                  (unsigned long long)(st->dropped_in + st->dropped_out), nclients);
        client_free(c);
        g_free(s->rx);
        s->c = NULL;
        return 0;
    }
    case LWS_CALLBACK_HTTP:
        /* A plain HTTP request (a person opening the URL, a health check). */
        lws_return_http_status(wsi, HTTP_STATUS_OK, "TabVM relay: connect with a WebSocket");
        return -1;
    default: return 0;
    }
}

/* The same protocol under the names clients ask for: none (the first entry is taken), ours,
 * and "binary", which websockify-style clients request (libwebsockets hangs up on a client
 * whose every requested subprotocol is unknown). */
static const struct lws_protocols protocols[] = {
    {"tabvm-relay", callback, sizeof(session_t), 4096, 0, NULL, 0},
    {"binary", callback, sizeof(session_t), 4096, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

static void usage(FILE *f)
{
    fputs("usage: tabvm-relay [options]\n"
          "  --listen HOST:PORT   where to listen (default 127.0.0.1:8081; port 0 picks a free\n"
          "                       one; the URL is printed on stdout)\n"
          "  --public             a relay for others: the guest may not reach this host's\n"
          "                       loopback, private, link-local or reserved networks (implied\n"
          "                       when HOST is not a loopback address)\n"
          "  --allow CIDR         let guests reach this network (before the defaults; first\n"
          "  --deny CIDR          match wins; repeatable); 127.0.0.0/8 is this host's loopback,\n"
          "                       which guests reach as 10.0.2.2\n"
          "  --dns IP[:PORT]      send the guests' DNS queries (to 10.0.2.3) to this resolver\n"
          "                       instead of this host's own (UDP)\n"
          "  --origin ORIGIN      accept browser pages from ORIGIN only (repeatable; default:\n"
          "                       pages from this machine's loopback, or any for --public)\n"
          "  --max-clients N      clients at once (default 16)\n"
          "  --max-flows N        TCP connections and UDP conversations per client (default 256)\n"
          "  --rate BYTES         bytes per second per client and direction (default: no limit,\n"
          "                       1000000 with --public)\n"
          "  -h, --help           this text\n",
          f);
}

static long number(const char *flag, const char *v)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (*v == 0 || *end != 0 || n < 0) {
        fprintf(stderr, "tabvm-relay: %s needs a number, not '%s'\n", flag, v);
        exit(2);
    }
    return n;
}

/* Whether this machine has the address (libwebsockets only logs a failed bind and goes on). */
static bool can_bind(const char *host, long port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, host, &a.sin_addr) != 1) return true; /* IPv6 or a name: lws checks */
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    bool ok = fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0;
    if (fd >= 0) close(fd);
    return ok;
}

static gboolean on_signal(gpointer data)
{
    g_main_loop_quit(loop);
    return G_SOURCE_REMOVE;
}

int main(int argc, char **argv)
{
    char host[128] = "127.0.0.1";
    long port = 8081, rate = -1;
    net_rule_t rules[POLICY_MAX_RULES];
    unsigned nrules = 0;
    cfg.max_flows = 256;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool needs = strcmp(a, "--public") && strcmp(a, "-h") && strcmp(a, "--help");
        if (needs && !v) {
            fprintf(stderr, "tabvm-relay: %s needs a value\n", a);
            return 2;
        }
        if (!strcmp(a, "--listen")) {
            const char *colon = strrchr(v, ':');
            if (!colon || (size_t)(colon - v) >= sizeof host || colon == v) {
                fprintf(stderr, "tabvm-relay: --listen needs HOST:PORT\n");
                return 2;
            }
            memcpy(host, v, (size_t)(colon - v));
            host[colon - v] = 0;
            port = number(a, colon + 1);
        } else if (!strcmp(a, "--public")) {
            public_relay = true;
            continue;
        } else if (!strcmp(a, "--allow") || !strcmp(a, "--deny")) {
            if (nrules == POLICY_MAX_RULES / 2 ||
                !policy_parse_cidr(v, !strcmp(a, "--allow"), &rules[nrules])) {
                fprintf(stderr, "tabvm-relay: %s needs A.B.C.D/N, not '%s' (or too many)\n", a, v);
                return 2;
            }
            nrules++;
        } else if (!strcmp(a, "--dns")) {
            char ip[64];
            unsigned dport = 53;
            const char *colon = strrchr(v, ':');
            size_t n = colon ? (size_t)(colon - v) : strlen(v);
            if (n >= sizeof ip || (colon && sscanf(colon + 1, "%u", &dport) != 1) ||
                dport > 65535) {
                fprintf(stderr, "tabvm-relay: --dns needs IP[:PORT]\n");
                return 2;
            }
            memcpy(ip, v, n);
            ip[n] = 0;
            cfg.dns.sin_family = AF_INET;
            cfg.dns.sin_port = htons((uint16_t)dport);
            if (inet_pton(AF_INET, ip, &cfg.dns.sin_addr) != 1) {
                fprintf(stderr, "tabvm-relay: --dns needs an IPv4 address, not '%s'\n", ip);
                return 2;
            }
            cfg.has_dns = true;
        } else if (!strcmp(a, "--origin")) {
            if (norigins == sizeof origins / sizeof *origins) return 2;
            origins[norigins++] = v;
        } else if (!strcmp(a, "--max-clients")) {
            max_clients = (unsigned)number(a, v);
        } else if (!strcmp(a, "--max-flows")) {
            cfg.max_flows = (unsigned)number(a, v);
        } else if (!strcmp(a, "--rate")) {
            rate = number(a, v);
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "tabvm-relay: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        }
        i++;
    }
    if (!strcmp(host, "localhost")) strcpy(host, "127.0.0.1"); /* lws wants an address */
    bool loopback = !strncmp(host, "127.", 4) || !strcmp(host, "::1");
    if (!loopback) public_relay = true;
    for (unsigned i = 0; i < nrules; i++)
        policy_add(&cfg.policy, rules[i]);
    if (public_relay) policy_add_public_defaults(&cfg.policy);
    cfg.host_loopback = policy_allows(&cfg.policy, NET_LOOPBACK);
    cfg.rate = rate >= 0 ? (uint64_t)rate : public_relay ? 1000000 : 0;

    if (!can_bind(host, port)) {
        fprintf(stderr, "tabvm-relay: cannot listen on %s:%ld: %s\n", host, port, strerror(errno));
        return 1;
    }
    lws_set_log_level(LLL_USER | LLL_ERR, NULL);
    loop = g_main_loop_new(NULL, FALSE);
    void *foreign[] = {loop};
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = (int)port;
    info.iface = host;
    info.protocols = protocols;
    info.options =
        LWS_SERVER_OPTION_GLIB | LWS_SERVER_OPTION_HTTP_HEADERS_SECURITY_BEST_PRACTICES_ENFORCE;
    /* An IPv4 address to listen on: without this, libwebsockets binds an IPv6 socket to every
     * address (ss showed *:PORT), and a personal relay would be open to the network. */
    if (!strchr(host, ':')) info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
    info.foreign_loops = foreign;
    /* A client that vanished without closing is pinged, then dropped. */
    static const lws_retry_bo_t idle = {.secs_since_valid_ping = 20, .secs_since_valid_hangup = 40};
    info.retry_and_idle_policy = &idle;
    struct lws_context *ctx = lws_create_context(&info);
    if (!ctx) {
        fprintf(stderr, "tabvm-relay: cannot listen on %s:%ld\n", host, port);
        return 1;
    }
    struct lws_vhost *vh = lws_get_vhost_by_name(ctx, "default");
    int bound = vh ? lws_get_vhost_listen_port(vh) : -1;
    if (bound <= 0) { /* an address this machine does not have, a port in use */
        fprintf(stderr, "tabvm-relay: cannot listen on %s:%ld\n", host, port);
        lws_context_destroy(ctx);
        return 1;
    }
    printf("tabvm-relay: listening on ws://%s:%d/ (%s relay%s)\n", host, bound,
           public_relay ? "public" : "personal",
           cfg.host_loopback ? "; 10.0.2.2 is this host's loopback" : "");
    fflush(stdout);
    g_unix_signal_add(SIGINT, on_signal, NULL);
    g_unix_signal_add(SIGTERM, on_signal, NULL);
    g_main_loop_run(loop);
    lws_context_destroy(ctx);
    g_main_loop_unref(loop);
    return 0;
}
