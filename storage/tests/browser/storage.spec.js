// Persistent disks in Chromium with real IndexedDB: data survives closing the browser, flush
// waits for a committed transaction, a second tab is refused, quota errors reach the guest and
// the UI, lazy URL bases, export/reset/delete. Self-contained: it starts its own server (COOP/
// COEP, storage/tests/browser/server.js) and launches Chromium with a fresh profile directory
// per test (launchPersistentContext), so it needs nothing from e2e's webServer.
/* global T -- window.T of the test page (page.js), used inside page.evaluate */
import { test, expect, chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, IMAGE_BYTES } from './server.js';

const OK = 0;
const IOERR = 1;

function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim();
}

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

let server;
let profiles = [];

test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server?.close();
  for (const d of profiles) fs.rmSync(d, { recursive: true, force: true });
});

function newProfile() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tabvm-storage-'));
  profiles.push(d);
  return d;
}

async function launch(profile) {
  const ctx = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath(), args: ARGS, headless: true });
  const page = ctx.pages()[0] ?? await ctx.newPage();
  await openPage(page);
  return { ctx, page };
}

async function openPage(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  await expect(page.locator('#status')).toHaveText('ready');
  page.errors = errors;
  return page;
}

test('write + flush, close the browser, reopen: the data is there', async () => {
  const profile = newProfile();
  let { ctx, page } = await launch(profile);
  expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
  await page.evaluate(() => T.open('keep', { sizeBytes: 64 << 20, cacheMiB: 4 }));
  // 4 KiB writes over 6 MiB (more than the 4 MiB cache) and one large write.
  const st = await page.evaluate(async () => {
    const out = [];
    for (let i = 0; i < 48; i++) out.push(await T.call('keep', 'write', i * 131072 + 4096, 4096, i));
    out.push(await T.call('keep', 'write', 40 << 20, 1 << 20, 99));
    out.push(await T.call('keep', 'flush'));
    return out;
  });
  expect(st.every((s) => s === 0)).toBe(true);
  const info = await page.evaluate(() => T.info('keep'));
  expect(info.errors).toEqual([]);
  expect(info.state).toBe('saved');
  expect(info.stats.idbBytesWritten).toBeGreaterThan(0);
  // Quit without closing the disk: only the flush stands between the data and the crash.
  await ctx.close();
  ({ ctx, page } = await launch(profile));
  await page.evaluate(() => T.open('keep', { cacheMiB: 4 }));
  const checks = await page.evaluate(async () => {
    const out = [];
    for (let i = 0; i < 48; i += 7) out.push(await T.readCheck('keep', i * 131072 + 4096, 4096, i));
    out.push(await T.readCheck('keep', 40 << 20, 1 << 20, 99));
    out.push(await T.readCheck('keep', 0, 4096, null)); // never written: zeros
    return out;
  });
  for (const c of checks) expect(c).toEqual({ st: OK, ok: true });
  const list = await page.evaluate(() => T.list());
  expect(list.map((d) => d.id)).toEqual(['keep']);
  expect(list[0].size).toBe(64 << 20);
  expect(list[0].chunksStored).toBeGreaterThan(0);
  expect(page.errors).toEqual([]);
  await ctx.close();
});

test('flush: the durable generation moves only after the transaction committed, strictly', async () => {
  const { ctx, page } = await launch(newProfile());
  await page.evaluate(() => T.open('fl', { sizeBytes: 8 << 20 }));
  const r = await page.evaluate(async () => {
    await T.call('fl', 'write', 0, 4096, 5);
    const gen = T.info('fl').stats.writeGen;
    const st = await T.call('fl', 'flush');
    return { st, gen, commits: T.info('fl').commits, durable: T.durable('fl'), stored: await T.storedChunk('fl', 0) };
  });
  expect(r.st).toBe(OK);
  expect(r.durable).toBeGreaterThanOrEqual(r.gen);
  // Every commit ended with the durable generation not yet moved past what it carried: the
  // sync loop publishes only after the transaction's complete event.
  for (const c of r.commits) expect(c.after).toBe(c.before);
  expect(r.commits.some((c) => c.durability === 'strict')).toBe(true);
  // What a reload would see, through a fresh connection.
  const want = await page.evaluate(() => Array.from({ length: 16 }, (_, i) => window.pattern(5, 0, i)));
  expect(r.stored).toEqual(want);
  await ctx.close();
});

