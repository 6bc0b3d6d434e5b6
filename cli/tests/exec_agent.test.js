// The command channel's protocol, end to end without a machine: the guest agent built for this
// machine under ASan/UBSan (make guest-agent) speaking to the host's ExecChannel over a pipe.
// The same source runs in the guest on /dev/hvc1 (cli/tests/cli_exec_channel.test.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { ExecChannel } from '../../shared/exec_channel.js';
import * as P from '../../shared/exec_proto.js';

const root = new URL('../..', import.meta.url).pathname;
const agentPath = `${root}build/asan/tabvm-agent`;

/** Starts the agent with the channel on its stdin/stdout; returns the host's channel. */
function startAgent(t) {
  assert.ok(existsSync(agentPath), `${agentPath} is missing: run 'make guest-agent'`);
  const p = spawn(agentPath, ['-'], { stdio: ['pipe', 'pipe', 'inherit'] });
  p.stdin.on('error', () => {}); // (the agent is killed at the end of each test)
  const ch = new ExecChannel({
    send: (f) => { p.stdin.write(f); return true; },
    writable: () => Promise.resolve(),
  });
  p.stdout.on('data', (b) => ch.receive(new Uint8Array(b.buffer, b.byteOffset, b.length)));
  t.after(() => p.kill('SIGKILL'));
  return ch;
}

/** Runs cmd; resolves to { status, signal, stdout, stderr } (Buffers). */
async function run(ch, cmd, input) {
  const s = ch.open(cmd);
  const out = [], err = [];
  s.onStdout = (b) => out.push(b);
  s.onStderr = (b) => err.push(b);
  if (input) await s.write(input);
  s.end();
  const r = await s.done;
  return { ...r, stdout: Buffer.concat(out), stderr: Buffer.concat(err) };
}

