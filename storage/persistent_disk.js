// The UI side of persistent disks: creates a disk (metadata, Web Lock, shared cache, sync
// loop) and hands back a descriptor for the blk worker's openDisk; lists, deletes, resets and
// exports stored disks; asks the browser about quota and persistence. See storage/README.md.
import * as C from './cache_layout.js';
import { DEFAULT_DB, StorageUnavailableError, idbPersistence } from './persistence.js';
import { BlobSource, RangeSource, fetchWhole, probeUrl } from './base_source.js';
import { SyncLoop } from './idb_sync.js';

export const DEFAULT_CHUNK_SIZE = 256 << 10; // docs/storage.md: why 256 KiB
export const DEFAULT_CACHE_MIB = 64;
const MIN_SLOTS = 16; // a request up to (slots - a few) chunks must fit at once
const LOCK_PREFIX = 'tabvm-disk-';

export class DiskInUseError extends Error {
  constructor(id) {
    super(`disk "${id}" is in use in another tab (close it there first)`);
    this.name = 'DiskInUseError';
  }
}

// Without the Web Locks API (Node), locks are only exclusive within this process.
const localLocks = new Set();

/** Takes the disk's lock without waiting; resolves to a release function or throws DiskInUseError. */
export function lockDisk(id, locks = globalThis.navigator?.locks) {
  const name = LOCK_PREFIX + id;
  if (!locks) {
    if (localLocks.has(name)) return Promise.reject(new DiskInUseError(id));
    localLocks.add(name);
    return Promise.resolve(() => localLocks.delete(name));
  }
  return new Promise((resolve, reject) => {
    locks.request(name, { ifAvailable: true }, (lock) => {
      if (!lock) {
        reject(new DiskInUseError(id));
        return undefined;
      }
      // The lock is held until this promise settles, i.e. until release() is called (or the
      // tab goes away, which frees it for the next tab).
      return new Promise((release) => resolve(release));
    }).catch(reject);
  });
}

async function openPersistence(o) {
  if (o.persistence) return o.persistence;
  let p;
  try {
    p = idbPersistence(o.dbName ?? DEFAULT_DB);
    await p.ready();
  } catch (e) {
    throw e instanceof StorageUnavailableError ? e : new StorageUnavailableError(`IndexedDB unavailable: ${e.message}`);
  }
  return p;
}

const absolute = (url) => new URL(url, globalThis.location?.href).href;

/** Turns the caller's base into { desc (for the worker), info (for the metadata), size }. */
async function resolveBase(base, o) {
  if (!base) return { desc: null, info: null, size: 0 };
  if (base.kind === 'blob') {
    const b = base.blob;
    return { desc: { kind: 'blob', blob: b }, info: { kind: 'blob', name: b.name ?? '', size: b.size }, size: b.size };
  }
  if (base.kind !== 'url') throw new Error(`unknown base kind ${base.kind}`);
  const url = absolute(base.url);
  const progress = (got, total) => o.onProgress?.('downloading', total ? got / total : 0, { got, total });
  if (base.lazy) {
    const probe = await probeUrl(url, { fetch: o.fetch, retry: o.retry });
    // The descriptor is posted to the worker: only plain numbers from the retry options.
    const retry = o.retry && { retries: o.retry.retries, backoffMs: o.retry.backoffMs, maxBackoffMs: o.retry.maxBackoffMs };
    if (probe.ranges) return { desc: { kind: 'range', url, size: probe.size, etag: probe.etag, retry }, info: { kind: 'url', url, size: probe.size }, size: probe.size };
    o.onNote?.(`${url}: ${probe.reason}; downloading the whole image instead of streaming it`);
    const blob = await fetchWhole(url, { fetch: o.fetch, response: probe.response, onProgress: progress, retry: o.retry });
    return { desc: { kind: 'blob', blob }, info: { kind: 'url', url, size: blob.size }, size: blob.size };
  }
  const blob = await fetchWhole(url, { fetch: o.fetch, onProgress: progress, retry: o.retry });
  return { desc: { kind: 'blob', blob }, info: { kind: 'url', url, size: blob.size }, size: blob.size };
}

