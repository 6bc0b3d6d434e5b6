// The suite's report: figures from the raw samples (median, min, max), the Markdown table with
// the ratios, the comparison with the previous result file, and the SVG chart (written by hand:
// a few rectangles and labels need no charting library). docs/performance.md says how to read it.
import { readdirSync, readFileSync } from 'node:fs';

/** { median, min, max, n } of numbers (the median of an even count is the mean of the middle two). */
export function stats(xs) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], n: s.length };
}

/**
 * Turns the raw samples into figures: per system and workload the seconds, plus boot, peak
 * memory and guest MIPS. raw.samples[system][workload] = [{ seconds, instructions?, hostSeconds? }].
 */
export function summarize(raw) {
  const figures = {};
  for (const [sys, byW] of Object.entries(raw.samples)) {
    figures[sys] = {};
    for (const [w, xs] of Object.entries(byW)) {
      const f = stats(xs.map((x) => x.seconds));
      if (!f) continue;
      f.cpu = stats(xs.map((x) => x.cpuSeconds)) ?? undefined;
      // Another ISA's instructions (v86's x86): their own rate, never mixed with riscv64 counts.
      const foreign = stats(xs.map((x) => x.foreignInstructions));
      if (foreign) {
        f.foreignInstructions = foreign.median;
        f.foreignMips = stats(xs.map((x) => (x.foreignInstructions && x.hostSeconds ? x.foreignInstructions / x.hostSeconds / 1e6 : NaN)))?.median;
      }
      const ins = stats(xs.map((x) => x.instructions));
      if (ins) {
        f.instructions = ins.median;
        // Instructions retired over the host time of the whole command (run.sh, its clock reads
        // and the command channel included in both).
        f.mips = stats(xs.map((x) => (x.instructions && x.hostSeconds ? x.instructions / x.hostSeconds / 1e6 : NaN)))?.median;
      }
      figures[sys][w] = f;
    }
  }
  // The guest work of a workload is the same on every riscv64 system: TabVM's instruction count
  // divided by another system's time gives its speed in the same unit ("equivalent MIPS").
  for (const w of raw.workloads) {
    const count = figures['tabvm-node']?.[w]?.instructions ?? figures['tabvm-chromium']?.[w]?.instructions;
    if (!count) continue;
    for (const s of raw.systems) {
      const f = figures[s.name]?.[w];
      if (f && s.isa === 'riscv64' && w !== 'boot') f.equivMips = count / f.median / 1e6;
    }
  }
  return figures;
}

const fmt = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3));
const cell = (f) => (f ? `${fmt(f.median)} (${fmt(f.min)}–${fmt(f.max)})` : '—');
const ratio = (a, b) => (a && b ? `${(a.median / b.median).toFixed(2)}×` : '—');

/** The newest result file older than current (names start with the date) of the same mode, or null. */
export function previousResult(dir, current) {
  let names;
  try { names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort(); } catch { return null; }
  const date = (n) => n.replace(/(-quick)?\.json$/, '');
  for (const n of names.reverse()) {
    if (date(n) >= date(current)) continue;
    try {
      const r = JSON.parse(readFileSync(`${dir}/${n}`, 'utf8'));
      if (!!r.quick === !!(current.includes('quick'))) return { file: n, result: r };
    } catch { /* not a result file */ }
  }
  return null;
}

