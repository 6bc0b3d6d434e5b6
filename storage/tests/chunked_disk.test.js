// The chunk cache and overlay (worker side) with the sync loop (UI side), over the in-memory
// persistence (not IndexedDB: persistence.js's memoryPersistence has only the same interface).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DISK_IOERR, DISK_OK, DISK_PENDING, openDisk } from '../open_disk.js';
import { memoryPersistence } from '../persistence.js';
import { createPersistentDisk, DiskInUseError } from '../persistent_disk.js';
import { closePair, openPair, randomBytes, rng, settle } from './helpers.js';

const CS = 4096;

test('blank disk (in-memory persistence): reads zeros at once, writes read back across chunk edges', async () => {
  const p = await openPair();
  const { disk } = p;
  assert.equal(disk.size, 1 << 20);
  assert.equal(disk.serial, `tabvm-${p.handle.id}`);
  const buf = new Uint8Array(10000).fill(7);
  assert.equal(disk.read(512, buf), DISK_OK, 'a never-written chunk of a blank disk needs no lookup');
  assert.ok(buf.every((b) => b === 0));
  const data = randomBytes(3 * CS + 100, 1);
  assert.equal(await settle(disk, () => disk.write(CS - 50, data)), DISK_OK);
  const back = new Uint8Array(data.length);
  assert.equal(disk.read(CS - 50, back), DISK_OK);
  assert.deepEqual(back, data);
  await closePair(p);
});

test('random reads and writes against a reference, cache of 16 chunks (in-memory persistence)', async () => {
  const size = 1 << 20;
  const baseBytes = randomBytes(size - 3 * 512, 2); // shorter than the disk: the rest is zeros
  const p = await openPair({ id: "rnd", sizeBytes: size, base: { kind: 'blob', blob: new Blob([baseBytes]) } });
  const { disk, handle, persistence } = p;
  const ref = new Uint8Array(size);
  ref.set(baseBytes);
  const r = rng(3);
  for (let i = 0; i < 600; i++) {
    const len = 512 * (1 + (r() % 24));
    const off = 512 * (r() % ((size - len) / 512 + 1));
    if (r() % 3) {
      const d = randomBytes(len, i + 10);
      assert.equal(await settle(disk, () => disk.write(off, d)), DISK_OK);
      ref.set(d, off);
    } else {
      const got = new Uint8Array(len);
      assert.equal(await settle(disk, () => disk.read(off, got)), DISK_OK);
      assert.deepEqual(got, ref.subarray(off, off + len), `read ${i} at ${off}+${len}`);
    }
    if (i % 97 === 0) assert.equal(await settle(disk, () => disk.flush()), DISK_OK);
  }
  const s = handle.stats();
  assert.ok(s.chunksCached <= 16);
  assert.ok(s.idbBytesRead > 0, 'evicted chunks came back from the persistence');
  assert.ok(s.bytesFetched > 0, 'base chunks were read'); // again after eviction: no base cache here
  await closePair(p);
  // Reopen: everything is there (the close flushed).
  const q = await openPair({ id: "rnd", persistence, sizeBytes: size, base: { kind: 'blob', blob: new Blob([baseBytes]) } });
  const all = new Uint8Array(size);
  assert.equal(await settle(q.disk, () => q.disk.read(0, all)), DISK_OK);
  assert.deepEqual(all, ref);
  await closePair(q);
});

test('flush returns OK only after the commit finished (in-memory persistence with a held commit)', async () => {
  let open;
  const gate = () => new Promise((r) => { open = r; });
  let held = gate();
  const persistence = memoryPersistence({ beforeCommit: () => held });
  const p = await openPair({ persistence });
  const { disk, handle } = p;
  assert.equal(disk.write(0, new Uint8Array(CS).fill(1)), DISK_OK);
  assert.equal(disk.flush(), DISK_PENDING);
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(disk.flush(), DISK_PENDING, 'commit not finished: not durable');
  assert.equal(persistence.commits, 0);
  assert.equal(handle.syncState(), 'saving');
  const ready = disk.whenReady();
  open();
  held = Promise.resolve();
  await ready;
  assert.equal(await settle(disk, () => disk.flush()), DISK_OK);
  assert.ok(persistence.commits >= 1);
  assert.equal(handle.syncState(), 'saved');
  const [stored] = await persistence.getChunks(p.handle.id, [0]);
  assert.ok(new Uint8Array(stored).every((b) => b === 1));
  assert.equal(disk.flush(), DISK_OK, 'nothing new written: immediate');
  await closePair(p);
});

test('a restarted worker adopts the cache: nothing dirty is lost (in-memory persistence)', async () => {
  const persistence = memoryPersistence({ beforeCommit: () => new Promise(() => {}) }); // never commits
  const p = await openPair({ persistence, id: 'adopt' });
  assert.equal(p.disk.write(3 * CS, new Uint8Array(CS).fill(9)), DISK_OK);
  // The blk worker dies; a new one opens the same descriptor.
  const again = await openDisk(p.handle.desc, { persistence });
  const b = new Uint8Array(CS);
  assert.equal(again.read(3 * CS, b), DISK_OK);
  assert.ok(b.every((x) => x === 9));
});

