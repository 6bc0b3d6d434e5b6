// tabvm-relay over loopback, each test client playing a guest with hand-made frames
// (frames.js): two clients with networks of their own at once; garbage, oversized and text
// messages close that client only; a client vanishing in the middle of a download frees its
// connection to the server; the deny list and the flow cap answer with ICMP and open nothing;
// the client cap; browser pages from other sites refused by a personal relay.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import WebSocket from 'ws';
import { GUEST_IP, HOST_IP, TCP, arpRequest, dhcpDiscover, eth, parse, tcp } from './frames.js';

// TABVM_RELAY: another build of the relay (make net-tests-asan runs these against the ASan one).
const RELAY = process.env.TABVM_RELAY ?? new URL('../../build/native/tabvm-relay', import.meta.url).pathname;
const SLIRP_MAC = [0x52, 0x55, 10, 0, 2, 2];
const relays = [];
after(() => { for (const r of relays) r.child.kill(); });

/** Starts a relay with these options; { url, child, log() }. */
function startRelay(args = []) {
  const child = spawn(RELAY, ['--listen', '127.0.0.1:0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stderr.on('data', (b) => { err += b; });
  return new Promise((resolve, reject) => {
    child.on('close', (code) => reject(new Error(`relay exited with ${code}: ${err}`)));
    child.stdout.on('data', (b) => {
      out += b;
      const m = /listening on (ws:\/\/\S+)/.exec(out);
      if (m) {
        const r = { url: m[1], child, log: () => err };
        relays.push(r);
        resolve(r);
      }
    });
  });
}

/** A test client: a WebSocket whose frames are parsed and queued; answers slirp's ARP. */
class Guest {
  constructor(url, mac, opts) {
    this.mac = mac;
    this.frames = [];
    this.waiters = [];
    this.ws = new WebSocket(url, opts);
    this.ws.binaryType = 'nodebuffer';
    this.closed = new Promise((resolve) => this.ws.on('close', (code) => resolve(code)));
    this.ws.on('error', () => {});
    this.ws.on('message', (data, isBinary) => {
      if (!isBinary) return;
      const f = parse(data);
      if (f.arp?.op === 1) { // who has 10.0.2.15? We do.
        const a = Buffer.from(arpRequest(this.mac, GUEST_IP, f.arp.senderIp).subarray(14));
        a.writeUInt16BE(2, 6);
        Buffer.from(f.arp.senderMac).copy(a, 18);
        Buffer.from(f.arp.senderIp).copy(a, 24);
        this.send(eth(f.src, this.mac, 0x0806, a));
        return;
      }
      this.frames.push(f);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  open() { return once(this.ws, 'open'); }
  send(frame) { this.ws.send(frame); }
  sendIp(ipPacket) { this.send(eth(SLIRP_MAC, this.mac, 0x0800, ipPacket)); }

  /** Resolves to the first received frame for which pred is true (removed from the queue). */
  async expect(what, pred, ms = 5000) {
    const end = Date.now() + ms;
    for (;;) {
      const i = this.frames.findIndex(pred);
      if (i >= 0) return this.frames.splice(i, 1)[0];
      const left = end - Date.now();
      if (left <= 0) throw new Error(`no ${what} within ${ms} ms`);
      await new Promise((r) => { this.waiters.push(r); setTimeout(r, left); });
    }
  }
}

async function tcpServer(onConn = () => {}) {
  const conns = [];
  const server = createServer((s) => { conns.push(s); s.on('error', () => {}); onConn(s); });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: server.address().port, conns };
}

/** A TCP handshake from the guest to 10.0.2.2:port; resolves to { seq, ack } for what follows. */
async function connect(g, port, sport) {
  g.sendIp(tcp(GUEST_IP, HOST_IP, { sport, dport: port, seq: 1000, flags: TCP.SYN }));
  const synAck = await g.expect('SYN-ACK', (f) => f.tcp?.dport === sport && (f.tcp.flags & (TCP.SYN | TCP.ACK)) === (TCP.SYN | TCP.ACK));
  assert.equal(synAck.tcp.ack, 1001);
  const seq = 1001, ack = (synAck.tcp.seq + 1) >>> 0;
  g.sendIp(tcp(GUEST_IP, HOST_IP, { sport, dport: port, seq, ack, flags: TCP.ACK }));
  return { seq, ack };
}

const mac = (n) => [0x52, 0x54, 0, 0, 0, n];

/** Waits until the relay's log has a line matching re (its stderr arrives on its own time). */
async function logged(relay, re) {
  const end = Date.now() + 3000;
  while (!re.test(relay.log())) {
    if (Date.now() > end) assert.match(relay.log(), re);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('a personal relay listens on the loopback address only; an address this machine lacks is an error', async () => {
  const relay = await startRelay();
  const port = Number(new URL(relay.url).port).toString(16).toUpperCase().padStart(4, '0');
  // Listening sockets (state 0A) on that port, IPv4 and IPv6, by local address.
  const listening = ['tcp', 'tcp6'].flatMap((f) => readFileSync(`/proc/net/${f}`, 'utf8').split('\n').slice(1)
    .map((l) => l.trim().split(/\s+/)).filter((c) => c[3] === '0A' && c[1]?.endsWith(`:${port}`)).map((c) => c[1]));
  assert.deepEqual(listening, [`0100007F:${port}`]);
  await assert.rejects(startRelay(['--listen', '192.0.2.77:0']), /cannot listen on 192\.0\.2\.77/);
});

test('two clients at once each get a network of their own (ARP, DHCP)', async () => {
  const relay = await startRelay();
  const a = new Guest(relay.url, mac(1)), b = new Guest(relay.url, mac(2));
  await Promise.all([a.open(), b.open()]);
  for (const [g, xid] of [[a, 0x1111], [b, 0x2222]]) g.send(dhcpDiscover(g.mac, xid));
  for (const [g, xid] of [[a, 0x1111], [b, 0x2222]]) {
    const offer = await g.expect('DHCP offer', (f) => f.dhcp?.xid === xid);
    assert.deepEqual(offer.dhcp.yiaddr, GUEST_IP, 'each stack leases its first address: they are separate');
    assert.ok(offer.ip.headerOk);
    g.send(arpRequest(g.mac, GUEST_IP, HOST_IP));
    const reply = await g.expect('ARP reply', (f) => f.arp?.op === 2);
    assert.deepEqual(reply.arp.senderIp, HOST_IP);
  }
  a.ws.close();
  b.ws.close();
  await Promise.all([a.closed, b.closed]);
  await logged(relay, /client 1 connected from .*\n/);
  await logged(relay, /client 2 \(.*\) disconnected after [\d.]+ s/);
});

test('garbage closes that client only; the relay and its other clients go on', async () => {
  const relay = await startRelay();
  const good = new Guest(relay.url, mac(3));
  await good.open();
  const cases = [
    ['a text message', (ws) => ws.send('hello'), 1003],
    ['an oversized message', (ws) => ws.send(Buffer.alloc(100000, 0xab)), 1009],
    ['a message shorter than a frame', (ws) => ws.send(Buffer.from([1, 2, 3])), 1007],
  ];
  for (const [why, send, code] of cases) {
    const bad = new Guest(relay.url, mac(4));
    await bad.open();
    send(bad.ws);
    assert.equal(await bad.closed, code, why);
    await logged(relay, new RegExp(`${why}: closing it`));
  }
  // Random binary messages of frame size: no crash, no close (slirp drops what it cannot use).
  const noisy = new Guest(relay.url, mac(5));
  await noisy.open();
  for (let i = 0; i < 500; i++) {
    const f = Buffer.alloc(14 + Math.floor(Math.random() * 1500));
    for (let k = 0; k < f.length; k++) f[k] = Math.random() * 256;
    if (i % 2) f.writeUInt16BE(i % 4 ? 0x0800 : 0x0806, 12);
    if (i % 4 === 1) f[14] = 0x45;
    noisy.send(f);
  }
  good.send(arpRequest(good.mac, GUEST_IP, HOST_IP));
  await good.expect('ARP reply after the garbage', (f) => f.arp?.op === 2);
  assert.equal(relay.child.exitCode, null, 'the relay is still running');
  noisy.ws.close();
  good.ws.close();
});

test('a client vanishing in the middle of a download frees its connection', async () => {
  const relay = await startRelay();
  const chunk = Buffer.alloc(64 << 10, 0x5a);
  const srv = await tcpServer((s) => {
    s.once('data', () => {
      const more = () => { while (s.writable && s.write(chunk)) { /* until the socket's buffer is full */ } };
      s.on('drain', more);
      more();
    });
  });
  const g = new Guest(relay.url, mac(6));
  await g.open();
  g.send(arpRequest(g.mac, GUEST_IP, HOST_IP));
  const { seq, ack } = await connect(g, srv.port, 40001);
  g.sendIp(tcp(GUEST_IP, HOST_IP, { sport: 40001, dport: srv.port, seq, ack, flags: TCP.ACK | TCP.PSH, data: Buffer.from('GET / HTTP/1.0\r\n\r\n') }));
  const data = await g.expect('download data', (f) => f.tcp?.dport === 40001 && f.tcp.data.length > 0);
  assert.equal(data.tcp.data[0], 0x5a);
  assert.equal(srv.conns.length, 1);
  // (slirp may end it with a reset: an error event before the close)
  const closed = new Promise((resolve) => srv.conns[0].on('close', resolve));
  g.ws.terminate(); // no close handshake: the peer just disappears
  await closed; // slirp's socket to the server is closed with the client
  assert.equal(relay.child.exitCode, null);
  const next = new Guest(relay.url, mac(7));
  await next.open();
  next.send(arpRequest(next.mac, GUEST_IP, HOST_IP));
  await next.expect('ARP reply from a new client', (f) => f.arp?.op === 2);
  next.ws.close();
  srv.server.close();
});

test('the deny list holds: a refused destination gets ICMP and is never connected', async () => {
  const srv = await tcpServer();
  const open = await startRelay();
  const denied = await startRelay(['--deny', '127.0.0.0/8']);
  const g1 = new Guest(open.url, mac(8)), g2 = new Guest(denied.url, mac(9));
  await Promise.all([g1.open(), g2.open()]);
  await connect(g1, srv.port, 40002);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(srv.conns.length, 1, 'a personal relay reaches the host\'s loopback');
  g2.sendIp(tcp(GUEST_IP, HOST_IP, { sport: 40003, dport: srv.port, seq: 1, flags: TCP.SYN }));
  const icmp = await g2.expect('ICMP unreachable', (f) => f.icmp);
  assert.deepEqual(icmp.icmp, { type: 3, code: 13 });
  assert.deepEqual(icmp.ip.src, HOST_IP);
  assert.ok(icmp.ip.headerOk);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(srv.conns.length, 1, 'nothing reached the server through the denying relay');
  g1.ws.close();
  g2.ws.close();
  srv.server.close();
});

test('caps: clients per relay, flows per client', async () => {
  const srv = await tcpServer();
  const relay = await startRelay(['--max-clients', '2', '--max-flows', '2']);
  const a = new Guest(relay.url, mac(10)), b = new Guest(relay.url, mac(11));
  await Promise.all([a.open(), b.open()]);
  const c = new Guest(relay.url, mac(12));
  const refused = await new Promise((resolve) => {
    c.ws.on('unexpected-response', () => resolve(true));
    c.ws.on('open', () => resolve(false));
    c.ws.on('close', () => resolve(true));
  });
  assert.ok(refused, 'a third client is refused');
  await logged(relay, /refused .*: 2 clients, the cap/);
  a.send(arpRequest(a.mac, GUEST_IP, HOST_IP));
  await connect(a, srv.port, 41000);
  await connect(a, srv.port, 41001);
  a.sendIp(tcp(GUEST_IP, HOST_IP, { sport: 41002, dport: srv.port, seq: 1, flags: TCP.SYN }));
  assert.deepEqual((await a.expect('ICMP over the cap', (f) => f.icmp)).icmp, { type: 3, code: 13 });
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(srv.conns.length, 2);
  a.ws.close();
  b.ws.close();
  srv.server.close();
});

test('the bandwidth cap: a client sending faster than --rate has the excess dropped', async () => {
  const relay = await startRelay(['--rate', '10000']); // 10 kB/s, with 64 KiB of burst
  const g = new Guest(relay.url, mac(16));
  await g.open();
  const arp = arpRequest(g.mac, GUEST_IP, HOST_IP); // 42 bytes each
  for (let i = 0; i < 3000; i++) g.send(arp); // 126 kB at once
  await new Promise((r) => setTimeout(r, 1000));
  const replies = g.frames.filter((f) => f.arp?.op === 2).length;
  // Each direction has its own bucket: about 64 KiB of burst plus 10 kB/s. In: 1560 requests of
  // 42 bytes; out: about 1024 replies of 64 bytes (slirp pads them).
  assert.ok(replies >= 900 && replies <= 1700, `${replies} replies`);
  g.ws.close();
  await logged(relay, /client \d+ \(.*\) disconnected .* 3000 frames \(126000 bytes\) from it, .* (\d+) dropped/);
  const dropped = Number(/(\d+) dropped \(/.exec(relay.log())[1]);
  assert.ok(dropped >= 3000 - 1700, `${dropped} dropped`);
});

test('a personal relay takes browser pages from this machine only', async () => {
  const relay = await startRelay();
  const fromSite = new Guest(relay.url, mac(13), { origin: 'https://example.com' });
  const refused = await new Promise((resolve) => {
    fromSite.ws.on('unexpected-response', () => resolve(true));
    fromSite.ws.on('open', () => resolve(false));
    fromSite.ws.on('close', () => resolve(true));
  });
  assert.ok(refused);
  await logged(relay, /its page's origin is not allowed/);
  const local = new Guest(relay.url, mac(14), { origin: 'http://127.0.0.1:8080' });
  await local.open();
  local.ws.close();
  // The subprotocols clients of other relays ask for: none, 'binary' (websockify style).
  for (const protocols of [[], ['binary'], ['tabvm-relay']]) {
    const ws = new WebSocket(relay.url, protocols);
    await once(ws, 'open');
    assert.equal(ws.protocol, protocols[0] ?? '');
    ws.close();
  }
  const publicRelay = await startRelay(['--public']);
  const anySite = new Guest(publicRelay.url, mac(15), { origin: 'https://example.com' });
  await anySite.open();
  anySite.ws.close();
});
