// The chunk cache shared between the blk worker (which reads and writes chunks) and the UI
// thread's IndexedDB sync loop (which stores dirty chunks). Defined once here; both sides use it.
//
//  data SAB:  slots × chunkSize bytes; slot s holds one chunk at byte s * chunkSize.
//  ctrl SAB:  Int32 words: G_WORDS global words, then S_WORDS per slot; then, 8-byte aligned,
//             ST_WORDS BigInt64 statistics counters.
//
// Who writes what (docs/storage.md has the full handshake):
//  - worker: S_CHUNK, S_VERSION (seqlock: odd while the bytes change), S_STORED only while it
//    loads a clean slot, G_WRITE_GEN, G_DIRTY_SEQ, G_FLUSH_REQ;
//  - sync loop: S_STORED of dirty slots after their transaction committed, G_DURABLE_GEN,
//    G_SYNC_SEQ, G_ERROR, G_SYNC_BUSY.
// A slot is clean when S_STORED == S_VERSION; only clean slots are evicted or reused.

export const LAYOUT_MAGIC = 0x7462_6b31; // 'tbk1': bump when the layout changes

export const G_MAGIC = 0;
export const G_SLOTS = 1;
export const G_CHUNK_SIZE = 2;
export const G_WRITE_GEN = 3;   // worker: += 1 after every completed write, zeroing or discard
export const G_DIRTY_SEQ = 4;   // worker: += 1 + notify when the sync loop has work (write, flush)
export const G_FLUSH_REQ = 5;   // worker: the write generation a flush waits for
export const G_DURABLE_GEN = 6; // sync: every write with generation <= this is committed
export const G_SYNC_SEQ = 7;    // sync: += 1 + notify after every pass (stored versions, errors)
export const G_ERROR = 8;       // sync: code of the last failed commit, 0 after a good one
export const G_SYNC_BUSY = 9;   // sync: 1 while a transaction is in flight
export const G_STOP = 10;       // UI: 1 = the sync loop drains what is dirty and ends
export const G_WORDS = 16;

export const S_CHUNK = 0;   // chunk index held, -1 = free
export const S_VERSION = 1; // seqlock version: odd while the worker changes the slot
export const S_STORED = 2;  // version whose bytes are in IndexedDB (or base/zero when loaded)
export const S_WORDS = 4;

// Statistics (BigInt64, Atomics.add by whoever counts, read by the UI's stats()).
export const ST_FETCHED_BYTES = 0;  // worker: base bytes read from the network or a Blob
export const ST_RANGE_REQUESTS = 1; // worker: HTTP requests for base data (Range or whole)
export const ST_IDB_READ_BYTES = 2; // worker: overlay bytes read back from IndexedDB
export const ST_IDB_WRITTEN = 3;    // sync: chunk bytes written to IndexedDB
export const ST_SYNC_COUNT = 4;     // sync: committed transactions
export const ST_LAST_SYNC_US = 5;   // sync: duration of the last commit, microseconds
export const ST_RETRIES = 6;        // worker: network retries
export const ST_GUEST_READS = 7;    // worker: read() calls that completed
export const ST_GUEST_WRITES = 8;   // worker: write() calls that completed
export const ST_WORDS = 16;

// Error codes in G_ERROR. The UI gets the full message through its onError callback; the worker
// only has the code, so its lastError comes from this table.
export const E_NONE = 0;
export const E_QUOTA = 1;
export const E_IDB_UNAVAILABLE = 2;
export const E_IDB_FAILED = 3;
export const ERROR_TEXT = {
  [E_QUOTA]: 'storage quota exceeded: the browser refused to store more disk data',
  [E_IDB_UNAVAILABLE]: 'IndexedDB is unavailable or blocked',
  [E_IDB_FAILED]: 'IndexedDB transaction failed',
};

export function ctrlBytes(slots) {
  const words = G_WORDS + slots * S_WORDS;
  return Math.ceil((words * 4) / 8) * 8 + ST_WORDS * 8;
}

/** Allocates and initialises both SABs (done by the UI side, which owns the disk). */
export function allocCache(slots, chunkSize) {
  const ctrl = new SharedArrayBuffer(ctrlBytes(slots));
  const data = new SharedArrayBuffer(slots * chunkSize);
  const w = new Int32Array(ctrl, 0, G_WORDS + slots * S_WORDS);
  w[G_MAGIC] = LAYOUT_MAGIC;
  w[G_SLOTS] = slots;
  w[G_CHUNK_SIZE] = chunkSize;
  for (let s = 0; s < slots; s++) w[G_WORDS + s * S_WORDS + S_CHUNK] = -1;
  return { ctrl, data };
}

/** Typed views over the two SABs, identical on both sides. */
export function cacheViews(ctrl, data) {
  const head = new Int32Array(ctrl, 0, G_WORDS);
  if (head[G_MAGIC] !== LAYOUT_MAGIC) throw new Error('chunk cache: layout mismatch');
  const slots = head[G_SLOTS];
  const chunkSize = head[G_CHUNK_SIZE];
  const words = new Int32Array(ctrl, 0, G_WORDS + slots * S_WORDS);
  const statOff = Math.ceil((words.length * 4) / 8) * 8;
  return {
    slots, chunkSize, words,
    stats: new BigInt64Array(ctrl, statOff, ST_WORDS),
    bytes: new Uint8Array(data, 0, slots * chunkSize),
  };
}

/** Word index of field f of slot s. */
export const slotWord = (s, f) => G_WORDS + s * S_WORDS + f;

/** a >= b for counters that wrap at 2^32 (generations, sequence numbers). */
export const genAtLeast = (a, b) => ((a - b) | 0) >= 0;

export function addStat(stats, i, n) {
  Atomics.add(stats, i, BigInt(n));
}
