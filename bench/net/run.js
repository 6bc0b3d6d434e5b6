// Network throughput and latency inside the guest, through the project's relay, all on loopback:
// wget of a 50 MB file from an HTTP server on the host (to /dev/null, timed in the guest with
// /proc/uptime), and ping to 10.0.2.2 (the round trip guest -> device -> link worker -> relay ->
// and back), under Node (cli/boot.js) and in Chromium (the built page, ?image=tiny&relay=...).
// Usage: node bench/net/run.js [RUNS] [node|browser|both]   (default 3 both; needs make relay page)
// Prints a table and a last line `JSON {...}` with the medians and every run.
import { chromium } from '@playwright/test';
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assetPaths, boot } from '../../cli/boot.js';
import { startRelay } from '../../cli/relay.js';
import { DEFAULT_CMDLINE } from '../../shared/machine.js';

const runs = Number(process.argv[2] ?? 3);
const where = process.argv[3] ?? 'both';
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SIZE = 50_000_000;
const blob = randomBytes(SIZE);
const sha = createHash('sha256').update(blob).digest('hex');

const http = createServer((req, res) => res.writeHead(200, { 'content-length': blob.length }).end(blob));
http.listen(0, '127.0.0.1');
await once(http, 'listening');
const relay = await startRelay(path.join(root, 'build/native/tabvm-relay'));

const WAIT_ADDR = 'for i in $(seq 100); do ip -4 addr show eth0 | grep -q inet && break; sleep 0.1; done';
// The guest's TCP segment counters (InSegs, OutSegs) before and after: how many received
// packets its TCP saw (after GRO merged consecutive frames) and how many it sent (mostly ACKs).
const TCP_SEGS = 'awk \'/^Tcp:/ && $11 ~ /^[0-9]+$/ {print "segs", $11, $12}\' /proc/net/snmp';
const DOWNLOAD = `${WAIT_ADDR}; ${TCP_SEGS}; a=$(cut -d' ' -f1 /proc/uptime); wget -q -O /dev/null http://10.0.2.2:${http.address().port}/blob; ` +
  `b=$(cut -d' ' -f1 /proc/uptime); echo "secs $a $b"; ${TCP_SEGS}`;
const PING = 'ping -c 20 -i 0.2 10.0.2.2 | tail -1';
const VERIFY = `wget -q -O - http://10.0.2.2:${http.address().port}/blob | sha256sum`;

/**
 * One measurement on a machine reached through exec(cmd) -> { stdout } and stats() -> the CPU
 * worker's { instructions, runMs, idleMs }.
 */
async function measure(exec, stats, verify) {
  const s0 = await stats();
  const d = (await exec(DOWNLOAD)).stdout;
  const s1 = await stats();
  const m = /secs ([\d.]+) ([\d.]+)/.exec(d);
  const segs = [...d.matchAll(/segs (\d+) (\d+)/g)].map((x) => [Number(x[1]), Number(x[2])]);
  if (!m || segs.length !== 2) throw new Error(`download: ${d}`);
  const secs = Number(m[2]) - Number(m[1]);
  const p = (await exec(PING)).stdout;
  const pm = /= ([\d.]+)\/([\d.]+)\/([\d.]+)/.exec(p);
  if (!pm) throw new Error(`ping: ${p}`);
  const r = { mbPerS: SIZE / 1e6 / secs, secs, pingMinMs: Number(pm[1]), pingAvgMs: Number(pm[2]), pingMaxMs: Number(pm[3]),
    // Guest instructions and the CPU worker's idle share over the download (plus the wait for
    // the address, a few ms), and the guest TCP's segments in and out.
    minsn: Number(BigInt(s1.instructions) - BigInt(s0.instructions)) / 1e6,
    idleShare: (s1.idleMs - s0.idleMs) / (s1.idleMs - s0.idleMs + s1.runMs - s0.runMs),
    tcpIn: segs[1][0] - segs[0][0], tcpOut: segs[1][1] - segs[0][1] };
  if (verify) r.sha256ok = (await exec(VERIFY)).stdout.startsWith(sha);
  return r;
}

async function inNode() {
  const out = [];
  for (let i = 0; i < runs; i++) {
    const vm = await boot(assetPaths(path.join(root, 'build')), { memMiB: 256, cmdline: `${DEFAULT_CMDLINE} quiet`, cols: 200, rows: 50,
      net: { relay: relay.url, mac: [0x52, 0x54, 0, 0, 0, 1] } });
    try {
      await vm.ready;
      out.push(await measure((c) => vm.exec(c), () => vm.stats(), i === 0));
      process.stderr.write(`node run ${i + 1}/${runs}: ${JSON.stringify(out.at(-1))}\n`);
    } finally {
      await vm.stop();
    }
  }
  return out;
}

async function inBrowser() {
  const port = await new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => { const p = srv.address().port; srv.close(() => resolve(p)); });
  });
  const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'],
    { cwd: root, stdio: 'ignore', detached: true });
  const url = `http://127.0.0.1:${port}/?image=tiny&relay=${encodeURIComponent(relay.url)}`;
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(`http://127.0.0.1:${port}/`)).ok) break; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  const browser = await chromium.launch({
    executablePath: execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const out = [];
  try {
    for (let i = 0; i < runs; i++) {
      const page = await browser.newPage();
      await page.goto(url);
      await page.waitForFunction(() => window.tabvm !== undefined, null, { timeout: 90_000 });
      await page.evaluate(() => window.tabvm.ready);
      out.push(await measure((c) => page.evaluate((cmd) => window.tabvm.exec(cmd), c),
        () => page.evaluate(() => window.tabvm.stats().then((s) => ({ ...s, instructions: String(s.instructions) }))), i === 0));
      process.stderr.write(`browser run ${i + 1}/${runs}: ${JSON.stringify(out.at(-1))}\n`);
      await page.close();
    }
  } finally {
    await browser.close();
    process.kill(-server.pid);
  }
  return out;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[(s.length - 1) >> 1]; };
const summary = (rs) => Object.fromEntries(['mbPerS', 'pingAvgMs', 'pingMinMs', 'minsn', 'idleShare', 'tcpIn', 'tcpOut']
  .map((k) => [k, median(rs.map((r) => r[k]))]).concat([['sha256ok', rs[0]?.sha256ok]]));
const result = {};
if (where !== 'browser') result.node = await inNode();
if (where !== 'node') result.browser = await inBrowser();
console.log(`Network, ${runs} runs each (median): 50 MB wget from the host through the relay; ping 10.0.2.2 x20`);
for (const [k, rs] of Object.entries(result)) {
  const s = summary(rs);
  console.log(`  ${k.padEnd(8)} ${s.mbPerS.toFixed(2)} MB/s   ping avg ${s.pingAvgMs.toFixed(2)} ms (min ${s.pingMinMs.toFixed(2)})   ` +
    `${s.minsn.toFixed(0)} M instructions, CPU idle ${(s.idleShare * 100).toFixed(0)} %, guest TCP segments in ${s.tcpIn} / out ${s.tcpOut}   ` +
    `checksum ${s.sha256ok ? 'ok' : 'FAILED'}`);
}
console.log(`JSON ${JSON.stringify({ bench: 'net', runs, medians: Object.fromEntries(Object.entries(result).map(([k, v]) => [k, summary(v)])), all: result })}`);
relay.stop();
http.close();
process.exit(0);
