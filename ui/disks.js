// Disks in the page: a disk spec (a blank disk, a file the user picked, a URL fetched whole or
// streamed) becomes a persistent disk whose writes the UI thread keeps in IndexedDB
// (storage/persistent_disk.js); the machine hands its description to a blk worker.
import { createPersistentDisk } from '../storage/persistent_disk.js';

/**
 * @typedef {object} DiskSpec
 * @property {string} id  the stored disk's name; the same id on the next visit finds its data
 * @property {number} [sizeBytes]  a blank disk's size (or a size larger than its base)
 * @property {Blob} [file]  a base image the user picked or dropped
 * @property {string} [url]  a base image on the web
 * @property {boolean} [lazy]  stream the URL with HTTP Range (default true)
 * @property {boolean} [readOnly]
 * @property {number} [cacheMiB]  the worker's chunk cache (default 64)
 * @property {Array<[number, number]>} [prefetch]  base ranges to fetch ahead (a boot's reads)
 * @property {{retries?: number, backoffMs?: number, maxBackoffMs?: number}} [retry]  for a URL:
 *   how hard to retry transient failures (storage/base_source.js defaults otherwise)
 */

/**
 * Returns the machine's openDisk for the page.
 * @param {{onError?: (id: string, msg: string) => void, onSyncState?: (id: string, state: string) => void,
 *   onNote?: (id: string, note: string) => void, onProgress?: (id: string, stage: string, f: number) => void}} [events]
 */
export function pageDiskOpener(events = {}) {
  return async (/** @type {DiskSpec} */ spec) => {
    if (!spec?.id) throw new Error('a disk needs an id (its name in this browser\'s storage)');
    let base = null;
    if (spec.file) base = { kind: 'blob', blob: spec.file };
    else if (spec.url) base = { kind: 'url', url: spec.url, lazy: spec.lazy ?? true };
    const handle = await createPersistentDisk({
      id: spec.id,
      sizeBytes: spec.sizeBytes,
      base,
      readOnly: spec.readOnly,
      cacheMiB: spec.cacheMiB,
      prefetch: spec.prefetch,
      retry: spec.retry,
      onError: (msg) => events.onError?.(spec.id, msg),
      onSyncState: (state) => events.onSyncState?.(spec.id, state),
      onNote: (note) => events.onNote?.(spec.id, note),
      onProgress: (stage, f) => events.onProgress?.(spec.id, stage, f),
    });
    return {
      desc: handle.desc,
      close: () => handle.close(),
      describe: () => ({ id: spec.id, syncState: handle.syncState(), lastError: handle.lastError, storage: handle.stats() }),
      handle,
    };
  };
}
