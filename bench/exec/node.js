// The command channel under Node (docs/exec-channel.md) against the console method it replaced
// (typing into the console and scraping between markers, still there for images without the
// agent): round-trip latency of a trivial command, and 5 MiB of output, of stdin, and through
// `cat` both ways. Usage: node bench/exec/node.js [RUNS]
import { createHash, randomBytes } from 'node:crypto';
import { assetPaths, boot } from '../../cli/boot.js';
import { DEFAULT_CMDLINE } from '../../shared/machine.js';

const runs = Number(process.argv[2] ?? 20);
const paths = assetPaths(new URL('../../build', import.meta.url).pathname);
const MiB5 = 5 << 20;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const timed = async (fn) => { const t0 = performance.now(); const r = await fn(); return [performance.now() - t0, r]; };

const vm = await boot(paths, { memMiB: 256, cmdline: `${DEFAULT_CMDLINE} quiet`, cols: 200, rows: 50 });
await vm.ready;
await vm.agentReady();
await vm.exec('true');
await vm.consoleExec('true');

const lat = { channel: [], console: [] };
for (let i = 0; i < runs; i++) {
  lat.channel.push((await timed(() => vm.exec('true')))[0]);
  lat.console.push((await timed(() => vm.consoleExec('true')))[0]);
}
console.log(`exec round trip of 'true' (median of ${runs}): channel ${median(lat.channel).toFixed(1)} ms, console ${median(lat.console).toFixed(1)} ms`);

const OUT = `head -c ${MiB5} /dev/zero | tr '\\0' x`;
let [ms, r] = await timed(() => vm.exec(OUT));
if (r.stdout.length !== MiB5) throw new Error(`channel: ${r.stdout.length} bytes`);
console.log(`5 MiB of output: channel ${(ms / 1000).toFixed(2)} s (${(MiB5 / 1048576 / (ms / 1000)).toFixed(1)} MiB/s)`);
[ms, r] = await timed(() => vm.consoleExec(OUT));
if (r.output.length !== MiB5) throw new Error(`console: ${r.output.length} bytes`);
console.log(`5 MiB of output: console ${(ms / 1000).toFixed(2)} s (${(MiB5 / 1048576 / (ms / 1000)).toFixed(1)} MiB/s)`);

const data = randomBytes(MiB5);
[ms, r] = await timed(() => vm.exec('wc -c', { stdin: data }));
if (r.stdout.trim() !== String(MiB5)) throw new Error(`stdin: ${r.stdout}`);
console.log(`5 MiB of stdin (wc -c): channel ${(ms / 1000).toFixed(2)} s (${(MiB5 / 1048576 / (ms / 1000)).toFixed(1)} MiB/s); console: no stdin`);

const s = await vm.command('cat');
const got = [];
s.onStdout = (b) => got.push(b);
const t0 = performance.now();
s.write(data);
s.end();
await s.done;
ms = performance.now() - t0;
const same = createHash('sha256').update(Buffer.concat(got)).digest('hex') === createHash('sha256').update(data).digest('hex');
console.log(`5 MiB through cat and back: channel ${(ms / 1000).toFixed(2)} s, sha256 ${same ? 'equal' : 'DIFFERENT'}`);
await vm.stop();
process.exit(0);
