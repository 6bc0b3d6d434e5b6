/* Wasm entry points of the virtio-net module, in its own worker. The link (the frame rings to
 * the WebSocket worker, shared/frame_ring.js) is reached through the worker's imports below;
 * guest RAM through the checked imports of vdev_wasm.c. */
#include "../virtio/vdev_wasm.h"
#include "virtio_net.h"

IMPORT(link_tx_room) uint32_t link_tx_room(uint32_t len);
IMPORT(link_tx) void link_tx(const uint8_t *frame, uint32_t len);
IMPORT(link_rx_peek) uint32_t link_rx_peek(void);
IMPORT(link_rx_take) uint32_t link_rx_take(uint8_t *buf, uint32_t max);
IMPORT(link_is_up) uint32_t link_is_up(void);

static bool l_room(void *o, uint32_t len) { return link_tx_room(len) != 0; }
static void l_tx(void *o, const uint8_t *f, uint32_t len) { link_tx(f, len); }
static uint32_t l_peek(void *o) { return link_rx_peek(); }
static uint32_t l_take(void *o, uint8_t *buf, uint32_t max) { return link_rx_take(buf, max); }
static bool l_up(void *o) { return link_is_up() != 0; }

static const vnet_link_t link = {
    .tx_room = l_room, .tx = l_tx, .rx_peek = l_peek, .rx_take = l_take, .link_up = l_up};
static vnet_t net;

/* The MAC address comes as its first four bytes and its last two, in order. */
EXPORT(net_init)
void net_init(uint32_t ram_base_lo, uint32_t ram_base_hi, uint32_t ram_mib, uint32_t mac_hi,
              uint32_t mac_lo)
{
    uint8_t mac[6] = {(uint8_t)(mac_hi >> 24), (uint8_t)(mac_hi >> 16), (uint8_t)(mac_hi >> 8),
                      (uint8_t)mac_hi,         (uint8_t)(mac_lo >> 8),  (uint8_t)mac_lo};
    vnet_init(&net, vdev_wasm_host(ram_base_lo, ram_base_hi, ram_mib), &link, 0, mac);
}

EXPORT(net_poll) void net_poll(void) { vnet_poll(&net); }

/* Counters, in the order of vnet_stats_t. */
EXPORT(net_stat) double net_stat(uint32_t i)
{
    const uint64_t *s = &net.stats.tx_frames;
    return i < sizeof net.stats / sizeof *s ? (double)s[i] : 0;
}
