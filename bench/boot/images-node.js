// Boot to prompt under Node (the CLI's workers and modules) for each guest image, in one run:
// the initramfs (tiny), busybox on a root disk (tiny-disk) and Debian (debian, when built), each
// root disk under a fresh copy-on-write state file as `npx tabvm --image NAME` runs it. Then, in
// the Debian guest, the start-up time of `python3 -c pass` (cold: the first run after boot; warm:
// the median of the next runs, everything in the guest's page cache).
// Usage: node bench/boot/images-node.js [ROUNDS]   (default 3)
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assetPaths, boot } from '../../cli/boot.js';
import { DEFAULT_CMDLINE } from '../../shared/machine.js';

const rounds = Number(process.argv[2] ?? 3);
const build = new URL('../../build', import.meta.url).pathname;
const paths = assetPaths(build);
const rootImages = { 'tiny-disk': 'rootfs.ext4', debian: 'debian.ext4' };
const images = ['tiny', ...Object.keys(rootImages).filter((n) => existsSync(join(build, 'guest', rootImages[n])))];
const scratch = mkdtempSync(join(tmpdir(), 'tabvm-bench-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function machineFor(image, i) {
  if (image === 'tiny') return { disks: [], rootOnDisk: false };
  const state = join(scratch, `${image}-${i}.state`);
  return { disks: [{ kind: 'overlay-file', base: join(build, 'guest', rootImages[image]), state, serial: 'tabvm-root' }], rootOnDisk: true };
}

/** Runs `python3 -c pass` RUNS times in the guest; the guest's own clock times each run. */
async function pythonStartup(vm, runs) {
  const { status, output } = await vm.exec(
    `for i in $(seq ${runs}); do s=$(date +%s%N); python3 -c pass; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); done`);
  if (status !== 0) throw new Error(`python3 failed: ${output}`);
  return output.trim().split('\n').map(Number);
}

const boots = Object.fromEntries(images.map((n) => [n, []]));
const python = { cold: [], warm: [] };
try {
  for (let r = 0; r < rounds; r++) {
    for (const image of images) {
      const t0 = performance.now();
      const vm = await boot(paths, { memMiB: 256, cmdline: `${DEFAULT_CMDLINE} quiet`, cols: 120, rows: 40, ...machineFor(image, r) });
      await vm.ready;
      boots[image].push(performance.now() - t0);
      if (image === 'debian') {
        const [cold, ...warm] = await pythonStartup(vm, 6);
        python.cold.push(cold);
        python.warm.push(median(warm));
      }
      await vm.stop();
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
console.log(`| image | boot to prompt under Node, median of ${rounds} (s) | best (s) | / tiny |`);
console.log('| --- | --- | --- | --- |');
const tiny = median(boots.tiny);
for (const n of images) {
  const m = median(boots[n]);
  console.log(`| ${n} | ${(m / 1000).toFixed(2)} | ${(Math.min(...boots[n]) / 1000).toFixed(2)} | ${(m / tiny).toFixed(2)} |`);
}
if (python.cold.length) {
  console.log(`python3 -c pass in the Debian guest (Node): first run after boot median ${median(python.cold)} ms ` +
    `(${python.cold.join(', ')}), then median ${median(python.warm)} ms (${python.warm.join(', ')})`);
}
process.exit(0);
