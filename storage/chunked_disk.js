// The worker side of a chunked copy-on-write disk: a read-only base (or none: zeros) under an
// overlay of the guest's writes, in fixed-size chunks, through a bounded chunk cache in shared
// memory (cache_layout.js). The UI thread's sync loop (idb_sync.js) stores dirty chunks; this
// side never writes IndexedDB and never blocks: whatever is not in memory yet makes the call
// return DISK_PENDING, starts the work, and the caller retries the same call after whenReady().
import { DISK_IOERR, DISK_OK, DISK_PENDING } from './disk_status.js';
import * as C from './cache_layout.js';
import { openBaseSource } from './base_source.js';

const OVERLAY_DATA = 1; // the overlay holds this chunk (IndexedDB or dirty in the cache)
const OVERLAY_ZERO = 2; // the chunk was zeroed as a whole: reads give zeros without a lookup
const MAX_RUN_BYTES = 4 << 20; // one base request covers at most this many adjacent chunks
// A large read (a streaming guest: dd, cp) that continues the previous one and misses also
// fetches up to this many following chunks in the same request (one IndexedDB getMany, one
// Range request): a sequential scan then waits once per READAHEAD_CHUNKS chunks instead of once
// per guest request. Small reads (booting, page faults) fetch only what they touch, so a lazily
// streamed image downloads no more than the guest reads.
const READAHEAD_CHUNKS = 8;
const READAHEAD_MIN_BYTES = 256 << 10;
const SYNC_WAIT_MS = 1000; // safety net only: the sync loop's notify normally wakes us at once

export class ChunkedDisk {
  /**
   * @param {object} o
   * @param {string} o.id
   * @param {number} o.size
   * @param {boolean} o.readOnly
   * @param {string} o.serial
   * @param {SharedArrayBuffer} o.ctrl  @param {SharedArrayBuffer} o.data   (cache_layout.js)
   * @param {object} o.persistence  reads overlay chunks (persistence.js)
   * @param {{size: number, read: (off: number, len: number) => Promise<Uint8Array>}|null} o.base
   * @param {number[]} o.overlayIndices  chunks the overlay holds
   */
  constructor(o) {
    const v = C.cacheViews(o.ctrl, o.data);
    Object.assign(this, { id: o.id, size: o.size, readOnly: !!o.readOnly, persistence: o.persistence, base: o.base ?? null });
    this.serial = String(o.serial ?? '').replace(/[^\x20-\x7e]/g, '').slice(0, 20);
    this.words = v.words;
    this.stats = v.stats;
    this.bytes = v.bytes;
    this.slots = v.slots;
    this.cs = v.chunkSize;
    this.slotOf = new Map(); // chunk -> slot
    this.ref = new Uint8Array(this.slots); // CLOCK reference bits
    this.hand = 0;
    this.overlay = new Map((o.overlayIndices ?? []).map((i) => [i, OVERLAY_DATA]));
    this.staged = new Map(); // chunk -> Uint8Array | null (zeros): loaded, not (yet) in a slot
    this.loading = new Set(); // chunks being loaded
    this.failed = new Map(); // chunk -> message of a failed load, reported once
    this.pinLo = 0;
    this.pinHi = -1; // chunks [pinLo, pinHi] belong to the call in progress: not evicted by it
    this.waiters = [];
    this.syncSeen = null; // G_SYNC_SEQ value we wait to change, or null
    this.syncArmed = false;
    this.attempt = null; // { key, seq }: a call waiting for the sync loop (turns a lasting error into IOERR)
    this.lastError = '';
    this.closed = false;
    this.nextSequential = -1; // the chunk after the last read: a read starting there is sequential
    this.adoptSlots();
  }

  // A restarted worker gets the same cache: keep what it holds, dirty chunks included, so a
  // crashed blk worker loses nothing the UI thread has not stored yet.
  adoptSlots() {
    const w = this.words;
    for (let s = 0; s < this.slots; s++) {
      const c = w[C.slotWord(s, C.S_CHUNK)];
      if (c < 0) continue;
      const ver = Atomics.load(w, C.slotWord(s, C.S_VERSION));
      if (ver & 1) Atomics.store(w, C.slotWord(s, C.S_VERSION), ver + 1); // a write cut short
      this.slotOf.set(c, s);
      if (!this.isClean(s)) this.overlay.set(c, OVERLAY_DATA);
    }
  }