/** The Markdown report: times, ratios, MIPS and memory, and the change against prev. */
export function markdown(result, prev) {
  const { systems, workloads, figures } = result;
  const sys = systems.filter((s) => figures[s.name]);
  const L = [];
  L.push(`# Benchmark ${result.date}${result.quick ? ' (quick)' : ''}`, '');
  L.push(`${result.runs} run(s) per figure: median (min–max), seconds, timed inside the guest by run.sh (boot: host time ` +
    `from start to the shell prompt). Host: ${result.host.cpu}, ${result.host.cores} cores, load average at start ${result.host.load}. ` +
    `Commit ${result.commit}.${Number(result.host.load) > result.host.cores ? ' **The machine was busy** (more runnable jobs than cores): ' +
      'the wall times are stretched and spread; compare the CPU seconds and the ratios within this run.' : ''}`, '');
  L.push(`| workload | ${sys.map((s) => s.label).join(' | ')} |`, `| --- |${sys.map(() => ' --- |').join('')}`);
  for (const w of ['boot', ...workloads]) L.push(`| ${w} | ${sys.map((s) => cell(figures[s.name][w])).join(' | ')} |`);
  L.push('');
  const tabvm = sys.filter((s) => s.name.startsWith('tabvm-'));
  const refs = ['qemu', 'host', 'tabvm-native'].filter((n) => figures[n]);
  const short = (n) => sys.find((s) => s.name === n)?.short ?? n;
  if (tabvm.length && refs.length) {
    // TabVM against QEMU and the host for each TabVM system, then the Wasm builds against the
    // native build (what WebAssembly costs).
    const cols = refs.flatMap((n) => tabvm.filter((t) => t.name !== n).map((t) => [t, n, `${short(t.name)} / ${short(n)}`]));
    L.push('Ratios of the medians (how many times longer TabVM takes; TabVM native = the interpreter without WebAssembly):', '');
    L.push(`| workload | ${cols.map((c) => c[2]).join(' | ')} |`, `| --- |${cols.map(() => ' --- |').join('')}`);
    for (const w of ['boot', ...workloads]) L.push(`| ${w} | ${cols.map(([t, n]) => ratio(figures[t.name][w], figures[n][w])).join(' | ')} |`);
    L.push('');
  }
  // The JIT's gain: the same page with the JIT on, in the same run.
  const gain = workloads.filter((w) => figures['tabvm-chromium']?.[w] && figures['tabvm-chromium-jit']?.[w]);
  if (gain.length) {
    L.push(`**The JIT's gain in Chromium** (the interpreter's median time over the JIT's, same run): ${gain.map((w) =>
      `${w} ${ratio(figures['tabvm-chromium'][w], figures['tabvm-chromium-jit'][w])}`).join(', ')}.`, '');
  }
  const jit = Object.entries(result.jit ?? {}).filter(([n]) => figures[n]);
  if (jit.length) L.push(`JIT: ${jit.map(([n, st]) => `${short(n)} ${st}`).join(', ')}.`, '');
  // The yardstick of issue 9: bc in Chromium within 3× QEMU's time (in the same run).
  const cb = figures['tabvm-chromium']?.bc, qb = figures.qemu?.bc;
  if (cb && qb) {
    const r = cb.median / qb.median, rc = cb.cpu && qb.cpu ? cb.cpu.median / qb.cpu.median : null;
    L.push(`**Target: bc in Chromium within 3× QEMU** — ${r.toFixed(2)}× (${rc ? `CPU seconds ${rc.toFixed(2)}×` : 'no CPU figure'}): ` +
      `${r <= 3 ? 'met' : 'not met'}.`, '');
  }
  const cpuSys = sys.filter((s) => workloads.some((w) => figures[s.name][w]?.cpu));
  if (cpuSys.length) {
    L.push('CPU seconds the emulator used during each workload (user + system, all its threads and, for Chromium, all the ' +
      'browser\'s processes; from /proc, 10 ms resolution): less disturbed by other jobs on the machine than the times above:', '');
    L.push(`| workload | ${cpuSys.map((s) => s.label).join(' | ')} |`, `| --- |${cpuSys.map(() => ' --- |').join('')}`);
    for (const w of workloads) L.push(`| ${w} | ${cpuSys.map((s) => cell(figures[s.name][w]?.cpu)).join(' | ')} |`);
    L.push('');
    // The same ratios as above, of CPU seconds (no host column: its workloads are not measured so).
    const cpuCols = ['qemu', 'tabvm-native'].filter((n) => figures[n])
      .flatMap((n) => tabvm.filter((t) => t.name !== n).map((t) => [t, n, `${short(t.name)} / ${short(n)}`]));
    if (cpuCols.length) {
      L.push('Ratios of the CPU seconds:', '');
      L.push(`| workload | ${cpuCols.map((c) => c[2]).join(' | ')} |`, `| --- |${cpuCols.map(() => ' --- |').join('')}`);
      for (const w of workloads) L.push(`| ${w} | ${cpuCols.map(([t, n]) => ratio(figures[t.name][w]?.cpu, figures[n][w]?.cpu)).join(' | ')} |`);
      L.push('');
    }
  }
  const mipsSys = sys.filter((s) => s.isa === 'riscv64');
  if (workloads.some((w) => mipsSys.some((s) => figures[s.name][w]?.equivMips))) {
    L.push('Guest speed, million riscv64 instructions per second: TabVM counts them (Node, Chromium: measured); the others ' +
      'are TabVM\'s count of the same work over their time (equivalent MIPS):', '');
    L.push(`| workload | guest instructions (M) | ${mipsSys.map((s) => s.label).join(' | ')} |`, `| --- | --- |${mipsSys.map(() => ' --- |').join('')}`);
    for (const w of workloads) {
      const count = figures['tabvm-node']?.[w]?.instructions ?? figures['tabvm-chromium']?.[w]?.instructions;
      if (!count) continue;
      L.push(`| ${w} | ${(count / 1e6).toFixed(0)} | ${mipsSys.map((s) => {
        const f = figures[s.name][w];
        if (!f) return '—';
        return f.mips ? `${f.mips.toFixed(0)} (equiv. ${f.equivMips.toFixed(0)})` : f.equivMips ? f.equivMips.toFixed(0) : '—';
      }).join(' | ')} |`);
    }
    L.push('');
  }
  for (const s of sys.filter((x) => x.isa !== 'riscv64' && workloads.some((w) => figures[x.name][w]?.foreignMips))) {
    L.push(`${s.label} counts its own ${s.isa} instructions: ${workloads.filter((w) => figures[s.name][w]?.foreignMips)
      .map((w) => `${w} ${(figures[s.name][w].foreignInstructions / 1e6).toFixed(0)} M at ${figures[s.name][w].foreignMips.toFixed(0)} MIPS`).join(', ')} ` +
      '(another ISA: compare with the riscv64 counts only loosely).', '');
  }
  const mem = sys.filter((s) => result.memory[s.name]);
  if (mem.length) {
    L.push(`Peak memory of the emulator (MiB, largest of the runs): ${mem.map((s) => `${s.label} ${(result.memory[s.name] / 1024).toFixed(0)}`).join(', ')}.`, '');
  }
  if (result.errors?.length) L.push(`Broke off: ${result.errors.map((e) => `${e.system} run ${e.run} (${e.error.split('\n')[0]})`).join('; ')}.`, '');
  if (result.skipped.length) L.push(`Not run: ${result.skipped.map((s) => `${s.name} (${s.why})`).join('; ')}.`, '');
  if (prev) {
    // A busier or quieter machine moves every system alike; the ratio to QEMU in the same run
    // (QEMU's code does not change between runs) cancels most of that.
    const pf = prev.result.figures ?? {};
    const pct = (d) => `${d >= 0 ? '+' : ''}${(d * 100).toFixed(0)}%${Math.abs(d) > 0.3 ? (d > 0 ? ' **slower**' : ' **faster**') : ''}`;
    L.push(`Change of the medians against the previous result (${prev.file}); more than ±30% is beyond this machine's noise. ` +
      'The last column compares the ratio to QEMU in each run instead, which a change of load on the machine moves much less:', '');
    const rows = [];
    for (const s of sys) {
      for (const w of ['boot', ...workloads]) {
        const a = figures[s.name][w], b = pf[s.name]?.[w];
        if (!a || !b) continue;
        const qa = figures.qemu?.[w], qb = pf.qemu?.[w];
        const rel = s.name !== 'qemu' && s.name !== 'host' && qa && qb ? pct((a.median / qa.median) / (b.median / qb.median) - 1) : '—';
        rows.push(`| ${s.label} | ${w} | ${fmt(b.median)} | ${fmt(a.median)} | ${pct(a.median / b.median - 1)} | ${rel} |`);
      }
    }
    L.push('| system | workload | before (s) | now (s) | change | change of the ratio to QEMU |', '| --- | --- | --- | --- | --- | --- |', ...rows, '');
  }
  return L.join('\n');
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');
const COLORS = { host: '#4d4d4d', 'tabvm-native': '#2b8cbe', 'tabvm-node': '#e6550d', 'tabvm-chromium': '#fdae6b', 'tabvm-chromium-jit': '#fdd0a2', qemu: '#31a354', v86: '#756bb1' };

/**
 * The chart: one group of horizontal bars per workload, one bar per system, on a logarithmic
 * time axis (the systems span two orders of magnitude), each labelled with its median.
 */
export function svg(result) {
  const { systems, workloads, figures } = result;
  const sys = systems.filter((s) => figures[s.name]);
  const rows = ['boot', ...workloads].map((w) => ({ w, bars: sys.map((s) => [s, figures[s.name][w]]).filter(([, f]) => f) })).filter((r) => r.bars.length);
  const all = rows.flatMap((r) => r.bars.map(([, f]) => f.median));
  const lo = Math.pow(10, Math.floor(Math.log10(Math.min(...all)))), hi = Math.pow(10, Math.ceil(Math.log10(Math.max(...all))));
  const left = 90, width = 560, barH = 12, gap = 14, top = 40;
  const x = (v) => left + (Math.log10(v / lo) / Math.log10(hi / lo)) * width;
  let y = top;
  const out = [];
  for (const r of rows) {
    out.push(`<text x="4" y="${y + (r.bars.length * barH) / 2 + 4}" font-weight="bold">${esc(r.w)}</text>`);
    for (const [s, f] of r.bars) {
      out.push(`<rect x="${left}" y="${y}" width="${Math.max(1, x(f.median) - left).toFixed(1)}" height="${barH - 2}" fill="${COLORS[s.name] ?? '#999'}"><title>${esc(s.label)}: ${fmt(f.median)} s (${fmt(f.min)}–${fmt(f.max)})</title></rect>`);
      out.push(`<text x="${(x(f.median) + 4).toFixed(1)}" y="${y + barH - 3}" font-size="10">${fmt(f.median)} s</text>`);
      y += barH;
    }
    y += gap;
  }
  const axis = [];
  for (let v = lo; v <= hi * 1.001; v *= 10) {
    axis.push(`<line x1="${x(v).toFixed(1)}" y1="${top - 6}" x2="${x(v).toFixed(1)}" y2="${y - gap}" stroke="#ddd"/>`,
      `<text x="${x(v).toFixed(1)}" y="${top - 10}" font-size="10" text-anchor="middle">${v >= 1 ? v : v.toPrecision(1)} s</text>`);
  }
  // The legend in two columns (the labels are up to ~35 characters).
  const legend = sys.map((s, i) => `<rect x="${left + (i % 2) * 280}" y="${y + 6 + Math.floor(i / 2) * 16}" width="10" height="10" fill="${COLORS[s.name] ?? '#999'}"/>` +
    `<text x="${left + (i % 2) * 280 + 14}" y="${y + 15 + Math.floor(i / 2) * 16}" font-size="11">${esc(s.label)}</text>`);
  const h = y + 16 + Math.ceil(sys.length / 2) * 16;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${left + width + 80}" height="${h}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="4" y="16" font-weight="bold">TabVM benchmark ${esc(result.date)}${result.quick ? ' (quick)' : ''}: median seconds, log scale, shorter is faster</text>
${axis.join('\n')}
${out.join('\n')}
${legend.join('\n')}
</svg>
`;
}
