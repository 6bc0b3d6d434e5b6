// The benchmark suite (`make bench`, bench/README.md): the same guest workloads on the host,
// TabVM's native build, TabVM under Node and in Chromium, QEMU and v86, several runs each, the
// runs of the systems interleaved so that load on the machine hits them alike. Every result is
// checked against a reference before it counts (a wrong answer fails the suite). Writes
// bench/results/<date>.json, .md and .svg and prints the Markdown.
// usage: node bench/suite/run.js [--quick] [--runs N] [--systems a,b] [--workloads a,b] [--out DIR]
//        node bench/suite/run.js --report bench/results/FILE.json   (rewrites its .md and .svg)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { SYSTEMS, closeShared } from './systems.js';
import { summarize, markdown, svg, previousResult } from './report.js';

export const WORKLOADS = ['bc', 'int', 'fp', 'forkexec', 'dd', 'seq'];

function parseArgs(argv) {
  const o = { quick: false, runs: 0, systems: null, workloads: WORKLOADS, out: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], v = () => argv[++i];
    if (a === '--quick') o.quick = true;
    else if (a === '--runs') o.runs = Number(v());
    else if (a === '--systems') o.systems = v().split(',');
    else if (a === '--workloads') o.workloads = v().split(',');
    else if (a === '--out') o.out = v();
    else throw new Error(`unknown argument ${a}`);
  }
  o.runs ||= o.quick ? 1 : 3;
  // Only whole runs go into the committed history; a part of the suite (a few systems or
  // workloads, while working on one thing) goes to build/.
  const part = o.systems || o.workloads !== WORKLOADS;
  o.out ??= new URL(part ? '../../build/bench/results' : '../results', import.meta.url).pathname;
  return o;
}

// What each workload must print (run.sh's CHECK) on every system: bc's digits as GNU bc on the
// host computes them (an independent implementation), the programs' checksums (they also check
// themselves), gzip's output size as the host's busybox gzip makes it, the counts.
function references() {
  const pi = execFileSync('bc', ['-l'], { input: 'scale=1000; 4*a(1)\n', encoding: 'utf8' }).replace(/\\\n/g, '').replace(/\n/g, '');
  if (!pi.startsWith('3.14159265358979323846')) throw new Error(`host bc printed ${pi.slice(0, 40)}...`);
  return {
    bc: createHash('md5').update(pi).digest('hex'),
    int: 'intbench_checksum_85a4fe4a5dab77c4',
    fp: 'fpbench_-0.169083713_1.274223985630_63457.421497_checksum_2814f7618928c03b',
    forkexec: '300',
    dd: null, // from the host's run: the same busybox gzip everywhere
    seq: '30000',
  };
}

// --report FILE.json: rewrite FILE's .md and .svg from its samples (after a change to report.js).
if (process.argv[2] === '--report') {
  const file = process.argv[3];
  const result = JSON.parse(readFileSync(file, 'utf8'));
  result.figures = summarize({ workloads: result.workloads, systems: result.systems, samples: result.samples });
  const dir = dirname(file), base = basename(file, '.json');
  const md = markdown(result, previousResult(dir, `${base}.json`));
  writeFileSync(`${dir}/${base}.md`, `${md}\n\n![chart](${base}.svg)\n`);
  writeFileSync(`${dir}/${base}.svg`, svg(result));
  writeFileSync(file, `${JSON.stringify(result, null, 1)}\n`);
  console.log(md);
  process.exit(0);
}

const opts = parseArgs(process.argv.slice(2));
const chosen = SYSTEMS.filter((s) => !opts.systems || opts.systems.includes(s.name));
const skipped = [];
const systems = chosen.filter((s) => {
  const why = s.unavailable();
  if (why) { skipped.push({ name: s.name, why }); console.error(`bench: skipping ${s.name}: ${why}`); }
  return !why;
});
const refs = references();
const raw = { workloads: opts.workloads, systems: systems.map(({ name, label, short, isa }) => ({ name, label, short, isa })), samples: {} };
const memory = {};
const started = Date.now();
const load = loadavg()[0].toFixed(2);
let failures = 0;
const errors = []; // sessions that broke off (a crash, a timeout): the suite goes on without them

