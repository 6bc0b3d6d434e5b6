// Interpreter speed in guest MIPS on a CPU-bound bare-metal program (bench/mips/bench.c),
// on the native build and on the Wasm build under Node. Best of N runs; the program checks its
// own results, so a run that computes wrong answers fails instead of reporting a speed.
// Usage: node bench/mips/run.js [RUNS]
import { spawnSync } from 'node:child_process';

const runs = Number(process.argv[2] ?? 5);
const elf = 'build/bench/mips.elf';
const runners = {
  native: ['build/native/tabvm-elf', [elf]],
  'wasm (Node)': [process.execPath, ['cli/tabvm.js', '--elf', elf]],
};

for (const [name, [cmd, args]] of Object.entries(runners)) {
  let best = Infinity, instructions = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    const seconds = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`${name}: ${r.stderr}`);
    instructions = Number(/pass \((\d+) instructions\)/.exec(r.stderr)[1]);
    best = Math.min(best, seconds);
  }
  console.log(`${name.padEnd(12)} ${(instructions / best / 1e6).toFixed(0).padStart(5)} MIPS  ` +
    `(${instructions} instructions, best of ${runs}: ${best.toFixed(3)} s incl. process start)`);
}
