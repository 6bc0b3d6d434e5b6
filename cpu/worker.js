// The CPU worker: owns the machine's shared memory and the CPU module (hart, board, PLIC,
// virtio-mmio transports), runs the hart in slices, and sleeps on the interrupt doorbell while
// the guest idles. Control (create, boot, stop, stats) arrives through Comlink; nothing on the
// data path does.
import * as Comlink from 'comlink';
import { instantiateModule, readCString } from '../shared/wasm_module.js';
import { workerEndpoint, yieldToEventLoop } from '../shared/threads.js';
import { createJitHost, jitSupported, readJitStats, JIT_STATS_FIELDS } from '../shared/jit_host.js';
import { JIT_DEFAULT, JIT_HOT_THRESHOLD } from '../shared/machine.js';
import * as L from '../shared/layout.js';

const RUN_BUDGET = 1_000_000;   // instructions per tvm_run call
const SLICE_MS = 25;            // then let control messages through
const EXTRA_MEMORY = 48 << 20;  // the hart's decoded-code cache, device blocks, rings, heap

let m, memory, machineWords, startTime, running = false, stopRequested = false;
let words = new Int32Array(0); // the whole memory, for host_notify
let bootImage = null; // { kernel, initrd, cmdline }, kept for reboots
let resetType = -1;   // the SBI system-reset type the guest asked for; -1 for none
const SRST_SHUTDOWN = 0; // SBI System Reset extension: 1 and 2 are cold and warm reboot
let earlyconBytes = [];
const EARLYCON_KEEP = 64 << 10;
const UART_RING_BYTES = 16 << 10;
const stats = { idleMs: 0, runMs: 0 };
// The JIT: 'on', 'off' (asked so), or 'unsupported: why' (asked for, but this engine or this
// build cannot run it: the interpreter runs instead). jitStatsPtr: a scratch the counters are
// written to, allocated once.
let jitStatus = 'off', jitStatsPtr = 0, jitHost = null;
// A pointer into the CPU module's memory: Wasm returns i32, which is negative from 2 GiB up.
const ptr = (p) => p >>> 0;

const api = {
  /** Creates the machine; returns what the other workers need to reach shared memory. */
  async create({ wasmBytes, ramMiB, virtioSlots, consoleRingBytes, execRingBytes = 0, jit: useJit = JIT_DEFAULT }) {
    const jit = createJitHost({ dump: await jitDumper() });
    ({ exports: m, memory } = await instantiateModule(wasmBytes, {
      initialBytes: ramMiB * (1 << 20) + EXTRA_MEMORY,
      imports: {
        host_time_us: () => (performance.now() - startTime) * 1000,
        host_wall_ms: () => performance.timeOrigin + performance.now(),
        // Kept for takeEarlycon; bounded, since nobody may ask (the boot console normally goes
        // away when hvc0 registers, but `keep_bootcon` keeps it printing).
        host_console_putchar: (ch) => {
          if (earlyconBytes.length >= EARLYCON_KEEP) earlyconBytes = earlyconBytes.slice(-(EARLYCON_KEEP >> 1));
          earlyconBytes.push(ch);
        },
        host_system_reset: (type) => { resetType = type; },
        host_notify: (ptr) => {
          if (words.buffer !== memory.buffer) words = new Int32Array(memory.buffer);
          Atomics.notify(words, ptr >>> 2);
        },
        ...jit.imports,
      },
    }));
    jit.attach(m, memory, m.tvm_jit_ready);
    startTime = performance.now();
    if (m.tvm_machine_create(ramMiB, virtioSlots) !== 0) throw new Error(`cannot allocate ${ramMiB} MiB of guest RAM`);
    jitHost = jit;
    jitStatus = useJit ? startJit() : 'off';
    const rings = { out: ptr(m.tvm_ring_create(consoleRingBytes)), in: ptr(m.tvm_ring_create(consoleRingBytes)) };
    // The command channel's console (docs/exec-channel.md): a second pair of rings.
    if (execRingBytes) Object.assign(rings, { execOut: ptr(m.tvm_ring_create(execRingBytes)), execIn: ptr(m.tvm_ring_create(execRingBytes)) });
    // The UART's (the board serves it in this worker; the terminal reads and fills these).
    rings.uartOut = ptr(m.tvm_ring_create(UART_RING_BYTES));
    rings.uartIn = ptr(m.tvm_ring_create(UART_RING_BYTES));
    m.tvm_uart_rings(rings.uartOut, rings.uartIn);
    machineWords = new Int32Array(memory.buffer, ptr(m.tvm_machine_block()), L.TVM_M_WORDS);
    return {
      memory,
      ramPtr: ptr(m.tvm_ram_ptr()),
      machineBlock: ptr(m.tvm_machine_block()),
      dmaBitmap: ptr(m.tvm_dma_bitmap()),
      virtioBlocks: Array.from({ length: virtioSlots }, (_, i) => ptr(m.tvm_virtio_block(i))),
      rings,
      jit: jitStatus,
    };
  },

  /** Copies the kernel and initrd into RAM, writes the device tree and starts the hart. */
  boot(image) {
    bootImage = image;
    loadAndBoot(image);
    Atomics.store(machineWords, L.TVM_M_STATE, L.TVM_STATE_RUNNING);
    running = true;
    runLoop();
  },

  stop() {
    stopRequested = true;
    Atomics.add(machineWords, L.TVM_M_IRQ_SEQ, 1);
    Atomics.notify(machineWords, L.TVM_M_IRQ_SEQ);
  },

  /** Run time, instructions, and the JIT: { enabled, status, ...counters (JIT_STATS_FIELDS) }. */
  stats() {
    return { ...stats, instructions: m ? m.tvm_instret() : 0n, running, jit: jitStats() };
  },

  /** Bytes the kernel printed through the SBI console (earlycon) since the last call. */
  takeEarlycon() {
    const out = Uint8Array.from(earlyconBytes);
    earlyconBytes = [];
    return out;
  },
};

