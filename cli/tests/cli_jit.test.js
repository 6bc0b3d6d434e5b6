// `npx tabvm --jit on|off --stats`: the same guest work with the JIT on and off gives the same
// answer, and --stats reports which of the two ran (docs/jit.md, "Turning the JIT on and off").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { JIT_DEFAULT } from '../../shared/machine.js';

const root = new URL('../..', import.meta.url).pathname;

function tabvm(args) {
  const r = spawnSync('npx', ['--no-install', 'tabvm', ...args], { cwd: root, encoding: 'utf8', timeout: 180000 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

// A shell loop that makes the shell's hot code pass the JIT's threshold (JIT_HOT_THRESHOLD block
// entries) and then runs it compiled for most of its time: the sum of i*i mod 7 for i below
// 8,000, checked against the same sum computed here.
const LOOP = 'i=0; s=0; while [ $i -lt 8000 ]; do s=$(( (s + i * i % 7) % 1000003 )); i=$((i + 1)); done; echo sum=$s';
let want = 0;
for (let i = 0; i < 8000; i++) want = (want + ((i * i) % 7)) % 1000003;

/** --stats' lines (on stderr, after the command's own output). */
function parseStats(err) {
  const num = (re) => { const m = re.exec(err); return m ? Number(m[1].replace(/,/g, '')) : null; };
  return {
    instructions: num(/tabvm: ([\d,]+) guest instructions/),
    jit: /tabvm: JIT (on|off|unsupported: [^\n]*)/.exec(err)?.[1] ?? null,
    compiles: num(/([\d,]+) compiles/),
    liveRegions: num(/([\d,]+) live regions/),
    share: num(/\(([\d.]+) % of them\)/),
  };
}

test('--jit off: the interpreter alone runs the loop, and --stats says the JIT was off', () => {
  const r = tabvm(['--jit', 'off', '--stats', '--exec', LOOP]);
  assert.equal(r.status, 0, r.err);
  assert.equal(r.out, `sum=${want}\n`); // stdout stays the command's alone
  const s = parseStats(r.err);
  assert.equal(s.jit, 'off', r.err);
  assert.ok(s.instructions > 1e7, r.err);
  assert.equal(s.compiles, null, 'no JIT counters when it is off');
});

test('--jit on: the same answer, and --stats shows the JIT on with its counters', () => {
  const r = tabvm(['--jit', 'on', '--stats', '--exec', LOOP]);
  assert.equal(r.status, 0, r.err);
  assert.equal(r.out, `sum=${want}\n`);
  const s = parseStats(r.err);
  // Node 20 runs what the JIT emits (shared/jit_host.js, jitSupported); 'unsupported: …' here
  // would mean the interpreter ran instead.
  assert.equal(s.jit, 'on', r.err);
  assert.ok(s.instructions > 1e7, r.err);
  assert.ok(s.compiles !== null && s.liveRegions !== null && s.share !== null, r.err);
  // The loop's code is compiled and runs compiled (about a third of all instructions, boot
  // included, with the threshold at 100,000 block entries).
  assert.ok(s.compiles > 0, r.err);
  assert.ok(s.share > 10, r.err);
});

test(`without --jit the default (${JIT_DEFAULT ? 'on' : 'off'}) applies; bad values and --elf are refused`, () => {
  const r = tabvm(['--stats', '--exec', 'true']);
  assert.equal(r.status, 0, r.err);
  assert.equal(parseStats(r.err).jit, JIT_DEFAULT ? 'on' : 'off', r.err);
  let bad = tabvm(['--jit', 'fast', '--exec', 'true']);
  assert.equal(bad.status, 2);
  assert.match(bad.err, /--jit takes on or off, not 'fast'/);
  bad = tabvm(['--jit']);
  assert.equal(bad.status, 2);
  assert.match(bad.err, /--jit needs a value/);
  bad = tabvm(['--elf', 'x.elf', '--jit', 'on']);
  assert.equal(bad.status, 2);
  assert.match(bad.err, /--jit and --stats are for the Linux guest/);
});

test('--stats without --exec: printed when the guest powers off', () => {
  const r = spawnSync('npx', ['--no-install', 'tabvm', '--stats', '--jit', 'off'],
    { cwd: root, encoding: 'utf8', timeout: 180000, input: 'poweroff\n' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /the guest powered off/);
  assert.match(r.stderr, /tabvm: [\d,]+ guest instructions/);
  assert.match(r.stderr, /tabvm: JIT off/);
});
