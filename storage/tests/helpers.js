// Test helpers: a disk opened the way the page and the blk worker do it, but over the
// in-memory persistence (NOT IndexedDB; real IndexedDB is covered by the Chromium tests).
import { createPersistentDisk } from '../persistent_disk.js';
import { openDisk, DISK_PENDING } from '../open_disk.js';
import { memoryPersistence } from '../persistence.js';

let serialNo = 0;

/** A disk handle (UI side) and the disk (worker side) over one persistence. Ids are unique per
 * call unless given, since locks are process-wide. */
export async function openPair(o = {}) {
  const persistence = o.persistence ?? memoryPersistence();
  const handle = await createPersistentDisk({ id: `d${++serialNo}`, sizeBytes: 1 << 20, chunkSize: 4096, cacheMiB: 16 * 4096 / 2 ** 20, persistence, ...o });
  const disk = await openDisk(handle.desc, { persistence, fetch: o.fetch, onNote: o.onNote ?? (() => {}) });
  return { persistence, handle, disk };
}

/** Calls op() until it stops returning PENDING, awaiting whenReady() between tries. */
export async function settle(disk, op, maxTries = 10000) {
  for (let i = 0; i < maxTries; i++) {
    const st = op();
    if (st !== DISK_PENDING) return st;
    await disk.whenReady();
  }
  throw new Error('operation still pending');
}

/** A deterministic pseudo-random generator (xorshift32). */
export function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

export function randomBytes(n, seed) {
  const r = rng(seed);
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = r() & 255;
  return b;
}

export async function closePair({ handle, disk }) {
  await disk.close();
  await handle.close();
}
