// Test helper run as a worker_thread: the blk worker's side of a disk, writing whole chunks of
// one repeated byte as fast as it can over more chunks than the cache holds, flushing now and
// then. Posts the last byte written to each chunk.
import { parentPort, workerData } from 'node:worker_threads';
import { openDisk, DISK_OK, DISK_PENDING } from '../open_disk.js';
import { memoryPersistence } from '../persistence.js';

const { desc, writes, chunks } = workerData;
// Whole-chunk writes never read the overlay, so this side needs no shared persistence.
const disk = await openDisk(desc, { persistence: memoryPersistence() });
const cs = desc.chunkSize;
const buf = new Uint8Array(cs);
const last = new Array(chunks).fill(0);
let pendings = 0;

async function settle(op) {
  for (;;) {
    const st = op();
    if (st !== DISK_PENDING) return st;
    pendings++;
    await disk.whenReady();
  }
}

for (let i = 0; i < writes; i++) {
  const c = (i * 5) % chunks;
  const v = 1 + (i % 255);
  buf.fill(v);
  if ((await settle(() => disk.write(c * cs, buf))) !== DISK_OK) throw new Error(disk.lastError);
  last[c] = v;
  if (i % 50 === 49 && (await settle(() => disk.flush())) !== DISK_OK) throw new Error(disk.lastError);
}
if ((await settle(() => disk.flush())) !== DISK_OK) throw new Error(disk.lastError);
parentPort.postMessage({ last, pendings });