function sameBase(a, b) {
  if (!a || !b) return !a && !b;
  return a.kind === b.kind && a.size === b.size && (a.kind === 'url' ? a.url === b.url : a.name === b.name);
}

/**
 * Opens (or creates) a persistent disk.
 * @param {object} o
 * @param {string} o.id
 * @param {number} [o.sizeBytes]  default: the base's size rounded up to 512; fixed once created
 * @param {{kind: 'url', url: string, lazy?: boolean} | {kind: 'blob', blob: Blob} | null} [o.base]
 * @param {boolean} [o.readOnly]
 * @param {number} [o.cacheMiB]  chunk cache budget (default 64)
 * @param {number} [o.chunkSize]  bytes, power of two, 4 KiB..16 MiB; only used when creating
 * @param {string} [o.serial]
 * @param {Array<[number, number]>} [o.prefetch]  base ranges [offset, length] to fetch ahead
 *   (a boot's known reads, images.json's bootReads: chunked_disk.js prefetch)
 * @param {string} [o.dbName]
 * @param {(stage: string, fraction: number, detail?: object) => void} [o.onProgress]
 * @param {(message: string) => void} [o.onError]  a commit failed (quota, IndexedDB)
 * @param {(state: 'saved'|'saving'|'error') => void} [o.onSyncState]
 * @param {(note: string) => void} [o.onNote]  e.g. "server ignores Range: downloading whole"
 * @param {object} [o.persistence]  injected (tests); default IndexedDB
 * @param {LockManager} [o.locks]  default navigator.locks
 * @param {typeof fetch} [o.fetch]  @param {object} [o.retry]  withRetry options
 */
export async function createPersistentDisk(o) {
  if (typeof o.id !== 'string' || !o.id) throw new Error('createPersistentDisk: id must be a non-empty string');
  const persistence = await openPersistence(o);
  const release = await lockDisk(o.id, o.locks);
  try {
    const base = await resolveBase(o.base, o);
    const now = Date.now();
    let meta = await persistence.getMeta(o.id);
    if (meta) {
      if (!sameBase(meta.base, base.info)) {
        throw new Error(`disk "${o.id}" was made over ${meta.base ? `base ${meta.base.url ?? meta.base.name} (${meta.base.size} bytes)` : 'no base'}, not this one: open it with its own base, or reset/delete it`);
      }
      if (o.sizeBytes !== undefined && o.sizeBytes !== meta.size) throw new Error(`disk "${o.id}" is ${meta.size} bytes, not ${o.sizeBytes}`);
      meta = { ...meta, lastUsed: now };
    } else {
      const size = o.sizeBytes ?? Math.ceil(base.size / 512) * 512;
      const chunkSize = o.chunkSize ?? DEFAULT_CHUNK_SIZE;
      if (!(size > 0) || size % 512) throw new Error(`disk size must be a positive multiple of 512 bytes, not ${size}`);
      if (!(chunkSize >= 4096 && chunkSize <= (16 << 20) && (chunkSize & (chunkSize - 1)) === 0)) throw new Error(`chunk size must be a power of two from 4 KiB to 16 MiB, not ${chunkSize}`);
      if (size / chunkSize > 2 ** 31 - 1) throw new Error('disk too large for its chunk size');
      const serial = (o.serial ?? `tabvm-${o.id}`).replace(/[^\x20-\x7e]/g, '').slice(0, 20);
      meta = { id: o.id, size, chunkSize, base: base.info, serial, created: now, lastUsed: now };
    }
    await persistence.putMeta(meta);
    const slots = Math.max(MIN_SLOTS, Math.floor(((o.cacheMiB ?? DEFAULT_CACHE_MIB) * 2 ** 20) / meta.chunkSize));
    const { ctrl, data } = C.allocCache(slots, meta.chunkSize);
    const desc = {
      kind: 'chunked', id: o.id, size: meta.size, chunkSize: meta.chunkSize, readOnly: !!o.readOnly,
      serial: meta.serial, ctrl, data, dbName: o.dbName ?? DEFAULT_DB, base: base.desc,
      prefetch: base.desc && Array.isArray(o.prefetch) ? o.prefetch : undefined,
    };
    return new DiskHandle({ o, meta, desc, persistence, release });
  } catch (e) {
    release();
    throw e;
  }
}

