// The disk interface the blk worker uses. openDisk(desc) dispatches on desc.kind and returns an
// object with: size, readOnly, serial, lastError, read(offset, dst), write(offset, src),
// flush(), discard(offset, length), writeZeroes(offset, length) -> DISK_* status; whenReady()
// -> Promise (never rejects); async close(). Calls are synchronous and never block: PENDING
// means "await whenReady() and retry the same call". desc is structured-cloneable (posted to
// the worker).
import { DISK_IOERR, DISK_OK, DISK_PENDING } from './disk_status.js';

export { DISK_OK, DISK_IOERR, DISK_PENDING };

/**
 * @param {{kind: 'chunked'|'file'|'none'} & object} desc
 * @param {object} [opts]  for 'chunked': { persistence, fetch, onNote } (tests inject these)
 */
export async function openDisk(desc, opts) {
  switch (desc?.kind) {
    case 'chunked':
      return (await import('./chunked_disk.js')).openChunkedDisk(desc, opts);
    // ---- 'file': a raw image file under Node (storage/file_disk.js, written by the blk worker's
    // author); imported only here so the page never loads node:fs. ----
    case 'file':
      return (await import('./file_disk.js')).openFileDisk(desc);
    // ---- 'overlay-file': a base image file under a copy-on-write state file (the CLI's
    // persistent root disk, --disk-state; storage/overlay_file_disk.js), Node only. ----
    case 'overlay-file':
      return (await import('./overlay_file_disk.js')).openOverlayFileDisk(desc);
    case 'none':
      return noMedium(desc);
    default:
      throw new Error(`openDisk: unknown disk kind ${JSON.stringify(desc?.kind)}`);
  }
}

/** A drive with no medium: size 0, every operation fails with 'no medium'. */
function noMedium(desc) {
  const fail = () => {
    disk.lastError = 'no medium';
    return DISK_IOERR;
  };
  const disk = {
    size: 0,
    readOnly: true,
    serial: String(desc.serial ?? '').slice(0, 20),
    lastError: '',
    read: fail,
    write: fail,
    flush: fail,
    discard: fail,
    writeZeroes: fail,
    whenReady: () => Promise.resolve(),
    async close() {},
  };
  return disk;
}

