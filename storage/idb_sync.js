// The UI thread's half of a chunked disk: stores the chunks the blk worker dirtied in the
// shared cache (cache_layout.js) into the persistence (IndexedDB in the page), one transaction
// per pass, and publishes what is stored back into shared memory. docs/storage.md describes the
// handshake; in short:
//   worker: write bytes under the slot's seqlock, WRITE_GEN += 1, DIRTY_SEQ += 1, notify
//   here:   gen = WRITE_GEN; copy every dirty slot (skip one whose version moved: never torn);
//           commit; then STORED = copied version per slot; DURABLE_GEN = gen if nothing was
//           skipped; SYNC_SEQ += 1, notify.
// It sleeps in Atomics.waitAsync on DIRTY_SEQ, not on a timer: background tabs throttle timers,
// but a waitAsync resolved by another thread's notify runs promptly.
import * as C from './cache_layout.js';
import { classifyError } from './persistence.js';
import { yieldToEventLoop } from '../shared/threads.js';

const ERROR_RETRY_MS = 5000; // after a failed commit, try again on the next write or after this

function allZero(u8) {
  const w = new Int32Array(u8.buffer, u8.byteOffset, u8.length >> 2);
  for (let i = 0; i < w.length; i++) if (w[i] !== 0) return false;
  for (let i = w.length << 2; i < u8.length; i++) if (u8[i] !== 0) return false;
  return true;
}

export class SyncLoop {
  /**
   * @param {object} o
   * @param {string} o.id  disk id
   * @param {number} o.size  disk size (the last chunk may be short)
   * @param {SharedArrayBuffer} o.ctrl  @param {SharedArrayBuffer} o.data
   * @param {object} o.persistence  persistence.js interface
   * @param {number} [o.maxTxBytes]  one transaction carries at most this much (memory bound)
   * @param {(state: 'saved'|'saving'|'error', message?: string) => void} [o.onState]
   */
  constructor(o) {
    const v = C.cacheViews(o.ctrl, o.data);
    Object.assign(this, { id: o.id, size: o.size, persistence: o.persistence, ...v });
    this.cs = v.chunkSize;
    this.maxTxBytes = o.maxTxBytes ?? 32 << 20;
    this.onState = o.onState ?? (() => {});
    this.relaxedSince = false; // a relaxed commit happened since the last strict one
    this.errorMessage = '';
    this.lastState = '';
    this.running = null;
    this.tornSkips = 0; // copies dropped because the worker changed the slot meanwhile
  }

  start() {
    this.running ??= this.run();
    return this;
  }

  /** Stores everything still dirty, then ends the loop. */
  async stop() {
    Atomics.store(this.words, C.G_STOP, 1);
    Atomics.add(this.words, C.G_DIRTY_SEQ, 1);
    Atomics.notify(this.words, C.G_DIRTY_SEQ);
    await this.running;
  }

  dirtySlots() {
    let n = 0;
    for (let s = 0; s < this.slots; s++) {
      if (Atomics.load(this.words, C.slotWord(s, C.S_VERSION)) !== Atomics.load(this.words, C.slotWord(s, C.S_STORED))) n++;
    }
    return n;
  }

  state() {
    if (Atomics.load(this.words, C.G_ERROR)) return 'error';
    return Atomics.load(this.words, C.G_SYNC_BUSY) || this.dirtySlots() ? 'saving' : 'saved';
  }

  report() {
    const st = this.state();
    if (st !== this.lastState) {
      this.lastState = st;
      this.onState(st, st === 'error' ? this.errorMessage : undefined);
    }
  }

  async run() {
    const w = this.words;
    for (;;) {
      const seen = Atomics.load(w, C.G_DIRTY_SEQ);
      const r = await this.pass();
      const stopping = Atomics.load(w, C.G_STOP) !== 0;
      this.report();
      if (stopping && r !== 'more') {
        if (r === 'clean' && this.relaxedSince) await this.pass(true);
        break;
      }
      if (r === 'more') {
        await yieldToEventLoop(); // lets the worker finish a short seqlock section; not a throttled timer
        continue;
      }
      const wait = Atomics.waitAsync(w, C.G_DIRTY_SEQ, seen, r === 'error' ? ERROR_RETRY_MS : Infinity);
      if (wait.async) await wait.value;
    }
  }

