#!/usr/bin/env node
// Differential testing of the JIT against the interpreter (docs/jit.md, "Testing the JIT"): runs
// each bare-metal ELF on two instances of the CPU module, one interpreting and one with the JIT
// on, and compares them whenever both have retired the same number of instructions: the full
// architectural state and all of RAM. Exits 1 on the first difference, naming it.
//
//   node cpu/riscv/tests/jit/diff.js [--threshold T] [--budget N] [--mem MiB] ELF...
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ARCH_WORDS, Hart, STATE_NAMES, W, cpuModule, elfSymbols } from './hart.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const DEFAULT_WASM = join(root, 'build/wasm/tabvm-cpu.wasm');
const hex = (v) => `0x${BigInt.asUintN(64, BigInt(v)).toString(16)}`;
const LOG_ENTRY = 256; // gen.js's checkpoints: the site number, then x1..x31

/**
 * Runs one ELF on both engines in lockstep.
 * @returns {{ ok: boolean, report: string[], ref: Hart, jit: Hart, syncs: number }}
 */
export function diffElf(path, opts = {}) {
  const { threshold = 2, budget = 4096, memMiB = 2, maxInsns = 400e6, wasm = DEFAULT_WASM,
    inject = null, ignore = [] } = opts;
  const module = cpuModule(wasm);
  const elf = readFileSync(path);
  const ref = new Hart(module, elf, { memMiB, threshold: 0 });
  const jit = new Hart(module, elf, { memMiB, threshold });
  const report = [];
  const skip = new Set(ignore.map((n) => W[n]));
  // A program may log checkpoints (gen.js does): entries in RAM from `difflog` up to the address
  // held in `difflog_ptr`. The logs only grow, so their common prefix can be compared even while the two
  // instances stand at different instruction counts.
  const syms = elfSymbols(elf);
  const log = syms.has('difflog') && syms.has('difflog_ptr')
    ? { at: syms.get('difflog'), ptr: syms.get('difflog_ptr'), checked: 0 } : null;
  let syncs = 0, injected = !inject;
  let suspect = null; // a difference seen at the last level point that stepping could not settle

  const fail = (what) => {
    report.push(`DIVERGENCE in ${path}: ${what}`);
    report.push(`  interpreter: instret ${ref.instret} pc ${hex(ref.pc)} ${STATE_NAMES[ref.state]}`);
    report.push(`  jit:         instret ${jit.instret} pc ${hex(jit.pc)} ${STATE_NAMES[jit.state]}`);
    return { ok: false, report, ref, jit, syncs };
  };

  // Architectural words that differ, by name (all but `except`).
  const archDiff = (except) => {
    const a = ref.arch(), b = jit.arch(), out = [];
    for (let i = 0; i < ARCH_WORDS.length; i++) {
      if (a[i] !== b[i] && !except.has(i) && !skip.has(i)) {
        out.push(`    ${ARCH_WORDS[i].padEnd(12)} interpreter ${hex(a[i])}  jit ${hex(b[i])}`);
      }
    }
    return out;
  };

  const ramDiff = () => {
    const a = ref.ram(), b = jit.ram();
    if (a.equals(b)) return [];
    const out = [];
    for (let off = 0; off < a.length && out.length < 8; off += 8) {
      const x = a.readBigUInt64LE(off), y = b.readBigUInt64LE(off);
      if (x !== y) out.push(`    RAM ${hex(0x80000000 + off)}  interpreter ${hex(x)}  jit ${hex(y)}`);
    }
    return out;
  };

  const logDiff = () => {
    if (!log) return [];
    const count = (h) => {
      const end = h.ramAt(log.ptr, 8)?.readBigUInt64LE(0) ?? 0n;
      return end > log.at ? Number((end - log.at) / BigInt(LOG_ENTRY)) : 0;
    };
    const n = Math.min(count(ref), count(jit));
    for (; log.checked < n; log.checked++) {
      const pa = log.at + BigInt(log.checked * LOG_ENTRY);
      const a = ref.ramAt(pa, LOG_ENTRY), b = jit.ramAt(pa, LOG_ENTRY);
      if (!a || !b || a.equals(b)) continue;
      const out = [`  checkpoint ${log.checked} (site ${a.readBigUInt64LE(0)}) differs:`];
      for (let r = 1; r < 32; r++) {
        const x = a.readBigUInt64LE(r * 8), y = b.readBigUInt64LE(r * 8);
        if (x !== y) out.push(`    ${ARCH_WORDS[r].padEnd(12)} interpreter ${hex(x)}  jit ${hex(y)}`);
      }
      return out;
    }
    return [];
  };

  const applyInjection = () => {
    if (injected || jit.instret < BigInt(inject.at)) return;
    if (inject.kind === 'ram') {
      const b = jit.ramAt(inject.addr, 1);
      if (!b) throw new Error(`--inject: ${hex(inject.addr)} is not in RAM`);
      b[0] ^= 1;
      injected = true;
    } else {
      injected = jit.corruptXReg(inject.reg);
    }
    if (injected) report.push(`(injected a fault into the jit instance: ${inject.text} at instret ${jit.instret})`);
  };

  for (;;) {
    const ia = ref.instret, ib = jit.instret;
    if (ia === ib) {
      syncs++;
      let d = [...archDiff(new Set()), ...ramDiff()];
      // The engines may stop at different points of one instruction count: one before an
      // instruction that traps (a trap retires nothing), the other already in the handler; or
      // one after a device access, where the other ran on to such a trap. Let each take what
      // is pending without retiring, and compare again; a step that retires something means
      // the difference was not that, and the next level point compares again.
      // Only once in a row: a difference still there at the next level point is one.
      for (let k = 0; d.length && !suspect && k < 4; k++) {
        const h = k % 2 ? ref : jit;
        const before = h.instret;
        h.step(1);
        if (h.instret !== before) { suspect = d; d = []; break; }
        d = [...archDiff(new Set()), ...ramDiff()];
      }
      if (d.length) return fail(`state differs at instret ${ia}:\n${d.join('\n')}`);
      if (ref.instret !== jit.instret) continue;
      suspect = null;
    }
    const dl = logDiff();
    if (dl.length) return fail(`checkpoint logs differ:\n${dl.join('\n')}`);
    if (ref.done && jit.done) break;
    if (ia + ib > BigInt(2 * maxInsns)) return fail(`no result after ${maxInsns} instructions`);
    // Advance the one behind; both when level. An instance that has finished stays where it is
    // (htif_step returns at once), so the other one runs to its end.
    if (ia === ib && !ref.done && !jit.done) {
      ref.step(budget);
      jit.step(budget);
    } else if ((ia < ib && !ref.done) || jit.done) {
      ref.step(1);
    } else {
      jit.step(1);
    }
    if (!injected) applyInjection();
  }

  // Both finished, maybe at different counts (the last slice ends where each engine can stop):
  // each spins on its final `j .` with the result written, so all else must match.
  if (ref.state !== jit.state || ref.exitCode !== jit.exitCode) {
    return fail(`results differ: interpreter ${STATE_NAMES[ref.state]} (${ref.exitCode}), ` +
      `jit ${STATE_NAMES[jit.state]} (${jit.exitCode})`);
  }
  const d = [...archDiff(new Set([W.instret])), ...ramDiff()];
  if (d.length) return fail(`final state differs:\n${d.join('\n')}`);
  return { ok: true, report, ref, jit, syncs };
}

