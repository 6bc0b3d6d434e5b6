// Another emulator on our relay: v86 (the npm package, an x86 PC emulator) under Node, with its
// ne2k card's frames going to tabvm-relay through v86's own WebSocket adapter (one raw Ethernet
// frame per message, as ours). Its guest (Debian's i386 kernel and busybox, the benchmark
// suite's downloads) loads the ne2k-pci driver, gets an address by DHCP from the relay's slirp
// and wgets a file from an HTTP server here, checksum verified. Loopback only.
// Needs the benchmark suite's build/bench/debs/kernel-i386.deb and busybox-i386.deb (bench/bench.mk
// fetches them) and the guest build's gen_init_cpio: `make net-interop` builds all three and runs
// this; it exits 0 and prints "v86 interop: ok" when the checksum matches.
import { execFileSync, execSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { WebSocket } from 'ws';
import { startRelay } from '../../cli/relay.js';

const root = new URL('../..', import.meta.url).pathname;
const debs = join(root, 'build/bench/debs');
const tmp = mkdtempSync(join(tmpdir(), 'tabvm-v86-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

// The guest: kernel, the 8390/ne2k-pci modules, busybox and an init that does the work.
const kver = execSync(`dpkg-deb -c ${debs}/kernel-i386.deb | sed -n 's|.*/boot/vmlinuz-||p'`, { encoding: 'utf8' }).trim();
const mods = `./lib/modules/${kver}/kernel/drivers/net/ethernet/8390`;
execSync(`dpkg-deb --fsys-tarfile ${debs}/kernel-i386.deb | tar -x -C ${tmp} ./boot/vmlinuz-${kver} ${mods}/8390.ko ${mods}/ne2k-pci.ko`);
execSync(`dpkg-deb --fsys-tarfile ${debs}/busybox-i386.deb | tar -x -C ${tmp} ./usr/bin/busybox`);
writeFileSync(join(tmp, 'init'), `#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs devtmpfs /dev
insmod /8390.ko && insmod /ne2k-pci.ko
ip link set eth0 up
udhcpc -i eth0 -q -n -t 10 -T 1 -s /dhcp.sh >/dev/null 2>&1
echo "ADDR: $(ip -4 -o addr show eth0 | awk '{print $4}')"
port=$(sed -n 's/.*interop_port=\\([0-9]*\\).*/\\1/p' /proc/cmdline)
echo "SUM: $(wget -q -O - http://10.0.2.2:$port/blob | sha256sum)"
echo INTEROP-DONE
poweroff -f
`);
writeFileSync(join(tmp, 'dhcp.sh'), `#!/bin/sh
[ "$1" = bound ] && ifconfig "$interface" "$ip" netmask "$subnet" && route add default gw "$router"
exit 0
`);
writeFileSync(join(tmp, 'list'), ['dir /bin 0755 0 0', 'dir /proc 0755 0 0', 'dir /sys 0755 0 0', 'dir /dev 0755 0 0',
  'nod /dev/console 0600 0 0 c 5 1', `file /bin/busybox ${tmp}/usr/bin/busybox 0755 0 0`, `file /init ${tmp}/init 0755 0 0`,
  `file /dhcp.sh ${tmp}/dhcp.sh 0755 0 0`, `file /8390.ko ${tmp}/${mods}/8390.ko 0644 0 0`,
  `file /ne2k-pci.ko ${tmp}/${mods}/ne2k-pci.ko 0644 0 0`].join('\n') + '\n');
const cpio = execFileSync(join(root, 'build/guest/kbuild/usr/gen_init_cpio'), ['-t', '0', join(tmp, 'list')], { maxBuffer: 1 << 28 });

const blob = randomBytes(1 << 20);
const want = createHash('sha256').update(blob).digest('hex');
const http = createServer((req, res) => res.writeHead(200, { 'content-length': blob.length }).end(blob));
http.listen(0, '127.0.0.1');
await once(http, 'listening');
const relay = await startRelay(join(root, 'build/native/tabvm-relay'));

globalThis.WebSocket = WebSocket; // v86's network adapter uses the global one, which Node 20 lacks
const { V86 } = await import('v86');
const buf = (b) => ({ buffer: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) });
const emulator = new V86({
  wasm_path: join(dirname(createRequire(import.meta.url).resolve('v86')), 'v86.wasm'),
  memory_size: 128 << 20,
  vga_memory_size: 2 << 20,
  bios: buf(readFileSync('/usr/share/seabios/bios.bin')),
  vga_bios: buf(readFileSync('/usr/share/seabios/vgabios-stdvga.bin')),
  bzimage: buf(readFileSync(join(tmp, `boot/vmlinuz-${kver}`))),
  initrd: buf(cpio),
  cmdline: `console=ttyS0 tsc=reliable mitigations=off quiet interop_port=${http.address().port}`,
  network_relay_url: relay.url,
  net_device: { type: 'ne2k' },
  autostart: true,
  disable_keyboard: true,
  disable_mouse: true,
  disable_speaker: true,
});
let text = '';
const done = new Promise((resolve) => emulator.add_listener('serial0-output-byte', (b) => {
  text += String.fromCharCode(b);
  if (text.includes('INTEROP-DONE')) resolve();
}));
const timer = setTimeout(() => { console.error(`v86 interop: timed out\n${text.slice(-2000)}`); process.exit(1); }, 240_000);
await done;
clearTimeout(timer);
const addr = /ADDR: (\S*)/.exec(text)?.[1];
const sum = /SUM: ([0-9a-f]{64})/.exec(text)?.[1];
await emulator.destroy();
relay.stop();
http.close();
if (addr !== '10.0.2.15/24' || sum !== want) {
  console.error(`v86 interop: FAILED (address ${addr}, checksum ${sum}, want ${want})\n${text.slice(-2000)}`);
  process.exit(1);
}
console.log('v86 interop: ok (DHCP 10.0.2.15/24 from the relay, 1 MiB by wget through it, sha256 matches)');
process.exit(0);
