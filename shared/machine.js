// Starts a TabVM machine (a CPU worker and one worker per virtio device over one shared memory)
// and drives its console: the same code behind the page's TabVM.start and the CLI.
import * as Comlink from 'comlink';
import { ByteRing } from './ring.js';
import * as L from './layout.js';
import { ExecChannel, sessionStreams } from './exec_channel.js';
import { createLink, openLink, NET_STAT_NAMES } from './frame_ring.js';

export const DEFAULT_CMDLINE = 'console=hvc0 earlycon=sbi';
// The JIT (docs/jit.md): on, since it is faster than the interpreter in Node and in Chromium and
// boots as fast (docs/jit.md has the figures); here for every caller (the page, the CLI, the
// benchmarks), so it is switched in one place. Where the engine cannot run its code the
// interpreter runs instead, and the machine's stats say why.
export const JIT_DEFAULT = true;
// Block entries before a region of guest code is compiled (the CPU worker's tvm_jit). High on
// purpose: the engine's optimizing compiler costs about 2 µs per byte of module on another core,
// which the CPU worker and the device workers need; at 1,000 a boot compiled 1.2 MB of modules
// and the JIT was slower than the interpreter in Chromium. At 100,000 only code that runs for
// tens of milliseconds is compiled (a few dozen modules), and that is where the time goes
// (docs/jit.md, "The hot threshold").
export const JIT_HOT_THRESHOLD = 100000;
// Guest RAM is one allocation in the CPU module's 32-bit heap, whose allocator refuses 2 GiB or
// more (Node and Chromium both give the module a 4 GiB shared memory): the largest machine that
// boots in both. The smallest that runs the Linux guests. (docs/decisions.md)
export const MAX_RAM_MIB = 2047;
// Virtio slots on the board (VIRT_VIRTIO_SLOTS in cpu/riscv/rv_virt.h).
const MAX_VIRTIO_SLOTS = 16;
export const MIN_RAM_MIB = 64;
const CONSOLE_RING_BYTES = L.TVM_CONSOLE_RING_BYTES;
// The command channel's rings: larger than the console's, for bulk stdin and output.
const EXEC_RING_BYTES = 1 << 18;
// How long after the first prompt a machine without the guest agent's hello is taken for a
// foreign image (exec then types into the console, as before the channel existed).
const AGENT_GRACE_MS = 5000;
// The guest's shell prompt (guest/rootfs/etc/profile): user@host:cwd# followed by busybox's
// cursor-position query.
// eslint-disable-next-line no-control-regex -- the query is an escape sequence
const PROMPT = /[a-z]+@tabvm:[^\r\n]*[#$] (\x1b\[6n)?$/;
// What Linux prints when it stops for good (a broken initramfs, a missing init, ...).
const PANIC = /Kernel panic - not syncing: ([^\r\n]*)\r?\n/;

/**
 * @param {object} o
 * @param {(name: string) => Promise<ArrayBuffer>} o.loadAsset
 *   'cpu.wasm', 'console.wasm', 'blk.wasm', 'rng.wasm', 'kernel', 'initrd'
 * @param {{cpu: () => Promise<{endpoint, terminate}>, console: () => Promise<{endpoint, terminate}>,
 *   blk?: () => Promise<{endpoint, terminate}>, rng?: () => Promise<{endpoint, terminate}>}} o.spawn
 *   (without spawn.rng the machine has no entropy device)
 *   starts each worker (the page and the CLI do it their own way; see ui/tabvm.js, cli/boot.js)
 * @param {number} [o.ramMiB]
 * @param {string} [o.cmdline]
 * @param {boolean} [o.initrd]  load the initramfs (default true; false for a root disk)
 * @param {Array<object>} [o.disks]  disks present at boot, in order (/dev/vda, /dev/vdb, ...):
 *   what o.openDisk takes
 * @param {(spec: object) => Promise<{desc: object, close?: () => Promise<void>, describe?: () => object}>} [o.openDisk]
 *   turns a disk spec into a description for the blk worker (storage/open_disk.js) before it is
 *   attached, and says how to release it after: the page opens persistent disks here (their
 *   IndexedDB sync runs on the UI thread); by default a spec is already a description
 *   (e.g. { kind: 'file', path, readOnly } under Node)
 * @param {number} [o.hotplugSlots]  empty drives after them for disks attached while running
 * @param {number} [o.cols]
 * @param {number} [o.rows]
 * @param {boolean} [o.execChannel]  give the guest the command channel, a second
 *   virtio-console (/dev/hvc1) for its agent (default true; docs/exec-channel.md)
 * @param {{relay?: string|null, mac: Uint8Array|number[]}} [o.net]  a network card (virtio-net,
 *   eth0) whose frames go through the relay at that WebSocket URL (none yet: null, the carrier is
 *   down until setRelay); needs spawn.net and spawn.netLink (docs/networking.md)
 * @param {boolean} [o.jit]  compile hot guest code to WebAssembly (default JIT_DEFAULT); false runs
 *   the interpreter only. machine.jit says what the machine got: 'on', 'off' or 'unsupported: why'
 * @param {(stage: string, fraction: number) => void} [o.onProgress]
 */
export async function startMachine(o) {
  const ramMiB = o.ramMiB ?? 256;
  if (!(Number.isInteger(ramMiB) && ramMiB >= MIN_RAM_MIB && ramMiB <= MAX_RAM_MIB)) {
    throw new Error(`guest RAM must be a whole number of MiB from ${MIN_RAM_MIB} to ${MAX_RAM_MIB}, not ${ramMiB}: ` +
      'the CPU module allocates it in a 32-bit heap that cannot hold 2 GiB in one piece');
  }
  const progress = o.onProgress ?? (() => {});
  const bootDisks = o.disks ?? [];
  const nBlk = bootDisks.length + (o.hotplugSlots ?? 0);
  const wantInitrd = o.initrd ?? true;
  const openDisk = o.openDisk ?? (async (spec) => ({ desc: spec }));
  progress('starting workers', 0);
  const spawned = [];
  const media = []; // opened boot disks, closed again if the machine cannot start
  // Disks open (IndexedDB, a lock, a probe of the image's URL) while the workers start and the
  // modules and kernel load.
  const opening = Promise.allSettled(bootDisks.map(async (spec, i) => { media[i] = await openDisk(spec); }));
  const spawn = async (f) => { const w = await f(); spawned.push(w); return w; };
  const wantExec = o.execChannel ?? true;
  const wantNet = !!o.net;
  if (wantNet && !(o.spawn.net && o.spawn.netLink)) throw new Error('a network card needs spawn.net and spawn.netLink');
  const slots = 1 + nBlk + (wantExec ? 1 : 0) + (wantNet ? 1 : 0) + (o.spawn.rng ? 1 : 0);
  if (slots > MAX_VIRTIO_SLOTS) {
    throw new Error(`too many drives: ${nBlk} (${bootDisks.length} disks and ${nBlk - bootDisks.length} empty slots); ` +
      `the machine has room for ${MAX_VIRTIO_SLOTS - (slots - nBlk)}`);
  }
  try {
    const cpuW = await spawn(o.spawn.cpu);
    const conW = await spawn(o.spawn.console);
    // The command channel is the same console device in a worker of its own, in the last slot:
    // the person's console stays hvc0 and the disks keep their names.
    const execW = wantExec ? await spawn(o.spawn.console) : null;
    const blkWs = await Promise.all(Array.from({ length: nBlk }, () => spawn(o.spawn.blk)));
    // The entropy device (virtio-rng) after it: the guest's /dev/hwrng, fed by the host's
    // crypto.getRandomValues.
    // The network card before it: its device worker, and the worker that owns the relay's
    // WebSocket, sharing the frame rings of one link block.
    const netW = wantNet ? await spawn(o.spawn.net) : null;
    const linkW = wantNet ? await spawn(o.spawn.netLink) : null;
    const rngW = o.spawn.rng ? await spawn(o.spawn.rng) : null;
    const cpu = Comlink.wrap(cpuW.endpoint);
    const con = Comlink.wrap(conW.endpoint);
    const names = ['cpu.wasm', 'console.wasm', 'kernel'];
    if (wantInitrd) names.push('initrd');
    if (nBlk) names.push('blk.wasm');
    if (rngW) names.push('rng.wasm');
    if (netW) names.push('net.wasm');
    let done = 0;
    const assets = Object.fromEntries(await Promise.all(names.map(async (n) => {
      const b = await o.loadAsset(n);
      progress('loading', ++done / names.length);
      return [n, b];
    })));
    const failed = (await opening).find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const shared = await cpu.create({ wasmBytes: assets['cpu.wasm'], ramMiB, virtioSlots: slots,
      consoleRingBytes: CONSOLE_RING_BYTES, execRingBytes: execW ? EXEC_RING_BYTES : 0, jit: o.jit ?? JIT_DEFAULT });
    const where = {
      memory: shared.memory, ramPtr: shared.ramPtr, ramMiB, machinePtr: shared.machineBlock,
      dmaBitmapPtr: shared.dmaBitmap,
    };
    await con.start({ ...where, wasmBytes: assets['console.wasm'], blockPtr: shared.virtioBlocks[0],
      rings: shared.rings, cols: o.cols ?? 80, rows: o.rows ?? 24 });
    if (execW) {
      shared.execBlock = shared.virtioBlocks[1 + nBlk];
      await Comlink.wrap(execW.endpoint).start({ ...where, wasmBytes: assets['console.wasm'], blockPtr: shared.execBlock,
        rings: { out: shared.rings.execOut, in: shared.rings.execIn }, cols: 80, rows: 24 });
    }
    let net = null;
    if (netW) {
      const linkSab = createLink();
      const blockPtr = shared.virtioBlocks[1 + nBlk + (execW ? 1 : 0)];
      const linkApi = Comlink.wrap(linkW.endpoint);
      await Comlink.wrap(netW.endpoint).start({ ...where, wasmBytes: assets['net.wasm'], blockPtr,
        mac: Array.from(o.net.mac), linkSab });
      await linkApi.start({ linkSab, memory: shared.memory, blockPtr, url: o.net.relay ?? null });
      net = { api: linkApi, link: openLink(linkSab), mac: Array.from(o.net.mac) };
    }
    if (rngW) {
      await Comlink.wrap(rngW.endpoint).start({ ...where, wasmBytes: assets['rng.wasm'],
        blockPtr: shared.virtioBlocks[slots - 1] });
    }
    // Every drive is started (and its disk opened, which may fail with a clear message) before
    // the kernel boots: the device tree lists only devices that are present.
    const drives = await Promise.all(blkWs.map(async (w, i) => {
      const api = Comlink.wrap(w.endpoint);
      const device = `/dev/vd${String.fromCharCode(97 + i)}`;
      const medium = media[i] ?? null;
      const desc = medium ? { serial: `tabvm-${device.slice(5)}`, ...medium.desc } : null;
      const info = await api.start({ ...where, wasmBytes: assets['blk.wasm'], blockPtr: shared.virtioBlocks[1 + i],
        disk: desc, roFeature: !!desc?.readOnly, label: `virtio-blk ${device}` });
      return { api, device, hotplug: i >= bootDisks.length, info, medium, lastUsed: 0 };
    }));
    progress('booting', 1);
    const machine = new Machine({ cpu, workers: spawned, shared, drives, openDisk, net });
    await cpu.boot({ kernel: assets.kernel, initrd: assets.initrd, cmdline: o.cmdline ?? DEFAULT_CMDLINE });
    return machine;
  } catch (e) {
    for (const w of spawned) w.terminate();
    await opening;
    await Promise.all(media.map((m) => m?.close?.().catch(() => {})));
    throw e;
  }
}

export class Machine {
  constructor({ cpu, workers, shared, drives = [], openDisk, net = null }) {
    const sab = shared.memory.buffer;
    /** 'on', 'off', or 'unsupported: why' (the JIT was asked for; the interpreter runs). */
    this.jit = shared.jit ?? 'off';
    this.net = net;
    this.cpu = cpu;
    this.workers = workers;
    this.drives = drives;
    this.openDisk = openDisk;
    this.driveQueue = Promise.resolve(); // attach and detach, one at a time
    this.machineWords = new Int32Array(sab, shared.machineBlock, L.TVM_M_WORDS);
    this.consoleWords = new Int32Array(sab, shared.virtioBlocks[0], L.TVM_V_WORDS);
    this.out = new ByteRing(sab, shared.rings.out);
    this.in = new ByteRing(sab, shared.rings.in);
    this.listeners = new Set();
    this.pendingInput = [];
    this.transcript = '';   // recent console text, for prompt detection and exec
    this.decoder = new TextDecoder();
    this.execQueue = Promise.resolve();
    this.execSeq = 0;
    this.ready = new Promise((resolve, reject) => {
      this.readyResolve = resolve;
      this.readyReject = reject;
    });
    this.ready.catch(() => {}); // a panic before anyone waits is reported through `panic`
    this.panic = null;
    /** Resolves with Linux's panic message if the guest kernel panics. */
    this.panicked = new Promise((resolve) => { this.panicResolve = resolve; });
    this.stopped = this.waitForState(L.TVM_STATE_OFF);
    this.consoleSpoke = false;
    this.pumpOutput();
    if (shared.rings.uartOut) {
      this.uartOut = new ByteRing(sab, shared.rings.uartOut);
      this.uartIn = new ByteRing(sab, shared.rings.uartIn);
      this.pumpUart();
    }
    this.watchEarlycon();
    this.channel = null;
    if (shared.execBlock) this.openChannel(sab, shared);
  }

  /** The command channel to the guest agent over the exec console's rings. */
  openChannel(sab, shared) {
    const words = new Int32Array(sab, shared.execBlock, L.TVM_V_WORDS);
    const wake = () => {
      Atomics.add(words, L.TVM_V_WAKE, 1);
      Atomics.notify(words, L.TVM_V_WAKE);
    };
    const out = new ByteRing(sab, shared.rings.execOut), inp = new ByteRing(sab, shared.rings.execIn);
    this.channel = new ExecChannel({
      send: (frame) => {
        if (inp.space() < frame.length) return false;
        inp.push(frame);
        wake();
        return true;
      },
      writable: async () => {
        const tail = Atomics.load(inp.words, L.TVM_RING_TAIL);
        const w = Atomics.waitAsync(inp.words, L.TVM_RING_TAIL, tail, 50);
        if (w.async) await w.value;
      },
    });
    this.stopped.then(() => this.channel.fail('the guest powered off'));
    this.panicked.then((msg) => this.channel.fail(`the guest kernel panicked: ${msg}`));
    (async () => {
      for (;;) {
        await out.waitData(250);
        const bytes = out.pop();
        if (bytes.length) {
          wake(); // the device may wait for room
          this.channel.receive(bytes);
        } else if (Atomics.load(this.machineWords, L.TVM_M_STATE) >= L.TVM_STATE_OFF) {
          return;
        }
      }
    })();
  }

  /**
   * Resolves to true once the guest agent answers on the command channel, to false if it has
   * not a few seconds after the first prompt (an image without the agent).
   */
  agentReady() {
    if (this.channel?.agent) return Promise.resolve(true);
    if (!this.channel) return Promise.resolve(false);
    this.agentWait ??= Promise.race([
      this.channel.hello.then(() => true),
      this.ready.then(() => new Promise((r) => setTimeout(r, AGENT_GRACE_MS))).then(() => !!this.channel.agent),
    ]);
    return this.agentWait;
  }

  /**
   * Starts cmd through the guest agent; resolves to its Session (write, end, kill, onStdout,
   * onStderr, done: see shared/exec_channel.js), or to null when the guest has no agent.
   */
  async command(cmd) {
    if (!(await this.agentReady())) return null;
    return this.channel.open(cmd);
  }

  /**
   * Starts cmd in the guest, on the command channel: returns at once with web streams
   * { stdin (WritableStream), stdout, stderr (ReadableStream of Uint8Array), pid, exit, kill }.
   * `exit` resolves to { status, signal } (status 128+N for signal N).
   */
  spawn(cmd) {
    if (!this.channel) throw new Error('spawn: this machine has no command channel');
    const s = this.channel.open(cmd);
    this.agentReady().then((ok) => {
      if (!ok) s.finish(new Error('spawn: the guest has no agent answering on /dev/hvc1 (a foreign image?)'));
    }, (e) => s.finish(e));
    return sessionStreams(s);
  }

  /** Calls fn(Uint8Array) for every chunk of console output. Returns an unsubscribe function. */
  onOutput(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Sends keystrokes or pasted text to the guest console. */
  write(data) {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    // The UART too while the guest reads it (receive interrupt on): a shell on ttyS0. Bytes
    // that do not fit are dropped, as a serial line drops them.
    if (this.uartIn && Atomics.load(this.machineWords, L.TVM_M_UART_RX_ON)) {
      if (this.uartIn.push(bytes)) {
        Atomics.add(this.machineWords, L.TVM_M_IRQ_SEQ, 1);
        Atomics.notify(this.machineWords, L.TVM_M_IRQ_SEQ);
      }
    }
    this.pendingInput.push(bytes);
    this.flushInput();
  }

  flushInput() {
    while (this.pendingInput.length) {
      const b = this.pendingInput[0];
      const n = this.in.push(b);
      if (n) this.wakeConsole();
      if (n < b.length) {
        this.pendingInput[0] = b.subarray(n);
        setTimeout(() => this.flushInput(), 5); // the guest is not reading: try again soon
        return;
      }
      this.pendingInput.shift();
    }
  }

  wakeConsole() {
    Atomics.add(this.consoleWords, L.TVM_V_WAKE, 1);
    Atomics.notify(this.consoleWords, L.TVM_V_WAKE);
  }

  /** Tells the guest the terminal's size (hvc0 follows it). */
  resize(cols, rows) {
    Atomics.store(this.consoleWords, L.TVM_CON_COLS, cols);
    Atomics.store(this.consoleWords, L.TVM_CON_ROWS, rows);
    Atomics.add(this.consoleWords, L.TVM_CON_RESIZE_SEQ, 1);
    this.wakeConsole();
  }

  async pumpOutput() {
    for (;;) {
      await this.out.waitData(250);
      const bytes = this.out.pop();
      if (bytes.length) {
        // The device may be waiting for room. (Waking it on every read, not only when it says it
        // is blocked, also measured faster: the wake often finds the guest's next line already
        // queued, sooner than the guest's own notify would have woken it.)
        this.wakeConsole();
        this.consoleOutput(bytes, this.decoder);
      } else if (Atomics.load(this.machineWords, L.TVM_M_STATE) >= L.TVM_STATE_OFF) {
        return;
      }
    }
  }

  /** The UART's output (a kernel with `console=ttyS0`, a getty on it) goes the same way. */
  async pumpUart() {
    const decoder = new TextDecoder();
    for (;;) {
      await this.uartOut.waitData(250);
      const bytes = this.uartOut.pop();
      if (bytes.length) this.consoleOutput(bytes, decoder);
      else if (Atomics.load(this.machineWords, L.TVM_M_STATE) >= L.TVM_STATE_OFF) return;
    }
  }

  consoleOutput(bytes, decoder) {
    this.consoleSpoke = true;
    const text = decoder.decode(bytes, { stream: true });
    this.transcript = (this.transcript + text).slice(-4096);
    for (const fn of this.listeners) fn(bytes);
    // Only the end can hold a new prompt or panic line: a line of output costs a short
    // search, not one over the whole transcript.
    const tail = this.transcript.slice(-(text.length + 512));
    if (PROMPT.test(tail)) this.readyResolve();
    const panic = !this.panic && PANIC.exec(tail);
    if (panic) {
      this.panic = panic[1].trim();
      this.readyReject(new Error(`the guest kernel panicked: ${this.panic}`));
      this.panicResolve(this.panic);
    }
    this.onText?.(text);
  }

  /**
   * The kernel's early console (SBI, `earlycon=sbi`) until the virtio console speaks. What it
   * prints comes again on hvc0 once that is the console (the kernel replays its log), so it is
   * only kept and searched for a panic; if the kernel panics or stops before hvc0 said
   * anything (a kernel without our console driver, `console=ttyS0`), it is shown, so an early
   * death is reported and visible instead of a boot that never ends.
   */
  async watchEarlycon() {
    const decoder = new TextDecoder();
    let early = '';
    for (;;) {
      await new Promise((r) => setTimeout(r, 100));
      let bytes;
      try {
        bytes = await this.cpu.takeEarlycon();
      } catch {
        return; // the CPU worker is gone
      }
      if (this.consoleSpoke) return;
      if (bytes?.length) early = (early + decoder.decode(bytes, { stream: true })).slice(-16384);
      const off = Atomics.load(this.machineWords, L.TVM_M_STATE) >= L.TVM_STATE_OFF;
      const panic = !this.panic && PANIC.exec(early);
      if ((panic || off) && early) {
        const shown = new TextEncoder().encode(early.replace(/\r?\n/g, '\r\n'));
        this.transcript = (this.transcript + early).slice(-4096);
        for (const fn of this.listeners) fn(shown);
        this.onText?.(early);
      }
      if (panic) {
        this.panic = panic[1].trim();
        this.readyReject(new Error(`the guest kernel panicked: ${this.panic}`));
        this.panicResolve(this.panic);
      }
      if (panic || off) return;
    }
  }

  async waitForState(state) {
    for (;;) {
      const s = Atomics.load(this.machineWords, L.TVM_M_STATE);
      if (s >= state) return s;
      const w = Atomics.waitAsync(this.machineWords, L.TVM_M_STATE, s);
      if (w.async) await w.value;
    }
  }

  /**
   * Runs a shell command in the guest and resolves to { status, signal, stdout, stderr, output }
   * once it finished (output: stdout and stderr as they arrived). It runs on the command
   * channel, never in the person's terminal; commands run side by side. A guest without the
   * agent gets the command typed into its console instead, with a warning (consoleExec).
   * @param {string} cmd
   * @param {{stdin?: string|Uint8Array}} [opts]
   */
  async exec(cmd, { stdin } = {}) {
    const s = await this.command(cmd);
    if (!s) {
      if (!this.warnedNoAgent) console.warn('tabvm: the guest has no exec agent: exec types into its console instead');
      this.warnedNoAgent = true;
      return this.consoleExec(cmd);
    }
    const dec = { out: new TextDecoder(), err: new TextDecoder(), all: new TextDecoder() };
    let stdout = '', stderr = '', output = '';
    s.onStdout = (b) => { stdout += dec.out.decode(b, { stream: true }); output += dec.all.decode(b, { stream: true }); };
    s.onStderr = (b) => { stderr += dec.err.decode(b, { stream: true }); output += dec.all.decode(b, { stream: true }); };
    if (stdin !== undefined) s.write(typeof stdin === 'string' ? new TextEncoder().encode(stdin) : stdin);
    s.end();
    const { status, signal } = await s.done;
    return { status, signal, stdout: stdout + dec.out.decode(), stderr: stderr + dec.err.decode(), output: output + dec.all.decode() };
  }

  /**
   * The console method, for guests without the agent: types cmd into the person's console
   * between printed markers and scrapes its output; resolves to { status, output }. Calls are
   * queued: one command at a time.
   */
  consoleExec(cmd) {
    const run = async () => {
      await this.ready;
      const id = `${Date.now().toString(36)}${(this.execSeq++).toString(36)}`;
      // The markers are printed from split strings, so the echoed command line never matches.
      const begin = `TVMB_${id}`, end = new RegExp(`TVME_${id}:(\\d+)`);
      let seen = '', bodyStart = -1;
      const done = new Promise((resolve, reject) => {
        this.stopped.then(() => reject(new Error('the guest powered off before the command finished')));
        this.panicked.then((msg) => reject(new Error(`the guest kernel panicked: ${msg}`)));
        this.onText = (text) => {
          // Only the end of the text is searched again as it grows: output may be large.
          const from = Math.max(0, seen.length - 64);
          seen += text;
          if (bodyStart < 0) {
            const b = seen.indexOf(begin + '\r\n', from);
            if (b < 0) return;
            bodyStart = b + begin.length + 2;
          }
          end.lastIndex = 0;
          const m = end.exec(seen.slice(Math.max(bodyStart, from)));
          if (!m) return;
          const endAt = Math.max(bodyStart, from) + m.index;
          this.onText = null;
          const output = seen.slice(bodyStart, endAt).replace(/\r\n/g, '\n');
          resolve({ status: Number(m[1]), output, stdout: output, stderr: '' });
        };
      });
      // The shell reads the whole list, continuation lines and their prompts included, before it
      // runs any of it, so nothing but the command's output lands between the markers. The
      // braces keep a trailing comment or '&' in cmd from swallowing the end marker.
      this.write(`printf '%s%s\\n' TVMB _${id}; { ${cmd}\n}; printf '%s%s:%s\\n' TVME _${id} "$?"\n`);
      return done;
    };
    const p = this.execQueue.then(run);
    this.execQueue = p.catch(() => {});
    return p;
  }

  /**
   * { instructions (BigInt, retired), runMs, idleMs (the CPU worker's busy and idle time), running,
   *   jit: { enabled, status, compiles, liveRegions, codeBytes, jitInstret, exits..., hostCompileMs } }
   * (the JIT's counters: JIT_STATS_FIELDS in shared/jit_host.js).
   */
  async stats() {
    return this.cpu.stats();
  }

  /**
   * The network card, or null without one: { mac, relay, state ('none', 'connecting', 'up',
   * 'retrying'), error, connects, since, device: { txFrames, rxFrames, ... drop counters },
   * ringDrops: { tx, rx } }.
   */
  async netStatus() {
    if (!this.net) return null;
    const { link } = this.net;
    const device = Object.fromEntries(NET_STAT_NAMES.map((n, i) => [n, link.stats[i]]));
    const s = await this.net.api.status();
    return { mac: this.net.mac.map((b) => b.toString(16).padStart(2, '0')).join(':'), relay: s.url, state: s.state,
      error: s.error, connects: s.connects, since: s.since, device, ringDrops: { tx: link.tx.dropped(), rx: link.rx.dropped() } };
  }

  /** Points the network card at another relay (a ws:// or wss:// URL), or at none (null). */
  async setRelay(url) {
    if (!this.net) throw new Error('this machine has no network card');
    await this.net.api.setRelay(url);
  }

  /**
   * The machine's disk drives: [{ device, hotplug, present, size, readOnly, serial, reads, ... }].
   */
  async disks() {
    return Promise.all(this.drives.map(async (d) => ({
      device: d.device, hotplug: d.hotplug, ...(await d.api.stats()), ...(d.medium?.describe?.() ?? {}),
    })));
  }

  /**
   * Attaches a disk while the guest runs: it appears in an empty drive (a capacity change the
   * guest's virtio-blk driver reports). Resolves to { device } (e.g. '/dev/vdb').
   * @param {object} spec  what the machine's openDisk takes (under Node: { kind: 'file', path })
   */
  attachDisk(spec) {
    return this.driveOp(async () => {
      // A drive never used since boot first, then the one emptied longest ago: the guest may
      // still cache blocks of the medium a drive held (docs/decisions.md, "Hot-plug").
      const empty = this.drives.filter((d) => d.hotplug && !d.info.present).sort((a, b) => a.lastUsed - b.lastUsed);
      if (!empty.length) {
        throw new Error(this.drives.some((d) => d.hotplug) ? 'every hot-plug drive holds a disk: detach one first'
          : 'this machine has no hot-plug drives');
      }
      const d = empty[0];
      const medium = await this.openDisk(spec);
      try {
        d.info = await d.api.attach({ serial: `tabvm-${d.device.slice(5)}`, ...medium.desc });
      } catch (e) {
        await medium.close?.();
        throw e;
      }
      d.medium = medium;
      d.lastUsed = Date.now();
      return { device: d.device, ...d.info };
    });
  }

  /**
   * Detaches the disk in a drive ('/dev/vdb'): what the guest wrote is made durable first;
   * afterwards the guest gets I/O errors from that drive, never a hang.
   */
  detachDisk(device) {
    return this.driveOp(async () => {
      const d = this.drives.find((x) => x.device === device);
      if (!d) throw new Error(`no drive ${device}`);
      if (!d.info.present) throw new Error(`${device} holds no disk`);
      d.info = await d.api.detach();
      const medium = d.medium;
      d.medium = null;
      d.lastUsed = Date.now();
      await medium?.close?.();
      return { device };
    });
  }

  /**
   * What the page opened for the disk in a drive (its persistent-disk handle: export, stats), or
   * null for an empty drive.
   */
  diskMedium(device) {
    return this.drives.find((d) => d.device === device)?.medium ?? null;
  }

  driveOp(fn) {
    const p = this.driveQueue.then(fn);
    this.driveQueue = p.catch(() => {});
    return p;
  }

  /** Stops the machine and its workers; every disk is flushed and closed first. */
  async stop() {
    try { await this.cpu.stop(); } catch { /* already gone */ }
    try { await this.net?.api.close(); } catch { /* already gone */ }
    await Promise.all(this.drives.map(async (d) => {
      try {
        await d.api.close();
        await d.medium?.close?.();
      } catch (e) {
        console.error(`tabvm: ${d.device}: ${e.message}`);
      }
    }));
    Atomics.store(this.machineWords, L.TVM_M_STOP, 1);
    Atomics.store(this.machineWords, L.TVM_M_STATE, Math.max(Atomics.load(this.machineWords, L.TVM_M_STATE), L.TVM_STATE_OFF));
    Atomics.notify(this.machineWords, L.TVM_M_STATE);
    this.wakeConsole();
    for (const w of this.workers) w.terminate();
  }
}
