// Stands in for the blk worker in the storage test page: opens a disk with openDisk and runs
// requests the way the real worker does (retry the same call after whenReady on PENDING), with
// the data in a SharedArrayBuffer like guest RAM.
import { openDisk, DISK_OK, DISK_PENDING } from '../../open_disk.js';
import { pattern } from './pattern.js';

let disk;
const ram = new Uint8Array(new SharedArrayBuffer(8 << 20));


async function settle(op) {
  for (;;) {
    const st = op();
    if (st !== DISK_PENDING) return st;
    await disk.whenReady();
  }
}

const ops = {
  async open(desc) {
    disk = await openDisk(desc);
    return { size: disk.size, serial: disk.serial, readOnly: disk.readOnly };
  },
  async write(offset, length, seed) {
    const v = ram.subarray(0, length);
    for (let i = 0; i < length; i++) v[i] = pattern(seed, offset, i);
    return settle(() => disk.write(offset, v));
  },
  /** Returns the bytes read (copied out of the shared buffer). */
  async read(offset, length) {
    const v = ram.subarray(0, length);
    const st = await settle(() => disk.read(offset, v));
    return { st, bytes: st === DISK_OK ? v.slice() : null };
  },
  flush: () => settle(() => disk.flush()),
  writeZeroes: (o, l) => settle(() => disk.writeZeroes(o, l)),
  discard: (o, l) => settle(() => disk.discard(o, l)),
  lastError: () => disk.lastError,
  async close() {
    await disk.close();
    disk = null;
  },
};

self.onmessage = async ({ data: { id, op, args } }) => {
  try {
    self.postMessage({ id, result: await ops[op](...args) });
  } catch (e) {
    self.postMessage({ id, error: e.message });
  }
};
self.postMessage({ ready: true });