  /**
   * One pass. Returns 'clean' (everything dirty at its start is stored), 'more' (a slot was
   * mid-write or the transaction was full: go again) or 'error'.
   * @param {boolean} [forceStrict]  commit strictly even without a flush waiting (closing)
   */
  async pass(forceStrict = false) {
    const w = this.words;
    // Read the generation BEFORE looking at the slots: every write counted in it finished its
    // seqlock section before it was counted, so the scan below sees it (or something newer).
    const gen = Atomics.load(w, C.G_WRITE_GEN);
    const flushWanted = forceStrict || !C.genAtLeast(Atomics.load(w, C.G_DURABLE_GEN), Atomics.load(w, C.G_FLUSH_REQ));
    const entries = [];
    const marks = [];
    let complete = true;
    let bytes = 0;
    for (let s = 0; s < this.slots; s++) {
      const v = Atomics.load(w, C.slotWord(s, C.S_VERSION));
      if (v === Atomics.load(w, C.slotWord(s, C.S_STORED))) continue;
      if (v & 1 || bytes >= this.maxTxBytes) {
        complete = false;
        continue;
      }
      const c = Atomics.load(w, C.slotWord(s, C.S_CHUNK));
      const len = Math.min(this.cs, this.size - c * this.cs);
      const copy = this.bytes.slice(s * this.cs, s * this.cs + len); // a new, unshared buffer
      if (Atomics.load(w, C.slotWord(s, C.S_VERSION)) !== v || Atomics.load(w, C.slotWord(s, C.S_CHUNK)) !== c) {
        complete = false; // changed while we copied: this copy may be torn, never store it
        this.tornSkips++;
        continue;
      }
      entries.push([c, allZero(copy) ? 0 : copy.buffer]);
      marks.push([s, v]);
      bytes += len;
    }
    // A flush needs everything strictly durable; relaxed commits before it are covered by a
    // strict one (the browser writes its log in order), or by a strict marker if none is due.
    const strict = flushWanted && (entries.length > 0 || this.relaxedSince);
    if (entries.length || strict) {
      Atomics.store(w, C.G_SYNC_BUSY, 1);
      const t0 = performance.now();
      try {
        await this.persistence.commit(this.id, entries, { durability: strict ? 'strict' : 'relaxed' });
      } catch (e) {
        const { code, message } = classifyError(e);
        this.errorMessage = message;
        Atomics.store(w, C.G_SYNC_BUSY, 0);
        Atomics.store(w, C.G_ERROR, code);
        this.publish();
        return 'error';
      }
      const us = Math.round((performance.now() - t0) * 1000);
      C.addStat(this.stats, C.ST_IDB_WRITTEN, entries.reduce((n, [, b]) => n + (b ? b.byteLength : 0), 0));
      C.addStat(this.stats, C.ST_SYNC_COUNT, 1);
      Atomics.store(this.stats, C.ST_LAST_SYNC_US, BigInt(us));
      // Only now, with the transaction committed, may the worker treat these versions as
      // stored (and evict their slots).
      for (const [s, v] of marks) Atomics.store(w, C.slotWord(s, C.S_STORED), v);
      this.relaxedSince = !strict && (this.relaxedSince || entries.length > 0);
      Atomics.store(w, C.G_SYNC_BUSY, 0);
    }
    Atomics.store(w, C.G_ERROR, C.E_NONE);
    this.errorMessage = '';
    if (complete && !this.relaxedSince && !C.genAtLeast(Atomics.load(w, C.G_DURABLE_GEN), gen)) {
      Atomics.store(w, C.G_DURABLE_GEN, gen);
    }
    this.publish();
    return complete ? 'clean' : 'more';
  }

  publish() {
    Atomics.add(this.words, C.G_SYNC_SEQ, 1);
    Atomics.notify(this.words, C.G_SYNC_SEQ);
  }
}
