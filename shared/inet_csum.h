/* The Internet checksum (RFC 1071) that the network card and the relay compute over frames: the
 * ones'-complement sum of big-endian 16-bit words (an odd last byte padded with zero), which
 * inet_sum can continue from an earlier partial sum (a pseudo-header's), folded to 16 bits by
 * inet_fold. A checksum field holds ~inet_fold(sum); a received one checks out when the fold of
 * the sum over everything, field included, is 0xffff. */
#ifndef TVM_INET_CSUM_H
#define TVM_INET_CSUM_H

#include <stddef.h>
#include <stdint.h>

static inline uint32_t inet_sum(const uint8_t *p, size_t n, uint32_t s)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        s += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1) s += (uint32_t)p[n - 1] << 8;
    return s;
}

static inline uint16_t inet_fold(uint32_t s)
{
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)s;
}

#endif