test('writeZeroes zeroes exactly; discard drops whole chunks to zero markers (in-memory persistence)', async () => {
  const p = await openPair({ sizeBytes: 64 * CS });
  const { disk, persistence } = p;
  const d = randomBytes(64 * CS, 5);
  assert.equal(disk.write(0, d), DISK_IOERR, 'one write larger than the whole cache');
  assert.match(disk.lastError, /more chunks than the cache/);
  for (let off = 0; off < d.length; off += 8 * CS) {
    assert.equal(await settle(disk, () => disk.write(off, d.subarray(off, off + 8 * CS))), DISK_OK);
  }
  assert.equal(await settle(disk, () => disk.flush()), DISK_OK);
  // writeZeroes over a partial head, 40 whole chunks (more than the 16-slot cache) and a tail.
  assert.equal(await settle(disk, () => disk.writeZeroes(CS + 512, 40 * CS)), DISK_OK);
  // discard: partial chunks are left alone, whole ones are dropped.
  assert.equal(await settle(disk, () => disk.discard(50 * CS + 1024, 5 * CS)), DISK_OK);
  assert.equal(await settle(disk, () => disk.flush()), DISK_OK);
  const all = new Uint8Array(64 * CS);
  assert.equal(await settle(disk, () => disk.read(0, all)), DISK_OK);
  const ref = d.slice();
  ref.fill(0, CS + 512, 41 * CS + 512);
  ref.fill(0, 51 * CS, 55 * CS);
  // Bytes of partial discarded chunks may read as anything: ours keep their data.
  assert.deepEqual(all, ref);
  const stored = await persistence.getChunks(p.handle.id, [1, 2, 40, 41, 50, 51, 54, 55]);
  assert.ok(stored[0] instanceof ArrayBuffer, 'partial head keeps data');
  assert.equal(stored[1], 0, 'whole zeroed chunk is a zero marker');
  assert.equal(stored[2], 0);
  assert.ok(stored[3] instanceof ArrayBuffer, 'partial tail keeps data');
  assert.ok(stored[4] instanceof ArrayBuffer);
  assert.equal(stored[5], 0);
  assert.equal(stored[6], 0);
  assert.ok(stored[7] instanceof ArrayBuffer);
  await closePair(p);
});

test('quota exceeded: flush gives IOERR with a clear message, stored data intact (in-memory persistence)', async () => {
  const persistence = memoryPersistence({ quotaBytes: 8 * CS });
  const errors = [];
  const p = await openPair({ persistence, onError: (m) => errors.push(m) });
  const { disk, handle } = p;
  assert.equal(await settle(disk, () => disk.write(0, new Uint8Array(4 * CS).fill(1))), DISK_OK);
  assert.equal(await settle(disk, () => disk.flush()), DISK_OK);
  assert.equal(await settle(disk, () => disk.write(4 * CS, new Uint8Array(8 * CS).fill(2))), DISK_OK);
  assert.equal(await settle(disk, () => disk.flush()), DISK_IOERR);
  assert.match(disk.lastError, /quota/);
  assert.equal(handle.syncState(), 'error');
  assert.match(errors[0], /quota exceeded/);
  // Writes that need more slots than are clean or free (4 + 4 of 16) while the rest cannot be
  // stored fail too.
  assert.equal(await settle(disk, () => disk.write(20 * CS, new Uint8Array(10 * CS).fill(3))), DISK_IOERR);
  const [c0] = await persistence.getChunks(p.handle.id, [0]);
  assert.ok(new Uint8Array(c0).every((b) => b === 1), 'what was stored before is untouched');
  // Space comes back: the next flush stores everything.
  persistence.quotaBytes = Infinity;
  assert.equal(await settle(disk, () => disk.flush()), DISK_OK);
  assert.equal(handle.syncState(), 'saved');
  await closePair(p);
});

test('the same disk cannot be opened twice (in-process lock; Web Locks in the browser)', async () => {
  const persistence = memoryPersistence();
  const a = await createPersistentDisk({ id: 'x', sizeBytes: 1 << 20, persistence });
  await assert.rejects(createPersistentDisk({ id: 'x', sizeBytes: 1 << 20, persistence }), DiskInUseError);
  await a.close();
  const b = await createPersistentDisk({ id: 'x', persistence });
  assert.equal(b.desc.size, 1 << 20, 'size comes from the metadata');
  await b.close();
});

test('out-of-range requests, read-only disks and no medium give IOERR, never throw', async () => {
  const p = await openPair({ readOnly: true });
  const { disk } = p;
  assert.equal(disk.read(disk.size - 512, new Uint8Array(1024)), DISK_IOERR);
  assert.equal(disk.read(-512, new Uint8Array(512)), DISK_IOERR);
  assert.equal(disk.write(0, new Uint8Array(512)), DISK_IOERR);
  assert.match(disk.lastError, /read-only/);
  assert.equal(disk.discard(0, 4096), DISK_IOERR);
  assert.equal(disk.flush(), DISK_OK);
  await closePair(p);
  const none = await openDisk({ kind: 'none' });
  assert.equal(none.size, 0);
  assert.equal(none.read(0, new Uint8Array(0)), DISK_IOERR);
  assert.equal(none.lastError, 'no medium');
  await none.whenReady();
});