  // ---- the disk interface (open_disk.js) ----

  read(offset, dst) {
    const bad = this.precheck(offset, dst?.length, dst instanceof Uint8Array);
    if (bad !== null) return bad;
    if (dst.length === 0) return DISK_OK;
    const [c0, c1] = this.pin(offset, dst.length);
    let missing = null;
    for (let c = c0; c <= c1; c++) {
      if (this.failed.has(c)) return this.failLoad(c);
      if (!this.slotOf.has(c) && !this.staged.has(c) && !this.knownZero(c)) (missing ??= []).push(c);
    }
    const sequential = dst.length >= READAHEAD_MIN_BYTES && (c0 === this.nextSequential || c0 === this.nextSequential - 1);
    if (missing) return this.load(sequential ? this.withReadahead(missing, c1) : missing);
    this.nextSequential = c1 + 1;
    const end = offset + dst.length;
    for (let c = c0; c <= c1; c++) {
      const lo = Math.max(offset, c * this.cs);
      const hi = Math.min(end, c * this.cs + this.chunkLen(c));
      const piece = dst.subarray(lo - offset, hi - offset);
      const s = this.slotOf.get(c);
      if (s !== undefined) {
        this.ref[s] = 1;
        const at = s * this.cs + lo - c * this.cs;
        piece.set(this.bytes.subarray(at, at + piece.length));
      } else if (this.staged.has(c)) {
        const b = this.staged.get(c);
        if (b) piece.set(b.subarray(lo - c * this.cs, hi - c * this.cs));
        else piece.fill(0);
        this.installStaged(c); // keeps it for the next read if a slot is free, else drops it
      } else {
        piece.fill(0);
      }
    }
    C.addStat(this.stats, C.ST_GUEST_READS, 1);
    return this.done();
  }

  write(offset, src) {
    const bad = this.precheck(offset, src?.length, src instanceof Uint8Array) ?? this.writable();
    if (bad !== null) return bad;
    if (src.length === 0) return DISK_OK;
    const [c0, c1] = this.pin(offset, src.length);
    if (c1 - c0 + 1 > this.slots) return this.fail(`write of ${src.length} bytes spans more chunks than the cache holds (${this.slots})`);
    const end = offset + src.length;
    let missing = null;
    let need = 0;
    for (let c = c0; c <= c1; c++) {
      if (this.failed.has(c)) return this.failLoad(c);
      if (this.slotOf.has(c)) continue;
      if (this.whole(c, offset, end) || this.staged.has(c) || this.knownZero(c)) need++;
      else (missing ??= []).push(c);
    }
    if (missing) return this.load(missing);
    if (!this.reserve(need)) return this.waitForSync(`write:${offset}:${src.length}`);
    // Every chunk is at hand and enough slots are free: nothing below can fail, so the call
    // either changed nothing (PENDING above) or everything (idempotent when retried).
    for (let c = c0; c <= c1; c++) {
      const lo = Math.max(offset, c * this.cs);
      const hi = Math.min(end, c * this.cs + this.chunkLen(c));
      const s = this.slotOf.get(c) ?? this.claim(c, this.whole(c, offset, end) ? 'none' : 'fill');
      const at = s * this.cs + lo - c * this.cs;
      this.change(s, () => this.bytes.set(src.subarray(lo - offset, hi - offset), at));
      this.overlay.set(c, OVERLAY_DATA);
    }
    this.wrote();
    C.addStat(this.stats, C.ST_GUEST_WRITES, 1);
    return this.done();
  }

  /** After writeZeroes the range reads as zeros. */
  writeZeroes(offset, length) {
    return this.zeroRange(offset, length, true);
  }

  /** Whole chunks in the range are dropped (stored as zero markers); partial ones are left. */
  discard(offset, length) {
    return this.zeroRange(offset, length, false);
  }

