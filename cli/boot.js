// `tabvm` and `tabvm --exec CMD`: boots the default guest under Node with the same Wasm modules
// and worker layout as the page (worker_threads instead of Web Workers).
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { startMachine, DEFAULT_CMDLINE } from '../shared/machine.js';
import { spawnWorker } from '../shared/threads.js';
import * as L from '../shared/layout.js';

const CTRL_A = 0x01;
// The root filesystem on the first disk (guest/README.md).
export const ROOT_ON_DISK = 'root=/dev/vda rw rootwait';

export function assetPaths(build) {
  return {
    'cpu.wasm': `${build}/wasm/tabvm-cpu.wasm`,
    'console.wasm': `${build}/wasm/tabvm-virtio-console.wasm`,
    'blk.wasm': `${build}/wasm/tabvm-virtio-blk.wasm`,
    kernel: `${build}/guest/Image`,
    initrd: `${build}/guest/initramfs.cpio.gz`,
  };
}

/** Returns a message naming the first missing file, or null. */
export function missingAsset(paths) {
  for (const [name, p] of Object.entries(paths)) {
    if (!existsSync(p)) return `${name} (${p}) is missing: run 'make image wasm' first`;
  }
  return null;
}

/** Starts a machine with the CLI's assets and workers (tests use it for the JS API too). */
export async function boot(paths, { memMiB, cmdline, cols, rows, disks = [], rootOnDisk = false, hotplugSlots = 0 }) {
  return startMachine({
    loadAsset: async (name) => {
      const b = await readFile(paths[name]);
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
    },
    spawn: {
      cpu: () => spawnWorker(new URL('../cpu/worker.js', import.meta.url)),
      console: () => spawnWorker(new URL('../devices/console/worker.js', import.meta.url)),
      blk: () => spawnWorker(new URL('../devices/blk/worker.js', import.meta.url)),
    },
    ramMiB: memMiB,
    cmdline: rootOnDisk ? `${cmdline} ${ROOT_ON_DISK}` : cmdline,
    initrd: !rootOnDisk,
    disks,
    hotplugSlots,
    cols,
    rows,
  });
}

/** Boots, runs cmd in the guest shell, prints its output; resolves to its exit status. */
export async function runExec(paths, { memMiB, timeoutSeconds, cmd, disks, rootOnDisk }) {
  const vm = await boot(paths, { memMiB, cmdline: `${DEFAULT_CMDLINE} quiet`, cols: 200, rows: 50, disks, rootOnDisk });
  const log = [];
  vm.onOutput((b) => log.push(b));
  const timer = setTimeout(() => {
    process.stderr.write(`tabvm: timeout after ${timeoutSeconds} s\n`);
    process.exit(3);
  }, timeoutSeconds * 1000);
  try {
    const { status, output } = await vm.exec(cmd);
    // What the command wrote to a disk reaches it before the machine stops.
    if (disks?.some((d) => !d.readOnly)) await vm.exec('sync');
    // process.exit does not wait for a piped stdout: wait until the output is handed over.
    await new Promise((resolve) => process.stdout.write(output, resolve));
    return status;
  } catch (e) {
    if (vm.panic) process.stderr.write(Buffer.concat(log).toString().slice(-4000)); // the panic's context
    process.stderr.write(`tabvm: ${e.message}\n`);
    return 1;
  } finally {
    clearTimeout(timer);
    await vm.stop();
  }
}

/** Interactive console in this terminal: raw mode, Ctrl-A x quits, Ctrl-A a sends Ctrl-A. */
export async function runInteractive(paths, { memMiB, disks, rootOnDisk }) {
  const out = process.stdout;
  const vm = await boot(paths, { memMiB, cols: out.columns || 80, rows: out.rows || 24, disks, rootOnDisk });
  const stopEcho = vm.onOutput((b) => out.write(b));
  out.on('resize', () => vm.resize(out.columns, out.rows));
  const stdin = process.stdin;
  if (stdin.isTTY) stdin.setRawMode(true);
  let escape = false;
  const quit = async (code) => {
    if (stdin.isTTY) stdin.setRawMode(false);
    // Leaving with Ctrl-A x while the guest runs: what it wrote reaches the disks first.
    if (disks?.some((d) => !d.readOnly) && !vm.panic && Atomics.load(vm.machineWords, L.TVM_M_STATE) < L.TVM_STATE_OFF) {
      stopEcho();
      await Promise.race([vm.exec('sync'), new Promise((r) => setTimeout(r, 5000))]);
    }
    await vm.stop();
    process.exit(code);
  };
  stdin.on('data', (buf) => {
    const keep = [];
    for (const byte of buf) {
      if (escape) {
        escape = false;
        if (byte === 0x78 /* x */) return quit(0);
        keep.push(byte === 0x61 /* a */ ? CTRL_A : byte);
      } else if (byte === CTRL_A && stdin.isTTY) {
        escape = true;
      } else {
        keep.push(byte);
      }
    }
    // Input before the first prompt would be flushed by the shell: hold it until then.
    if (keep.length) {
      const bytes = Uint8Array.from(keep);
      vm.ready.then(() => vm.write(bytes));
    }
  });
  stdin.on('end', () => { /* keep running until poweroff */ });
  await vm.stopped;
  out.write('\r\ntabvm: the guest powered off\r\n');
  await quit(0);
}
