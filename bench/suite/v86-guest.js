// v86 (the npm package: an x86 PC emulator whose JIT compiles x86 code to WebAssembly) under
// Node for the suite, in a process of its own: boots Debian's i386 kernel and the bench's i386
// initramfs (build/bench, bench.mk) with Debian's SeaBIOS, and joins the guest's serial console
// to this process's stdin and stdout, so the suite drives it like TabVM's native build or QEMU.
// usage: node bench/suite/v86-guest.js BZIMAGE INITRD [BIOS_DIR]   (BIOS_DIR: /usr/share/seabios)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { V86 } from 'v86';

const [bzimage, initrd, biosDir = '/usr/share/seabios'] = process.argv.slice(2);
const buf = (p) => { const b = readFileSync(p); return { buffer: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) }; };
const wasm = join(dirname(createRequire(import.meta.url).resolve('v86')), 'v86.wasm');

const emulator = new V86({
  wasm_path: wasm,
  memory_size: 256 * 1024 * 1024, // as the riscv64 guests
  vga_memory_size: 2 * 1024 * 1024,
  bios: buf(`${biosDir}/bios.bin`),
  vga_bios: buf(`${biosDir}/vgabios-stdvga.bin`),
  bzimage: buf(bzimage),
  initrd: buf(initrd),
  // The serial console, no VGA console. tsc=reliable: v86's TSC follows the host's clock, so
  // the kernel need not watch it against another clocksource (run.js checks the guest's time
  // against the host's anyway). mitigations=off: Spectre/Meltdown workarounds guard nothing in
  // an emulated CPU and would only slow the x86 kernel; the riscv64 kernel has none either.
  cmdline: 'console=ttyS0 tsc=reliable mitigations=off random.trust_cpu=on',
  autostart: true,
  disable_keyboard: true,
  disable_mouse: true,
  disable_speaker: true,
});

// Output is gathered per turn of the event loop: one write per byte would cost more than the guest.
let out = [];
emulator.add_listener('serial0-output-byte', (b) => {
  if (!out.length) setImmediate(() => { process.stdout.write(Buffer.from(out)); out = []; });
  out.push(b);
});
process.stdin.on('data', (d) => emulator.serial0_send(d.toString('latin1')));
process.stdin.on('end', async () => { await emulator.destroy(); process.exit(0); });
