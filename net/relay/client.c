/* A relay client's slirp instance and its plumbing (see client.h). slirp is polled the way it
 * asks to be (slirp_pollfds_fill before each sleep, slirp_pollfds_poll after), from a GSource
 * of its own, so the WebSocket server and every client's stack share one GLib loop and one
 * thread: libslirp is not thread-safe. */
#include "client.h"

#include <glib-unix.h>
#include <libslirp.h>
#include <libwebsockets.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* A GSource whose poll set is whatever slirp asks for in this iteration. */
typedef struct slirp_source {
    GSource base;
    client_t *c;
    GPtrArray *fds; /* GPollFD *, re-made before every poll */
} slirp_source_t;

static int add_poll(int fd, int events, void *opaque)
{
    slirp_source_t *s = opaque;
    GPollFD *p = g_new0(GPollFD, 1);
    p->fd = fd;
    p->events = (events & SLIRP_POLL_IN ? G_IO_IN : 0) | (events & SLIRP_POLL_OUT ? G_IO_OUT : 0) |
                (events & SLIRP_POLL_PRI ? G_IO_PRI : 0) |
                (events & SLIRP_POLL_ERR ? G_IO_ERR : 0) | (events & SLIRP_POLL_HUP ? G_IO_HUP : 0);
    g_source_add_poll(&s->base, p);
    g_ptr_array_add(s->fds, p);
    return (int)s->fds->len - 1;
}

static int get_revents(int idx, void *opaque)
{
    slirp_source_t *s = opaque;
    if (idx < 0 || (guint)idx >= s->fds->len) return 0;
    GPollFD *p = g_ptr_array_index(s->fds, idx);
    int r = p->revents;
    return (r & G_IO_IN ? SLIRP_POLL_IN : 0) | (r & G_IO_OUT ? SLIRP_POLL_OUT : 0) |
           (r & G_IO_PRI ? SLIRP_POLL_PRI : 0) | (r & G_IO_ERR ? SLIRP_POLL_ERR : 0) |
           (r & G_IO_HUP ? SLIRP_POLL_HUP : 0);
}

static void drop_fds(slirp_source_t *s)
{
    for (guint i = 0; i < s->fds->len; i++) {
        GPollFD *p = g_ptr_array_index(s->fds, i);
        g_source_remove_poll(&s->base, p);
        g_free(p);
    }
    g_ptr_array_set_size(s->fds, 0);
}

static gboolean src_prepare(GSource *src, gint *timeout)
{
    slirp_source_t *s = (slirp_source_t *)src;
    drop_fds(s);
    uint32_t t = 1000; /* slirp lowers it to its next TCP timer */
    slirp_pollfds_fill(s->c->slirp, &t, add_poll, s);
    *timeout = (gint)t;
    return FALSE;
}

/* Dispatched on every iteration: slirp runs its TCP timers in slirp_pollfds_poll. */
static gboolean src_check(GSource *src) { return TRUE; }

static gboolean src_dispatch(GSource *src, GSourceFunc cb, gpointer data)
{
    slirp_source_t *s = (slirp_source_t *)src;
    slirp_pollfds_poll(s->c->slirp, 0, get_revents, s);
    return G_SOURCE_CONTINUE;
}

static void src_finalize(GSource *src)
{
    slirp_source_t *s = (slirp_source_t *)src;
    drop_fds(s);
    g_ptr_array_free(s->fds, TRUE);
}

static GSourceFuncs slirp_funcs = {src_prepare, src_check, src_dispatch, src_finalize, NULL, NULL};

/* ---- slirp's callbacks ---------------------------------------------------------------------- */

static bool take_tokens(bucket_t *b, uint64_t rate, size_t n)
{
    if (!rate) return true;
    int64_t now = g_get_monotonic_time();
    double burst = rate < 65536 ? 65536 : (double)rate; /* up to one second's worth at once */
    b->tokens += (double)(now - b->last_us) * (double)rate / 1e6;
    if (b->tokens > burst) b->tokens = burst;
    b->last_us = now;
    if (b->tokens < (double)n) return false;
    b->tokens -= (double)n;
    return true;
}

