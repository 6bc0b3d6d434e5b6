// Status values of the disk interface (see open_disk.js). Plain numbers so the blk worker can
// hand them straight to its C device.
export const DISK_OK = 0;
export const DISK_IOERR = 1;
// The data is not here yet (IndexedDB, the network, or a sync that frees cache slots): await
// disk.whenReady() and retry the same call from scratch.
export const DISK_PENDING = 2;
