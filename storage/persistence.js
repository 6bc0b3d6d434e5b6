// Where disk overlays live. The chunked disk and the sync loop only use the interface below, so
// Node tests can run them against memoryPersistence() (which is NOT IndexedDB and does not
// pretend to be); the browser uses idbPersistence().
//
// Interface (all async):
//   getMeta(id) / putMeta(meta) / listMeta()           disk records
//   chunkIndices(id) -> number[]                        overlay chunks present (data or zero marker)
//   countChunks(id) -> number
//   getChunks(id, indices) -> (ArrayBuffer | 0 | undefined)[]   0 = zero marker, undefined = none
//   commit(id, [[index, ArrayBuffer | 0], ...], { durability })  ONE atomic transaction
//   clearChunks(id)  (reset to base)   deleteDisk(id)   close()
//
// IndexedDB keys (one object store 'kv' in database 'tabvm-disks' by default):
//   ['m', id]          -> metadata record { id, size, chunkSize, base, serial, created, lastUsed }
//   ['c', id, index]   -> chunk: an ArrayBuffer of chunkSize bytes (the last chunk of a disk
//                         may be shorter), or 0 for an all-zero chunk
//   ['s', id]          -> time of the last strict commit that carried no chunk
// Array keys sort element by element, so one key range selects all chunks of a disk and
// delete/count of a disk's overlay is one request.
import { get, getMany, promisifyRequest, set, setMany } from 'idb-keyval';
import { E_IDB_FAILED, E_IDB_UNAVAILABLE, E_QUOTA } from './cache_layout.js';

export const DEFAULT_DB = 'tabvm-disks';
const STORE = 'kv';

const metaKey = (id) => ['m', id];
const chunkKey = (id, i) => ['c', id, i];
const syncKey = (id) => ['s', id]; // time of the last strict commit without chunks

/** Classifies a storage failure into an error code (cache_layout.js) and a sentence for the UI. */
export function classifyError(err) {
  const name = err?.name ?? '';
  const msg = err?.message ?? String(err);
  if (name === 'QuotaExceededError' || /quota/i.test(msg)) {
    return { code: E_QUOTA, message: `storage quota exceeded: the browser refused to store more disk data (${msg}); free space or export the disk` };
  }
  if (err?.code === E_IDB_UNAVAILABLE) return { code: E_IDB_UNAVAILABLE, message: msg };
  return { code: E_IDB_FAILED, message: `IndexedDB transaction failed: ${name ? name + ': ' : ''}${msg}` };
}

export class StorageUnavailableError extends Error {
  constructor(message) {
    super(message);
    this.name = 'StorageUnavailableError';
    this.code = E_IDB_UNAVAILABLE;
  }
}

/**
 * IndexedDB persistence through idb-keyval. Works the same in the page and in a worker (each
 * opens its own connection to the same database).
 * idb-keyval's createStore opens the database without a version and cannot pass a transaction's
 * durability, so we open the database ourselves and hand idb-keyval UseStore functions of the
 * same shape: (mode, callback) => Promise.
 */
