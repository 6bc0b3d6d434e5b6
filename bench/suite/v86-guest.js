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

// The x86 instructions v86 retires during each workload: counted from the line that starts it
// (`/bench/run.sh W` typed) to its result line, and reported on stderr as
// "V86-INSTRUCTIONS W N" for the suite (session.js), which keeps x86 and riscv64 counts apart.
let started = null, seen = '';
// v86's counter is 32 bits and wraps (every ~10 s at its speed): it is folded into a wider total
// often enough that it never wraps twice in between.
let total = 0, last = 0;
const counter = () => {
  const c = emulator.get_instruction_counter();
  total += (c - last) >>> 0;
  last = c;
  return total;
};
setInterval(counter, 200).unref();

// Output is gathered per turn of the event loop: one write per byte would cost more than the guest.
let out = [];
emulator.add_listener('serial0-output-byte', (b) => {
  if (!out.length) {
    setImmediate(() => {
      const chunk = Buffer.from(out);
      out = [];
      process.stdout.write(chunk);
      if (!started) return;
      seen = (seen + chunk.toString('latin1')).slice(-4096);
      const m = new RegExp(`BENCH-RESULT ${started.w} [^\n]*\n`).exec(seen);
      if (m) {
        process.stderr.write(`V86-INSTRUCTIONS ${started.w} ${counter() - started.n}\n`);
        started = null;
      }
    });
  }
  out.push(b);
});
process.stdin.on('data', (d) => {
  const m = /\/bench\/run\.sh (\w+)/.exec(d.toString('latin1'));
  if (m) { started = { w: m[1], n: counter() }; seen = ''; }
  emulator.serial0_send(d.toString('latin1'));
});
process.stdin.on('end', async () => { await emulator.destroy(); process.exit(0); });
