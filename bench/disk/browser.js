// Disk throughput inside the guest in Chromium, on the page's default machine (`window.tabvm`):
// dd of 64 MiB to a file on the root disk's ext4 (the persistent IndexedDB-backed root disk),
// to tmpfs in the same guest, and to a blank hot-plugged disk with O_DIRECT; reads after
// dropping the guest's caches; IndexedDB bytes written per guest byte (the disk handle's
// counters); `sync` in the guest and when its data became durable (the handle's durable
// generation reaching the write generation seen when `sync` returned).
// Every run is a fresh browser context (empty IndexedDB). The built page is served by
// `vite preview` (make page). Usage: node bench/disk/browser.js [RUNS]   (default 3)
// Prints a table and a last line `JSON {...}` with the medians and every run.
import { chromium } from '@playwright/test';
import { spawn, execFileSync } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { COUNT, MIB, measureOnce, summarize, table } from './common.js';

const runs = Number(process.argv[2] ?? 3);
// A port nobody listens on (other servers may run on this machine), and our server's own.
const port = await new Promise((resolve) => {
  const srv = net.createServer().listen(0, '127.0.0.1', () => {
    const p = srv.address().port;
    srv.close(() => resolve(p));
  });
});
// A private copy of the built page: a rebuild of build/dist during the run (make page elsewhere)
// would otherwise swap the root image under the disk's lazy Range reads.
const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'tabvm-bench-disk-dist-'));
execFileSync('cp', ['-r', '--sparse=always', `${fileURLToPath(new URL('../../build/dist', import.meta.url))}/.`, dist]);
const server = spawn('npx', ['vite', 'preview', '--outDir', dist, '--port', String(port), '--strictPort', '--host', '127.0.0.1'],
  { stdio: 'ignore', detached: true });
let serverExited = false;
server.on('exit', () => { serverExited = true; });
const url = `http://127.0.0.1:${port}/`;
for (let i = 0; i < 200 && !serverExited; i++) {
  try { if ((await fetch(url)).ok) break; } catch { /* not up yet */ }
  await new Promise((r) => setTimeout(r, 100));
}
if (serverExited) throw new Error('vite preview exited (is build/dist there? make page)');
const browser = await chromium.launch({
  executablePath: execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim(),
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

// In the page: run `sync` in the guest, sampling the disk handle's generations meanwhile.
async function syncProbe(dev) {
  const vm = window.tabvm, h = vm.diskMedium(dev).handle;
  const s0 = h.stats();
  const samples = [];
  const sample = () => {
    const st = h.stats();
    samples.push([performance.now(), st.writeGen, st.durableGen, h.syncState()]);
  };
  let text = '', tBegin = null, tRet = null, gRet = null, polling = true;
  const dec = new TextDecoder();
  const off = vm.onOutput((b) => {
    const now = performance.now();
    text += dec.decode(b, { stream: true });
    sample();
    if (tBegin === null && text.includes('SYNC_BEGIN')) tBegin = now;
    if (tRet === null && text.includes('SYNC_RETURNED')) {
      tRet = now;
      gRet = h.stats().writeGen;
    }
  });
  const poll = (async () => {
    while (polling) {
      sample();
      await new Promise((r) => setTimeout(r, 1));
    }
  })();
  const i0 = Number((await vm.stats()).instructions);
  const t0 = performance.now();
  // Split strings: the shell's echo of the command line must not match the markers.
  const { output } = await vm.exec("echo SYNC_BEG''IN; time sync 2>&1; echo SYNC_RET''URNED");
  const hostMs = performance.now() - t0;
  const insns = Number((await vm.stats()).instructions) - i0;
  const deadline = performance.now() + 60000;
  while (((h.stats().durableGen - gRet) | 0) < 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 1));
  polling = false;
  await poll;
  off();
  sample();
  samples.sort((a, b) => a[0] - b[0]);
  // The sync's own flush: the last advance of the durable generation the host saw before
  // `sync` returned (the guest's flush completes only after that).
  let lastAdvance = null;
  for (let i = 1; i < samples.length && samples[i][0] <= tRet; i++) if (samples[i][2] !== samples[i - 1][2]) lastAdvance = samples[i][0];
  const atRet = samples.filter(([t]) => t <= tRet).at(-1);
  // Writes after that flush (sync(2) writes the block devices' dirty buffers last, without a
  // flush): in IndexedDB with a relaxed commit ('saved'), strictly durable at the next flush.
  const saved = samples.find(([t, , , st]) => t >= tRet && st === 'saved');
  const first = samples.find(([, , d]) => ((d - gRet) | 0) >= 0);
  const s1 = h.stats();
  const m = /real\s+(\d+)m\s*([\d.]+)s/.exec(output);
  return {
    real: m ? Number(m[1]) * 60 + Number(m[2]) : NaN, hostMs, insns,
    flushDurableLagMs: lastAdvance !== null ? lastAdvance - tRet : NaN, // negative: before the host saw `sync` return
    writesAfterFlush: atRet ? (gRet - atRet[2]) | 0 : NaN,
    savedLagMs: saved ? saved[0] - tRet : NaN,
    durableLagMs: first ? first[0] - tRet : NaN,
    beginToDurableMs: first ? first[0] - tBegin : NaN,
    idbBytes: s1.idbBytesWritten - s0.idbBytesWritten, idbTx: s1.syncCount - s0.syncCount,
  };
}

const results = [];
try {
  for (let i = 0; i < runs; i++) {
    const page = await browser.newPage(); // a new context: empty IndexedDB, the root disk created afresh
    try {
      page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
      await page.goto(url);
      await page.waitForFunction(() => window.tabvm !== undefined, null, { timeout: 60000 });
      await page.evaluate(() => window.tabvm.ready);
      const { device } = await page.evaluate((size) => window.tabvm.attachDisk({ id: 'bench-raw', sizeBytes: size }), 2 * COUNT * MIB);
      // The guest notices the new capacity asynchronously.
      await page.evaluate(async (dev) => {
        for (let t = 0; t < 100; t++) {
          const { output } = await window.tabvm.exec(`cat /sys/block/${dev.slice(5)}/size`);
          if (Number(output.trim()) > 0) return;
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error(`${dev} did not appear in the guest`);
      }, device);
      const adapter = {
        exec: (c) => page.evaluate((cmd) => window.tabvm.exec(cmd), c),
        instructions: () => page.evaluate(async () => Number((await window.tabvm.stats()).instructions)),
        storage: (dev) => page.evaluate((d) => window.tabvm.diskMedium(d).handle.stats(), dev),
        settled: (dev) => page.evaluate(async (d) => {
          const h = window.tabvm.diskMedium(d).handle;
          for (const end = performance.now() + 60000; performance.now() < end;) {
            const st = h.stats();
            if (h.syncState() === 'saved' && st.durableGen === st.writeGen) return;
            await new Promise((r) => setTimeout(r, 2));
          }
          throw new Error(`${d}: not durable after 60 s`);
        }, dev),
        syncProbe: (dev) => page.evaluate(syncProbe, dev),
      };
      results.push(await measureOnce(adapter, { rawDev: device }));
      process.stderr.write(`run ${i + 1}/${runs} done\n`);
    } finally {
      await page.close();
    }
  }
} finally {
  await browser.close();
  if (!serverExited) process.kill(-server.pid);
  fs.rmSync(dist, { recursive: true, force: true });
}
const s = summarize(results);
console.log(table('Disk, Chromium (IndexedDB-backed disks)', s, runs));
console.log(`JSON ${JSON.stringify({ bench: 'disk', where: 'chromium', runs, medians: s, all: results })}`);
process.exit(0);
