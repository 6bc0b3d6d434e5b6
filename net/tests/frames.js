// Ethernet, ARP, IPv4, UDP, TCP and DHCP frames made and parsed by hand, for the relay tests: a
// test client plays the guest's part of the protocol on a WebSocket to the relay.

export const GUEST_IP = [10, 0, 2, 15];
export const HOST_IP = [10, 0, 2, 2];

function sum(buf, s = 0) {
  for (let i = 0; i + 1 < buf.length; i += 2) s += (buf[i] << 8) | buf[i + 1];
  if (buf.length & 1) s += buf[buf.length - 1] << 8;
  return s;
}
function fold(s) {
  while (s >> 16) s = (s & 0xffff) + (s >>> 16);
  return s;
}
export const checksum = (buf, s = 0) => (~fold(sum(buf, s))) & 0xffff;

export function eth(dst, src, type, payload) {
  const f = Buffer.alloc(14 + payload.length);
  Buffer.from(dst).copy(f, 0);
  Buffer.from(src).copy(f, 6);
  f.writeUInt16BE(type, 12);
  payload.copy(f, 14);
  return f;
}

export function arpRequest(mac, ip, target) {
  const a = Buffer.alloc(28);
  a.writeUInt16BE(1, 0); a.writeUInt16BE(0x0800, 2); a[4] = 6; a[5] = 4; a.writeUInt16BE(1, 6);
  Buffer.from(mac).copy(a, 8); Buffer.from(ip).copy(a, 14); Buffer.from(target).copy(a, 24);
  return eth([0xff, 0xff, 0xff, 0xff, 0xff, 0xff], mac, 0x0806, a);
}

export function ipv4(src, dst, proto, payload) {
  const h = Buffer.alloc(20);
  h[0] = 0x45; h.writeUInt16BE(20 + payload.length, 2); h[8] = 64; h[9] = proto;
  Buffer.from(src).copy(h, 12); Buffer.from(dst).copy(h, 16);
  h.writeUInt16BE(checksum(h), 10);
  return Buffer.concat([h, payload]);
}

function pseudo(src, dst, proto, len) {
  return sum(Buffer.from([...src, ...dst, 0, proto, len >> 8, len & 255]));
}

export function udp(src, dst, sport, dport, data) {
  const u = Buffer.alloc(8 + data.length);
  u.writeUInt16BE(sport, 0); u.writeUInt16BE(dport, 2); u.writeUInt16BE(u.length, 4);
  data.copy(u, 8);
  u.writeUInt16BE(checksum(u, pseudo(src, dst, 17, u.length)) || 0xffff, 6);
  return ipv4(src, dst, 17, u);
}

export const TCP = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16 };

export function tcp(src, dst, { sport, dport, seq, ack = 0, flags, data = Buffer.alloc(0), window = 65535 }) {
  const t = Buffer.alloc(20 + data.length);
  t.writeUInt16BE(sport, 0); t.writeUInt16BE(dport, 2);
  t.writeUInt32BE(seq >>> 0, 4); t.writeUInt32BE(ack >>> 0, 8);
  t[12] = 5 << 4; t[13] = flags; t.writeUInt16BE(window, 14);
  data.copy(t, 20);
  t.writeUInt16BE(checksum(t, pseudo(src, dst, 6, t.length)), 16);
  return ipv4(src, dst, 6, t);
}

/** A DHCP DISCOVER from mac (RFC 2131), broadcast. */
export function dhcpDiscover(mac, xid) {
  const b = Buffer.alloc(240 + 4);
  b[0] = 1; b[1] = 1; b[2] = 6; b.writeUInt32BE(xid, 4); b.writeUInt16BE(0x8000, 10);
  Buffer.from(mac).copy(b, 28);
  b.writeUInt32BE(0x63825363, 236);
  Buffer.from([53, 1, 1, 255]).copy(b, 240);
  return eth([0xff, 0xff, 0xff, 0xff, 0xff, 0xff], mac, 0x0800, udp([0, 0, 0, 0], [255, 255, 255, 255], 68, 67, b));
}

/** The parts of a received frame the tests look at. */
export function parse(f) {
  const r = { type: f.readUInt16BE(12), dst: [...f.subarray(0, 6)], src: [...f.subarray(6, 12)] };
  if (r.type === 0x0806) {
    r.arp = { op: f.readUInt16BE(20), senderMac: [...f.subarray(22, 28)], senderIp: [...f.subarray(28, 32)] };
  }
  if (r.type !== 0x0800) return r;
  const ip = f.subarray(14);
  const ihl = (ip[0] & 15) * 4;
  r.ip = { proto: ip[9], src: [...ip.subarray(12, 16)], dst: [...ip.subarray(16, 20)], headerOk: checksum(ip.subarray(0, ihl)) === 0 };
  const l4 = ip.subarray(ihl, ip.readUInt16BE(2));
  if (r.ip.proto === 1) r.icmp = { type: l4[0], code: l4[1] };
  if (r.ip.proto === 17) {
    r.udp = { sport: l4.readUInt16BE(0), dport: l4.readUInt16BE(2), data: l4.subarray(8) };
    if (r.udp.sport === 67) r.dhcp = { xid: r.udp.data.readUInt32BE(4), yiaddr: [...r.udp.data.subarray(16, 20)] };
  }
  if (r.ip.proto === 6) {
    r.tcp = { sport: l4.readUInt16BE(0), dport: l4.readUInt16BE(2), seq: l4.readUInt32BE(4), ack: l4.readUInt32BE(8),
      flags: l4[13], data: l4.subarray((l4[12] >> 4) * 4) };
  }
  return r;
}
