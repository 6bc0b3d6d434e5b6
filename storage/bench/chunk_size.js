// Measures what the chunk size trades off (docs/storage.md has the figures):
//  1. IndexedDB put throughput per byte in Chromium, for 64 KiB, 256 KiB and 1 MiB values,
//     ~4 MiB per transaction, relaxed and strict durability;
//  2. write amplification of 4 KiB random writes (bytes stored / bytes written by the guest),
//     with a flush every 32 writes, and of a sequential 1 MiB-write stream;
//  3. HTTP requests and bytes fetched when a lazy base is read sequentially or randomly.
// Usage: node storage/bench/chunk_size.js   (CHROMIUM_PATH overrides `command -v chromium`)
import { chromium } from '@playwright/test'; // a declared devDependency (playwright-core under it)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../tests/browser/server.js';

const SIZES = [64 << 10, 256 << 10, 1 << 20];
const KiB = (n) => `${n >> 10} KiB`;

async function idbThroughput() {
  const exe = process.env.CHROMIUM_PATH ?? execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tabvm-bench-'));
  const server = await startServer();
  const ctx = await chromium.launchPersistentContext(dir, { executablePath: exe, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const page = ctx.pages()[0];
  await page.goto(server.url);
  const out = await page.evaluate(async (sizes) => {
    const db = await new Promise((res, rej) => {
      const r = indexedDB.open('bench', 1);
      r.onupgradeneeded = () => r.result.createObjectStore('kv');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const total = 64 << 20;
    const rows = [];
    for (const durability of ['relaxed', 'strict']) {
      for (const cs of sizes) {
        const perTx = Math.max(1, (4 << 20) / cs);
        const t0 = performance.now();
        let k = 0;
        for (let done = 0; done < total; done += perTx * cs) {
          await new Promise((res, rej) => {
            const tx = db.transaction('kv', 'readwrite', { durability });
            const s = tx.objectStore('kv');
            for (let i = 0; i < perTx; i++) {
              const b = new Uint8Array(cs);
              b[0] = k; b[cs - 1] = i; // distinct, not all-zero
              s.put(b.buffer, ['c', durability, cs, k++]);
            }
            tx.oncomplete = res;
            tx.onabort = () => rej(tx.error);
          });
        }
        const ms = performance.now() - t0;
        // Small transactions too: one chunk per transaction (a flush after one 4 KiB write).
        const t1 = performance.now();
        for (let i = 0; i < 32; i++) {
          await new Promise((res, rej) => {
            const tx = db.transaction('kv', 'readwrite', { durability });
            tx.objectStore('kv').put(new Uint8Array(cs).fill(1).buffer, ['one', durability, cs, i]);
            tx.oncomplete = res;
            tx.onabort = () => rej(tx.error);
          });
        }
        rows.push({ durability, cs, mbps: (total / 2 ** 20) / (ms / 1000), singleTxMs: (performance.now() - t1) / 32 });
      }
    }
    return rows;
  }, SIZES);
  await ctx.close();
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return out;
}

function rng(seed) {
  let x = seed;
  return () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x;
  };
}

// Bytes stored per guest byte: each flush window stores every distinct chunk it dirtied, whole.
function amplification(cs, { writes, ioBytes, span, flushEvery, sequential }) {
  const r = rng(7);
  let stored = 0;
  let window = new Set();
  let pos = 0;
  for (let i = 0; i < writes; i++) {
    const off = sequential ? pos : (r() % (span / ioBytes)) * ioBytes;
    pos += ioBytes;
    for (let c = Math.floor(off / cs); c <= Math.floor((off + ioBytes - 1) / cs); c++) window.add(c);
    if ((i + 1) % flushEvery === 0) {
      stored += window.size * cs;
      window = new Set();
    }
  }
  stored += window.size * cs;
  return stored / (writes * ioBytes);
}

// Lazy base: one request per run of missing chunks a read touches (what ChunkedDisk.load does),
// every fetched chunk kept (a big enough cache).
function streaming(cs, { reads, ioBytes, span, sequential }) {
  const r = rng(11);
  const have = new Set();
  let requests = 0;
  let pos = 0;
  for (let i = 0; i < reads; i++) {
    const off = sequential ? pos : (r() % (span / ioBytes)) * ioBytes;
    pos += ioBytes;
    let inRun = false;
    for (let c = Math.floor(off / cs); c <= Math.floor((off + ioBytes - 1) / cs); c++) {
      if (have.has(c)) {
        inRun = false;
        continue;
      }
      if (!inRun) requests++;
      inRun = true;
      have.add(c);
    }
  }
  return { requests, fetchedMiB: (have.size * cs) / 2 ** 20, usefulMiB: sequential ? (reads * ioBytes) / 2 ** 20 : undefined };
}

console.log('IndexedDB put throughput in Chromium (64 MiB in ~4 MiB transactions; then 1-chunk transactions):');
for (const row of await idbThroughput()) {
  console.log(`  ${row.durability.padEnd(7)} ${KiB(row.cs).padStart(9)}: ${row.mbps.toFixed(0).padStart(5)} MiB/s   one-chunk tx ${row.singleTxMs.toFixed(2)} ms`);
}
console.log('Write amplification (bytes stored / bytes written):');
for (const cs of SIZES) {
  const rnd = amplification(cs, { writes: 20000, ioBytes: 4096, span: 1 << 30, flushEvery: 32 });
  const hot = amplification(cs, { writes: 20000, ioBytes: 4096, span: 32 << 20, flushEvery: 32 });
  const seq = amplification(cs, { writes: 2000, ioBytes: 1 << 20, span: 0, flushEvery: 8, sequential: true });
  console.log(`  ${KiB(cs).padStart(9)}: random 4 KiB over 1 GiB ${rnd.toFixed(1)}x, over 32 MiB ${hot.toFixed(1)}x, sequential 1 MiB ${seq.toFixed(2)}x`);
}
console.log('Lazy base over HTTP Range:');
for (const cs of SIZES) {
  const seq = streaming(cs, { reads: 2048, ioBytes: 128 << 10, span: 0, sequential: true });
  const rnd = streaming(cs, { reads: 2000, ioBytes: 4096, span: 1 << 30 });
  console.log(`  ${KiB(cs).padStart(9)}: sequential 256 MiB in 128 KiB reads: ${seq.requests} requests; 2000 random 4 KiB reads over 1 GiB: ${rnd.requests} requests, ${rnd.fetchedMiB.toFixed(0)} MiB fetched`);
}
