// `npx tabvm --exec` on the command channel (docs/exec-channel.md): the real guest, its agent on
// /dev/hvc1 and the real Wasm modules under Node. Status, signals, stdin, byte-exact binary
// output, separate streams, several commands in one boot, Ctrl-C; and the JavaScript API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { assetPaths, boot } from '../boot.js';
import { DEFAULT_CMDLINE } from '../../shared/machine.js';

const root = new URL('../..', import.meta.url).pathname;
const build = `${root}build`;

function tabvm(args, input) {
  const r = spawnSync('node', ['cli/tabvm.js', ...args], { cwd: root, timeout: 180000, input, maxBuffer: 64 << 20 });
  return { status: r.status, out: r.stdout, err: r.stderr.toString() };
}

test('exit N and a signal give the shell-style status', () => {
  assert.equal(tabvm(['--exec', 'exit 7']).status, 7);
  assert.equal(tabvm(['--exec', 'kill -9 $$']).status, 137);
});

test("stdin goes to the command, and ends when the CLI's stdin ends", () => {
  let r = tabvm(['--exec', 'cat'], 'hi\n');
  assert.equal(r.status, 0, r.err);
  assert.equal(r.out.toString(), 'hi\n');
  r = tabvm(['--exec', 'wc -c'], '');
  assert.equal(r.out.toString().trim(), '0');
});

test('5 MiB of binary piped through cat come back with the same sha256', () => {
  const data = randomBytes(5 << 20);
  const r = tabvm(['--exec', 'cat'], data);
  assert.equal(r.status, 0, r.err);
  assert.equal(r.out.length, data.length);
  assert.equal(createHash('sha256').update(r.out).digest('hex'), createHash('sha256').update(data).digest('hex'));
});

test('stdout and stderr arrive on their own streams, unchanged (no \\r\\n)', () => {
  const r = tabvm(['--exec', "printf 'out\\n'; printf 'err\\r\\n' >&2; printf '\\000\\377'"]);
  assert.equal(r.status, 0, r.err);
  assert.deepEqual([...r.out], [...Buffer.from('out\n\0\xff', 'latin1')]);
  assert.equal(r.err, 'err\r\n');
});

test('several --exec run in order in one boot, up to the first that fails', () => {
  let r = tabvm(['--exec', 'echo one > /tmp/f; cat', '--exec', 'cat /tmp/f; cat'], 'in\n');
  assert.equal(r.status, 0, r.err);
  // The first command took all of stdin; the second found the first one's file.
  assert.equal(r.out.toString(), 'in\none\n');
  r = tabvm(['--exec', 'echo a', '--exec', 'exit 3', '--exec', 'echo never']);
  assert.equal(r.status, 3);
  assert.equal(r.out.toString(), 'a\n');
});

test('Ctrl-C (SIGINT to the CLI) interrupts the command', async () => {
  const p = spawn('node', ['cli/tabvm.js', '--exec', 'echo started; sleep 100; echo not-reached'], { cwd: root });
  let out = '';
  const started = new Promise((resolve) => p.stdout.on('data', (b) => { out += b; if (out.includes('started')) resolve(); }));
  await started;
  const t0 = Date.now();
  p.kill('SIGINT');
  const code = await new Promise((resolve) => p.on('exit', resolve));
  assert.equal(code, 130);
  assert.ok(Date.now() - t0 < 10000, `took ${Date.now() - t0} ms`);
  assert.equal(out, 'started\n');
});

test('the API: exec and spawn never show in the console; a guest without the channel falls back', async () => {
  const vm = await boot(assetPaths(build), { memMiB: 256, cmdline: `${DEFAULT_CMDLINE} quiet`, cols: 200, rows: 50 });
  const consoleText = [];
  vm.onOutput((b) => consoleText.push(Buffer.from(b)));
  try {
    const r = await vm.exec('echo to-out; echo to-err >&2; exit 4');
    assert.deepEqual([r.status, r.stdout, r.stderr], [4, 'to-out\n', 'to-err\n']);
    assert.equal((await vm.exec('tr a-z A-Z', { stdin: 'abc' })).stdout, 'ABC');
    const p = vm.spawn('for i in 1 2 3; do echo tick $i; sleep 0.2; done; cat');
    const w = p.stdin.getWriter();
    await w.write('fed\n');
    await w.close();
    const got = [];
    for await (const chunk of p.stdout) got.push(Buffer.from(chunk).toString());
    assert.equal(got.join(''), 'tick 1\ntick 2\ntick 3\nfed\n');
    assert.ok(got.length >= 3, 'streamed, not in one piece');
    assert.deepEqual(await p.exit, { status: 0, signal: 0 });
    assert.doesNotMatch(Buffer.concat(consoleText).toString(), /to-out|tick|TVM[BE]_/);
  } finally {
    await vm.stop();
  }
  const old = await boot(assetPaths(build), { memMiB: 256, cmdline: `${DEFAULT_CMDLINE} quiet`, cols: 200, rows: 50, execChannel: false });
  try {
    const r = await old.exec('echo typed');
    assert.deepEqual([r.status, r.output], [0, 'typed\n']);
  } finally {
    await old.stop();
  }
});

test('--mem: the largest machine boots; a larger one is refused up front with the reason', () => {
  let r = tabvm(['--mem', '2047', '--exec', 'grep MemTotal /proc/meminfo']);
  assert.equal(r.status, 0, r.err);
  assert.ok(Number(/MemTotal:\s+(\d+)/.exec(r.out.toString())[1]) > 2000 * 1024);
  r = tabvm(['--mem', '2048', '--exec', 'true']);
  assert.equal(r.status, 2);
  assert.match(r.err, /--mem 2048: at most 2047 MiB \(guest RAM is one allocation in a 32-bit Wasm heap\)/);
  assert.match(r.err, /--mem MiB\s+guest RAM size, 64 to 2047/);
});

test('a reader that goes away (| head) ends the command with SIGPIPE, as in a pipeline', () => {
  const r = spawnSync('bash', ['-c', 'node cli/tabvm.js --exec yes | head -c 4; echo " ${PIPESTATUS[0]}"'],
    { cwd: root, encoding: 'utf8', timeout: 60000 });
  assert.equal(r.stdout, 'y\ny\n 141\n');
  assert.doesNotMatch(r.stderr, /EPIPE|Error/);
});

test('in a terminal: stdin reaches the command only with -i', async () => {
  // script(1) gives the CLI a real pseudo-terminal as stdin.
  const run = (args, typed) => new Promise((resolve) => {
    const child = spawn('script', ['-qec', `node cli/tabvm.js ${args}`, '/dev/null'], { cwd: root });
    let out = '';
    child.stdout.on('data', (b) => {
      out += b;
      if (typed && out.includes('ready')) { child.stdin.write(typed); typed = null; }
    });
    child.on('exit', (code) => resolve({ code, out }));
  });
  // Without -i the command sees the end of input at once: cat returns, nothing waits for keys.
  let r = await run("--exec 'cat; echo cat-ended'");
  assert.equal(r.code, 0);
  assert.match(r.out, /cat-ended/);
  r = await run("-i --exec 'echo ready; head -1 | tr a-z A-Z'", 'typed-line\r');
  assert.equal(r.code, 0);
  assert.match(r.out, /TYPED-LINE/);
});
