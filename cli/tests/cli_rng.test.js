// The entropy device: the guest has /dev/hwrng from virtio-rng (the host's
// crypto.getRandomValues), and what it reads is not a constant.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const root = new URL('../..', import.meta.url).pathname;

test('the guest reads the host\'s randomness from /dev/hwrng (virtio-rng)', () => {
  const r = spawnSync('node', ['cli/tabvm.js', '--exec',
    'cat /sys/class/misc/hw_random/rng_current; for i in 1 2 3; do head -c 32 /dev/hwrng | od -An -tx1 | tr -d " \\n"; echo; done'],
  { cwd: root, encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, r.stderr);
  const [current, ...reads] = r.stdout.trim().split('\n');
  assert.equal(current, 'virtio_rng.0');
  assert.equal(reads.length, 3);
  for (const x of reads) assert.match(x, /^[0-9a-f]{64}$/);
  assert.equal(new Set(reads).size, 3, 'three reads, three different values');
  assert.ok(reads.every((x) => !/^0+$/.test(x)));
});
