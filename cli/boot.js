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
    'rng.wasm': `${build}/wasm/tabvm-virtio-rng.wasm`,
    'net.wasm': `${build}/wasm/tabvm-virtio-net.wasm`,
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
export async function boot(paths, { memMiB, cmdline, cols, rows, disks = [], rootOnDisk = false, hotplugSlots = 0, execChannel = true,
  net = null, jit }) {
  return startMachine({
    loadAsset: async (name) => {
      const b = await readFile(paths[name]);
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
    },
    spawn: {
      cpu: () => spawnWorker(new URL('../cpu/worker.js', import.meta.url)),
      console: () => spawnWorker(new URL('../devices/console/worker.js', import.meta.url)),
      blk: () => spawnWorker(new URL('../devices/blk/worker.js', import.meta.url)),
      rng: () => spawnWorker(new URL('../devices/rng/worker.js', import.meta.url)),
      net: () => spawnWorker(new URL('../devices/net/worker.js', import.meta.url)),
      netLink: () => spawnWorker(new URL('../net/link_worker.js', import.meta.url)),
    },
    net,
    jit, // undefined: JIT_DEFAULT
    ramMiB: memMiB,
    cmdline: rootOnDisk ? `${cmdline} ${ROOT_ON_DISK}` : cmdline,
    initrd: !rootOnDisk,
    disks,
    hotplugSlots,
    execChannel,
    cols,
    rows,
  });
}

/**
 * Boots and runs each command in turn through the guest agent (docs/exec-channel.md): the
 * CLI's stdin goes to the running command (unless stdin is a terminal and `interactive` is
 * off), its stdout and stderr to ours, byte for byte; Ctrl-C interrupts it (a second one kills
 * it). Stops at the first command that fails, like `A && B`. Resolves to the last status run.
 */
export async function runExec(paths, { memMiB, timeoutSeconds, cmds, disks, rootOnDisk, interactive = false, net, jit, stats = false }) {
  const vm = await boot(paths, { memMiB, cmdline: `${DEFAULT_CMDLINE} quiet`, cols: 200, rows: 50, disks, rootOnDisk, net, jit });
  const log = [];
  vm.onOutput((b) => log.push(b));
  const timer = setTimeout(() => {
    process.stderr.write(`tabvm: timeout after ${timeoutSeconds} s\n`);
    process.exit(3);
  }, timeoutSeconds * 1000);
  const input = new StdinFeed(process.stdin, interactive || !process.stdin.isTTY);
  // Our stdout closed (`| head`): the command gets SIGPIPE, as in a shell pipeline.
  const out = new Output(process.stdout, () => current?.kill('SIGPIPE'));
  const err = new Output(process.stderr, () => {});
  let current = null, interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (!current || interrupts >= 3) process.exit(130);
    current.kill(interrupts === 1 ? 'SIGINT' : 'SIGKILL');
  };
  process.on('SIGINT', onSigint);
  let status = 0;
  try {
    for (const cmd of cmds) {
      const s = await vm.command(cmd);
      if (!s) { // a guest without the agent
        process.stderr.write('tabvm: warning: the guest has no exec agent: typing the command into its console ' +
          '(no stdin, stdout and stderr mixed, output not byte-exact)\n');
        const r = await vm.consoleExec(cmd);
        await new Promise((resolve) => process.stdout.write(r.output, resolve));
        status = r.status;
      } else {
        current = s;
        s.onStdout = (b) => out.write(b);
        s.onStderr = (b) => err.write(b);
        input.attach(s);
        ({ status } = await s.done);
        input.detach();
        current = null;
      }
      if (status !== 0) break;
    }
    // What the commands wrote to a disk reaches it before the machine stops.
    if (disks?.some((d) => !d.readOnly)) await vm.exec('sync');
    // process.exit does not wait for a piped stdout or stderr: wait until both are handed over.
    await Promise.all([out, err].map((o) => o.flush()));
    return status;
  } catch (e) {
    if (vm.panic) process.stderr.write(Buffer.concat(log).toString().slice(-4000)); // the panic's context
    process.stderr.write(`tabvm: ${e.message}\n`);
    return 1;
  } finally {
    clearTimeout(timer);
    process.off('SIGINT', onSigint);
    input.stop();
    if (stats) await printStats(vm); // after the command's output, which it follows on stderr
    await vm.stop();
  }
}

/**
 * The run's counters as --stats prints them, one line each (machine-readable enough for the
 * tests: "JIT on", "N compiles"). s is Machine.stats().
 */