  flush() {
    if (this.closed) return this.fail('disk closed');
    if (this.readOnly) return DISK_OK;
    const w = this.words;
    const seq = Atomics.load(w, C.G_SYNC_SEQ); // before the test: a pass ending after it wakes us
    const gen = Atomics.load(w, C.G_WRITE_GEN);
    if (C.genAtLeast(Atomics.load(w, C.G_DURABLE_GEN), gen)) return this.done();
    if (!C.genAtLeast(Atomics.load(w, C.G_FLUSH_REQ), gen)) Atomics.store(w, C.G_FLUSH_REQ, gen);
    return this.waitForSync(`flush:${gen}`, seq);
  }

  /** Resolves when a call that returned PENDING may succeed; never rejects. */
  whenReady() {
    if (this.loading.size === 0 && this.syncSeen === null) return Promise.resolve();
    const p = new Promise((resolve) => this.waiters.push(resolve));
    if (this.syncSeen !== null && !this.syncArmed) {
      this.syncArmed = true;
      // Under Node a pending waitAsync does not keep a worker_thread alive; this timer does
      // (in a page it is idle: the sync loop's notify ends the wait first).
      const keepAlive = setTimeout(() => {}, SYNC_WAIT_MS + 50);
      const done = () => {
        clearTimeout(keepAlive);
        this.syncArmed = false;
        this.syncSeen = null;
        this.wake();
      };
      const r = Atomics.waitAsync(this.words, C.G_SYNC_SEQ, this.syncSeen, SYNC_WAIT_MS);
      if (r.async) r.value.then(done);
      else done();
    }
    return p;
  }

  async close() {
    if (this.closed) return;
    while (!this.readOnly) {
      const st = this.flush();
      if (st !== DISK_PENDING) break;
      await this.whenReady();
    }
    this.closed = true;
    this.staged.clear();
    this.wake();
  }

  // ---- helpers ----

  chunkLen(c) {
    return Math.min(this.cs, this.size - c * this.cs);
  }

  whole(c, start, end) {
    return start <= c * this.cs && end >= c * this.cs + this.chunkLen(c);
  }

  /** Reads as zeros without a lookup: never written and no base, or zeroed as a whole. */
  /** missing plus the chunks after c1 that no one has or is fetching (bounded staging). */
  withReadahead(missing, c1) {
    if (this.staged.size >= 2 * READAHEAD_CHUNKS) return missing;
    const more = [];
    const last = Math.min(c1 + READAHEAD_CHUNKS, Math.ceil(this.size / this.cs) - 1);
    for (let c = c1 + 1; c <= last; c++) {
      if (this.slotOf.has(c) || this.staged.has(c) || this.loading.has(c) || this.knownZero(c) || this.failed.has(c)) break;
      more.push(c);
    }
    return more.length ? [...missing, ...more] : missing;
  }

  knownZero(c) {
    const ov = this.overlay.get(c);
    return ov === OVERLAY_ZERO || (ov === undefined && !this.base);
  }

  isClean(s) {
    const w = this.words;
    return Atomics.load(w, C.slotWord(s, C.S_STORED)) === Atomics.load(w, C.slotWord(s, C.S_VERSION));
  }

  precheck(offset, length, typed = true) {
    if (this.closed) return this.fail('disk closed');
    if (!typed || !Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > this.size) {
      return this.fail(`request out of range: offset ${offset} length ${length} on a ${this.size}-byte disk`);
    }
    return null;
  }

  writable() {
    return this.readOnly ? this.fail('read-only disk') : null;
  }

  pin(offset, length) {
    this.pinLo = Math.floor(offset / this.cs);
    this.pinHi = Math.floor((offset + length - 1) / this.cs);
    return [this.pinLo, this.pinHi];
  }

  done() {
    this.pinHi = this.pinLo - 1;
    this.attempt = null;
    return DISK_OK;
  }

  fail(msg) {
    this.lastError = msg;
    this.pinHi = this.pinLo - 1;
    this.attempt = null;
    return DISK_IOERR;
  }

  failLoad(c) {
    const msg = this.failed.get(c);
    this.failed.clear(); // reported once; the next request tries again
    return this.fail(msg);
  }

  /** Runs fn (which changes slot s's bytes) inside the slot's seqlock: version odd meanwhile. */
  change(s, fn) {
    const i = C.slotWord(s, C.S_VERSION);
    const v = Atomics.load(this.words, i);
    Atomics.store(this.words, i, (v + 1) | 0);
    fn();
    Atomics.store(this.words, i, (v + 2) | 0);
    this.ref[s] = 1;
  }

