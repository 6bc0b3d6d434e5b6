// Networking end to end, all on this machine's loopback: `tabvm --net` starts the project's relay,
// the guest configures eth0 by DHCP at boot, resolves a name (the hosts file) and wgets a file
// from an HTTP server this test runs on the host (reached at 10.0.2.2), checksum verified. Then,
// through the JS API: the relay is stopped (the guest loses carrier) and started again on the
// same port (the link reconnects by itself, the guest fetches again); and a relay for others
// (--public) refuses the host's loopback, at once, without the server seeing a request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createSocket } from 'node:dgram';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assetPaths, boot } from '../boot.js';
import { startRelay } from '../relay.js';

const root = new URL('../..', import.meta.url).pathname;
const RELAY = `${root}build/native/tabvm-relay`;
const BLOB = randomBytes(3 << 20);
const BLOB_SHA = createHash('sha256').update(BLOB).digest('hex');
// Waits (in the guest) until DHCP has put an address on eth0.
const WAIT_ADDR = 'for i in $(seq 100); do ip -4 addr show eth0 | grep -q inet && break; sleep 0.1; done';

async function httpServer() {
  const requests = [];
  const server = createServer((req, res) => {
    requests.push(req.url);
    if (req.url !== '/blob') { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-length': BLOB.length }).end(BLOB);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: server.address().port, requests };
}

function run(args) {
  return new Promise((resolve) => {
    const p = spawn('node', ['cli/tabvm.js', ...args], { cwd: root });
    let stdout = '', stderr = '';
    p.stdout.on('data', (b) => { stdout += b; });
    p.stderr.on('data', (b) => { stderr += b; });
    p.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

test('tabvm --net: DHCP at boot, a name from the hosts file, wget from the host, checksum verified', async () => {
  const http = await httpServer();
  try {
    const r = await run(['--net', '--exec', [
      WAIT_ADDR,
      'ip -4 -o addr show eth0 | awk \'{print $4}\'',
      'ip route | grep default',
      'cat /etc/resolv.conf',
      'cat /sys/class/net/eth0/carrier',
      'echo "10.0.2.2 files.test" >> /etc/hosts',
      `wget -q -O - http://files.test:${http.port}/blob | sha256sum`,
    ].join('; ')]);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[0], '10.0.2.15/24');
    assert.match(lines[1], /^default via 10\.0\.2\.2 dev eth0/);
    assert.match(r.stdout, /^nameserver 10\.0\.2\.3$/m);
    assert.ok(lines.includes('1'), 'carrier up');
    assert.equal(lines.at(-1), `${BLOB_SHA}  -`);
    assert.deepEqual(http.requests, ['/blob']);
  } finally {
    http.server.close();
  }
});

test('--mac sets the card\'s address, a persistent machine keeps its own; a bad one is refused', async () => {
  const r = await run(['--net', 'ws://127.0.0.1:9/', '--mac', '52:54:00:ab:cd:ef', '--exec', 'cat /sys/class/net/eth0/address; cat /sys/class/net/eth0/carrier']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), ['52:54:00:ab:cd:ef', '0'], 'no relay there: no carrier');
  // Without --mac, a machine whose disk persists keeps its address from run to run.
  const dir = mkdtempSync(join(tmpdir(), 'tabvm-net-test-'));
  try {
    const twice = [];
    for (let i = 0; i < 2; i++) {
      const s = await run(['--image', 'tiny-disk', '--disk-state', join(dir, 'root.state'), '--net', 'ws://127.0.0.1:9/',
        '--exec', 'cat /sys/class/net/eth0/address']);
      assert.equal(s.status, 0, s.stderr);
      twice.push(s.stdout.trim());
    }
    assert.match(twice[0], /^[0-9a-f]([26ae]):([0-9a-f]{2}:){4}[0-9a-f]{2}$/, 'locally administered, unicast');
    assert.equal(twice[1], twice[0]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const bad = await run(['--net', '--mac', '01:00:5e:00:00:01', '--exec', 'true']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--mac needs a unicast address/);
});

/** A DNS server on loopback that knows one name (A records only; other names: NXDOMAIN). */
async function dnsServer(name, addr) {
  const sock = createSocket('udp4');
  const asked = [];
  sock.on('message', (q, from) => {
    let i = 12;
    const labels = [];
    while (i < q.length && q[i]) { labels.push(q.subarray(i + 1, i + 1 + q[i]).toString()); i += q[i] + 1; }
    const qtype = q.readUInt16BE(i + 1), qname = labels.join('.');
    asked.push(`${qname}/${qtype}`);
    const question = q.subarray(12, i + 5);
    const known = qname === name, answer = known && qtype === 1;
    const head = Buffer.alloc(12);
    q.copy(head, 0, 0, 2);
    head.writeUInt16BE(known ? 0x8180 : 0x8183, 2); // response, recursion available; NXDOMAIN when unknown
    head.writeUInt16BE(1, 4);
    head.writeUInt16BE(answer ? 1 : 0, 6);
    const rr = answer ? Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, ...addr]) : Buffer.alloc(0);
    sock.send(Buffer.concat([head, question, rr]), from.port, from.address);
  });
  sock.bind(0, '127.0.0.1');
  await once(sock, 'listening');
  return { sock, port: sock.address().port, asked };
}

test('a name resolved by DNS: the relay forwards the guest\'s queries to the test\'s own server (--dns)', async () => {
  const http = await httpServer();
  const dns = await dnsServer('files.tabvm.test', [10, 0, 2, 2]);
  const relay = await startRelay(RELAY, ['--dns', `127.0.0.1:${dns.port}`]);
  const vm = await boot(assetPaths(`${root}build`), { memMiB: 256, cmdline: 'console=hvc0 earlycon=sbi quiet', cols: 80, rows: 24,
    net: { relay: relay.url, mac: [0x52, 0x54, 0, 1, 2, 5] } });
  try {
    await vm.ready;
    const r = await vm.exec(`${WAIT_ADDR}; nslookup files.tabvm.test; wget -q -O - http://files.tabvm.test:${http.port}/blob | sha256sum; ` +
      'nslookup nothing.tabvm.test >/dev/null 2>&1; echo unknown=$?');
    assert.match(r.stdout, /Address:? *10\.0\.2\.2/, r.stderr);
    assert.match(r.stdout, new RegExp(`^${BLOB_SHA}  -$`, 'm'), r.stderr);
    assert.match(r.stdout, /unknown=1/);
    assert.ok(dns.asked.includes('files.tabvm.test/1'), dns.asked.join(' '));
    assert.deepEqual(http.requests, ['/blob']);
  } finally {
    relay.stop();
    dns.sock.close();
    http.server.close();
    await vm.stop();
  }
});

async function until(what, fn, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('relay restart: the guest loses carrier and gets its network back by itself', async () => {
  const http = await httpServer();
  const relay = await startRelay(RELAY);
  const port = new URL(relay.url).port;
  const vm = await boot(assetPaths(`${root}build`), { memMiB: 256, cmdline: 'console=hvc0 earlycon=sbi quiet', cols: 80, rows: 24,
    net: { relay: relay.url, mac: [0x52, 0x54, 0, 1, 2, 3] } });
  try {
    await vm.ready;
    const fetchSum = `${WAIT_ADDR}; wget -q -O - http://10.0.2.2:${http.port}/blob | sha256sum`;
    let r = await vm.exec(fetchSum);
    assert.equal(r.stdout.trim(), `${BLOB_SHA}  -`, r.stderr);
    relay.stop();
    await until('the link to go down', async () => (await vm.netStatus()).state === 'retrying');
    r = await vm.exec('cat /sys/class/net/eth0/carrier');
    assert.equal(r.stdout.trim(), '0');
    // The same port again, as a person restarting their relay would.
    const again = spawn(RELAY, ['--listen', `127.0.0.1:${port}`], { stdio: 'ignore' });
    try {
      await until('the link to come back', async () => (await vm.netStatus()).state === 'up');
      r = await vm.exec(`cat /sys/class/net/eth0/carrier; ${fetchSum}`);
      assert.deepEqual(r.stdout.trim().split('\n'), ['1', `${BLOB_SHA}  -`], r.stderr);
      const s = await vm.netStatus();
      assert.equal(s.connects, 2);
      assert.ok(s.device.linkChanges >= 2);
      assert.ok(s.device.rxCsumValid > 0, 'received checksums checked by the device');
      assert.ok(s.device.txCsumDone > 0, 'transmit checksums completed by the device');
    } finally {
      again.kill();
    }
  } finally {
    relay.stop();
    http.server.close();
    await vm.stop();
  }
});

test('a relay for others (--public) refuses the host\'s loopback at once', async () => {
  const http = await httpServer();
  const relay = await startRelay(RELAY, ['--public']);
  const vm = await boot(assetPaths(`${root}build`), { memMiB: 256, cmdline: 'console=hvc0 earlycon=sbi quiet', cols: 80, rows: 24,
    net: { relay: relay.url, mac: [0x52, 0x54, 0, 1, 2, 4] } });
  try {
    await vm.ready;
    const t0 = Date.now();
    const r = await vm.exec(`${WAIT_ADDR}; wget -q -T 20 -O /dev/null http://10.0.2.2:${http.port}/blob; echo status=$?`);
    assert.match(r.stdout, /status=1/);
    assert.match(r.stderr, /No route to host|unreachable/i);
    assert.ok(Date.now() - t0 < 15000, 'refused at once, not timed out');
    assert.deepEqual(http.requests, [], 'nothing reached the server');
  } finally {
    relay.stop();
    http.server.close();
    await vm.stop();
  }
});
