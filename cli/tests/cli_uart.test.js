// The board's 16550A UART as a stock kernel uses it: with `console=ttyS0` and a plain `earlycon`
// (found through the device tree's stdout-path) the boot messages and the shell are on the
// UART; keystrokes reach that shell; the command channel still works beside it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assetPaths, boot } from '../boot.js';

const paths = assetPaths(new URL('../../build', import.meta.url).pathname);
const within = (p, ms, what) => Promise.race([p, new Promise((_, no) => setTimeout(() => no(new Error(`no ${what} in ${ms} ms`)), ms))]);

test('console=ttyS0: earlycon, the shell and typing go through the UART', async () => {
  const vm = await boot(paths, { memMiB: 128, cmdline: 'console=ttyS0 earlycon' });
  let out = '';
  vm.onOutput((b) => { out += Buffer.from(b).toString(); });
  try {
    await within(vm.ready, 60000, 'prompt');
    assert.match(out, /root@tabvm/); // the prompt came through the UART
    vm.write('echo typed-$((6*7))\n');
    await within((async () => { while (!/typed-42/.test(out)) await new Promise((r) => setTimeout(r, 50)); })(), 20000, 'echo');
    const r = await vm.exec('cat /proc/consoles; cat /sys/class/tty/ttyS0/type; dmesg | grep -E "earlycon|console .ttyS0"');
    assert.equal(r.status, 0, r.output);
    assert.match(r.stdout, /earlycon: \w+ at MMIO 0x0*10000000/);
    assert.match(r.stdout, /console \[ttyS0\] enabled/);
    assert.match(r.stdout, /^ttyS0 /m);
    assert.match(r.stdout, /^4$/m); /* PORT_16550A */
  } finally {
    await vm.stop();
  }
});
