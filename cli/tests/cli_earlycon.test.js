// The kernel's early console (SBI): a kernel that dies before the virtio console is its console
// is still reported and its messages are shown. Here the console is asked for on a UART the
// board does not have (`console=ttyAMA0`, an Arm PL011), so every line goes only to earlycon (kept after the
// late initcalls by `keep_bootcon`), and with an init the initramfs does not have and no disk
// the kernel panics when it looks for a root filesystem instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assetPaths, boot } from '../boot.js';

const paths = assetPaths(new URL('../../build', import.meta.url).pathname);

test('a panic seen only on the early console is reported and shown', async () => {
  const vm = await boot(paths, { memMiB: 64, cmdline: 'console=ttyAMA0 earlycon=sbi keep_bootcon rdinit=/nonexistent' });
  const shown = [];
  vm.onOutput((b) => shown.push(Buffer.from(b)));
  try {
    const msg = await Promise.race([vm.panicked, new Promise((_, no) => setTimeout(() => no(new Error('no panic reported')), 60000))]);
    assert.match(msg, /Unable to mount root fs|Cannot open root device/);
    await assert.rejects(vm.ready, /the guest kernel panicked/);
    const text = Buffer.concat(shown).toString();
    assert.match(text, /Kernel command line: console=ttyAMA0 earlycon=sbi keep_bootcon rdinit=\/nonexistent/);
    assert.match(text, /Kernel panic - not syncing/);
  } finally {
    await vm.stop();
  }
});
