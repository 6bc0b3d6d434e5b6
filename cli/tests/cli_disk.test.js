// Disks under Node: `npx tabvm --disk` with raw image files, and drives attached and detached
// through the machine API while the guest runs. Real guest, real Wasm modules and workers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync, truncateSync, chmodSync, openSync, readSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boot, assetPaths } from '../boot.js';
import { DEFAULT_CMDLINE } from '../../shared/machine.js';

const root = new URL('../..', import.meta.url).pathname;
const build = join(root, 'build');
const tmp = mkdtempSync(join(tmpdir(), 'tabvm-disk-test-'));

function tabvm(args) {
  const r = spawnSync('node', [join(root, 'cli/tabvm.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 300000 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

function blank(name, bytes) {
  const p = join(tmp, name);
  writeFileSync(p, '');
  truncateSync(p, bytes);
  return p;
}

function readRange(path, offset, length) {
  const fd = openSync(path, 'r');
  const b = Buffer.alloc(length);
  readSync(fd, b, 0, length, offset);
  closeSync(fd);
  return b;
}

test('data written to --disk survives a second run', () => {
  const img = blank('persist.img', 16 << 20);
  let r = tabvm(['--disk', img, '--exec', 'mke2fs -q /dev/vda >/dev/null && mount /dev/vda /mnt && echo kept-$((6*7)) > /mnt/note && umount /mnt']);
  assert.equal(r.status, 0, r.err + r.out);
  r = tabvm(['--disk', img, '--exec', 'mount /dev/vda /mnt && cat /mnt/note']);
  assert.equal(r.status, 0, r.err);
  assert.equal(r.out, 'kept-42\n');
});

test('four dd writers in parallel end with the right contents', () => {
  const img = blank('parallel.img', 32 << 20);
  // Writer i fills 4 MiB at 4 MiB * i with its own line, repeated; all four run at once. (Run by
  // a non-interactive sh: the same loop typed at the interactive shell is several times
  // slower, for reasons that have nothing to do with the disk.)
  const cmd = 'sh -c \'for i in 0 1 2 3; do (yes "writer-$i-abcdefghijklmnopqrstuvwxyz" | head -c 4194304 | ' +
    'dd of=/dev/vda bs=65536 seek=$((i * 64)) conv=fsync 2>/dev/null) & done; wait\'; echo all-done';
  const r = tabvm(['--disk', img, '--exec', cmd]);
  assert.equal(r.status, 0, r.err);
  assert.equal(r.out, 'all-done\n');
  for (let i = 0; i < 4; i++) {
    const line = `writer-${i}-abcdefghijklmnopqrstuvwxyz\n`;
    const want = Buffer.from(line.repeat(Math.ceil((4 << 20) / line.length))).subarray(0, 4 << 20);
    const got = readRange(img, i * (4 << 20), 4 << 20);
    assert.equal(createHash('sha256').update(got).digest('hex'), createHash('sha256').update(want).digest('hex'), `writer ${i}`);
  }
});

test('a binary on a disk, rewritten and run again, prints the new output every time', () => {
  // Ten variants of a program that differ on every code page. Each round rewrites /mnt/run
  // with one of them, alternately through the page cache (the hart's own writes) and with
  // O_DIRECT (the device reads and writes guest RAM), drops the caches, and runs it: the pages
  // it runs from were filled by the disk's DMA, often into frames that held an older variant.
  const img = join(tmp, 'exec.img');
  copyFileSync(join(build, 'fixtures/exec-disk.img'), img);
  const script = `mount /dev/vda /mnt || exit 9
cp /mnt/prog0 /mnt/run; chmod +x /mnt/run; sync
bad=0
for i in $(seq 1 60); do
  d=$((i % 10))
  if [ $((i % 2)) = 0 ]; then cat /mnt/prog$d > /mnt/run; sync
  else dd if=/mnt/prog$d of=/mnt/run bs=4096 iflag=direct oflag=direct conv=notrunc 2>/dev/null; fi
  echo 3 > /proc/sys/vm/drop_caches
  out=$(/mnt/run)
  [ "$out" = "$d" ] || { bad=$((bad + 1)); echo "round $i: want $d got $out"; }
done
umount /mnt
echo bad=$bad`;
  const r = tabvm(['--disk', img, '--exec', script]);
  assert.equal(r.status, 0, r.err);
  assert.equal(r.out, 'bad=0\n');
});

test('a read-only disk refuses writes and stays unchanged', () => {
  const img = blank('ro.img', 1 << 20);
  writeFileSync(img, Buffer.from('original'), { flag: 'r+' });
  const r = tabvm(['--disk', `${img}:ro`, '--exec',
    'cat /sys/block/vda/ro; head -c 8 /dev/vda; echo; echo new | dd of=/dev/vda conv=fsync 2>/dev/null; echo status=$?']);
  assert.equal(r.status, 0, r.err);
  assert.equal(r.out, '1\noriginal\nstatus=1\n');
  assert.equal(readRange(img, 0, 8).toString(), 'original');
});

test('a missing, empty or unreadable disk image is a clear error before boot', () => {
  let r = tabvm(['--disk', join(tmp, 'nope.img'), '--exec', 'true']);
  assert.equal(r.status, 2);
  assert.match(r.err, /nope\.img: no such file/);
  r = tabvm(['--disk', blank('empty.img', 0), '--exec', 'true']);
  assert.equal(r.status, 2);
  assert.match(r.err, /empty\.img: the image is empty/);
  if (process.getuid?.() !== 0) { // root can read anything
    const p = blank('locked.img', 1 << 20);
    chmodSync(p, 0o000);
    r = tabvm(['--disk', p, '--exec', 'true']);
    assert.equal(r.status, 2);
    assert.match(r.err, /locked\.img: cannot read/);
  }
  r = tabvm(['--disk', '', '--exec', 'true']);
  assert.equal(r.status, 2);
});

test('disks attached and detached while the guest runs', async () => {
  const img = blank('hotplug.img', 64 << 20);
  const vm = await boot(assetPaths(build), { memMiB: 256, cmdline: `${DEFAULT_CMDLINE} quiet`, cols: 200, rows: 50, hotplugSlots: 2 });
  try {
    await vm.ready;
    const sh = async (cmd) => {
      const r = await vm.exec(cmd);
      assert.equal(r.status, 0, `${cmd}: ${r.output}`);
      return r.output;
    };
    const sizeOf = (dev) => sh(`cat /sys/block/${dev}/size`).then(Number);
    // Two empty drives at boot.
    assert.equal(await sizeOf('vda'), 0);
    assert.equal(await sizeOf('vdb'), 0);
    const a = await vm.attachDisk({ kind: 'file', path: img });
    assert.equal(a.device, '/dev/vda');
    // The guest's driver takes the configuration interrupt and updates the capacity.
    for (let i = 0; i < 50 && await sizeOf('vda') === 0; i++) await sh('sleep 0.1');
    assert.equal(await sizeOf('vda'), 131072);
    assert.match(await sh('dmesg'), /vda: detected capacity change from 0 to 131072/);
    assert.equal(await sh('cat /sys/block/vda/serial'), 'tabvm-vda');
    await sh('mke2fs -q /dev/vda >/dev/null && mount /dev/vda /mnt && echo hot > /mnt/f && umount /mnt');
    await vm.detachDisk('/dev/vda');
    for (let i = 0; i < 50 && await sizeOf('vda') !== 0; i++) await sh('sleep 0.1');
    assert.equal(await sizeOf('vda'), 0);
    // Attached again, it goes to the drive not used yet, with its data intact.
    const b = await vm.attachDisk({ kind: 'file', path: img });
    assert.equal(b.device, '/dev/vdb');
    for (let i = 0; i < 50 && await sizeOf('vdb') === 0; i++) await sh('sleep 0.1');
    assert.equal(await sh('mount /dev/vdb /mnt && cat /mnt/f'), 'hot\n');
    // Detached while mounted: the guest gets I/O errors and carries on.
    await vm.detachDisk('/dev/vdb');
    const r = await vm.exec('sleep 0.3; echo x > /mnt/g; sync; umount /mnt; echo still-running');
    assert.match(r.output, /still-running/);
    // (The kernel's I/O errors go to its log and console, not to the command's output.)
    assert.match(await sh('dmesg'), /I\/O error/);
    await assert.rejects(vm.detachDisk('/dev/vdb'), /holds no disk/);
    const disks = await vm.disks();
    assert.equal(disks.length, 2);
    assert.ok(disks[0].writes > 0 && disks[0].flushes > 0, JSON.stringify(disks[0]));
  } finally {
    await vm.stop();
  }
  // Everything the guest wrote is in the file.
  assert.equal(readFileSync(img).subarray(1024 + 56, 1024 + 58).toString('hex'), '53ef'); // ext2 magic
});

test('--image tiny-disk: the root filesystem on /dev/vda, its changes kept in --disk-state', () => {
  const state = join(tmp, 'root.state');
  let r = tabvm(['--image', 'tiny-disk', '--disk-state', state, '--exec', 'grep " / " /proc/mounts; echo mine > /root/kept']);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /^\/dev\/root \/ ext4 rw/);
  r = tabvm(['--image', 'tiny-disk', '--disk-state', state, '--exec', 'cat /root/kept']);
  assert.equal(r.out, 'mine\n', r.err);
  // The built image itself is never written: without the state the file is not there.
  r = tabvm(['--image', 'tiny-disk', '--exec', 'echo x > /root/kept; cat /root/kept']);
  assert.equal(r.out, 'x\n', r.err);
  r = tabvm(['--image', 'tiny-disk', '--exec', 'ls /root/kept']);
  assert.notEqual(r.status, 0);
  // Extra disks come after the root.
  const data = blank('data.img', 1 << 20);
  r = tabvm(['--image', 'tiny-disk', '--disk', data, '--exec', 'cat /sys/block/vdb/size']);
  assert.equal(r.out, '2048\n', r.err);
  // A state file is tied to its image; anything else is refused before boot.
  writeFileSync(join(tmp, 'bogus.state'), 'not a state file');
  r = tabvm(['--image', 'tiny-disk', '--disk-state', join(tmp, 'bogus.state'), '--exec', 'true']);
  assert.equal(r.status, 2);
  assert.match(r.err, /bogus\.state: not a TabVM disk state file/);
  r = tabvm(['--disk-state', state, '--exec', 'true']);
  assert.equal(r.status, 2);
  assert.match(r.err, /--disk-state needs an image with a root disk/);
});