  /** One completed write: the sync loop has work. */
  wrote() {
    Atomics.add(this.words, C.G_WRITE_GEN, 1);
    Atomics.add(this.words, C.G_DIRTY_SEQ, 1);
    Atomics.notify(this.words, C.G_DIRTY_SEQ);
  }

  /** A free or clean slot outside the pinned chunks, by CLOCK; -1 if every one is dirty. */
  victim() {
    const w = this.words;
    for (let n = 0; n < 2 * this.slots; n++) {
      const s = this.hand;
      this.hand = (this.hand + 1) % this.slots;
      const c = w[C.slotWord(s, C.S_CHUNK)];
      if (c < 0) return s;
      if ((c >= this.pinLo && c <= this.pinHi) || !this.isClean(s)) continue;
      if (this.ref[s]) {
        this.ref[s] = 0;
        continue;
      }
      return s;
    }
    return -1;
  }

  reserve(n) {
    if (n === 0) return true;
    const w = this.words;
    let free = 0;
    for (let s = 0; s < this.slots && free < n; s++) {
      const c = w[C.slotWord(s, C.S_CHUNK)];
      if (c < 0 || (!(c >= this.pinLo && c <= this.pinHi) && this.isClean(s))) free++;
    }
    return free >= n;
  }

  /**
   * Gives chunk c a clean slot. init: 'fill' = its current contents (staged, or zeros),
   * 'zero', or 'none' (the caller overwrites all of it). The slot stays clean: its stored
   * version is moved along with the version, before the version becomes even again, so the
   * sync loop never mistakes a load for a write.
   */
  claim(c, init) {
    const s = this.victim();
    if (s < 0) throw new Error('chunk cache: no slot (reserve() should have said so)');
    const w = this.words;
    const old = w[C.slotWord(s, C.S_CHUNK)];
    if (old >= 0) this.slotOf.delete(old);
    const vi = C.slotWord(s, C.S_VERSION);
    const v = Atomics.load(w, vi);
    Atomics.store(w, vi, (v + 1) | 0);
    Atomics.store(w, C.slotWord(s, C.S_CHUNK), c);
    const at = s * this.cs;
    const staged = this.staged.get(c);
    if (init === 'fill' && staged) this.bytes.set(staged, at);
    if ((init === 'fill' && !staged) || init === 'zero') this.bytes.fill(0, at, at + this.cs);
    Atomics.store(w, C.slotWord(s, C.S_STORED), (v + 2) | 0);
    Atomics.store(w, vi, (v + 2) | 0);
    this.staged.delete(c);
    this.slotOf.set(c, s);
    this.ref[s] = 1;
    return s;
  }

  installStaged(c) {
    if (this.reserve(1)) this.claim(c, 'fill');
    else this.staged.delete(c);
  }

  zeroRange(offset, length, exact) {
    const bad = this.precheck(offset, length) ?? this.writable();
    if (bad !== null) return bad;
    if (length === 0) return DISK_OK;
    const end = offset + length;
    const first = Math.floor(offset / this.cs);
    const last = Math.floor((end - 1) / this.cs);
    // Partial chunks at either end: writeZeroes zeroes their part like a write; discard leaves
    // them alone (allowed: discarded data may read as anything).
    const partial = [first, last].filter((c, i, a) => a.indexOf(c) === i && !this.whole(c, offset, end));
    const key = `zero:${offset}:${length}`;
    if (exact && partial.length) {
      this.pinLo = partial[0];
      this.pinHi = partial[partial.length - 1];
      let missing = null;
      let need = 0;
      for (const c of partial) {
        if (this.failed.has(c)) return this.failLoad(c);
        if (this.slotOf.has(c) || this.knownZero(c)) continue;
        if (this.staged.has(c)) need++;
        else (missing ??= []).push(c);
      }
      if (missing) return this.load(missing);
      if (!this.reserve(need)) return this.waitForSync(key);
      for (const c of partial) {
        if (!this.slotOf.has(c) && this.knownZero(c)) continue;
        const lo = Math.max(offset, c * this.cs);
        const hi = Math.min(end, c * this.cs + this.chunkLen(c));
        const s = this.slotOf.get(c) ?? this.claim(c, 'fill');
        const at = s * this.cs + lo - c * this.cs;
        this.change(s, () => this.bytes.fill(0, at, at + hi - lo));
        this.overlay.set(c, OVERLAY_DATA);
      }
    }
    // Whole chunks: not pinned, so the chunks this call zeroed can be evicted once stored and a
    // range larger than the cache still completes over several retries (each zeroed chunk is
    // then OVERLAY_ZERO and skipped).
    this.pinHi = this.pinLo - 1;
    let changed = exact && partial.length > 0;
    for (let c = first; c <= last; c++) {
      if (!this.whole(c, offset, end)) continue;
      let s = this.slotOf.get(c);
      // Zeroed by an earlier try of this call (or before) and not written since: leave it, or
      // every retry would dirty the cache again and a range larger than it never completes.
      if (s !== undefined && this.overlay.get(c) === OVERLAY_ZERO) continue;
      if (s === undefined) {
        if (this.knownZero(c)) continue;
        if (!this.reserve(1)) {
          if (changed) this.wrote();
          return this.waitForSync(key);
        }
        s = this.claim(c, 'zero');
      }
      // Still a change (version bump) when it was loaded as zeros: the overlay's old data for
      // this chunk must be replaced by a zero marker.
      this.change(s, () => this.bytes.fill(0, s * this.cs, (s + 1) * this.cs));
      this.overlay.set(c, OVERLAY_ZERO);
      changed = true;
    }
    if (changed) this.wrote();
    return this.done();
  }

