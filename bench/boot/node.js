// Boot-to-prompt time under Node (the CLI's worker layout), and the CPU an idle guest costs.
// Usage: node bench/boot/node.js [RUNS]
import { readFile } from 'node:fs/promises';
import { startMachine } from '../../shared/machine.js';
import { spawnWorker } from '../../shared/threads.js';
import { assetPaths } from '../../cli/boot.js';

const runs = Number(process.argv[2] ?? 5);
const paths = assetPaths(new URL('../../build', import.meta.url).pathname);
const loadAsset = async (n) => {
  const b = await readFile(paths[n]);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
};
const spawn = {
  cpu: () => spawnWorker(new URL('../../cpu/worker.js', import.meta.url)),
  console: () => spawnWorker(new URL('../../devices/console/worker.js', import.meta.url)),
};

const times = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const vm = await startMachine({ loadAsset, spawn });
  await vm.ready;
  times.push(performance.now() - t0);
  if (i === runs - 1) {
    // Idle cost: the process's CPU time (all threads) over 5 s of an idle shell.
    await new Promise((r) => setTimeout(r, 1000));
    const c0 = process.cpuUsage(), w0 = performance.now();
    await new Promise((r) => setTimeout(r, 5000));
    const c = process.cpuUsage(c0), wall = (performance.now() - w0) * 1000;
    console.log(`idle shell: ${(((c.user + c.system) / wall) * 100).toFixed(1)}% of one core (user+system over ${(wall / 1e6).toFixed(1)} s)`);
  }
  await vm.stop();
}
times.sort((a, b) => a - b);
console.log(`runs: ${times.map((t) => (t / 1000).toFixed(2)).join(" ")}`);
console.log(`boot to prompt (Node, ${runs} runs): median ${(times[runs >> 1] / 1000).toFixed(2)} s, best ${(times[0] / 1000).toFixed(2)} s`);
process.exit(0);
