#!/usr/bin/env node
// The JIT's differential fuzzer: for each seed, gen.js writes a random program, the GNU
// assembler and linker build it (as the ISA suite's tests are built), and diff.js runs it on the
// interpreter and the JIT in lockstep. A failing program is kept in build/jit-fuzz/ with the
// command that reproduces it. Seeds are spread over worker threads.
//
//   node cpu/riscv/tests/jit/fuzz.js --seeds N [--start S] [--jobs J] [--threshold T]
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { generate } from './gen.js';
import { diffElf, statsLine } from './diff.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../../..');
const CROSS = process.env.ISA_CROSS ?? 'riscv64-linux-gnu-';
const LINK_LD = join(root, 'cpu/riscv/tests/isa/link.ld');

/** Assembles and links one program; returns an error message or null. */
function build(src, obj, elf) {
  for (const [cmd, args] of [
    [`${CROSS}as`, ['-march=rv64gc', '-mabi=lp64d', '-o', obj, src]],
    [`${CROSS}ld`, ['-T', LINK_LD, '--no-warn-rwx-segments', '--build-id=none', '-o', elf, obj]],
  ]) {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    if (r.status !== 0) return `${cmd} failed: ${r.error?.message ?? r.stderr}`;
  }
  return null;
}

function runSeed(seed, { out, threshold, budget }) {
  const base = join(out, 'tmp', `seed-${seed}`);
  writeFileSync(`${base}.s`, generate(seed));
  const err = build(`${base}.s`, `${base}.o`, `${base}.elf`);
  if (err) return { seed, ok: false, lines: [`seed ${seed}: the program did not build: ${err}`], keep: base };
  const r = diffElf(`${base}.elf`, { threshold, budget });
  const ok = r.ok && r.ref.state === 1;
  const lines = ok ? [] : [...r.report, `seed ${seed}: ${r.ok ? 'both engines failed the program' : 'divergence'}`];
  return { seed, ok, lines, keep: ok ? null : base, insns: Number(r.ref.instret), stats: statsLine(r.jit) };
}

if (!isMainThread) {
  const { seeds, opts } = workerData;
  for (const seed of seeds) parentPort.postMessage(runSeed(seed, opts));
} else {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : dflt;
  };
  const n = opt('--seeds', 100), start = opt('--start', 1);
  const jobs = Math.max(1, Math.min(opt('--jobs', availableParallelism()), n));
  const opts = { out: join(root, 'build/jit-fuzz'), threshold: opt('--threshold', 2), budget: opt('--budget', 4096) };
  mkdirSync(join(opts.out, 'tmp'), { recursive: true });
  const t0 = performance.now();
  let done = 0, failed = 0, insns = 0;
  await Promise.all(Array.from({ length: jobs }, (_, w) => new Promise((resolve, reject) => {
    const seeds = [];
    for (let s = start + w; s < start + n; s += jobs) seeds.push(s);
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { seeds, opts } });
    worker.on('message', (m) => {
      done++;
      insns += m.insns ?? 0;
      if (m.ok) return;
      failed++;
      for (const l of m.lines) console.log(l);
      // Keep the program where the next run's temporary files will not overwrite it.
      const keep = join(opts.out, `seed-${m.seed}`);
      for (const ext of ['.s', '.elf']) {
        try { copyFileSync(`${m.keep}${ext}`, `${keep}${ext}`); } catch { /* not built */ }
      }
      console.log(`  kept: ${relative(root, keep)}.s/.elf; again: node ${relative(root, here)}/diff.js ` +
        `--threshold ${opts.threshold} ${relative(root, keep)}.elf  (or fuzz.js --start ${m.seed} --seeds 1)`);
      if (m.stats) console.log(`  jit: ${m.stats}`);
    });
    worker.on('error', reject);
    worker.on('exit', resolve);
  })));
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(`jit fuzz: seeds ${start}..${start + n - 1}, ${done - failed} same, ${failed} failed ` +
    `(${(insns / 1e6).toFixed(1)} M instructions each engine, ${jobs} jobs, ${s} s)`);
  process.exitCode = failed || done !== n ? 1 : 0;
}