  /**
   * A call must wait for the sync loop (cache full of dirty chunks, or a flush). Wakes the
   * loop and returns PENDING; if the loop reported an error and has run again since this call
   * first waited, the error is lasting: IOERR with its message.
   */
  waitForSync(key, seq = Atomics.load(this.words, C.G_SYNC_SEQ)) {
    const w = this.words;
    const err = Atomics.load(w, C.G_ERROR);
    if (err !== C.E_NONE && this.attempt?.key === key && this.attempt.seq !== seq) {
      return this.fail(`cannot store the disk's data: ${C.ERROR_TEXT[err] ?? `error ${err}`}`);
    }
    if (Atomics.load(w, C.G_STOP)) return this.fail('disk closed before its data was saved');
    if (this.attempt?.key !== key) this.attempt = { key, seq };
    this.syncSeen = seq;
    Atomics.add(w, C.G_DIRTY_SEQ, 1);
    Atomics.notify(w, C.G_DIRTY_SEQ);
    return DISK_PENDING;
  }

  /**
   * Starts fetching, in the background, the ranges a boot of this image is known to read
   * (images.json's bootReads, recorded by scripts/record-boot-reads.js): adjacent chunks go in
   * one request and the requests run in parallel while the kernel starts, instead of one at a
   * time as the guest asks. At most half the cache's worth, so the guest's own reads always
   * find room; a failed prefetch is dropped silently (the guest's read fetches again and reports
   * its own error). Returns the number of chunks requested.
   * @param {Array<[number, number]>} ranges  [offset, length] in bytes
   */
  prefetch(ranges) {
    if (!this.base || !Array.isArray(ranges)) return 0;
    const limit = this.slots >> 1;
    const chunks = new Set();
    for (const r of ranges) {
      const [off, len] = Array.isArray(r) ? r : [];
      if (!Number.isSafeInteger(off) || !Number.isSafeInteger(len) || off < 0 || len <= 0 || off >= this.size) continue;
      const last = Math.floor((Math.min(this.size, off + len) - 1) / this.cs);
      for (let c = Math.floor(off / this.cs); c <= last && chunks.size < limit; c++) chunks.add(c);
    }
    const want = [...chunks].sort((a, b) => a - b)
      .filter((c) => !this.slotOf.has(c) && !this.staged.has(c) && !this.loading.has(c) && !this.knownZero(c));
    if (want.length) this.load(want, { quiet: true });
    return want.length;
  }

