// Read-only base images: a Blob/File, or a URL read lazily with HTTP Range (falling back to one
// whole download when the server ignores Range). Every source has `size` and
// `async read(offset, length) -> Uint8Array` of exactly `length` bytes, or throws: a short,
// truncated or resized image is an error, never zero-filled.

/** Base bytes from a Blob or File (slice + arrayBuffer: the browser reads only that part). */
export class BlobSource {
  constructor(blob) {
    this.blob = blob;
    this.size = blob.size;
  }

  async read(offset, length) {
    const buf = await this.blob.slice(offset, offset + length).arrayBuffer();
    if (buf.byteLength !== length) throw new Error(`base image: read ${buf.byteLength} of ${length} bytes at ${offset} (file changed or truncated?)`);
    return new Uint8Array(buf);
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const isTransientStatus = (s) => s === 408 || s === 429 || s >= 500;

export class HttpError extends Error {
  constructor(message, { transient = false } = {}) {
    super(message);
    this.name = 'HttpError';
    this.transient = transient;
  }
}

/**
 * Runs attempt() until it returns, retrying transient failures (network errors, 408/429/5xx)
 * with exponential backoff: backoffMs, 2×, 4×… capped at maxBackoffMs, honouring Retry-After.
 * attempt() throws HttpError{transient} or any other error (a TypeError from fetch is a network
 * failure and is transient).
 */
export async function withRetry(attempt, { retries = 6, backoffMs = 250, maxBackoffMs = 8000, onRetry } = {}) {
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      const transient = e instanceof HttpError ? e.transient : e instanceof TypeError;
      // Offline (the browser says so), a network error, or the service worker's 504 for a block
      // it never kept, will not heal within the backoff: fail at once so the page can say why,
      // instead of after ~16 s of retries.
      if (transient && globalThis.navigator?.onLine === false) {
        e.message = `${e.message} (the browser is offline)`;
        e.offline = true;
        throw e;
      }
      if (!transient || n >= retries) {
        if (transient) e.message = `${e.message} (gave up after ${n + 1} attempts)`;
        throw e;
      }
      const wait = Math.min(maxBackoffMs, e.retryAfterMs ?? backoffMs * 2 ** n);
      onRetry?.(e, n + 1, wait);
      await sleep(wait);
    }
  }
}

function statusError(resp, what) {
  const e = new HttpError(`${what}: HTTP ${resp.status} ${resp.statusText}`.trim(), { transient: isTransientStatus(resp.status) });
  const ra = Number(resp.headers.get('retry-after'));
  if (resp.status === 429 && ra > 0) e.retryAfterMs = ra * 1000;
  resp.body?.cancel().catch(() => {});
  return e;
}

/** Reads a body to the end, checking its length; reports progress. Returns a Blob. */
async function readWhole(resp, { expectedSize, onProgress }) {
  const header = resp.headers.get('content-length');
  const total = expectedSize ?? (header === null ? undefined : Number(header));
  const parts = [];
  let got = 0;
  const reader = resp.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    got += value.length;
    onProgress?.(got, total);
  }
  if (total !== undefined && got !== total) {
    throw new HttpError(`base image download truncated: got ${got} of ${total} bytes`, { transient: true });
  }
  return new Blob(parts);
}

/**
 * Downloads a whole image (retrying transient failures). The response may be given (the probe's
 * 200 answer is already the whole image). Returns a Blob.
 */
export async function fetchWhole(url, { fetch = globalThis.fetch, expectedSize, onProgress, response, retry } = {}) {
  let first = response;
  return withRetry(async () => {
    const resp = first ?? await fetch(url);
    first = undefined;
    if (resp.status !== 200) throw statusError(resp, `downloading ${url}`);
    return readWhole(resp, { expectedSize, onProgress });
  }, retry);
}

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+|\*)$/;

/**
 * Asks for the first byte. 206 with a Content-Range tells the size and that Range works; 200
 * means the server ignores Range (the response is the whole image, returned for reuse).
 * @returns {Promise<{ranges: true, size: number, etag: string|null} | {ranges: false, size: number|undefined, response: Response, reason: string}>}
 */