test('tvm_exec.h and exec_proto.js agree, constant for constant', () => {
  const h = readFileSync(`${root}shared/tvm_exec.h`, 'utf8');
  const c = Object.fromEntries([...h.matchAll(/^#define (TVM_EXEC_[A-Z0-9_]+)\s+(0x[0-9a-f]+|\d+)/gm)].map((m) => [m[1], Number(m[2])]));
  assert.ok(Object.keys(c).length >= 14, 'parsed the header');
  assert.deepEqual({ ...P }, c);
});

test('the agent says hello, then runs commands with their status, streams and signals', async (t) => {
  const ch = startAgent(t);
  assert.deepEqual(await ch.hello, { version: 1, name: 'tabvm-agent' });
  let r = await run(ch, 'echo out; echo err >&2; exit 7');
  assert.deepEqual([r.status, r.signal, r.stdout.toString(), r.stderr.toString()], [7, 0, 'out\n', 'err\n']);
  r = await run(ch, 'kill -9 $$');
  assert.deepEqual([r.status, r.signal], [137, 9]);
  r = await run(ch, 'cat', Buffer.from('hi\n'));
  assert.equal(r.stdout.toString(), 'hi\n');
  r = await run(ch, 'cat >/dev/null; echo ok'); // stdin ends at once without input
  assert.equal(r.stdout.toString(), 'ok\n');
});

test('5 MiB of binary through cat arrive byte-exact (stdin credit and acks)', async (t) => {
  const ch = startAgent(t);
  const data = randomBytes(5 << 20);
  const r = await run(ch, 'cat', data);
  assert.equal(r.status, 0);
  assert.equal(createHash('sha256').update(r.stdout).digest('hex'), createHash('sha256').update(data).digest('hex'));
});

test('a signal reaches a command that does not read its stdin, and its whole process group', async (t) => {
  const ch = startAgent(t);
  const s = ch.open('sleep 100 | cat');
  s.write(randomBytes(1 << 20)); // more than the window: the rest waits for acks that never come
  await s.pid;
  s.kill('SIGINT');
  const r = await s.done;
  assert.equal(r.status, 130);
});

test('several commands at once keep their output apart', async (t) => {
  const ch = startAgent(t);
  const rs = await Promise.all([1, 2, 3, 4].map((i) => run(ch, `for j in 1 2 3; do echo ${i}; sleep 0.0${i}; done`)));
  rs.forEach((r, i) => assert.equal(r.stdout.toString(), `${i + 1}\n`.repeat(3)));
});

test('a background job holding the output does not hold the exit for long', async (t) => {
  const ch = startAgent(t);
  const t0 = Date.now();
  const r = await run(ch, 'sleep 30 & echo started');
  assert.equal(r.stdout.toString(), 'started\n');
  assert.ok(Date.now() - t0 < 5000);
});

test('a malformed frame from the host is refused clearly, and the channel reports it', async (t) => {
  const p = spawn(agentPath, ['-'], { stdio: ['pipe', 'pipe', 'pipe'] });
  t.after(() => p.kill('SIGKILL'));
  const ch = new ExecChannel({ send: () => true, writable: () => Promise.resolve() });
  p.stdout.on('data', (b) => ch.receive(new Uint8Array(b)));
  await ch.hello;
  const bad = Buffer.alloc(8);
  bad.writeUInt8(0x42, 0);
  p.stdin.write(bad);
  const code = await new Promise((resolve) => p.on('exit', resolve));
  assert.equal(code, 1);
  assert.match(ch.broken.message, /unknown frame type from the host/);
});

test('output nobody reads holds back its own command only, up to the output window', async (t) => {
  const ch = startAgent(t);
  const slow = ch.open('head -c 5000000 /dev/zero; echo done >&2');
  let got = 0, release;
  const gate = new Promise((resolve) => { release = resolve; });
  slow.onStdout = (b) => { got += b.length; return gate; }; // a reader that is full
  slow.end();
  await new Promise((r) => setTimeout(r, 500));
  assert.ok(got >= P.TVM_EXEC_OUTPUT_WINDOW && got <= P.TVM_EXEC_OUTPUT_WINDOW + P.TVM_EXEC_MAX_PAYLOAD, `${got} bytes`);
  assert.equal((await run(ch, 'echo other')).stdout.toString(), 'other\n'); // not held
  release();
  assert.equal((await slow.done).status, 0);
  assert.equal(got, 5000000);
});

test('bad frames from the guest fail the channel and its commands with a clear error', async () => {
  const hello = Buffer.from('810000001300000001000000008000007461626d2d6167656e74', 'hex'); // v1, "tabm-agent"
  hello.writeUInt32LE(hello.length - 8, 4);
  for (const [bad, why] of [
    [Buffer.from('8300010000000100', 'hex'), /exec channel: a frame of 65536 bytes \(type 0x83\)/],
    [Buffer.from('4200010000000000', 'hex'), /exec channel: unknown frame type 0x42/],
    [Buffer.from('810000000800000002000000ffffffff', 'hex'), /speaks version 2, not 1/],
  ]) {
    const ch = new ExecChannel({ send: () => true, writable: () => Promise.resolve() });
    ch.receive(new Uint8Array(hello));
    const s = ch.open('true');
    ch.receive(new Uint8Array(bad));
    await assert.rejects(s.done, why);
    assert.throws(() => ch.open('true'), why);
  }
});

test('more commands than the agent runs at once wait their turn; one killed while waiting ends', async (t) => {
  const ch = startAgent(t);
  const rs = Array.from({ length: 24 }, (_, i) => run(ch, `sleep 0.2; echo ${i}`));
  const waiting = ch.open('echo never');
  waiting.kill('SIGTERM');
  assert.deepEqual(await waiting.done, { status: 143, signal: 15 });
  const out = await Promise.all(rs);
  out.forEach((r, i) => assert.equal(r.stdout.toString(), `${i}\n`));
  assert.equal(ch.running, 0);
});