class DiskHandle {
  constructor({ o, meta, desc, persistence, release }) {
    Object.assign(this, { id: meta.id, meta, desc, persistence, release });
    this.views = C.cacheViews(desc.ctrl, desc.data);
    this.lastError = '';
    this.sync = new SyncLoop({
      id: meta.id, size: meta.size, ctrl: desc.ctrl, data: desc.data, persistence,
      onState: (state, message) => {
        if (state === 'error') {
          this.lastError = message;
          o.onError?.(message);
        }
        o.onSyncState?.(state);
      },
    }).start();
    this.closed = false;
  }

  /** Counters since the disk was opened. */
  stats() {
    const { stats: st, words: w, slots } = this.views;
    let cached = 0;
    for (let s = 0; s < slots; s++) if (w[C.slotWord(s, C.S_CHUNK)] >= 0) cached++;
    const n = (i) => Number(Atomics.load(st, i));
    return {
      bytesFetched: n(C.ST_FETCHED_BYTES), baseRequests: n(C.ST_RANGE_REQUESTS), retries: n(C.ST_RETRIES),
      idbBytesRead: n(C.ST_IDB_READ_BYTES), idbBytesWritten: n(C.ST_IDB_WRITTEN),
      syncCount: n(C.ST_SYNC_COUNT), lastSyncMs: n(C.ST_LAST_SYNC_US) / 1000,
      chunksCached: cached, dirtyChunks: this.sync.dirtySlots(), cacheSlots: slots,
      reads: n(C.ST_GUEST_READS), writes: n(C.ST_GUEST_WRITES),
      writeGen: Atomics.load(w, C.G_WRITE_GEN), durableGen: Atomics.load(w, C.G_DURABLE_GEN),
    };
  }

  /** 'saved' (nothing waiting for IndexedDB), 'saving', or 'error' (see lastError). */
  syncState() {
    return this.sync.state();
  }

  /** Chunk c's bytes if the cache holds them (dirty or clean), read under the seqlock; else null. */
  readCached(c) {
    const { words: w, slots, bytes, chunkSize: cs } = this.views;
    for (let s = 0; s < slots; s++) {
      if (Atomics.load(w, C.slotWord(s, C.S_CHUNK)) !== c) continue;
      for (let tries = 0; tries < 100; tries++) {
        const v = Atomics.load(w, C.slotWord(s, C.S_VERSION));
        if (v & 1) continue;
        const copy = bytes.slice(s * cs, s * cs + Math.min(cs, this.meta.size - c * cs));
        if (Atomics.load(w, C.slotWord(s, C.S_VERSION)) === v && Atomics.load(w, C.slotWord(s, C.S_CHUNK)) === c) return copy;
        if (Atomics.load(w, C.slotWord(s, C.S_CHUNK)) !== c) break;
      }
    }
    return null;
  }

  /** The disk as a raw image stream (base + overlay + what is still only in the cache). */
  exportImage(opts = {}) {
    return exportStream(this.meta, this.desc.base, this.persistence, (c) => this.readCached(c), opts);
  }

  /** Stores what is dirty (call after the blk worker closed its disk), then frees everything. */
  async close() {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.sync.stop();
      await this.persistence.putMeta({ ...this.meta, lastUsed: Date.now() });
    } finally {
      this.release();
    }
  }
}