/** One line of what the JIT did, for the summary. */
export function statsLine(h) {
  const s = h.jitStats();
  return `compiles ${s.compiles} (fails ${s.compileFails}), entries ${s.entries}, ` +
    `jit instret ${s.jitInstret}, exits fault/mmio/limit ${s.exitsFault}/${s.exitsMmio}/${s.exitsLimit}, ` +
    `invalidations ${s.invalidations}, evictions ${s.evictions}, live ${s.liveRegions} (${s.codeBytes} B)`;
}

export function parseInject(text) {
  // xN@INSTRET (flip bit 0 of an integer register) or ram:ADDR@INSTRET (flip bit 0 of a byte)
  const m = /^(?:x(\d+)|ram:(0x[0-9a-f]+))@(\d+)$/i.exec(text);
  if (!m || (m[1] && (+m[1] < 1 || +m[1] > 31))) throw new Error(`bad --inject ${text}`);
  return m[1] ? { kind: 'reg', reg: +m[1], at: +m[3], text } : { kind: 'ram', addr: BigInt(m[2]), at: +m[3], text };
}

const USAGE = `usage: diff.js [options] ELF...
  --threshold T       the JIT instance's hot threshold (default 2)
  --budget N          instructions per lockstep step (default 4096; htif_step runs 4096 at a time)
  --mem MiB           guest RAM (default 2)
  --max-insns N       give up after N instructions (default 400e6)
  --wasm PATH         the CPU module (default build/wasm/tabvm-cpu.wasm)
  --ignore W,...      architectural words not to compare (names as printed)
  --inject SPEC       self-test: corrupt the JIT instance (xN@INSTRET or ram:0xADDR@INSTRET)
  --expect-divergence NAME   self-test: succeed only if a divergence naming NAME is found
  --quiet             print only divergences and the summary`;

