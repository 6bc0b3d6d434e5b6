// Disk throughput inside the guest under Node: dd of 64 MiB to a file on the root disk's ext4
// (a sparse copy of the built image as a raw file), to a tmpfs file in the same guest, and to a blank
// raw disk with O_DIRECT; reads after dropping the guest's caches; the cost of `sync` (an fsync
// of the image file on the host). Usage: node bench/disk/node.js [RUNS]   (default 3)
// Prints a table and a last line `JSON {...}` with the medians and every run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assetPaths, boot } from '../../cli/boot.js';
import { copySparse } from '../../storage/file_disk.js';
import { DEFAULT_CMDLINE } from '../../shared/machine.js';
import { COUNT, MIB, measureOnce, summarize, table } from './common.js';

const runs = Number(process.argv[2] ?? 3);
const build = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../build');
const paths = assetPaths(build);
delete paths.initrd;

const results = [];
for (let i = 0; i < runs; i++) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tabvm-bench-disk-'));
  try {
    const root = path.join(dir, 'rootfs.ext4'), raw = path.join(dir, 'raw.img');
    copySparse(path.join(build, 'guest/rootfs.ext4'), root);
    fs.closeSync(fs.openSync(raw, 'w'));
    fs.truncateSync(raw, 2 * COUNT * MIB); // sparse, reads as zeros
    const vm = await boot(paths, {
      memMiB: 256, cmdline: `${DEFAULT_CMDLINE} quiet`, cols: 200, rows: 50, rootOnDisk: true,
      disks: [{ kind: 'file', path: root, serial: 'tabvm-root' }, { kind: 'file', path: raw, serial: 'bench-raw' }],
    });
    try {
      await vm.ready;
      const adapter = { exec: (c) => vm.exec(c), instructions: async () => Number((await vm.stats()).instructions) };
      results.push(await measureOnce(adapter, { rawDev: '/dev/vdb' }));
      process.stderr.write(`run ${i + 1}/${runs} done\n`);
    } finally {
      await vm.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
const s = summarize(results);
console.log(table('Disk, Node (file backend)', s, runs));
console.log(`JSON ${JSON.stringify({ bench: 'disk', where: 'node', runs, medians: s, all: results })}`);
process.exit(0);
