// Base images over HTTP against a real local server (node:http): lazy Range streaming, servers
// without Range, transient failures and retries, truncated and resized responses.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { DISK_IOERR, DISK_OK } from '../open_disk.js';
import { withRetry, HttpError, RangeSource } from '../base_source.js';
import { closePair, openPair, randomBytes, settle } from './helpers.js';

const CS = 64 << 10;
const IMG = randomBytes(CS * 20 + 3 * 512, 42); // not a multiple of the chunk size
const RETRY = { retries: 3, backoffMs: 2, maxBackoffMs: 20 };
let server;
let origin;
const log = []; // [path, range header]
const flakyLeft = new Map();

function serveRange(req, res, img, { etag = '"v1"', total = img.length, cut = false, short = false } = {}) {
  const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
  if (!m) {
    res.writeHead(200, { 'Content-Length': img.length, 'Accept-Ranges': 'bytes', ETag: etag });
    res.end(img);
    return;
  }
  const a = Number(m[1]);
  const b = Math.min(Number(m[2]), img.length - 1);
  const body = img.subarray(a, b + 1);
  res.writeHead(206, { ...(short ? {} : { 'Content-Length': body.length }), 'Content-Range': `bytes ${a}-${b}/${total}`, 'Accept-Ranges': 'bytes', ETag: etag });
  if (cut && body.length > 1) {
    res.write(body.subarray(0, body.length >> 1));
    res.socket.destroy(); // the connection drops half way
    return;
  }
  // short: a broken server or proxy, a well-formed 206 whose body is shorter than its range.
  res.end(short ? body.subarray(0, body.length - 512) : body);
}

