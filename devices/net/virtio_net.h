/* virtio-net, the network card (virtio 1.2, 5.1): one receive and one transmit queue, a MAC
 * address and the link status in config space (the link follows the relay: down while it is
 * unreachable, with a configuration interrupt on every change), mergeable receive buffers, and
 * checksum offload both ways:
 *  - CSUM: the guest hands over TCP/UDP frames whose checksum is not finished (NEEDS_CSUM); the
 *    device completes it before the frame leaves, as the relay's stack needs valid checksums;
 *  - GUEST_CSUM: the device checks the TCP/UDP checksum of every IPv4 frame it delivers, in C,
 *    and marks the good ones DATA_VALID, so the guest's (interpreted) kernel skips summing
 *    every received byte.
 * Frames leave and arrive through the host's link (the worker's frame rings to the WebSocket);
 * both directions are bounded: a transmit frame waits in the guest's queue while the link has
 * no room (back-pressure), a received frame waits on the link while the guest has no buffers,
 * and the link drops (and counts) what does not fit. */
#ifndef VIRTIO_NET_H
#define VIRTIO_NET_H

#include "../virtio/vdev.h"

#define VIRTIO_ID_NET 1
#define VNET_RX_QUEUE 0
#define VNET_TX_QUEUE 1
#define VNET_QUEUE_SIZE 256
/* The header before every frame (virtio_net_hdr with num_buffers: 12 bytes under VERSION_1). */
#define VNET_HDR_LEN 12
/* The largest frame either way: 1500 bytes of MTU, the Ethernet header and a VLAN tag. */
#define VNET_MAX_FRAME 1518u
#define VNET_MIN_FRAME 14u
#define VNET_RX_STASH 8

/* Feature bits (5.1.3). */
#define VIRTIO_NET_F_CSUM 0
#define VIRTIO_NET_F_GUEST_CSUM 1
#define VIRTIO_NET_F_MAC 5
#define VIRTIO_NET_F_MRG_RXBUF 15
#define VIRTIO_NET_F_STATUS 16
/* virtio_net_hdr flags and the link status bit. */
#define VIRTIO_NET_HDR_F_NEEDS_CSUM 1
#define VIRTIO_NET_HDR_F_DATA_VALID 2
#define VIRTIO_NET_HDR_GSO_NONE 0
#define VIRTIO_NET_S_LINK_UP 1

/* The host's end of the link. */
typedef struct vnet_link {
    /* Whether a frame of up to len bytes fits on the link now. */
    bool (*tx_room)(void *opaque, uint32_t len);
    /* Sends one frame (tx_room said it fits). */
    void (*tx)(void *opaque, const uint8_t *frame, uint32_t len);
    /* The length of the next received frame, 0 if none. */
    uint32_t (*rx_peek)(void *opaque);
    /* Takes the next received frame into buf (up to max bytes); returns its full length. */
    uint32_t (*rx_take)(void *opaque, uint8_t *buf, uint32_t max);
    /* Whether the relay is reachable. */
    bool (*link_up)(void *opaque);
} vnet_link_t;

typedef struct vnet_stats {
    uint64_t tx_frames, tx_bytes, rx_frames, rx_bytes;
    uint64_t tx_dropped_link_down; /* sent while the link was down */
    uint64_t tx_malformed; /* shorter than a header and an Ethernet header, GSO, bad csum offsets */
    uint64_t tx_oversized; /* longer than VNET_MAX_FRAME */
    uint64_t rx_oversized; /* from the link, longer than VNET_MAX_FRAME: dropped */
    uint64_t rx_no_room;   /* a frame larger than every buffer the guest offers: dropped */
    uint64_t tx_csum_done; /* checksums completed for the guest */
    uint64_t rx_csum_valid; /* received frames marked DATA_VALID */
    uint64_t link_changes;
} vnet_stats_t;

typedef struct vnet {
    vdev_t dev;
    const vnet_link_t *link;
    void *opaque;
    uint8_t mac[6];
    bool link_up;
    uint64_t features; /* accepted by the driver */
    vnet_stats_t stats;
    /* Receive buffers taken from the guest and not used yet: a frame may need more than one
     * (mergeable buffers), and the guest may not have offered enough yet. */
    vchain_t rx_stash[VNET_RX_STASH];
    unsigned rx_nstash;
    uint8_t frame[VNET_HDR_LEN + VNET_MAX_FRAME];
} vnet_t;

/* Starts the device with this MAC address and publishes its block. */
void vnet_init(vnet_t *n, const vdev_host_t *host, const vnet_link_t *link, void *opaque,
               const uint8_t mac[6]);
/* Does all pending work: status changes, link changes, frames both ways. Call after every
 * wake (the transport's, or the link's when it has frames or room). */
void vnet_poll(vnet_t *n);

/* Completes a partial checksum (virtio 1.2, 5.1.6.2: the ones' complement sum from start to
 * the end, stored at start + offset); false if the offsets lie outside the frame. */
bool vnet_complete_csum(uint8_t *frame, uint32_t len, uint32_t start, uint32_t offset);
/* Whether frame is IPv4 TCP or UDP (not a fragment) with a correct checksum. */
bool vnet_l4_csum_ok(const uint8_t *frame, uint32_t len);

#endif