/** Turns the JIT on (tvm_jit survives reboots); returns the status, or why it stays off. */
function startJit() {
  if (typeof m.tvm_jit !== 'function' || !m.__indirect_function_table) return 'unsupported: this CPU module was built without the JIT';
  if (!jitSupported()) {
    return 'unsupported: this engine cannot run the JIT\'s code (it needs a shared memory and a growable function table ' +
      'imported by a module, and tail calls)';
  }
  m.tvm_jit(JIT_HOT_THRESHOLD);
  return 'on';
}

function jitStats() {
  const out = { enabled: jitStatus === 'on', status: jitStatus };
  if (m && typeof m.tvm_jit_stats === 'function') {
    jitStatsPtr ||= ptr(m.tvm_alloc_bytes(JIT_STATS_FIELDS.length * 8));
    m.tvm_jit_stats(jitStatsPtr);
    Object.assign(out, readJitStats(memory, jitStatsPtr));
  } else {
    for (const k of JIT_STATS_FIELDS) out[k] = 0;
  }
  // The host's side: time V8 spent compiling the modules, and compiles not yet placed.
  out.hostCompileMs = jitHost ? jitHost.stats.hostCompileMs : 0;
  out.pending = jitHost ? jitHost.stats.pending : 0;
  return out;
}

/** Under Node with TABVM_JIT_DUMP=DIR, writes each module the JIT makes to DIR (docs/jit.md). */
async function jitDumper() {
  const dir = globalThis.process?.env?.TABVM_JIT_DUMP;
  if (!dir) return null;
  const { writeFileSync } = await import(/* @vite-ignore */ 'node:fs');
  return (bytes, region, gen) => writeFileSync(`${dir}/region-${region}-${gen}.wasm`, bytes);
}

/** Copies the kernel and initrd into RAM and points the hart at the kernel. */
function loadAndBoot({ kernel, initrd, cmdline }) {
  const ram = new Uint8Array(memory.buffer, ptr(m.tvm_ram_ptr()));
  const kOff = m.tvm_kernel_offset();
  if (kOff + kernel.byteLength > ram.length) throw new Error('the kernel does not fit in guest RAM');
  ram.set(new Uint8Array(kernel), kOff);
  let iOff = 0;
  if (initrd) {
    iOff = m.tvm_initrd_offset(kernel.byteLength, initrd.byteLength);
    if (!iOff) throw new Error('the initrd does not fit in guest RAM: give the machine more memory');
    ram.set(new Uint8Array(initrd), iOff);
  }
  const seed = crypto.getRandomValues(new Uint8Array(64)); // the guest's RNG is ready at boot
  const sp = ptr(m.tvm_alloc_bytes(seed.length));
  new Uint8Array(memory.buffer, sp, seed.length).set(seed);
  m.tvm_set_rng_seed(sp, seed.length);
  m.tvm_free_bytes(sp);
  const bytes = new TextEncoder().encode(cmdline + '\0');
  const p = ptr(m.tvm_alloc_bytes(bytes.length));
  new Uint8Array(memory.buffer, p, bytes.length).set(bytes);
  const err = m.tvm_boot(kernel.byteLength, iOff, initrd ? initrd.byteLength : 0, p);
  m.tvm_free_bytes(p);
  if (err) throw new Error(readCString(memory, err));
}

/** The guest asked for a reboot: quiesce the devices, clear the machine, boot the same image. */
async function reboot() {
  m.tvm_devices_reset();
  for (let i = 0; i < 400 && !m.tvm_devices_quiet(); i++) await new Promise((r) => setTimeout(r, 5));
  m.tvm_machine_reset();
  resetType = -1;
  loadAndBoot(bootImage);
}

async function runLoop() {
  try {
    for (;;) {
      const t0 = performance.now();
      let status;
      do {
        status = m.tvm_run(RUN_BUDGET);
      } while (status === 0 && !stopRequested && performance.now() - t0 < SLICE_MS);
      stats.runMs += performance.now() - t0;
      if (status === 2 && resetType > SRST_SHUTDOWN && !stopRequested) {
        await reboot();
        continue;
      }
      if (status === 2 || stopRequested || Atomics.load(machineWords, L.TVM_M_STOP)) break;
      if (status === 1) {
        // WFI: sleep until the next timer deadline or a device rings the doorbell.
        const ms = m.tvm_idle_ms();
        const t1 = performance.now();
        const w = Atomics.waitAsync(machineWords, L.TVM_M_IRQ_SEQ, m.tvm_irq_seen() | 0, ms < 0 ? Infinity : ms);
        if (w.async) await w.value;
        stats.idleMs += performance.now() - t1;
      } else {
        await yieldToEventLoop();
      }
    }
    Atomics.store(machineWords, L.TVM_M_STATE, L.TVM_STATE_OFF);
  } catch (e) {
    Atomics.store(machineWords, L.TVM_M_STATE, L.TVM_STATE_FAILED);
    console.error('tabvm: the CPU worker stopped:', e);
  }
  running = false;
  Atomics.notify(machineWords, L.TVM_M_STATE);
}

Comlink.expose(api, await workerEndpoint());
