// The Debian guest under the CLI (`npx tabvm --image debian`): python3 with its standard
// library, the dpkg database, the clock, and a root disk whose changes persist in --disk-state.
// Needs the Debian image; `make debian-tests` (part of `make test`) builds it and runs these.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'tabvm-debian-test-'));

function tabvm(args) {
  const r = spawnSync('node', [join(root, 'cli/tabvm.js'), '--image', 'debian', ...args], { cwd: root, encoding: 'utf8', timeout: 300000 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

test('python3 runs with its standard library', () => {
  const r = tabvm(['--exec', "python3 -c 'import json, sqlite3, hashlib; " +
    "c = sqlite3.connect(\":memory:\"); c.execute(\"create table t(x)\"); c.execute(\"insert into t values (6*7)\"); " +
    "print(json.dumps([c.execute(\"select x from t\").fetchone()[0], hashlib.sha256(b\"tabvm\").hexdigest()[:8]]))'"]);
  assert.equal(r.status, 0, r.err + r.out);
  assert.equal(r.out, '[42, "d0203494"]\n');
});

test('a Debian system: os-release, hostname, dpkg database, the clock', () => {
  const r = tabvm(['--exec', '. /etc/os-release; echo $ID; hostname; dpkg -l | grep -c ^ii; date +%Y']);
  assert.equal(r.status, 0, r.err);
  const [id, host, packages, year] = r.out.trim().split('\n');
  assert.equal(id, 'debian');
  assert.equal(host, 'tabvm');
  assert.ok(Number(packages) >= 100, `${packages} packages`);
  assert.equal(Number(year), new Date().getUTCFullYear());
});

test('a home file, an edited /etc file and an installed package persist in --disk-state', () => {
  const state = join(tmp, 'debian.state');
  let r = tabvm(['--disk-state', state, '--exec',
    'echo mine > /root/notes.txt && echo "# edited" >> /etc/motd && ' +
    'mkdir -p /tmp/pkg/DEBIAN /tmp/pkg/usr/bin && printf "Package: tabvm-hello\\nVersion: 1.0\\nArchitecture: all\\nMaintainer: t <t@t>\\nDescription: test\\n" > /tmp/pkg/DEBIAN/control && ' +
    // (No "#!" here: interactive bash would take "!" for history expansion; the exec channel
    // of a later issue avoids the interactive shell.)
    'echo hello-from-deb > /tmp/pkg/usr/bin/tabvm-hello.txt && ' +
    'dpkg-deb -b /tmp/pkg /tmp/hello.deb >/dev/null && dpkg -i /tmp/hello.deb >/dev/null && echo done']);
  assert.equal(r.status, 0, r.err + r.out);
  r = tabvm(['--disk-state', state, '--exec', 'cat /root/notes.txt; tail -1 /etc/motd; cat /usr/bin/tabvm-hello.txt; dpkg -L tabvm-hello | grep -c tabvm-hello.txt; dpkg -l tabvm-hello | grep -c ^ii']);
  assert.equal(r.status, 0, r.err + r.out);
  assert.equal(r.out, 'mine\n# edited\nhello-from-deb\n1\n1\n');
});

test('the network at boot: DHCP, a name from the test\'s own DNS server, python3 fetches a file from the host', async () => {
  const { createServer } = await import('node:http');
  const { createSocket } = await import('node:dgram');
  const { createHash, randomBytes } = await import('node:crypto');
  const { once } = await import('node:events');
  const { spawn } = await import('node:child_process');
  const { startRelay } = await import('../relay.js');
  const blob = randomBytes(1 << 20);
  const http = createServer((req, res) => res.writeHead(200, { 'content-length': blob.length }).end(blob));
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  // One name, one A record (10.0.2.2: the host); everything else NXDOMAIN.
  const dns = createSocket('udp4');
  dns.on('message', (q, from) => {
    let i = 12;
    const labels = [];
    while (i < q.length && q[i]) { labels.push(q.subarray(i + 1, i + 1 + q[i]).toString()); i += q[i] + 1; }
    const a = labels.join('.') === 'files.tabvm.test' && q.readUInt16BE(i + 1) === 1;
    const head = Buffer.alloc(12);
    q.copy(head, 0, 0, 2);
    head.writeUInt16BE(labels.join('.') === 'files.tabvm.test' ? 0x8180 : 0x8183, 2);
    head.writeUInt16BE(1, 4);
    head.writeUInt16BE(a ? 1 : 0, 6);
    const rr = a ? Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 2, 2]) : Buffer.alloc(0);
    dns.send(Buffer.concat([head, q.subarray(12, i + 5), rr]), from.port, from.address);
  });
  dns.bind(0, '127.0.0.1');
  await once(dns, 'listening');
  const relay = await startRelay(join(root, 'build/native/tabvm-relay'), ['--dns', `127.0.0.1:${dns.address().port}`]);
  try {
    const port = http.address().port;
    const cmd = 'for i in $(seq 100); do ip -4 addr show eth0 | grep -q inet && break; sleep 0.1; done; ' +
      'ip -4 -o addr show eth0 | awk \'{print $4}\'; ' +
      `python3 -c 'import urllib.request, hashlib; print(hashlib.sha256(urllib.request.urlopen("http://files.tabvm.test:${port}/").read()).hexdigest())'`;
    const p = spawn('node', [join(root, 'cli/tabvm.js'), '--image', 'debian', '--net', relay.url, '--exec', cmd], { cwd: root });
    let out = '', err = '';
    p.stdout.on('data', (b) => { out += b; });
    p.stderr.on('data', (b) => { err += b; });
    const [status] = await once(p, 'exit');
    assert.equal(status, 0, err + out);
    assert.deepEqual(out.trim().split('\n'), ['10.0.2.15/24', createHash('sha256').update(blob).digest('hex')]);
  } finally {
    relay.stop();
    dns.close();
    http.close();
  }
});
