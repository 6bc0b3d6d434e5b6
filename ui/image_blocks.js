#!/usr/bin/env node
// Writes, beside each root image in DIR, IMAGE.blocks.json: which 256 KiB blocks of it hold data
// (runs of [first block, count]). The page's "make available offline" (ui/offline.js) then
// fetches only those and records the rest as empty: the Debian image is 2 GiB of which about
// 200 MiB is data. Holes read back as zeros fast, so reading the whole file takes seconds; a
// list newer than its image is kept. usage: node ui/image_blocks.js DIR
import { closeSync, openSync, readSync, readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BLOCK } from './sw_image_blocks.js';

const READ = 16 << 20;

function isZero(buf, from, to) {
  for (let i = from; i < to; i++) if (buf[i]) return false;
  return true;
}

export function dataBlocks(path) {
  const size = statSync(path).size;
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(READ);
  const runs = [];
  try {
    for (let off = 0; off < size; off += READ) {
      const n = readSync(fd, buf, 0, Math.min(READ, size - off), off);
      for (let b = 0; b < n; b += BLOCK) {
        if (isZero(buf, b, Math.min(b + BLOCK, n))) continue;
        const i = (off + b) / BLOCK;
        const last = runs[runs.length - 1];
        if (last && last[0] + last[1] === i) last[1]++;
        else runs.push([i, 1]);
      }
    }
  } finally {
    closeSync(fd);
  }
  return { block: BLOCK, size, data: runs };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node ui/image_blocks.js DIR');
    process.exit(2);
  }
  const names = readdirSync(dir);
  for (const name of names) {
    const path = join(dir, name);
    if (name.endsWith('.blocks.json')) {
      if (!names.includes(name.slice(0, -'.blocks.json'.length))) unlinkSync(path); // its image is gone
      continue;
    }
    if (!/\.(ext4|img)$/.test(name)) continue;
    const list = `${path}.blocks.json`;
    try {
      if (statSync(list).mtimeMs >= statSync(path).mtimeMs) continue;
    } catch { /* not there yet */ }
    const t0 = Date.now();
    const r = dataBlocks(path);
    writeFileSync(list, JSON.stringify(r));
    const blocks = r.data.reduce((a, [, n]) => a + n, 0);
    console.log(`  BLOCKS ${name}: ${blocks} of ${Math.ceil(r.size / BLOCK)} blocks hold data (${(Date.now() - t0) / 1000} s)`);
  }
}