function exportStream(meta, baseDesc, persistence, fromCache, { fetch } = {}) {
  const cs = meta.chunkSize;
  const count = Math.ceil(meta.size / cs);
  const src = !baseDesc ? null : baseDesc.kind === 'blob' ? new BlobSource(baseDesc.blob) : new RangeSource({ ...baseDesc, fetch });
  const batch = Math.max(1, Math.floor((4 << 20) / cs)); // ~4 MiB in memory per pull
  let c = 0;
  return new ReadableStream({
    async pull(ctl) {
      if (c >= count) {
        ctl.close();
        return;
      }
      const idx = [];
      for (let i = c; i < Math.min(count, c + batch); i++) idx.push(i);
      c += idx.length;
      const stored = await persistence.getChunks(meta.id, idx);
      for (let k = 0; k < idx.length; k++) {
        const i = idx[k];
        const len = Math.min(cs, meta.size - i * cs);
        let out = fromCache?.(i);
        if (!out && stored[k] !== undefined) out = stored[k] === 0 ? new Uint8Array(len) : new Uint8Array(stored[k], 0, len);
        if (!out && src && i * cs < src.size) {
          out = new Uint8Array(len);
          out.set(await src.read(i * cs, Math.min(len, src.size - i * cs)));
        }
        ctl.enqueue(out ?? new Uint8Array(len));
      }
    },
  }, { highWaterMark: 1 });
}

/** Stored disks: [{ id, size, chunkSize, base, serial, created, lastUsed, chunksStored, bytesStored }]. */
export async function listDisks(o = {}) {
  const p = await openPersistence(o);
  const metas = await p.listMeta();
  // bytesStored counts zero markers as whole chunks: an upper bound, without reading the data.
  return Promise.all(metas.map(async (m) => {
    const n = await p.countChunks(m.id);
    return { ...m, chunksStored: n, bytesStored: n * m.chunkSize };
  }));
}

async function whileLocked(id, o, fn) {
  const p = await openPersistence(o);
  const release = await lockDisk(id, o.locks);
  try {
    return await fn(p);
  } finally {
    release();
  }
}

/** Deletes a disk's overlay and metadata. Refused while the disk is open (any tab). */
export function deleteDisk(id, o = {}) {
  return whileLocked(id, o, (p) => p.deleteDisk(id));
}

/** Drops the overlay: the disk reads as its base again. Refused while the disk is open. */
export function resetDisk(id, o = {}) {
  return whileLocked(id, o, (p) => p.clearChunks(id));
}

/**
 * A closed disk as a raw image: a ReadableStream (bounded memory; `new Response(s).blob()`
 * makes a Blob). A disk made over a Blob needs it again: o.blob. A URL base is read with Range.
 */
export async function exportDisk(id, o = {}) {
  const p = await openPersistence(o);
  const release = await lockDisk(id, o.locks);
  const meta = await p.getMeta(id);
  if (!meta) {
    release();
    throw new Error(`no stored disk "${id}"`);
  }
  let baseDesc = null;
  if (meta.base?.kind === 'url') baseDesc = { kind: 'range', url: meta.base.url, size: meta.base.size };
  if (meta.base?.kind === 'blob') {
    if (!o.blob || o.blob.size !== meta.base.size) {
      release();
      throw new Error(`disk "${id}" was made over the file ${meta.base.name} (${meta.base.size} bytes): pass it as { blob }`);
    }
    baseDesc = { kind: 'blob', blob: o.blob };
  }
  const inner = exportStream(meta, baseDesc, p, null, o).getReader();
  // Hold the lock until the stream ends, so nobody changes the disk under the export.
  return new ReadableStream({
    async pull(ctl) {
      try {
        const { done, value } = await inner.read();
        if (done) {
          release();
          ctl.close();
        } else {
          ctl.enqueue(value);
        }
      } catch (e) {
        release();
        ctl.error(e);
      }
    },
    cancel() {
      release();
      return inner.cancel();
    },
  }, { highWaterMark: 1 });
}

/** navigator.storage.estimate(): { usage, quota } in bytes, or null where unsupported. */
export async function estimate() {
  return globalThis.navigator?.storage?.estimate ? navigator.storage.estimate() : null;
}

/** Asks the browser not to evict this origin's storage under pressure; true if granted. */
export async function persist() {
  const s = globalThis.navigator?.storage;
  if (!s?.persist) return false;
  return (await s.persisted?.()) || s.persist();
}
