// Offline copies of the root images, without the DOM: how much of each image the service worker
// keeps (ui/sw_image_blocks.js), the budget it keeps them within, and "make available offline"
// (reads every block not kept yet, through the service worker, which keeps them).
import { BLOCK, BLOCK_CACHE, BUDGET_KEY, DEFAULT_BUDGET, blockKey } from './sw_image_blocks.js';

const RUN_BLOCKS = 16; // blocks per request when fetching the rest (4 MiB)

export class OfflineError extends Error {
  constructor(message) {
    super(message);
    this.name = 'OfflineError';
  }
}

const budgetUrl = () => new URL(BUDGET_KEY, document.baseURI).href;
const plainUrl = (href) => href.split('?')[0];

/** The service worker recounts its usage (after a removal or a budget change). */
function tellWorker() {
  navigator.serviceWorker?.controller?.postMessage({ type: 'IMAGE_BLOCKS_RESET' });
}

export async function getBudget() {
  const r = await (await caches.open(BLOCK_CACHE)).match(budgetUrl());
  const n = r ? Number(await r.text()) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : DEFAULT_BUDGET;
}

export async function setBudget(bytes) {
  if (!(bytes >= 0) || !Number.isFinite(bytes)) throw new OfflineError('The offline budget must be a size of zero or more, such as 2 GiB.');
  await (await caches.open(BLOCK_CACHE)).put(budgetUrl(), new Response(String(Math.floor(bytes))));
  tellWorker();
}

/**
 * What is kept, per image URL: { blocks (data), zeros, bytes (data blocks × block size) }, and
 * the total of data bytes (the figure the budget limits).
 */
export async function keptBlocks() {
  const per = new Map();
  let bytes = 0;
  for (const req of await (await caches.open(BLOCK_CACHE)).keys()) {
    const u = new URL(req.url);
    const data = u.searchParams.has('tabvm-block');
    if (!data && !u.searchParams.has('tabvm-zero')) continue;
    const key = plainUrl(req.url);
    const e = per.get(key) ?? { blocks: 0, zeros: 0, bytes: 0, indices: new Set() };
    e.indices.add(Number(u.searchParams.get(data ? 'tabvm-block' : 'tabvm-zero')));
    if (data) {
      e.blocks++;
      e.bytes += BLOCK;
      bytes += BLOCK;
    } else {
      e.zeros++;
    }
    per.set(key, e);
  }
  return { per, bytes };
}

/** The fraction of an image (size bytes) kept: 1 means it boots and reads anything offline. */
export function keptFraction(entry, size) {
  const total = Math.ceil(size / BLOCK);
  return entry ? Math.min(1, entry.indices.size / total) : 0;
}

/**
 * Fetches every block of the image not kept yet, through the service worker; onProgress(got,
 * total) in blocks. Stops with a clear error when the network fails or the budget is full.
 */
export async function makeAvailableOffline(url, size, { onProgress = () => {}, signal } = {}) {
  if (!navigator.serviceWorker?.controller) {
    throw new OfflineError('Offline copies need the service worker, which is not running on this page: reload it (a private window may not allow one).');
  }
  const total = Math.ceil(size / BLOCK);
  const have = (await keptBlocks()).per.get(plainUrl(url))?.indices ?? new Set();
  const data = await dataBlockList(url, size);
  const cache = await caches.open(BLOCK_CACHE);
  const todo = [];
  for (let i = 0; i < total; i++) {
    if (have.has(i)) continue;
    // A block the list says is empty is recorded as such: nothing to fetch.
    if (data && !data.has(i)) await cache.put(blockKey(url, 'zero', i), new Response(null));
    else todo.push(i);
  }
  let done = total - todo.length;
  onProgress(done, total);
  for (let k = 0; k < todo.length;) {
    if (signal?.aborted) throw new OfflineError('Stopped.');
    // A run of adjacent missing blocks, at most RUN_BLOCKS long: one Range request.
    let n = 1;
    while (n < RUN_BLOCKS && k + n < todo.length && todo[k + n] === todo[k] + n) n++;
    const from = todo[k] * BLOCK;
    const to = Math.min((todo[k] + n) * BLOCK, size) - 1;
    let resp;
    try {
      resp = await fetch(url, { headers: { Range: `bytes=${from}-${to}` }, cache: 'no-store' });
    } catch {
      throw new OfflineError('The network is unavailable: connect and try again (what was fetched so far is kept).');
    }
    if (resp.status !== 206) throw new OfflineError(`The server answered HTTP ${resp.status} for part of the image: try again later.`);
    await resp.arrayBuffer();
    k += n;
    done += n;
    onProgress(done, total);
  }
  // The worker keeps a block only within the budget (and the browser's quota): check it did.
  const after = (await keptBlocks()).per.get(plainUrl(url));
  const missing = total - (after?.indices.size ?? 0);
  if (missing > 0) {
    const budget = await getBudget();
    throw new OfflineError(`${missing} of ${total} blocks could not be kept: the offline budget (${(budget / 2 ** 30).toFixed(1)} GiB) ` +
      'or the browser\'s storage is full. Raise the budget or remove another image\'s offline copy, then try again.');
  }
}

/**
 * The image's data blocks from IMAGE.blocks.json (ui/image_blocks.js, written at build time), or
 * null when the host has no list (then every block is fetched; the empty ones cost no space).
 */
async function dataBlockList(url, size) {
  try {
    const r = await fetch(`${plainUrl(url)}.blocks.json`, { cache: 'no-store' });
    if (!r.ok) return null;
    const list = await r.json();
    if (list.block !== BLOCK || list.size !== size || !Array.isArray(list.data)) return null;
    const set = new Set();
    for (const [first, n] of list.data) for (let i = first; i < first + n; i++) set.add(i);
    return set;
  } catch {
    return null;
  }
}

/** Drops the kept blocks of one image (a disk made over it reads them from the network again). */
export async function removeOfflineCopy(url) {
  const cache = await caches.open(BLOCK_CACHE);
  const base = plainUrl(url);
  for (const req of await cache.keys()) if (plainUrl(req.url) === base) await cache.delete(req);
  tellWorker();
}

