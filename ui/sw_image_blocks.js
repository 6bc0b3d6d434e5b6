// The service worker's store of root-image blocks: the disks stream their base images with HTTP
// Range (storage/base_source.js); every block read passes through here and is kept in Cache
// Storage, so a machine booted once boots again offline. Workbox has no partial-content cache
// (its range-requests plugin slices a cached WHOLE response, and Cache.put refuses 206 answers),
// hence this file. Blocks are fixed 256 KiB pieces at fixed offsets (the disks' chunk size), so
// any range, however the disk coalesces its reads, maps onto the same keys. An all-zero block
// (ext4 images are mostly holes) is kept as an empty marker. New blocks are kept only while the
// data blocks stay within the budget the person sees and sets in the disks panel (ui/offline.js).
export const BLOCK = 256 << 10;
export const BLOCK_CACHE = 'tabvm-image-blocks';
export const DEFAULT_BUDGET = 2 ** 31; // 2 GiB, until the person sets another
export const BUDGET_KEY = 'tabvm-image-budget'; // relative to the scope

/** `${image}?tabvm-block=i` (data) or `?tabvm-zero=i` (all zeros); `?tabvm-info` (size, ETag). */
export function blockKey(imageUrl, kind, i) {
  const u = new URL(imageUrl);
  u.search = '';
  u.hash = '';
  u.searchParams.set(`tabvm-${kind}`, String(i));
  return u.href;
}

const IMAGE_PATH = /\/images\/[^/]+\.(ext4|img)$/;
const RANGE = /^bytes=(\d+)-(\d+)$/;
const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+)$/;

function isZero(u8) {
  const words = new BigUint64Array(u8.buffer, u8.byteOffset, u8.length >>> 3);
  for (let i = 0; i < words.length; i++) if (words[i]) return false;
  for (let i = words.length << 3; i < u8.length; i++) if (u8[i]) return false;
  return true;
}

function offline(what) {
  // 504 is "transient" for storage/base_source.js: it retries (the network may come back), then
  // the guest gets an I/O error whose text names this.
  return new Response(null, { status: 504, statusText: `offline, and ${what} was not kept for offline use` });
}

export class ImageBlocks {
  constructor() {
    this.used = null; // bytes of data blocks stored, counted from the keys once per worker start
  }

  /** The disks' Range reads of a root image under ./images/ (whole-file GETs go to the network). */
  handles(url, request) {
    return IMAGE_PATH.test(url.pathname) && !url.search && RANGE.test(request.headers.get('range') ?? '');
  }

  /** The person reset the offline copies or changed the budget: count again. */
  forget() {
    this.used = null;
  }

  async usage(cache) {
    if (this.used === null) {
      const keys = await cache.keys();
      this.used = keys.filter((r) => r.url.includes('tabvm-block=')).length * BLOCK;
    }
    return this.used;
  }

  async budget(cache) {
    const r = await cache.match(new URL(BUDGET_KEY, self.registration.scope).href);
    const n = r ? Number(await r.text()) : NaN;
    return Number.isFinite(n) && n >= 0 ? n : DEFAULT_BUDGET;
  }

  async lookup(cache, url, i, size) {
    const data = await cache.match(blockKey(url, 'block', i));
    if (data) return new Uint8Array(await data.arrayBuffer());
    if (await cache.match(blockKey(url, 'zero', i))) return new Uint8Array(Math.min(BLOCK, size - i * BLOCK));
    return null;
  }

  async respond(request) {
    const url = request.url;
    const [, s, e] = RANGE.exec(request.headers.get('range'));
    const start = Number(s);
    let end = Number(e);
    const cache = await caches.open(BLOCK_CACHE);
    const infoResp = await cache.match(blockKey(url, 'info', 0));
    let info = infoResp ? await infoResp.json() : null;
    if (info) {
      if (start >= info.size) return fetch(request); // the server says what is wrong
      end = Math.min(end, info.size - 1);
    }
    const first = Math.floor(start / BLOCK);
    const last = Math.floor(end / BLOCK);
    const parts = [];
    for (let i = first; i <= last; i++) parts.push(info ? await this.lookup(cache, url, i, info.size) : null);
    const missing = parts.map((p, k) => (p ? -1 : first + k)).filter((i) => i >= 0);
    if (missing.length) {
      const a = missing[0];
      const b = missing[missing.length - 1];
      const hi = info ? Math.min((b + 1) * BLOCK, info.size) - 1 : (b + 1) * BLOCK - 1;
      let resp;
      try {
        resp = await fetch(url, { headers: { Range: `bytes=${a * BLOCK}-${hi}` }, cache: 'no-store' });
      } catch {
        return offline(`bytes ${start}-${end} of ${url}`);
      }
      // A server that ignores Range, an error: the disk's own logic deals with it.
      if (resp.status !== 206) return resp;
      const m = CONTENT_RANGE.exec(resp.headers.get('content-range') ?? '');
      if (!m || Number(m[1]) !== a * BLOCK) return resp;
      const size = Number(m[3]);
      const etag = resp.headers.get('etag');
      if (info && (info.size !== size || (info.etag && etag && info.etag !== etag))) {
        // The image changed under its name: the blocks kept are stale. Drop them, answer fresh.
        await this.dropImage(cache, url);
        return fetch(request);
      }
      if (!info) {
        info = { size, etag };
        await cache.put(blockKey(url, 'info', 0), Response.json(info));
        end = Math.min(end, size - 1);
      }
      const buf = new Uint8Array(await resp.arrayBuffer());
      await this.keep(cache, url, a, buf, parts, first);
    }
    const body = new Uint8Array(end - start + 1);
    let at = 0;
    for (let k = 0; k < parts.length && at < body.length; k++) {
      const from = k === 0 ? start - first * BLOCK : 0;
      const piece = parts[k].subarray(from, from + body.length - at);
      body.set(piece, at);
      at += piece.length;
    }
    const headers = {
      'Content-Range': `bytes ${start}-${end}/${info.size}`,
      'Content-Length': String(body.length),
      'Content-Type': 'application/octet-stream',
      'Accept-Ranges': 'bytes',
    };
    if (info.etag) headers.ETag = info.etag;
    return new Response(body, { status: 206, headers });
  }

  /** Splits a fetched run (starting at block a) into blocks: fills parts, stores what fits. */
  async keep(cache, url, a, buf, parts, first) {
    const budget = await this.budget(cache);
    let used = await this.usage(cache);
    const puts = [];
    for (let off = 0, i = a; off < buf.length; off += BLOCK, i++) {
      const piece = buf.subarray(off, Math.min(off + BLOCK, buf.length));
      const k = i - first;
      if (k >= 0 && k < parts.length && !parts[k]) parts[k] = piece;
      if (isZero(piece)) {
        puts.push(cache.put(blockKey(url, 'zero', i), new Response(null)));
      } else if (used + BLOCK <= budget) {
        used += BLOCK;
        this.used = used;
        puts.push(cache.put(blockKey(url, 'block', i), new Response(piece.slice())));
      }
    }
    // A full quota fails a put: the read itself still succeeds, the block is just not kept.
    await Promise.allSettled(puts);
  }

  async dropImage(cache, url) {
    const base = blockKey(url, 'info', 0).split('?')[0];
    for (const r of await cache.keys()) if (r.url.split('?')[0] === base) await cache.delete(r);
    this.used = null;
  }
}
