/* The relay's own DNS forwarding (--dns IP:PORT): the guest's UDP queries to 10.0.2.3:53 go to
 * the named resolver instead of slirp's (which always asks the relay host's own resolver), and
 * the answers come back to the guest as from 10.0.2.3. For an operator who wants a given
 * resolver, and for tests that answer names themselves. UDP only: a truncated answer makes
 * the guest retry over TCP, which slirp forwards to the host's resolver as before. */
#ifndef RELAY_DNS_H
#define RELAY_DNS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DNS_PENDING 64

typedef struct dns_query {
    bool used;
    uint16_t id_out, id_guest, guest_port;
    uint32_t guest_ip;
    uint8_t guest_mac[6];
    int64_t at_ms;
} dns_query_t;

typedef struct dns_proxy {
    int fd; /* a UDP socket connected to the resolver, or -1 */
    unsigned watch;
    dns_query_t q[DNS_PENDING];
    uint16_t next_id;
} dns_proxy_t;

/* Whether frame is a UDP query to 10.0.2.3:53; if so, *payload and *len give the DNS message. */
bool dns_is_query(const uint8_t *frame, size_t len, const uint8_t **payload, size_t *plen);
/* Records the query (the oldest pending one makes room), gives it a fresh id, and returns the
 * message to send upstream in out (at most 512 + 1500 bytes); 0 if it is no DNS message. */
size_t dns_take_query(dns_proxy_t *p, const uint8_t *frame, size_t len, int64_t now_ms,
                      uint8_t *out, size_t out_max);
/* Turns an answer from upstream into a frame for the guest (in out, which holds at least
 * 42 + len bytes); 0 if it answers no pending query. */
size_t dns_make_answer(dns_proxy_t *p, const uint8_t *msg, size_t len, uint8_t *out,
                       size_t out_max);

#endif