export async function probeUrl(url, { fetch = globalThis.fetch, retry } = {}) {
  return withRetry(async () => {
    const resp = await fetch(url, { headers: { Range: 'bytes=0-0' } });
    if (resp.status === 206) {
      const m = CONTENT_RANGE.exec(resp.headers.get('content-range') ?? '');
      resp.body?.cancel().catch(() => {});
      if (!m || m[3] === '*') throw new HttpError(`${url}: 206 without a usable Content-Range`);
      return { ranges: true, size: Number(m[3]), etag: resp.headers.get('etag') };
    }
    if (resp.status === 200) {
      const len = resp.headers.get('content-length');
      const why = resp.headers.get('accept-ranges') === 'none' ? 'the server says Accept-Ranges: none' : 'the server answered a Range request with the whole file (200)';
      return { ranges: false, size: len === null ? undefined : Number(len), response: resp, reason: why };
    }
    throw statusError(resp, `probing ${url}`);
  }, retry);
}

/**
 * Base bytes from a URL, fetched lazily: each read is one Range request. If the server ignores
 * Range (200), the source downloads the whole image once, says so through onNote, and serves
 * every later read from that Blob.
 */
export class RangeSource {
  /**
   * @param {object} o
   * @param {string} o.url
   * @param {number} o.size   expected image size (from the probe); any other size is an error
   * @param {string|null} [o.etag]  if both sides send one and they differ, the image changed
   * @param {typeof fetch} [o.fetch]
   * @param {object} [o.retry]  withRetry options
   * @param {(note: string) => void} [o.onNote]
   * @param {(kind: 'request'|'bytes'|'retry', n: number) => void} [o.onStat]
   */
  constructor(o) {
    Object.assign(this, { url: o.url, size: o.size, etag: o.etag ?? null, fetch: o.fetch ?? globalThis.fetch.bind(globalThis) });
    this.onNote = o.onNote ?? (() => {});
    this.onStat = o.onStat ?? (() => {});
    this.retry = { ...o.retry, onRetry: (e, n, wait) => { this.onStat('retry', 1); o.retry?.onRetry?.(e, n, wait); } };
    this.whole = null; // a BlobSource once we fell back to a whole download
  }

  async read(offset, length) {
    if (this.whole) return this.whole.read(offset, length);
    const end = offset + length - 1;
    const body = await withRetry(async () => {
      if (this.whole) return null;
      this.onStat('request', 1);
      let resp;
      try {
        resp = await this.fetch(this.url, { headers: { Range: `bytes=${offset}-${end}` } });
      } catch (e) {
        const why = e.cause?.message ?? e.cause?.code ?? '';
        throw new HttpError(`${this.url}: network error reading bytes ${offset}-${end}: ${e.message}${why ? ` (${why})` : ''}`, { transient: true });
      }
      if (resp.status === 200) {
        this.onNote(`${this.url}: the server ignores HTTP Range; downloading the whole image (${this.size} bytes) once instead`);
        const blob = await readWhole(resp, { expectedSize: this.size });
        this.onStat('bytes', blob.size);
        this.whole = new BlobSource(blob);
        return null;
      }
      if (resp.status !== 206) throw statusError(resp, `reading ${this.url} bytes ${offset}-${end}`);
      const m = CONTENT_RANGE.exec(resp.headers.get('content-range') ?? '');
      const et = resp.headers.get('etag');
      if (!m || Number(m[1]) !== offset || Number(m[2]) !== end || (m[3] !== '*' && Number(m[3]) !== this.size)) {
        resp.body?.cancel().catch(() => {});
        throw new HttpError(`${this.url}: asked for bytes ${offset}-${end}/${this.size}, got Content-Range "${resp.headers.get('content-range')}" (image changed on the server?)`);
      }
      if (this.etag && et && et !== this.etag) {
        resp.body?.cancel().catch(() => {});
        throw new HttpError(`${this.url}: the image changed on the server (ETag ${et}, expected ${this.etag})`);
      }
      let buf;
      try {
        buf = await resp.arrayBuffer();
      } catch (e) {
        throw new HttpError(`${this.url}: response for bytes ${offset}-${end} cut off (${e.message})`, { transient: true });
      }
      if (buf.byteLength !== length) {
        throw new HttpError(`${this.url}: response for bytes ${offset}-${end} truncated: ${buf.byteLength} of ${length} bytes`, { transient: true });
      }
      this.onStat('bytes', length);
      return new Uint8Array(buf);
    }, this.retry);
    return body ?? this.whole.read(offset, length);
  }
}

/** Builds the source a disk descriptor names (structured-cloneable description -> object). */
export function openBaseSource(base, hooks = {}) {
  if (!base) return null;
  if (base.kind === 'blob') return new BlobSource(base.blob);
  if (base.kind === 'range') return new RangeSource({ ...base, ...hooks });
  throw new Error(`unknown base kind ${base.kind}`);
}
