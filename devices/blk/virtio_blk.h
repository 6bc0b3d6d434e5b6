/* virtio-blk (virtio 1.2, 5.2): one disk, one request queue. The device checks every request
 * the guest builds and then moves data between guest RAM and the disk through blk_backend_t
 * (a raw file under Node, the chunked store in the page, memory in a test). A slot may have no
 * medium: it then reports capacity 0 and fails every request, and media can be inserted and
 * removed while the guest runs (a capacity change and a configuration interrupt). */
#ifndef VIRTIO_BLK_H
#define VIRTIO_BLK_H

#include <stdbool.h>
#include <stdint.h>

#include "../virtio/vdev.h"

/* A backend call's outcome. PENDING: the data is not at hand yet (a chunk being fetched, a
 * flush waiting for durable storage); the device stops taking requests and retries the same
 * request from the start after the host polls it again, so backend calls must be idempotent. */
enum { BLK_IO_OK = 0, BLK_IO_ERR = 1, BLK_IO_PENDING = 2 };

typedef struct blk_backend {
    void *opaque;
    /* Disk bytes [off, off + len) to guest RAM at gpa (a range the device checked). */
    int (*read)(void *opaque, uint64_t off, uint64_t gpa, uint32_t len);
    /* Guest RAM at gpa to disk bytes [off, off + len). */
    int (*write)(void *opaque, uint64_t off, uint64_t gpa, uint32_t len);
    /* OK once every write completed before it is durable. */
    int (*flush)(void *opaque);
    /* Drops (zeroes == false) or zeroes [off, off + len). */
    int (*discard)(void *opaque, uint64_t off, uint64_t len, bool zeroes);
} blk_backend_t;

/* What is in the drive. */
typedef struct blk_media {
    uint64_t sectors; /* 512-byte sectors; 0 for no medium */
    bool read_only;
    char serial[20]; /* VIRTIO_BLK_T_GET_ID, zero-padded */
} blk_media_t;

/* Counters for the stats and the benchmarks. */
typedef struct blk_stats {
    uint64_t reads, writes, flushes, discards, errors, unsupported;
    uint64_t read_bytes, write_bytes;
    uint64_t batches; /* wakes that completed at least one request (one interrupt at most each) */
} blk_stats_t;

typedef struct vblk {
    vdev_t dev;
    blk_backend_t be;
    blk_media_t media;
    bool ro_feature; /* VIRTIO_BLK_F_RO offered at start: fixed for the device's life */
    bool pending;    /* req is waiting for the backend */
    uint32_t logged; /* kinds of bad request already logged */
    vchain_t req;
    blk_stats_t stats;
} vblk_t;

/* Starts the device and publishes its block. `ro_feature` advertises VIRTIO_BLK_F_RO: a
 * read-only boot disk sets it; a hot-plug slot cannot change features later, so a read-only
 * medium inserted into a writable slot fails writes with IOERR instead. */
void vblk_init(vblk_t *b, const vdev_host_t *host, const blk_backend_t *be,
               const blk_media_t *media, bool ro_feature);
/* Replaces the medium (insert, remove, resize): updates the capacity and raises the
 * configuration interrupt. A pending request is failed first. */
void vblk_set_media(vblk_t *b, const blk_media_t *media);
/* Does all pending work; call after every wake and after the backend became ready. Returns 1
 * while a request waits for the backend, else 0. */
int vblk_poll(vblk_t *b);

#endif
