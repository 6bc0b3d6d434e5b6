// The storage test page: window.T drives persistent disks from the page (UI side) and a blk
// stand-in worker (disk side), for storage.spec.js and run.js.
import { createPersistentDisk, deleteDisk, estimate, exportDisk, listDisks, resetDisk } from '../../persistent_disk.js';
import { idbPersistence } from '../../persistence.js';
import { pattern } from './pattern.js';

const disks = new Map(); // id -> { handle, call, worker, errors, notes }

function spawn() {
  const worker = new Worker(new URL('./blk_stub_worker.js', import.meta.url), { type: 'module' });
  let seq = 0;
  const waiting = new Map();
  const ready = new Promise((resolve, reject) => {
    worker.onerror = (e) => reject(new Error(`worker: ${e.message}`));
    worker.onmessage = ({ data }) => {
      if (data.ready) return resolve();
      const w = waiting.get(data.id);
      waiting.delete(data.id);
      if (data.error) w.reject(new Error(data.error));
      else w.resolve(data.result);
    };
  });
  const call = (op, ...args) => new Promise((resolve, reject) => {
    waiting.set(++seq, { resolve, reject });
    worker.postMessage({ id: seq, op, args });
  });
  return { worker, call, ready };
}

// Records, for each commit, the durable generation seen just before and just after the
// IndexedDB transaction finished: a flush must not see its generation durable before.
function observedPersistence() {
  const p = idbPersistence();
  const log = [];
  return {
    log,
    p: {
      ...p,
      async commit(id, entries, opts) {
        // Chromium 156 headless enforces neither a CDP quota override nor a storage bucket's
        // quota on IndexedDB, so the quota test makes the browser's own exception here.
        if (T.failQuota) throw new DOMException('The quota has been exceeded (test)', 'QuotaExceededError');
        const rec = { id, chunks: entries.length, durability: opts?.durability, before: T.durable(id) };
        await p.commit(id, entries, opts);
        rec.after = T.durable(id);
        log.push(rec);
      },
    },
  };
}

const T = {
  failQuota: false,
  async open(id, o = {}) {
    const errors = [];
    const notes = [];
    const obs = observedPersistence();
    const handle = await createPersistentDisk({
      id, sizeBytes: o.sizeBytes, chunkSize: o.chunkSize, cacheMiB: o.cacheMiB ?? 8,
      base: o.baseUrl ? { kind: 'url', url: o.baseUrl, lazy: o.lazy ?? true } : null,
      persistence: obs.p, onError: (m) => errors.push(m), onNote: (n) => notes.push(n),
    });
    const w = spawn();
    await w.ready;
    const info = await w.call('open', handle.desc);
    disks.set(id, { handle, ...w, errors, notes, commits: obs.log });
    return info;
  },
  durable: (id) => disks.get(id)?.handle.stats().durableGen,
  call: (id, op, ...args) => disks.get(id).call(op, ...args),
  async readCheck(id, offset, length, seed) {
    const { st, bytes } = await T.call(id, 'read', offset, length);
    if (st !== 0) return { st, ok: false };
    for (let i = 0; i < length; i++) {
      const want = seed === null ? 0 : seed === 'image' ? ((offset + i) * 7 + ((offset + i) >> 12)) & 255 : pattern(seed, offset, i);
      if (bytes[i] !== want) return { st, ok: false, at: offset + i, got: bytes[i], want };
    }
    return { st, ok: true };
  },
  info(id) {
    const d = disks.get(id);
    return { stats: d.handle.stats(), state: d.handle.syncState(), errors: d.errors, notes: d.notes, commits: d.commits };
  },
  async close(id) {
    const d = disks.get(id);
    await d.call('close');
    await d.handle.close();
    d.worker.terminate();
    disks.delete(id);
  },
  /** Reads one stored chunk through a fresh IndexedDB connection (what a reload would see). */
  async storedChunk(id, index) {
    const p = idbPersistence();
    const [v] = await p.getChunks(id, [index]);
    await p.close();
    return v === undefined ? 'none' : v === 0 ? 'zero' : Array.from(new Uint8Array(v, 0, 16));
  },
  list: () => listDisks(),
  del: (id) => deleteDisk(id),
  reset: (id) => resetDisk(id),
  /** Exports the closed disk; regions [[start, length, seed]] were written, the rest is the
   * test image (background 'image') or zeros. */
  async exportCheck(id, regions, background = 'zero') {
    const reader = (await exportDisk(id)).getReader();
    const want = (at) => {
      for (const [start, len, seed] of regions) if (at >= start && at < start + len) return pattern(seed, start, at - start);
      return background === 'image' ? (at * 7 + (at >> 12)) & 255 : 0;
    };
    let off = 0;
    let bad = null;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (let i = 0; i < value.length && !bad; i++) {
        if (value[i] !== want(off + i)) bad = { at: off + i, got: value[i], want: want(off + i) };
      }
      off += value.length;
    }
    return { bytes: off, bad };
  },
  estimate,
};
window.T = T;
window.pattern = pattern;
document.getElementById('status').textContent = 'ready';