  /**
   * Starts loading chunks (overlay from persistence, else base); PENDING until they arrive.
   * quiet: a failure is not recorded against the chunks (a prefetch nobody waits for).
   */
  load(chunks, { quiet = false } = {}) {
    const fromOverlay = [];
    const fromBase = [];
    for (const c of chunks) {
      if (this.loading.has(c)) continue;
      this.loading.add(c);
      (this.overlay.get(c) === OVERLAY_DATA ? fromOverlay : fromBase).push(c);
    }
    if (fromOverlay.length) this.track(fromOverlay, this.loadOverlay(fromOverlay), quiet);
    // Adjacent base chunks go in one request (fewer Range requests for a large read).
    let run = [];
    const flushRun = () => {
      if (run.length) this.track(run, this.loadBase(run), quiet);
      run = [];
    };
    for (const c of fromBase) {
      if (run.length && (c !== run[run.length - 1] + 1 || (run.length + 1) * this.cs > MAX_RUN_BYTES)) flushRun();
      run.push(c);
    }
    flushRun();
    return DISK_PENDING;
  }

  track(chunks, promise, quiet = false) {
    promise.catch((e) => {
      if (quiet) return;
      const msg = e?.message ?? String(e);
      for (const c of chunks) this.failed.set(c, msg);
    }).finally(() => {
      for (const c of chunks) this.loading.delete(c);
      this.wake();
    });
  }

  stage(c, bytes) {
    // A write may have given the chunk a slot meanwhile: the slot is newer than what we read.
    if (!this.slotOf.has(c) && !this.closed) this.staged.set(c, bytes);
  }

  async loadOverlay(chunks) {
    const vals = await this.persistence.getChunks(this.id, chunks);
    chunks.forEach((c, i) => {
      const v = vals[i];
      if (v === undefined) {
        this.overlay.delete(c); // gone (the disk was reset): the base shows through again
      } else if (v === 0) {
        this.stage(c, null);
      } else {
        const b = new Uint8Array(v);
        if (b.length < this.chunkLen(c)) throw new Error(`overlay chunk ${c} of disk ${this.id} is ${b.length} bytes, expected ${this.chunkLen(c)}`);
        C.addStat(this.stats, C.ST_IDB_READ_BYTES, b.length);
        this.stage(c, b);
      }
    });
  }

  async loadBase(run) {
    const off = run[0] * this.cs;
    // The base may be shorter than the disk (an image grown to a larger disk): the rest is zeros.
    const end = Math.min(this.base.size, run[run.length - 1] * this.cs + this.chunkLen(run[run.length - 1]));
    const buf = end > off ? await this.base.read(off, end - off) : new Uint8Array(0);
    for (const c of run) {
      const lo = c * this.cs - off;
      if (lo >= buf.length) {
        this.stage(c, null);
        continue;
      }
      const b = new Uint8Array(this.chunkLen(c));
      b.set(buf.subarray(lo, Math.min(buf.length, lo + b.length)));
      this.stage(c, b);
    }
  }

  wake() {
    const ws = this.waiters;
    this.waiters = [];
    for (const r of ws) r();
  }
}

/**
 * Opens a 'chunked' disk descriptor in the blk worker.
 * @param {object} desc  from createPersistentDisk (persistent_disk.js)
 * @param {{persistence?: object, fetch?: typeof fetch, onNote?: (s: string) => void}} [opts]
 *   persistence: injected by tests; otherwise IndexedDB database desc.dbName
 */
export async function openChunkedDisk(desc, opts = {}) {
  const persistence = opts.persistence ?? (await import('./persistence.js')).idbPersistence(desc.dbName);
  const overlayIndices = await persistence.chunkIndices(desc.id);
  const { stats } = C.cacheViews(desc.ctrl, desc.data);
  const base = openBaseSource(desc.base, {
    fetch: opts.fetch,
    onNote: opts.onNote ?? ((s) => console.warn(`tabvm: disk ${desc.id}: ${s}`)),
    onStat: (kind, n) => C.addStat(stats, kind === 'request' ? C.ST_RANGE_REQUESTS : kind === 'bytes' ? C.ST_FETCHED_BYTES : C.ST_RETRIES, n),
  });
  if (base && desc.base.kind === 'blob') {
    const read = base.read.bind(base);
    base.read = async (off, len) => {
      const b = await read(off, len);
      C.addStat(stats, C.ST_FETCHED_BYTES, len);
      return b;
    };
  }
  const disk = new ChunkedDisk({ ...desc, persistence, base, overlayIndices });
  if (desc.prefetch) disk.prefetch(desc.prefetch);
  return disk;
}
