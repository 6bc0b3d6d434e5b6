// CLI tests of `npx tabvm --elf`: the Wasm core under Node, its exit statuses and its errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'tabvm-cli-'));

function tabvm(...args) {
  const r = spawnSync('npx', ['--no-install', 'tabvm', ...args], { cwd: root, encoding: 'utf8', timeout: 120000 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

test('a passing ISA test exits 0', () => {
  const r = tabvm('--elf', join(root, 'build/isa/rv64i_alu.elf'));
  assert.equal(r.status, 0, r.err);
  assert.match(r.err, /pass \(\d+ instructions\)/);
});

test('a missing file is a clear error with status 2', () => {
  const r = tabvm('--elf', join(tmp, 'nope.elf'));
  assert.equal(r.status, 2);
  assert.match(r.err, /cannot open .*nope\.elf/);
});

test('a file that is not an ELF is refused', () => {
  const p = join(tmp, 'text.elf');
  writeFileSync(p, 'hello, this is not an ELF file at all, just some text\n'.repeat(4));
  const r = tabvm('--elf', p);
  assert.equal(r.status, 2);
  assert.match(r.err, /not an ELF file/);
});

test('an ELF for another machine is refused', () => {
  const r = tabvm('--elf', process.execPath);
  assert.equal(r.status, 2);
  assert.match(r.err, /another machine type/);
});

test('a truncated ELF is refused, never run', () => {
  const whole = readFileSync(join(root, 'build/isa/rv64i_alu.elf'));
  for (const n of [10, 64, 100, 3000]) {
    const p = join(tmp, `trunc${n}.elf`);
    writeFileSync(p, whole.subarray(0, n));
    const r = tabvm('--elf', p);
    assert.equal(r.status, 2, `truncated to ${n} bytes: ${r.err}`);
    assert.match(r.err, /tabvm: .*(truncated|not an ELF)/);
  }
});

test('unknown flags are an error', () => {
  const r = tabvm('--frobnicate');
  assert.equal(r.status, 2);
  assert.match(r.err, /unknown flag '--frobnicate'/);
});

test('a spinning program times out with status 3', () => {
  // A program that never writes tohost: a tight loop at the entry point.
  const elf = readFileSync(join(root, 'build/fixtures/spin.elf'));
  const p = join(tmp, 'spin.elf');
  writeFileSync(p, elf);
  const r = tabvm('--timeout', '1', '--elf', p);
  assert.equal(r.status, 3);
  assert.match(r.err, /timeout after 1 s/);
});