async function main(argv) {
  const opts = {}, elfs = [];
  let expect = null, quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], v = () => argv[++i];
    if (a === '--threshold') opts.threshold = +v();
    else if (a === '--budget') opts.budget = +v();
    else if (a === '--mem') opts.memMiB = +v();
    else if (a === '--max-insns') opts.maxInsns = +v();
    else if (a === '--wasm') opts.wasm = v();
    else if (a === '--ignore') opts.ignore = v().split(',');
    else if (a === '--inject') opts.inject = parseInject(v());
    else if (a === '--expect-divergence') expect = v();
    else if (a === '--quiet') quiet = true;
    else if (a.startsWith('-')) { console.error(USAGE); return 2; }
    else elfs.push(a);
  }
  if (!elfs.length || !(opts.threshold >= 0 || opts.threshold === undefined)) { console.error(USAGE); return 2; }
  let failed = 0, divergedAsExpected = 0;
  const t0 = performance.now();
  for (const path of elfs) {
    const r = diffElf(path, opts);
    for (const line of r.report) console.log(line);
    const result = `interpreter ${STATE_NAMES[r.ref.state]}, jit ${STATE_NAMES[r.jit.state]}`;
    if (expect !== null) {
      const hit = !r.ok && r.report.some((l) => l.includes(expect));
      console.log(`${hit ? 'OK  ' : 'MISS'} ${path}: ${hit ? 'the injected fault was reported' : `no divergence naming ${expect}`}`);
      if (hit) divergedAsExpected++;
      continue;
    }
    // ISA tests and generated programs all end in a pass: a shared failure is a failure too.
    const ok = r.ok && r.ref.state === 1;
    if (!ok) failed++;
    if (!ok || !quiet) {
      console.log(`${ok ? 'SAME' : 'FAIL'} ${path}: ${result}, ${r.ref.instret}/${r.jit.instret} instructions, ${r.syncs} sync points`);
      console.log(`     jit: ${statsLine(r.jit)}`);
    }
  }
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  if (expect !== null) {
    console.log(`self-test: ${divergedAsExpected} of ${elfs.length} injected faults reported (${s} s)`);
    return divergedAsExpected === elfs.length ? 0 : 1;
  }
  console.log(`diff: ${elfs.length - failed} same, ${failed} different or failing (${s} s)`);
  return failed ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