test('a second tab cannot open a disk that is open; it can after the first closes it', async () => {
  const { ctx, page } = await launch(newProfile());
  await page.evaluate(() => T.open('shared', { sizeBytes: 8 << 20 }));
  const other = await openPage(await ctx.newPage());
  const err = await other.evaluate(() => T.open('shared', { sizeBytes: 8 << 20 }).then(() => 'opened', (e) => e.message));
  expect(err).toMatch(/in use in another tab/);
  const del = await other.evaluate(() => T.del('shared').then(() => 'deleted', (e) => e.message));
  expect(del).toMatch(/in use in another tab/);
  await page.close(); // the lock goes with the tab
  await expect.poll(() => other.evaluate(() => T.open('shared').then(() => 'opened', (e) => e.message))).toBe('opened');
  await ctx.close();
});

// Chromium 156 headless ignores Storage.overrideQuotaForOrigin and storage bucket quotas for
// IndexedDB (docs/storage.md), so the QuotaExceededError is thrown by the page's persistence
// wrapper: a real DOMException, through the real worker, sync loop and error word.
test('quota exceeded (DOMException thrown by a wrapper around IndexedDB): flush fails clearly, stored data stays', async () => {
  const { ctx, page } = await launch(newProfile());
  await page.evaluate(() => T.open('q', { sizeBytes: 64 << 20, cacheMiB: 16 }));
  const base = await page.evaluate(async () => [await T.call('q', 'write', 0, 1 << 20, 1), await T.call('q', 'flush')]);
  expect(base).toEqual([OK, OK]);
  const r = await page.evaluate(async () => {
    T.failQuota = true;
    const w = await T.call('q', 'write', 8 << 20, 6 << 20, 2);
    const f = await T.call('q', 'flush');
    return { w, f, err: await T.call('q', 'lastError'), info: T.info('q') };
  });
  expect(r.w).toBe(OK); // in the cache
  expect(r.f).toBe(IOERR);
  expect(r.err).toMatch(/quota/);
  expect(r.info.state).toBe('error');
  expect(r.info.errors[0]).toMatch(/quota exceeded/);
  expect(await page.evaluate(() => T.readCheck('q', 0, 1 << 20, 1))).toEqual({ st: OK, ok: true });
  expect(await page.evaluate(() => T.storedChunk('q', 0))).toEqual(await page.evaluate(() => Array.from({ length: 16 }, (_, i) => window.pattern(1, 0, i))));
  // Space again: the next flush stores everything.
  expect(await page.evaluate(() => { T.failQuota = false; return T.call('q', 'flush'); })).toBe(OK);
  expect(await page.evaluate(() => T.info('q').state)).toBe('saved');
  expect(await page.evaluate(() => T.readCheck('q', 8 << 20, 6 << 20, 2))).toEqual({ st: OK, ok: true });
  await ctx.close();
});

test('lazy URL base over Range; export, reset and delete', async () => {
  const { ctx, page } = await launch(newProfile());
  server.hits.length = 0;
  const info = await page.evaluate((url) => T.open('img', { baseUrl: url, lazy: true }), `${server.origin}/__image`);
  expect(info.size).toBe(IMAGE_BYTES);
  const r = await page.evaluate(async () => ({
    a: await T.readCheck('img', 1 << 20, 8192, 'image'),
    w: await T.call('img', 'write', 2 << 20, 4096, 3),
    f: await T.call('img', 'flush'),
    stats: T.info('img').stats,
  }));
  expect(r.a).toEqual({ st: OK, ok: true });
  expect(r.stats.bytesFetched).toBe(2 * 256 * 1024); // the chunk read and the chunk written into
  expect(server.hits.filter(([, range]) => range && range !== 'bytes=0-0')).toHaveLength(2);
  await page.evaluate(() => T.close('img'));
  const exp = await page.evaluate(() => T.exportCheck('img', [[2 << 20, 4096, 3]], 'image'));
  expect(exp).toEqual({ bytes: IMAGE_BYTES, bad: null });
  await page.evaluate(() => T.reset('img'));
  await page.evaluate((url) => T.open('img', { baseUrl: url }), `${server.origin}/__image`);
  expect(await page.evaluate(() => T.readCheck('img', 2 << 20, 4096, 'image'))).toEqual({ st: OK, ok: true });
  await page.evaluate(() => T.close('img'));
  await page.evaluate(() => T.del('img'));
  expect(await page.evaluate(() => T.list())).toEqual([]);
  await ctx.close();
});

test('a server without Range support: whole download with a note', async () => {
  const { ctx, page } = await launch(newProfile());
  await page.evaluate((url) => T.open('nr', { baseUrl: url, lazy: true }), `${server.origin}/__image-norange`);
  const r = await page.evaluate(async () => ({ a: await T.readCheck('nr', 3 << 20, 512, 'image'), notes: T.info('nr').notes }));
  expect(r.a).toEqual({ st: OK, ok: true });
  expect(r.notes[0]).toMatch(/downloading the whole image/);
  await ctx.close();
});
