// Debian's own riscv64 kernel, unmodified (guest/stock-kernel.pin), boots in TabVM to a shell
// from a small initramfs that loads Debian's virtio modules (guest/build-stock-initramfs.sh):
// once on the UART (`console=ttyS0` and a plain `earlycon`, found through the device tree's
// stdout-path) and once on the virtio console with the SBI debug console as its early console.
// Each boot checks the devices a person gets: the disk transport, the entropy device, the clock.
// Run by `make check-stock-kernel` (part of `make test`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { assetPaths, boot } from '../cli/boot.js';

const build = new URL('../build', import.meta.url).pathname;
const paths = { ...assetPaths(build), kernel: `${build}/guest/stock/Image`, initrd: `${build}/guest/stock/initramfs.cpio.gz` };
const version = readFileSync(`${build}/guest/stock/version`, 'utf8').trim();

const within = (p, ms, what) => Promise.race([p, new Promise((_, no) => setTimeout(() => no(new Error(`no ${what} within ${ms / 1000} s`)), ms))]);

/** Boots with cmdline, types cmds into the console shell, returns what it printed between markers. */
async function bootAndRun(cmdline, cmds) {
  const t0 = performance.now();
  const vm = await boot(paths, { memMiB: 512, cmdline, cols: 200, rows: 50, execChannel: false });
  let out = '';
  vm.onOutput((b) => { out += Buffer.from(b).toString(); });
  try {
    await within(vm.ready, 120_000, 'prompt');
    const bootMs = performance.now() - t0;
    vm.write(`echo @@''begin; ${cmds}; echo @@''end\n`);
    await within((async () => { while (!/@@end/.test(out)) await new Promise((r) => setTimeout(r, 50)); })(), 30_000, 'command output');
    const text = out.replace(/\r/g, '');
    return { bootMs, text: text.slice(text.indexOf('@@begin\n') + 8, text.indexOf('@@end')) };
  } finally {
    await vm.stop();
  }
}

test('on the UART: console=ttyS0 and a plain earlycon', async () => {
  const { bootMs, text } = await bootAndRun('console=ttyS0 earlycon',
    'uname -r; cat /proc/consoles; cat /sys/class/misc/hw_random/rng_current; ls /sys/bus/virtio/devices | wc -w; date +%Y; dmesg | grep -E "earlycon:"');
  console.log(`stock kernel ${version}, console=ttyS0: prompt after ${(bootMs / 1000).toFixed(2)} s`);
  const lines = text.split('\n');
  assert.equal(lines[0], version);
  assert.match(text, /^ttyS0 /m);
  assert.match(text, /^virtio_rng\.0$/m);
  assert.match(text, /^[23]$/m); // virtio devices: the console, the entropy device, a drive if any
  assert.match(text, new RegExp(`^${new Date().getUTCFullYear()}$`, 'm')); // the RTC
  assert.match(text, /earlycon: \w+ at MMIO 0x0*10000000/);
});

test('on the virtio console, with the SBI debug console as earlycon', async () => {
  const { bootMs, text } = await bootAndRun('console=hvc0 earlycon=sbi',
    'uname -r; cat /proc/consoles; dmesg | grep -E "earlycon:|SBI specification|DBCN"');
  console.log(`stock kernel ${version}, console=hvc0: prompt after ${(bootMs / 1000).toFixed(2)} s`);
  assert.equal(text.split('\n')[0], version);
  assert.match(text, /^hvc0 /m);
  assert.match(text, /SBI specification v2\.0/);
  assert.match(text, /earlycon: sbi0/);
});