static void queue_out(client_t *c, const void *buf, size_t len)
{
    if (c->out_bytes + len > c->cfg->out_queue_bytes ||
        !take_tokens(&c->bucket_out, c->cfg->rate, len)) {
        c->stats.dropped_out++;
        return;
    }
    GByteArray *f = g_byte_array_sized_new((guint)(LWS_PRE + len));
    g_byte_array_set_size(f, (guint)(LWS_PRE + len));
    memcpy(f->data + LWS_PRE, buf, len);
    g_queue_push_tail(&c->out, f);
    c->out_bytes += len;
    lws_callback_on_writable(c->wsi);
}

static ssize_t send_packet(const void *buf, size_t len, void *opaque)
{
    client_t *c = opaque;
    policy_note_in(&c->flows, g_get_monotonic_time() / 1000, buf, len);
    queue_out(c, buf, len);
    return (ssize_t)len;
}

static void guest_error(const char *msg, void *opaque)
{
    client_t *c = opaque;
    lwsl_user("relay: client %u: slirp: %s\n", c->id, msg);
}

static int64_t clock_ns(void *opaque) { return g_get_monotonic_time() * 1000; }

typedef struct relay_timer {
    SlirpTimerCb cb;
    void *cb_opaque;
    guint source;
} relay_timer_t;

static void *timer_new(SlirpTimerCb cb, void *cb_opaque, void *opaque)
{
    relay_timer_t *t = g_new0(relay_timer_t, 1);
    t->cb = cb;
    t->cb_opaque = cb_opaque;
    return t;
}

static void timer_free(void *timer, void *opaque)
{
    relay_timer_t *t = timer;
    if (t->source) g_source_remove(t->source);
    g_free(t);
}

static gboolean timer_fire(gpointer data)
{
    relay_timer_t *t = data;
    t->source = 0;
    t->cb(t->cb_opaque);
    return G_SOURCE_REMOVE;
}

static void timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
    relay_timer_t *t = timer;
    if (t->source) g_source_remove(t->source);
    int64_t delay = expire_ms - g_get_monotonic_time() / 1000;
    t->source = g_timeout_add((guint)(delay < 0 ? 0 : delay), timer_fire, t);
}

static void no_fd(int fd, void *opaque) {}
static void notify(void *opaque) {}

static const SlirpCb callbacks = {
    .send_packet = send_packet,
    .guest_error = guest_error,
    .clock_get_ns = clock_ns,
    .timer_new = timer_new,
    .timer_free = timer_free,
    .timer_mod = timer_mod,
    .register_poll_fd = no_fd,
    .unregister_poll_fd = no_fd,
    .notify = notify,
};

/* Answers from the --dns resolver, back to the guest as from 10.0.2.3. */
static gboolean on_dns(gint fd, GIOCondition cond, gpointer data)
{
    client_t *c = data;
    uint8_t msg[4096], frame[42 + sizeof msg];
    ssize_t n;
    while ((n = recv(fd, msg, sizeof msg, 0)) > 0) {
        size_t len = dns_make_answer(&c->dns, msg, (size_t)n, frame, sizeof frame);
        if (len) queue_out(c, frame, len);
    }
    return G_SOURCE_CONTINUE;
}

static bool dns_open(client_t *c)
{
    c->dns.fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->dns.fd < 0 ||
        connect(c->dns.fd, (const struct sockaddr *)&c->cfg->dns, sizeof c->cfg->dns) < 0)
        return false;
    c->dns.watch = g_unix_fd_add(c->dns.fd, G_IO_IN, on_dns, c);
    return true;
}

