// Records which parts of a root filesystem image a boot to the first prompt reads: boots the
// image under Node (the CLI's modules and workers) on a throw-away copy-on-write overlay and
// writes the base ranges the guest read as JSON, [[offset, length], ...] in bytes, sorted and
// merged. The page fetches these ranges ahead, in parallel, while the kernel starts
// (docs/storage.md, "Boot prefetch"), instead of one Range request at a time as the guest
// asks for each block.
// usage: node scripts/record-boot-reads.js IMAGE OUT.json [BUILD]
import { mkdtempSync, rmSync, writeFileSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { assetPaths, boot } from '../cli/boot.js';
import { DEFAULT_CMDLINE } from '../shared/machine.js';
import { BASE_READ_UNIT } from '../storage/overlay_file_disk.js';

const [image, out, build = resolve(new URL('../build', import.meta.url).pathname)] = process.argv.slice(2);
if (!image || !out) {
  console.error('usage: node scripts/record-boot-reads.js IMAGE OUT.json [BUILD]');
  process.exit(2);
}
const units = Math.ceil(statSync(image).size / BASE_READ_UNIT);
const baseReads = new SharedArrayBuffer(units);
const scratch = mkdtempSync(join(tmpdir(), 'tabvm-boot-reads-'));
const t0 = performance.now();
let vm;
try {
  vm = await boot(assetPaths(build), {
    memMiB: 256, cmdline: `${DEFAULT_CMDLINE} quiet`, cols: 80, rows: 24, rootOnDisk: true,
    disks: [{ kind: 'overlay-file', base: image, state: join(scratch, 'root.state'), serial: 'tabvm-root', baseReads }],
  });
  await vm.ready;
} finally {
  await vm?.stop();
  rmSync(scratch, { recursive: true, force: true });
}
const read = new Uint8Array(baseReads);
const ranges = [];
for (let i = 0; i < units; i++) {
  if (!read[i]) continue;
  const last = ranges[ranges.length - 1];
  if (last && last[0] + last[1] === i * BASE_READ_UNIT) last[1] += BASE_READ_UNIT;
  else ranges.push([i * BASE_READ_UNIT, BASE_READ_UNIT]);
}
const bytes = ranges.reduce((n, r) => n + r[1], 0);
writeFileSync(`${out}.tmp`, `${JSON.stringify(ranges)}\n`);
renameSync(`${out}.tmp`, out);
console.log(`  BOOTREADS ${(bytes / 2 ** 20).toFixed(1)} MiB in ${ranges.length} ranges, boot ${((performance.now() - t0) / 1000).toFixed(1)} s: ${out}`);
process.exit(0);
