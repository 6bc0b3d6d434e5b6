// Two threads on one chunk cache: a worker_thread writes (the blk worker's side) while this
// thread's sync loop copies and commits (the UI side), over the in-memory persistence (not
// IndexedDB). Every committed chunk must be whole: one byte value throughout, never a mix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { memoryPersistence } from '../persistence.js';
import { createPersistentDisk } from '../persistent_disk.js';

async function race({ id, chunks, cs, cacheMiB, writes }) {
  let torn = 0;
  let committed = 0;
  const persistence = memoryPersistence({
    beforeCommit: async (entries) => {
      for (const [, v] of entries) {
        const b = new Uint8Array(v);
        committed++;
        if (b.some((x) => x !== b[0])) torn++;
      }
      await new Promise((r) => setImmediate(r)); // give the writer time to race the next copy
    },
  });
  const handle = await createPersistentDisk({ id, sizeBytes: chunks * cs, chunkSize: cs, cacheMiB, persistence });
  const w = new Worker(new URL('./torn_writer.js', import.meta.url), { workerData: { desc: handle.desc, writes, chunks } });
  const result = await new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  await w.terminate();
  assert.equal(torn, 0, `torn chunks committed (of ${committed})`);
  assert.ok(committed >= chunks, 'the sync loop stored chunks while the writer ran');
  // The writer's last flush returned OK: every chunk's last value is committed.
  const stored = await persistence.getChunks(id, [...Array(chunks).keys()]);
  stored.forEach((v, c) => assert.equal(new Uint8Array(v)[0], result.last[c], `chunk ${c}`));
  console.log(`# ${id}: ${committed} chunks committed, ${handle.sync.tornSkips} copies dropped as torn, writer waited ${result.pendings} times`);
  await handle.close();
  return { ...result, tornSkips: handle.sync.tornSkips };
}

test('cache smaller than the disk: the writer waits for slots, no torn chunk, flush covers all (two threads, in-memory persistence)', async () => {
  const r = await race({ id: 'evict', chunks: 48, cs: 64 << 10, cacheMiB: 1, writes: 3000 });
  assert.ok(r.pendings > 0, 'the writer waited for the sync loop (cache full of dirty chunks, flushes)');
});

test('writer rewriting cached chunks while they are copied: torn copies are dropped, never committed (two threads, in-memory persistence)', async () => {
  // 4 chunks of 1 MiB in a 16-slot cache: copies (1 MiB) overlap rewrites all the time.
  await race({ id: 'hot', chunks: 4, cs: 1 << 20, cacheMiB: 16, writes: 4000 });
});