before(async () => {
  server = http.createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    log.push([path, req.headers.range]);
    if (path === '/img') return serveRange(req, res, IMG);
    if (path === '/norange') {
      res.writeHead(200, { 'Content-Length': IMG.length });
      return res.end(IMG);
    }
    if (path === '/flaky' || path === '/busy') {
      const left = flakyLeft.get(path) ?? 0;
      if (left > 0 && req.headers.range !== 'bytes=0-0') {
        flakyLeft.set(path, left - 1);
        if (path === '/busy') {
          res.writeHead(429, { 'Retry-After': '0' });
          return res.end();
        }
        return req.socket.destroy(); // a network error
      }
      return serveRange(req, res, IMG);
    }
    if (path === '/cut') return req.headers.range === 'bytes=0-0' ? serveRange(req, res, IMG) : serveRange(req, res, IMG, { cut: true });
    if (path === '/short') return req.headers.range === 'bytes=0-0' ? serveRange(req, res, IMG) : serveRange(req, res, IMG, { short: true });
    if (path === '/resized') return serveRange(req, res, IMG, { total: req.headers.range === 'bytes=0-0' ? IMG.length : IMG.length + 512 });
    res.writeHead(404);
    res.end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${server.address().port}`;
});

after(() => server.close());

const lazy = (path, extra = {}) => openPair({ sizeBytes: undefined, chunkSize: CS, cacheMiB: 2, base: { kind: 'url', url: origin + path, lazy: true }, retry: RETRY, ...extra });

test('lazy URL base: only touched chunks are fetched, adjacent ones in one Range request', async () => {
  log.length = 0;
  const p = await lazy('/img');
  const { disk, handle } = p;
  assert.equal(disk.size, Math.ceil(IMG.length / 512) * 512);
  const b = new Uint8Array(4096);
  assert.equal(await settle(disk, () => disk.read(5 * CS + 100 * 512, b)), DISK_OK);
  assert.deepEqual(b, IMG.subarray(5 * CS + 51200, 5 * CS + 51200 + 4096));
  assert.equal(handle.stats().bytesFetched, CS, 'one chunk, nothing else');
  // A read over 4 chunks not yet fetched: one request.
  const big = new Uint8Array(4 * CS);
  assert.equal(await settle(disk, () => disk.read(10 * CS, big)), DISK_OK);
  assert.deepEqual(big, IMG.subarray(10 * CS, 14 * CS));
  const ranges = log.filter(([p, r]) => p === '/img' && r !== 'bytes=0-0').map(([, r]) => r);
  assert.deepEqual(ranges, [`bytes=${5 * CS}-${6 * CS - 1}`, `bytes=${10 * CS}-${14 * CS - 1}`]);
  // The last, partial chunk: the image ends inside it, the disk's last sector reads zeros after.
  const tail = new Uint8Array(disk.size - 20 * CS);
  assert.equal(await settle(disk, () => disk.read(20 * CS, tail)), DISK_OK);
  assert.deepEqual(tail, IMG.subarray(20 * CS));
  // Writes land in the overlay; the base is never written.
  assert.equal(await settle(disk, () => disk.write(CS + 512, new Uint8Array(512).fill(0xee))), DISK_OK);
  assert.equal(await settle(disk, () => disk.flush()), DISK_OK);
  const c1 = new Uint8Array(CS);
  assert.equal(await settle(disk, () => disk.read(CS, c1)), DISK_OK);
  assert.deepEqual(c1.subarray(0, 512), IMG.subarray(CS, CS + 512));
  assert.ok(c1.subarray(512, 1024).every((x) => x === 0xee));
  await closePair(p);
});

test('boot prefetch: the listed ranges are fetched ahead in parallel, then reads need no request', async () => {
  log.length = 0;
  // Chunks 2-3 and 9 (a range ending inside chunk 3), junk entries ignored, and a range past
  // the cache's half (cacheMiB 2 = 32 chunks: at most 16 prefetched).
  const prefetch = [[2 * CS, CS + 100], [9 * CS + 5, 1], ['x', 1], [-1, 5], [1e12, 5], null, [12 * CS, 0]];
  const p = await lazy('/img', { prefetch });
  const { disk, handle } = p;
  await assert.doesNotReject(async () => {
    for (let i = 0; i < 100 && handle.stats().bytesFetched < 3 * CS; i++) await disk.whenReady();
  });
  const ranges = () => log.filter(([path, r]) => path === '/img' && r !== 'bytes=0-0').map(([, r]) => r).sort();
  assert.deepEqual(ranges(), [`bytes=${2 * CS}-${4 * CS - 1}`, `bytes=${9 * CS}-${10 * CS - 1}`]);
  const b = new Uint8Array(3 * CS);
  assert.equal(disk.read(CS * 2, b.subarray(0, 2 * CS)), DISK_OK, 'prefetched: no PENDING');
  assert.equal(disk.read(CS * 9, b.subarray(0, CS)), DISK_OK);
  assert.deepEqual(b.subarray(0, CS), IMG.subarray(9 * CS, 10 * CS));
  assert.equal(ranges().length, 2, 'no further request');
  await closePair(p);
  // A prefetch that fails is dropped: the guest's read fetches again and succeeds.
  flakyLeft.set('/flaky', 1);
  const q = await lazy('/flaky', { prefetch: [[4 * CS, CS]], retry: { retries: 0 } });
  for (let i = 0; i < 100 && log.filter(([path, r]) => path === '/flaky' && r === `bytes=${4 * CS}-${5 * CS - 1}`).length < 1; i++) await q.disk.whenReady();
  const c = new Uint8Array(CS);
  assert.equal(await settle(q.disk, () => q.disk.read(4 * CS, c)), DISK_OK);
  assert.deepEqual(c, IMG.subarray(4 * CS, 5 * CS));
  await closePair(q);
});

test('boot prefetch is capped at half the cache', async () => {
  log.length = 0;
  const p = await lazy('/img', { cacheMiB: 0, prefetch: [[0, 20 * CS]] }); // the smallest cache
  const half = (p.handle.stats().cacheSlots >> 1) * CS;
  assert.ok(half < 20 * CS);
  for (let i = 0; i < 100 && p.handle.stats().bytesFetched < half; i++) await p.disk.whenReady();
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(p.handle.stats().bytesFetched, half);
  await closePair(p);
});

test('a server without Range support: one whole download, with a note', async () => {
  const notes = [];
  const p = await lazy('/norange', { onNote: (n) => notes.push(n) });
  assert.match(notes[0], /whole file \(200\).*downloading the whole image/);
  const b = new Uint8Array(CS);
  assert.equal(await settle(p.disk, () => p.disk.read(7 * CS, b)), DISK_OK);
  assert.deepEqual(b, IMG.subarray(7 * CS, 8 * CS));
  await closePair(p);
});

test('a Range source whose server starts ignoring Range falls back to a whole download', async () => {
  const notes = [];
  const src = new RangeSource({ url: `${origin}/norange`, size: IMG.length, onNote: (n) => notes.push(n), retry: RETRY });
  assert.deepEqual(await src.read(3 * CS, 100), IMG.subarray(3 * CS, 3 * CS + 100));
  assert.deepEqual(await src.read(0, 10), IMG.subarray(0, 10));
  assert.equal(notes.length, 1);
  assert.match(notes[0], /ignores HTTP Range/);
});

test('transient failures (connection reset, 429) are retried with backoff', async () => {
  flakyLeft.set('/flaky', 2);
  const p = await lazy('/flaky');
  const b = new Uint8Array(512);
  assert.equal(await settle(p.disk, () => p.disk.read(2 * CS, b)), DISK_OK);
  assert.deepEqual(b, IMG.subarray(2 * CS, 2 * CS + 512));
  assert.equal(p.handle.stats().retries, 2);
  await closePair(p);
  flakyLeft.set('/busy', 1);
  const q = await lazy('/busy');
  assert.equal(await settle(q.disk, () => q.disk.read(0, b)), DISK_OK);
  assert.equal(q.handle.stats().retries, 1);
  await closePair(q);
});

test('a short response is an error after the retries, never zero-filled', async () => {
  const s = await lazy('/short');
  assert.equal(await settle(s.disk, () => s.disk.read(0, new Uint8Array(512))), DISK_IOERR);
  assert.match(s.disk.lastError, /truncated: 65024 of 65536 bytes.*gave up after 4 attempts/);
  await closePair(s);
});

test('a connection dropped mid-response is an error after the retries, never zero-filled', async () => {
  const p = await lazy('/cut');
  const b = new Uint8Array(512).fill(1);
  assert.equal(await settle(p.disk, () => p.disk.read(0, b)), DISK_IOERR);
  assert.match(p.disk.lastError, /network error|cut off|truncated/);
  assert.match(p.disk.lastError, /gave up after 4 attempts/);
  assert.ok(b.every((x) => x === 1), 'the guest buffer is untouched');
  // The error is reported once; the next request tries the network again.
  assert.equal(await settle(p.disk, () => p.disk.read(0, b)), DISK_IOERR);
  await closePair(p);
});

test('an image that changed size on the server is an error', async () => {
  const p = await lazy('/resized');
  assert.equal(await settle(p.disk, () => p.disk.read(0, new Uint8Array(512))), DISK_IOERR);
  assert.match(p.disk.lastError, /image changed on the server/);
  await closePair(p);
});

test('a missing image fails at open with the HTTP status', async () => {
  await assert.rejects(lazy('/nothing'), /HTTP 404/);
});

test('withRetry: exponential backoff, capped, only for transient errors', async () => {
  const waits = [];
  let n = 0;
  const r = await withRetry(async () => {
    if (n++ < 4) throw new HttpError('busy', { transient: true });
    return 'ok';
  }, { retries: 5, backoffMs: 1, maxBackoffMs: 4, onRetry: (_e, _n, w) => waits.push(w) });
  assert.equal(r, 'ok');
  assert.deepEqual(waits, [1, 2, 4, 4]);
  let m = 0;
  await assert.rejects(withRetry(async () => {
    m++;
    throw new HttpError('HTTP 403', { transient: false });
  }, { retries: 5, backoffMs: 1 }), /403/);
  assert.equal(m, 1);
});

test('withRetry: offline (navigator.onLine false), a transient failure is not retried', async (t) => {
  const had = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  Object.defineProperty(globalThis, 'navigator', { value: { onLine: false }, configurable: true });
  t.after(() => (had ? Object.defineProperty(globalThis, 'navigator', had) : delete globalThis.navigator));
  let n = 0;
  await assert.rejects(withRetry(async () => {
    n++;
    throw new HttpError('HTTP 504 offline', { transient: true });
  }, { retries: 5, backoffMs: 1000 }), (e) => e.offline === true && /the browser is offline/.test(e.message));
  assert.equal(n, 1);
  n = 0;
  await assert.rejects(withRetry(async () => {
    n++;
    throw new TypeError('Failed to fetch');
  }, { retries: 5, backoffMs: 1000 }), /offline/);
  assert.equal(n, 1);
});
