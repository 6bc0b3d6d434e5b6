/* The host side of a virtio device compiled to Wasm and run in a device worker: the device
 * block, guest RAM and the interrupt doorbell reached through the worker's imports
 * (shared/guest_ram.js, vdevImports), which check every guest range again. */
#ifndef VDEV_WASM_H
#define VDEV_WASM_H

#include "vdev.h"

#define EXPORT(name) __attribute__((used, export_name(#name)))
#define IMPORT(name) __attribute__((import_module("env"), import_name(#name)))

/* A host for a device whose guest RAM is ram_mib MiB at ram_base. */
const vdev_host_t *vdev_wasm_host(uint32_t ram_base_lo, uint32_t ram_base_hi, uint32_t ram_mib);

#endif
