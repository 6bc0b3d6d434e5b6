// TabVM under Node for the suite, in a process of its own (so its peak memory is its own): boots
// the CLI's machine (cli/boot.js: the same Wasm modules and workers as `npx tabvm`) with the
// bench initramfs, then runs the workloads it is sent, one name per stdin line, through the
// command channel as `--exec` does, and answers each with one JSON line: run.sh's output, the
// guest instructions retired and the host milliseconds around the command.
// usage: node bench/suite/node-guest.js INITRD   (prints {"ready":true,"jit":"on"} at the prompt)
import { createInterface } from 'node:readline';
import { assetPaths, boot } from '../../cli/boot.js';
import { DEFAULT_CMDLINE } from '../../shared/machine.js';

const paths = { ...assetPaths(new URL('../../build', import.meta.url).pathname), initrd: process.argv[2] };
// The same kernel command line as the native build, QEMU and the page (no `quiet`).
const vm = await boot(paths, { memMiB: 256, cmdline: DEFAULT_CMDLINE, cols: 200, rows: 50 });
await vm.ready;
await vm.agentReady();
const say = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
say({ ready: true, jit: vm.jit }); // the JIT as boot() defaults it (JIT_DEFAULT)
for await (const line of createInterface({ input: process.stdin })) {
  const w = line.trim();
  if (!w) continue;
  if (w === 'quit') break;
  const s0 = await vm.stats();
  const t0 = performance.now();
  const r = await vm.exec(`/bench/run.sh ${w}`);
  const ms = performance.now() - t0;
  const s1 = await vm.stats();
  say({ workload: w, status: r.status, output: r.output, instructions: Number(s1.instructions - s0.instructions), ms });
}
await vm.stop();
process.exit(0);
