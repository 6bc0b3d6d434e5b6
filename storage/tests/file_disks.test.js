// The CLI's disks on real files: a raw image (file_disk.js) and a base image under a
// copy-on-write state file (overlay_file_disk.js): reads, writes across chunk edges, the base
// never written, persistence across reopen, what a flush makes durable, and refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { openDisk, DISK_OK, DISK_IOERR } from '../open_disk.js';
import { checkImageFile, copySparse } from '../file_disk.js';

const dir = fs.mkdtempSync(join(tmpdir(), 'tabvm-file-disks-'));
const sha = (p) => createHash('sha256').update(fs.readFileSync(p)).digest('hex');

function makeBase(name, bytes) {
  const p = join(dir, name);
  const b = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i += 4096) b.writeUInt32LE(i / 4096, i); // each 4 KiB numbered
  fs.writeFileSync(p, b);
  return p;
}

test('raw file: reads, writes, write-zeroes, read-only, and the checks before boot', async () => {
  const p = makeBase('raw.img', 1 << 20);
  const d = await openDisk({ kind: 'file', path: p });
  assert.equal(d.size, 1 << 20);
  const out = new Uint8Array(8);
  assert.equal(d.read(4096 * 3, out), DISK_OK);
  assert.equal(Buffer.from(out).readUInt32LE(0), 3);
  assert.equal(d.write(100, new Uint8Array([1, 2, 3])), DISK_OK);
  assert.equal(d.writeZeroes(4096, 8192), DISK_OK);
  assert.equal(d.flush(), DISK_OK);
  await d.close();
  const b = fs.readFileSync(p);
  assert.deepEqual([...b.subarray(100, 103)], [1, 2, 3]);
  assert.ok(b.subarray(4096, 12288).every((x) => x === 0));
  const ro = await openDisk({ kind: 'file', path: p, readOnly: true });
  assert.equal(ro.write(0, new Uint8Array(1)), DISK_IOERR);
  await ro.close();
  assert.match(checkImageFile(join(dir, 'none.img'), false), /no such file/);
  fs.writeFileSync(join(dir, 'empty.img'), '');
  assert.match(checkImageFile(join(dir, 'empty.img'), false), /empty/);
  assert.equal(checkImageFile(p, false), null);
  copySparse(p, join(dir, 'copy.img'));
  assert.equal(sha(join(dir, 'copy.img')), sha(p));
});

test('overlay: writes land in the state file, the base is never written, reopen keeps them', async () => {
  const base = makeBase('base.img', 1 << 20);
  const before = sha(base);
  const state = join(dir, 'a.state');
  let d = await openDisk({ kind: 'overlay-file', base, state });
  assert.equal(d.size, 1 << 20);
  // A write across a 64 KiB chunk edge, partial on both sides: the rest of each chunk is the base's.
  const data = new Uint8Array(5000).fill(0xab);
  assert.equal(d.write(65536 - 2500, data), DISK_OK);
  const back = new Uint8Array(16384); // 4 KiB blocks 14..17
  assert.equal(d.read(14 * 4096, back), DISK_OK);
  const b = Buffer.from(back);
  assert.equal(b.readUInt32LE(0), 14); // block 14 of the base, the untouched part of the chunk
  assert.ok(b.subarray(65536 - 2500 - 14 * 4096, 65536 + 2500 - 14 * 4096).every((x) => x === 0xab));
  assert.ok(b[65536 - 2501 - 14 * 4096] !== 0xab && b[65536 + 2500 - 14 * 4096] !== 0xab);
  assert.equal(b.readUInt32LE(3 * 4096), 17); // block 17, after the write, copied up from the base
  assert.equal(d.flush(), DISK_OK);
  await d.close();
  assert.equal(sha(base), before, 'the base is never written');
  d = await openDisk({ kind: 'overlay-file', base, state });
  const again = new Uint8Array(16384);
  assert.equal(d.read(14 * 4096, again), DISK_OK);
  assert.deepEqual(again, back);
  await d.close();
});

test('overlay: what was not flushed is not counted (the bitmap follows the data)', async () => {
  const base = makeBase('base2.img', 1 << 20);
  const state = join(dir, 'b.state');
  const d = await openDisk({ kind: 'overlay-file', base, state });
  assert.equal(d.write(0, new Uint8Array(4096).fill(1)), DISK_OK);
  assert.equal(d.flush(), DISK_OK);
  assert.equal(d.write(200000, new Uint8Array(4096).fill(2)), DISK_OK); // never flushed
  // A crash now: open the state file as it is on disk, without close().
  const again = await openDisk({ kind: 'overlay-file', base, state });
  const out = new Uint8Array(4096);
  assert.equal(again.read(0, out), DISK_OK);
  assert.ok(out.every((x) => x === 1), 'flushed data is there');
  assert.equal(again.read(200000, out), DISK_OK);
  assert.ok(!out.every((x) => x === 2), 'an unflushed chunk still reads from the base');
  await again.close();
});

test('overlay: a state file made over another image, or not a state file, is refused', async () => {
  const state = join(dir, 'c.state');
  const d = await openDisk({ kind: 'overlay-file', base: makeBase('one.img', 1 << 20), state });
  await d.close();
  await assert.rejects(openDisk({ kind: 'overlay-file', base: makeBase('two.img', 2 << 20), state }), /made over another image/);
  fs.writeFileSync(join(dir, 'junk.state'), 'x'.repeat(5000));
  await assert.rejects(openDisk({ kind: 'overlay-file', base: join(dir, 'one.img'), state: join(dir, 'junk.state') }), /not a TabVM disk state file/);
});
