// CLI tests of `npx tabvm --exec` and the interactive console: the real guest image, the real
// Wasm modules and the same worker layout as the page, under Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;

function tabvm(args, { input, env } = {}) {
  const r = spawnSync('npx', ['--no-install', 'tabvm', ...args], {
    cwd: root, encoding: 'utf8', timeout: 180000, input, env: { ...process.env, ...env },
  });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

test('--exec prints the command output and exits 0', () => {
  const r = tabvm(['--exec', 'uname -m']);
  assert.equal(r.status, 0, r.err);
  assert.equal(r.out, 'riscv64\n');
});

test("--exec exits with the command's status", () => {
  assert.equal(tabvm(['--exec', "sh -c 'exit 7'"]).status, 7);
  const r = tabvm(['--exec', 'ls /no/such/dir']);
  assert.equal(r.status, 1);
  assert.match(r.err, /No such file or directory/);
  assert.equal(r.out, '');
});

test('--exec takes comments, background jobs and several lines', () => {
  assert.equal(tabvm(['--exec', 'echo a # a comment']).out, 'a\n');
  assert.equal(tabvm(['--exec', "sh -c 'exit 5' &\nwait $!"]).status, 5);
  const r = tabvm(['--exec', 'for i in 1 2; do\necho line $i\ndone']);
  assert.equal(r.out, 'line 1\nline 2\n');
});

test('the guest has /proc, /sys, /dev, a tmpfs /tmp and a hostname', () => {
  const r = tabvm(['--exec', 'cat /proc/mounts; hostname; ls /dev/hvc0; echo x > /tmp/f && cat /tmp/f']);
  assert.equal(r.status, 0, r.err);
  for (const m of [/^proc \/proc proc/m, /^sysfs \/sys sysfs/m, /^devtmpfs \/dev devtmpfs/m, /^tmpfs \/tmp tmpfs/m])
    assert.match(r.out, m);
  assert.match(r.out, /^tabvm$/m);
  assert.match(r.out, /^\/dev\/hvc0$/m);
  assert.match(r.out, /^x$/m);
});

test('--mem sets the guest RAM size', () => {
  const r = tabvm(['--mem', '128', '--exec', "grep MemTotal /proc/meminfo"]);
  assert.equal(r.status, 0, r.err);
  const kib = Number(/MemTotal:\s+(\d+) kB/.exec(r.out)[1]);
  assert.ok(kib > 100 * 1024 && kib <= 128 * 1024, `MemTotal ${kib} kB`);
});

test('output larger than the console ring arrives whole and in order', () => {
  // 400 KiB in 4 KiB writes (six times the 64 KiB ring), then 5,000 short lines.
  const r = tabvm(['--exec', "dd if=/dev/zero bs=4096 count=100 2>/dev/null | tr '\\0' x; echo; seq 1 5000"]);
  assert.equal(r.status, 0, r.err);
  const lines = r.out.split('\n');
  assert.equal(lines[0], 'x'.repeat(409600));
  assert.deepEqual(lines.slice(1, -1), Array.from({ length: 5000 }, (_, i) => String(i + 1)));
});

test('the console reads what is typed, and poweroff ends the CLI', () => {
  const r = tabvm([], { input: 'echo typed-$((6*7))\npoweroff\n' });
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /typed-42/);
  assert.match(r.out, /the guest powered off/);
});

test('a corrupt kernel or a truncated initramfs is a clear error, not a hang', async () => {
  const { mkdirSync, copyFileSync, readFileSync, writeFileSync, readdirSync } = await import('node:fs');
  const bad = mkdtempSync(join(tmpdir(), 'tabvm-bad-'));
  mkdirSync(join(bad, 'wasm'));
  mkdirSync(join(bad, 'guest'));
  for (const f of readdirSync(join(root, 'build/wasm'))) copyFileSync(join(root, 'build/wasm', f), join(bad, 'wasm', f));
  const initrd = readFileSync(join(root, 'build/guest/initramfs.cpio.gz'));
  writeFileSync(join(bad, 'guest/initramfs.cpio.gz'), initrd.subarray(0, initrd.length >> 3));
  writeFileSync(join(bad, 'guest/Image'), Buffer.from('this is not a kernel image '.repeat(100)));
  let r = tabvm(['--exec', 'true'], { env: { TABVM_BUILD: bad } });
  assert.equal(r.status, 2);
  assert.match(r.err, /the kernel is not a RISC-V Linux Image/);
  copyFileSync(join(root, 'build/guest/Image'), join(bad, 'guest/Image'));
  r = tabvm(['--exec', 'true'], { env: { TABVM_BUILD: bad } });
  assert.equal(r.status, 1);
  assert.match(r.err, /the guest kernel panicked: No working init found/);
});

test('bad flags and missing images are clear errors', () => {
  let r = tabvm(['--mem']);
  assert.equal(r.status, 2);
  assert.match(r.err, /--mem needs a value/);
  r = tabvm(['--mem', 'lots', '--exec', 'true']);
  assert.equal(r.status, 2);
  r = tabvm(['--exec', 'true'], { env: { TABVM_BUILD: mkdtempSync(join(tmpdir(), 'tabvm-empty-')) } });
  assert.equal(r.status, 2);
  assert.match(r.err, /is missing: run 'make image wasm' first/);
});

test('in a terminal: raw mode, the shell echoes, reboot boots again, Ctrl-A x quits', async () => {
  // script(1) gives the CLI a real pseudo-terminal; keystrokes arrive through it.
  const { spawn } = await import('node:child_process');
  const child = spawn('script', ['-qec', 'npx --no-install tabvm', '/dev/null'], { cwd: root });
  let out = '';
  child.stdout.on('data', (b) => { out += b; });
  const waitFor = async (re) => {
    for (let i = 0; i < 600 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(out, re);
  };
  await waitFor(/root@tabvm:~# /);
  child.stdin.write('echo pty-$((2*21))\r');
  await waitFor(/pty-42/);
  child.stdin.write('reboot\r');
  await waitFor(/Requesting system reboot[^]*TabVM guest: [^]*root@tabvm:~# /);
  child.stdin.write('echo after-reboot-$((3*3))\r');
  await waitFor(/after-reboot-9/);
  child.stdin.write('\x01x');
  const code = await new Promise((r) => child.on('exit', r));
  assert.equal(code, 0);
});

test('the guest RNG is seeded at boot (device tree rng-seed): getrandom does not block', () => {
  // Without the seed the kernel reports "crng init done" only ~15 s after boot, and the first
  // mke2fs or python start waits for it.
  const r = tabvm(['--exec', 'dmesg | grep -c "crng init done"; head -c 8 /dev/random | wc -c']);
  assert.equal(r.status, 0, r.err);
  assert.equal(r.out, '1\n8\n');
});

test("the guest's clock is the host's (goldfish RTC): date and file times are today", () => {
  const r = tabvm(['--exec', 'date -u +%s; touch /tmp/t; date -u -r /tmp/t +%s; hwclock -r -u >/dev/null && echo rtc-ok']);
  assert.equal(r.status, 0, r.err);
  const [guestNow, fileTime, rtc] = r.out.trim().split('\n');
  const hostNow = Math.floor(Date.now() / 1000);
  // The guest read the clock a moment ago (boot and the command take seconds, not minutes).
  assert.ok(Math.abs(Number(guestNow) - hostNow) < 120, `guest ${guestNow} host ${hostNow}`);
  assert.ok(Math.abs(Number(fileTime) - Number(guestNow)) <= 2);
  assert.equal(rtc, 'rtc-ok');
});