/** One session (a boot) of system s: boot, then every workload once, each result checked. */
async function runSession(s, run) {
  const sample = (w, x) => ((raw.samples[s.name] ??= {})[w] ??= []).push(x);
  const session = await s.start();
  // Which engine ran: the JIT ('on'), the interpreter ('off'), or the interpreter because the
  // JIT could not run ('unsupported: why'), so a report never credits the JIT with a run it missed.
  if (session.jit !== undefined) (raw.jit ??= {})[s.name] = session.jit;
  try {
    if (session.bootSeconds !== null) sample('boot', { seconds: session.bootSeconds });
    const line = [`run ${run}/${opts.runs} ${s.name}:`, session.bootSeconds !== null ? `boot ${session.bootSeconds.toFixed(2)}` : ''];
    for (const w of opts.workloads) {
      if (s.workloads && !s.workloads.includes(w)) continue;
      const r = await session.run(w);
      if (!r?.check) throw new Error(`${w}: no result line`);
      refs[w] ??= r.check; // dd: the first system (the host) sets it
      if (r.status !== 0 || r.check !== refs[w]) {
        failures++;
        console.error(`bench: FAIL ${s.name} ${w}: status ${r.status}, printed ${r.check}, expected ${refs[w]}`);
        continue;
      }
      // The guest's clock must agree with the host's (a guest whose timer runs fast would
      // report a flattering time): the guest-timed span lies inside the host-timed one.
      if (r.hostSeconds !== undefined && r.seconds > r.hostSeconds * 1.02 + 0.02) {
        failures++;
        console.error(`bench: FAIL ${s.name} ${w}: guest clock says ${r.seconds.toFixed(3)} s, host ${r.hostSeconds.toFixed(3)} s`);
        continue;
      }
      sample(w, r);
      line.push(`${w} ${r.seconds.toFixed(2)}`);
    }
    memory[s.name] = Math.max(memory[s.name] ?? 0, session.peakKiB() ?? 0) || undefined;
    console.error(line.filter(Boolean).join(' '));
  } finally {
    await session.stop();
  }
}

try {
  for (let run = 1; run <= opts.runs; run++) {
    for (const s of systems) {
      try {
        await runSession(s, run);
      } catch (e) {
        failures++;
        errors.push({ system: s.name, run, error: e.message.slice(0, 500) });
        console.error(`bench: FAIL ${s.name} run ${run}: ${e.message.slice(0, 500)}`);
      }
    }
  }
} finally {
  await closeShared();
}

const date = new Date(started).toISOString().replace(/:\d\d\.\d+Z$/, 'Z').replace(':', '');
const git = (...a) => { try { return execFileSync('git', a, { encoding: 'utf8' }).trim(); } catch { return 'unknown'; } };
const result = {
  date, quick: opts.quick, runs: opts.runs, workloads: opts.workloads, systems: raw.systems, skipped, errors,
  commit: `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') ? ' (modified)' : ''}`,
  host: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, load },
  seconds: Math.round((Date.now() - started) / 1000),
  figures: summarize(raw), memory, jit: raw.jit ?? {}, samples: raw.samples,
};
mkdirSync(opts.out, { recursive: true });
const base = `${date}${opts.quick ? '-quick' : ''}`;
const prev = previousResult(opts.out, `${base}.json`);
writeFileSync(`${opts.out}/${base}.json`, `${JSON.stringify(result, null, 1)}\n`);
const md = markdown(result, prev);
writeFileSync(`${opts.out}/${base}.md`, `${md}\n\n![chart](${base}.svg)\n`);
writeFileSync(`${opts.out}/${base}.svg`, svg(result));
console.log(md);
console.log(`bench: ${result.seconds} s; wrote ${opts.out}/${base}.{json,md,svg}`);
if (failures) {
  console.error(`bench: ${failures} result(s) were wrong`);
  process.exit(1);
}
