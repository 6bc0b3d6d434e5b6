// The suite's report generator on real data: a committed result of `make bench`
// (bench/results/), so a change to report.js that miscomputes a median, a ratio or the chart
// fails here, in a second, without running the benchmarks (`make bench-tests`, in `make test`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stats, summarize, markdown, svg, previousResult } from '../report.js';
import { parseResult } from '../session.js';

const RESULT = new URL('../../results/2026-12-02T1058Z.json', import.meta.url);
const result = JSON.parse(readFileSync(RESULT, 'utf8'));

test('stats: median of odd and even counts, min, max; non-numbers ignored', () => {
  assert.deepEqual(stats([3, 1, 2]), { median: 2, min: 1, max: 3, n: 3 });
  assert.deepEqual(stats([4, 1, 3, 2, undefined]), { median: 2.5, min: 1, max: 4, n: 4 });
  assert.equal(stats([undefined]), null);
});

test('parseResult reads run.sh\'s line as the guest printed it (through a tty: CR LF)', () => {
  const r = parseResult('/bench/run.sh int\r\nBENCH-RESULT int 0450385100 1331484400 0 intbench_checksum_85a4fe4a5dab77c4\r\n', 'int');
  assert.deepEqual(r, { seconds: 0.8810993, status: 0, check: 'intbench_checksum_85a4fe4a5dab77c4' });
  assert.equal(parseResult('BENCH-RESULT bc 1 2 0 x', 'int'), null);
});

test('summarize recomputes every figure of the committed result from its samples', () => {
  const figures = summarize({ workloads: result.workloads, systems: result.systems, samples: result.samples });
  for (const [sys, byW] of Object.entries(result.samples)) {
    for (const [w, xs] of Object.entries(byW)) {
      const secs = xs.map((x) => x.seconds).sort((a, b) => a - b);
      assert.equal(figures[sys][w].median, secs[secs.length >> 1], `${sys} ${w}`);
      assert.equal(figures[sys][w].min, secs[0]);
      assert.equal(figures[sys][w].max, secs[secs.length - 1]);
    }
  }
  // Equivalent MIPS: TabVM-under-Node's instruction count over the other system's median.
  const count = figures['tabvm-node'].bc.instructions;
  assert.ok(count > 1e9, 'bc retires billions of instructions');
  assert.equal(figures.qemu.bc.equivMips, count / figures.qemu.bc.median / 1e6);
  assert.equal(figures.v86.bc.equivMips, undefined, 'no riscv64 count for an x86 guest');
});

test('the Markdown has a row per workload, the systems, and ratios of the medians', () => {
  const figures = summarize({ workloads: result.workloads, systems: result.systems, samples: result.samples });
  const md = markdown({ ...result, figures }, null);
  for (const w of ['boot', ...result.workloads]) assert.match(md, new RegExp(`^\\| ${w} \\|`, 'm'));
  for (const s of result.systems) assert.ok(md.includes(s.label), s.label);
  const want = (figures['tabvm-chromium'].bc.median / figures.qemu.bc.median).toFixed(2);
  const header = md.split('\n').find((l) => l.startsWith('| workload | TabVM native / QEMU'));
  const col = header.split('|').map((c) => c.trim()).indexOf('Chromium / QEMU');
  const bcRow = md.split('\n').filter((l) => l.startsWith('| bc |'))[1]; // the ratios table's
  assert.equal(bcRow.split('|').map((c) => c.trim())[col], `${want}×`);
});

test('the chart has one bar per figure, each titled with its median, inside one svg element', () => {
  const figures = summarize({ workloads: result.workloads, systems: result.systems, samples: result.samples });
  const out = svg({ ...result, figures });
  const bars = Object.values(figures).reduce((n, byW) => n + Object.keys(byW).length, 0);
  assert.equal((out.match(/<rect x="90" [^>]*><title>/g) ?? []).length, bars);
  assert.ok(out.startsWith('<svg ') && out.trimEnd().endsWith('</svg>'));
  assert.ok(out.includes(`QEMU TCG (qemu-system-riscv64): ${figures.qemu.bc.median.toFixed(2)} s`));
});

test('previousResult: the newest older file of the same mode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-results-'));
  try {
    for (const n of ['2026-01-01T0000Z.json', '2026-01-02T0000Z-quick.json', '2026-01-03T0000Z.json', '2026-01-04T0000Z.json']) {
      writeFileSync(join(dir, n), JSON.stringify({ quick: n.includes('quick'), figures: {} }));
    }
    assert.equal(previousResult(dir, '2026-01-04T0000Z.json').file, '2026-01-03T0000Z.json');
    assert.equal(previousResult(dir, '2026-01-03T0000Z.json').file, '2026-01-01T0000Z.json');
    assert.equal(previousResult(dir, '2026-01-05T0000Z-quick.json').file, '2026-01-02T0000Z-quick.json');
    assert.equal(previousResult(dir, '2026-01-01T0000Z.json'), null);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("the JIT's gain: the interpreter column's median over the JIT column's, and which engine each ran", () => {
  const samples = {
    'tabvm-chromium': { bc: [{ seconds: 9 }], int: [{ seconds: 0.7 }] },
    'tabvm-chromium-jit': { bc: [{ seconds: 2 }], int: [{ seconds: 0.2 }] },
  };
  const systems = [
    { name: 'tabvm-chromium', label: 'TabVM in headless Chromium (Wasm)', short: 'Chromium', isa: 'riscv64' },
    { name: 'tabvm-chromium-jit', label: 'TabVM Chromium with the JIT', short: 'Chromium JIT', isa: 'riscv64' },
  ];
  const r = { ...result, systems, workloads: ['bc', 'int'], samples, errors: [], skipped: [], memory: {},
    jit: { 'tabvm-chromium': 'off', 'tabvm-chromium-jit': 'on' } };
  const md = markdown({ ...r, figures: summarize(r) }, null);
  assert.match(md, /\*\*The JIT's gain in Chromium\*\* \(.*\): bc 4\.50×, int 3\.50×\./);
  assert.match(md, /^JIT: Chromium off, Chromium JIT on\.$/m);
  // Without the JIT column (the committed result), no gain line.
  assert.doesNotMatch(markdown(result, null), /JIT's gain/);
});