export function idbPersistence(dbName = DEFAULT_DB) {
  if (typeof indexedDB === 'undefined') {
    throw new StorageUnavailableError('IndexedDB is not available here (private browsing or storage disabled?): disks cannot be saved');
  }
  let dbp;
  const getDB = () => dbp ??= new Promise((resolve, reject) => {
    const rq = indexedDB.open(dbName, 1);
    rq.onupgradeneeded = () => rq.result.createObjectStore(STORE);
    rq.onsuccess = () => {
      const db = rq.result;
      // A newer page version wants to upgrade: let it, and reopen on our next request.
      db.onversionchange = () => { db.close(); dbp = undefined; };
      db.onclose = () => { dbp = undefined; };
      resolve(db);
    };
    rq.onerror = () => {
      dbp = undefined;
      reject(new StorageUnavailableError(`IndexedDB cannot be opened: ${rq.error?.name ?? ''} ${rq.error?.message ?? ''}`.trim()));
    };
    rq.onblocked = () => {
      dbp = undefined;
      reject(new StorageUnavailableError('IndexedDB is blocked: another tab keeps an older version of the disk database open; close it and reload'));
    };
  });
  const storeWith = (durability) => (mode, cb) =>
    getDB().then((db) => cb(db.transaction(STORE, mode, { durability }).objectStore(STORE)));
  const store = storeWith('default');
  const strict = storeWith('strict');
  const relaxed = storeWith('relaxed');
  const chunkRange = (id) => IDBKeyRange.bound(chunkKey(id, 0), chunkKey(id, Infinity));

  return {
    kind: 'indexeddb',
    ready: () => getDB().then(() => {}),
    getMeta: (id) => get(metaKey(id), store),
    putMeta: (meta) => set(metaKey(meta.id), meta, strict),
    listMeta: () => store('readonly', (s) => promisifyRequest(s.getAll(IDBKeyRange.bound(['m'], ['m', []])))),
    chunkIndices: (id) => store('readonly', (s) => promisifyRequest(s.getAllKeys(chunkRange(id)))).then((ks) => ks.map((k) => k[2])),
    countChunks: (id) => store('readonly', (s) => promisifyRequest(s.count(chunkRange(id)))),
    getChunks: (id, indices) => getMany(indices.map((i) => chunkKey(id, i)), store),
    // With no chunks (a flush after relaxed commits) it still writes one small record, so the
    // strict transaction has something to make durable, and the log before it with it.
    commit: (id, entries, { durability = 'relaxed' } = {}) =>
      setMany(entries.length ? entries.map(([i, v]) => [chunkKey(id, i), v]) : [[syncKey(id), Date.now()]],
        durability === 'strict' ? strict : relaxed),
    clearChunks: (id) => strict('readwrite', (s) => {
      s.delete(chunkRange(id));
      return promisifyRequest(s.transaction);
    }),
    deleteDisk: (id) => strict('readwrite', (s) => {
      s.delete(chunkRange(id));
      s.delete(metaKey(id));
      s.delete(syncKey(id));
      return promisifyRequest(s.transaction);
    }),
    close: async () => {
      if (dbp) (await dbp.catch(() => null))?.close();
      dbp = undefined;
    },
  };
}

/**
 * An in-memory persistence for Node tests. It is not IndexedDB: it only has the same interface,
 * copies values like structured clone does, and can simulate a quota and slow commits.
 * @param {{quotaBytes?: number, beforeCommit?: (entries) => Promise<void>|void}} [o]
 */
export function memoryPersistence(o = {}) {
  const meta = new Map();
  const chunks = new Map(); // `${id}\u0000${index}` -> ArrayBuffer | 0
  const k = (id, i) => `${id}\u0000${i}`;
  const sizeOf = (v) => (v instanceof ArrayBuffer ? v.byteLength : 0);
  const used = () => [...chunks.values()].reduce((n, v) => n + sizeOf(v), 0);
  const ofDisk = (id) => [...chunks.keys()].filter((key) => key.startsWith(`${id}\u0000`));
  const p = {
    kind: 'memory',
    commits: 0,
    hooks: { beforeCommit: o.beforeCommit },
    quotaBytes: o.quotaBytes ?? Infinity,
    ready: async () => {},
    getMeta: async (id) => structuredClone(meta.get(id)),
    putMeta: async (m) => { meta.set(m.id, structuredClone(m)); },
    listMeta: async () => [...meta.values()].map((m) => structuredClone(m)),
    chunkIndices: async (id) => ofDisk(id).map((key) => Number(key.split('\u0000')[1])),
    countChunks: async (id) => ofDisk(id).length,
    getChunks: async (id, indices) => indices.map((i) => {
      const v = chunks.get(k(id, i));
      return v instanceof ArrayBuffer ? v.slice(0) : v;
    }),
    async commit(id, entries) {
      await p.hooks.beforeCommit?.(entries);
      let after = used();
      for (const [i, v] of entries) after += sizeOf(v) - sizeOf(chunks.get(k(id, i)));
      // All or nothing, like one IndexedDB transaction.
      if (after > p.quotaBytes) throw new DOMException('simulated quota exceeded', 'QuotaExceededError');
      for (const [i, v] of entries) chunks.set(k(id, i), v instanceof ArrayBuffer ? v.slice(0) : v);
      p.commits++;
    },
    clearChunks: async (id) => { for (const key of ofDisk(id)) chunks.delete(key); },
    deleteDisk: async (id) => { await p.clearChunks(id); meta.delete(id); },
    close: async () => {},
    usedBytes: used,
  };
  return p;
}