client_t *client_new(unsigned id, const char *peer, struct lws *wsi, const relay_config_t *cfg)
{
    client_t *c = g_new0(client_t, 1);
    c->id = id;
    g_strlcpy(c->peer, peer, sizeof c->peer);
    c->wsi = wsi;
    c->cfg = cfg;
    c->started_us = g_get_monotonic_time();
    c->bucket_in.last_us = c->bucket_out.last_us = c->started_us;
    /* Full buckets to begin with: a new client has its burst at once. */
    c->bucket_in.tokens = c->bucket_out.tokens = cfg->rate < 65536 ? 65536 : (double)cfg->rate;
    g_queue_init(&c->out);
    c->dns.fd = -1;
    if (!flows_init(&c->flows, cfg->max_flows) || (cfg->has_dns && !dns_open(c))) {
        if (c->dns.fd >= 0) close(c->dns.fd);
        flows_free(&c->flows);
        g_free(c);
        return NULL;
    }
    SlirpConfig sc = {
        .version = 3,
        .in_enabled = true,
        .vnetwork = {htonl(NET_VNETWORK)},
        .vnetmask = {htonl(NET_VNETMASK)},
        .vhost = {htonl(NET_VHOST)},
        .vdhcp_start = {htonl(NET_VGUEST)},
        .vnameserver = {htonl(NET_VNAMESERVER)},
        .if_mtu = 1500,
        .if_mru = 1500,
        .disable_host_loopback = !cfg->host_loopback,
    };
    c->slirp = slirp_new(&sc, &callbacks, c);
    if (!c->slirp) {
        if (c->dns.watch) g_source_remove(c->dns.watch);
        if (c->dns.fd >= 0) close(c->dns.fd);
        flows_free(&c->flows);
        g_free(c);
        return NULL;
    }
    slirp_source_t *s = (slirp_source_t *)g_source_new(&slirp_funcs, sizeof *s);
    s->c = c;
    s->fds = g_ptr_array_new();
    c->source = &s->base;
    g_source_attach(c->source, NULL);
    return c;
}

void client_from_guest(client_t *c, const uint8_t *frame, size_t len)
{
    c->stats.frames_in++;
    c->stats.bytes_in += len;
    if (!take_tokens(&c->bucket_in, c->cfg->rate, len)) {
        c->stats.dropped_in++;
        return;
    }
    int64_t now = g_get_monotonic_time() / 1000;
    if (c->dns.fd >= 0) {
        uint8_t msg[2048];
        size_t n = dns_take_query(&c->dns, frame, len, now, msg, sizeof msg);
        if (n) {
            if (send(c->dns.fd, msg, n, 0) < 0) c->stats.dropped_in++;
            return;
        }
    }
    uint8_t reply[POLICY_REPLY_MAX];
    size_t reply_len = 0;
    switch (policy_check_out(&c->cfg->policy, &c->flows, now, frame, len, reply, &reply_len)) {
    case VERDICT_PASS: slirp_input(c->slirp, frame, (int)len); break;
    case VERDICT_DENY:
        c->stats.denied++;
        queue_out(c, reply, reply_len);
        break;
    case VERDICT_CAP:
        c->stats.capped++;
        if (!c->logged_cap)
            lwsl_user("relay: client %u: %u flows open, the cap: new ones refused\n", c->id,
                      c->flows.count);
        c->logged_cap = true;
        flows_expire(&c->flows, now);
        queue_out(c, reply, reply_len);
        break;
    case VERDICT_DROP: c->stats.dropped_in++; break;
    }
    /* Idle UDP flows are forgotten now and then, not on every frame. */
    if ((c->stats.frames_in & 1023) == 0) flows_expire(&c->flows, now);
}

GByteArray *client_next_out(client_t *c)
{
    GByteArray *f = g_queue_pop_head(&c->out);
    if (!f) return NULL;
    size_t len = f->len - LWS_PRE;
    c->out_bytes -= len;
    c->stats.frames_out++;
    c->stats.bytes_out += len;
    return f;
}

void client_free(client_t *c)
{
    g_source_destroy(c->source);
    g_source_unref(c->source);
    slirp_cleanup(c->slirp);
    GByteArray *f;
    while ((f = g_queue_pop_head(&c->out)))
        g_byte_array_unref(f);
    flows_free(&c->flows);
    if (c->dns.watch) g_source_remove(c->dns.watch);
    if (c->dns.fd >= 0) close(c->dns.fd);
    g_free(c);
}