export function formatStats(s) {
  const n = (x) => Number(x).toLocaleString('en-US');
  const ins = Number(s.instructions);
  const lines = [`tabvm: ${n(ins)} guest instructions, CPU worker busy ${(s.runMs / 1000).toFixed(2)} s, idle ${(s.idleMs / 1000).toFixed(2)} s`];
  const j = s.jit;
  if (!j) return lines; // a CPU worker without the JIT's stats
  if (!j.enabled) {
    lines.push(`tabvm: JIT ${j.status}`);
    return lines;
  }
  const share = ins ? (100 * j.jitInstret) / ins : 0;
  // hostCompileMs sums each background compile's latency in the engine: they overlap with each
  // other and with the interpreter, so it is not time the guest lost.
  lines.push(`tabvm: JIT on: ${n(j.compiles)} compiles (${n(j.compileFails)} failed; ${(j.compileUs / 1000).toFixed(0)} ms generating code, ` +
    `${(j.hostCompileMs / 1000).toFixed(1)} s of engine compile latency summed), ${n(j.liveRegions)} live regions, ${n(j.codeBytes)} code bytes, ` +
    `${n(j.evictions)} evictions, ${n(j.invalidations)} invalidations`);
  lines.push(`tabvm: JIT ran ${n(j.jitInstret)} instructions (${share.toFixed(1)} % of them) in ${n(j.entries)} entries from the run loop and ${n(j.chains)} jumps between regions; ` +
    `exits: ${n(j.exitsFault)} on a trap, ${n(j.exitsSystem)} after a system instruction, ${n(j.exitsLimit)} at the slice's end or for an interrupt; ` +
    `${n(j.exitsMmio)} device accesses`);
  return lines;
}

async function printStats(vm) {
  try {
    process.stderr.write(`${formatStats(await vm.stats()).join('\n')}\n`);
  } catch (e) {
    process.stderr.write(`tabvm: no stats: ${e.message}\n`); // the CPU worker is gone
  }
}

/**
 * One of our output streams: a write returns a promise while the stream is full (the channel
 * then stops reading, which holds the guest's output); a closed stream (EPIPE) calls onBroken
 * once and swallows the rest.
 */
class Output {
  constructor(stream, onBroken) {
    this.stream = stream;
    this.broken = false;
    stream.on('error', () => {
      if (!this.broken) onBroken();
      this.broken = true;
    });
  }

  write(bytes) {
    if (this.broken) return undefined;
    if (this.stream.write(bytes)) return undefined;
    this.full ??= new Promise((resolve) => {
      const done = () => {
        this.stream.off('drain', done);
        this.stream.off('error', done);
        this.full = null;
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('error', done);
    });
    return this.full;
  }

  flush() {
    if (this.broken) return Promise.resolve();
    return new Promise((resolve) => this.stream.write('', () => resolve()));
  }
}

/**
 * The CLI's stdin, handed to one running command at a time: what a command did not take is
 * kept for the next, and each command sees the end of input once stdin ended (none at all when
 * stdin is not to be read).
 */
class StdinFeed {
  constructor(stream, read) {
    this.stream = stream;
    this.pending = [];
    this.ended = !read;
    this.session = null;
    if (!read) return;
    stream.on('data', (b) => {
      this.pending.push(new Uint8Array(b.buffer, b.byteOffset, b.length));
      stream.pause(); // read on only once the channel took this (its stdin credit)
      this.pump();
    });
    stream.on('end', () => { this.ended = true; this.pump(); });
    stream.on('error', () => { this.ended = true; this.pump(); });
    stream.pause();
  }

  attach(session) {
    this.session = session;
    this.pump();
  }

  detach() {
    this.session = null;
    if (!this.ended) this.stream.pause();
  }

  /** Hands what is pending to the command; reads more once the channel took it. */
  async pump() {
    const s = this.session;
    if (!s || this.busy) return;
    this.busy = true;
    while (this.pending.length && this.session === s) await s.write(this.pending.shift());
    this.busy = false;
    if (this.session !== s) return;
    if (this.pending.length) return this.pump();
    if (this.ended) s.end();
    else this.stream.resume();
  }

  stop() {
    if (!this.ended) this.stream.destroy();
  }
}

/** Interactive console in this terminal: raw mode, Ctrl-A x quits, Ctrl-A a sends Ctrl-A. */
export async function runInteractive(paths, { memMiB, disks, rootOnDisk, net, jit, stats = false }) {
  const out = process.stdout;
  const vm = await boot(paths, { memMiB, cols: out.columns || 80, rows: out.rows || 24, disks, rootOnDisk, net, jit });
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
    if (stats) await printStats(vm);
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
