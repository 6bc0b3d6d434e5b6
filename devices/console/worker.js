// The virtio-console worker: runs the console device's Wasm module. It reaches the machine's
// shared memory (guest RAM, its device block, the console rings) only through the imports
// below, which check every guest range again before copying.
import * as Comlink from 'comlink';
import { instantiateModule, readCString } from '../../shared/wasm_module.js';
import { workerEndpoint } from '../../shared/threads.js';
import { ByteRing } from '../../shared/ring.js';
import * as L from '../../shared/layout.js';

const RAM_BASE = 0x80000000;
let dev, devMemory, block, machine, ram, outRing, inRing;
let logged = 0;

function checkRange(lo, hi, len) {
  const gpa = hi * 2 ** 32 + (lo >>> 0);
  const off = gpa - RAM_BASE;
  if (off < 0 || off + len > ram.length) throw new Error(`virtio-console: guest range 0x${gpa.toString(16)}+${len} outside RAM`);
  return off;
}

const api = {
  async start({ wasmBytes, memory, ramPtr, ramMiB, blockPtr, machinePtr, rings, cols, rows }) {
    const sab = memory.buffer;
    block = new Int32Array(sab, blockPtr, L.TVM_V_WORDS);
    machine = new Int32Array(sab, machinePtr, L.TVM_M_WORDS);
    ram = new Uint8Array(sab, ramPtr, ramMiB * (1 << 20));
    outRing = new ByteRing(sab, rings.out);
    inRing = new ByteRing(sab, rings.in);
    const devBytes = () => new Uint8Array(devMemory.buffer);
    ({ exports: dev, memory: devMemory } = await instantiateModule(wasmBytes, {
      initialBytes: 16 << 20, // the module's INITIAL_MEMORY
      maximumBytes: 64 << 20,
      imports: {
        vreg_load: (w) => Atomics.load(block, w),
        vreg_store: (w, v) => { Atomics.store(block, w, v); },
        vreg_or: (w, v) => Atomics.or(block, w, v),
        vreg_xchg: (w, v) => Atomics.exchange(block, w, v),
        ram_read: (lo, hi, dst, len) => { const o = checkRange(lo, hi, len); devBytes().set(ram.subarray(o, o + len), dst); },
        ram_write: (lo, hi, src, len) => { const o = checkRange(lo, hi, len); ram.set(devBytes().subarray(src, src + len), o); },
        raise_irq: () => { Atomics.add(machine, L.TVM_M_IRQ_SEQ, 1); Atomics.notify(machine, L.TVM_M_IRQ_SEQ); },
        dev_log: (p) => { if (logged++ < 8) console.error(`tabvm: virtio-console: ${readCString(devMemory, p)}`); },
        out_write: (p, n) => outRing.push(devBytes().subarray(p, p + n)),
        in_read: (p, max) => { const b = inRing.pop(max); devBytes().set(b, p); return b.length; },
        in_avail: () => inRing.available(),
      },
    }));
    dev.con_init(RAM_BASE, 0, ramMiB, cols, rows);
    setTimeout(serve, 0); // after this call's reply has gone out
  },
};

// Sleeps on the device block's wake word; whoever has work for the device (the transport, the
// terminal side) bumps it. Guest output blocked on a full ring also resumes when the terminal
// frees space (it bumps the wake word after reading).
// The wait blocks the worker (Atomics.wait, not waitAsync): Linux's hvc driver spins until each
// output buffer comes back, so the device's wake-up latency bounds console throughput, and a
// blocking wait wakes several times faster than a promise. Nothing else needs this worker's
// event loop once the device runs; the machine's state word tells it to finish.
function serve() {
  for (;;) {
    const seen = Atomics.load(block, L.TVM_V_WAKE);
    dev.con_poll();
    if (Atomics.load(machine, L.TVM_M_STATE) >= L.TVM_STATE_OFF) break;
    Atomics.wait(block, L.TVM_V_WAKE, seen, 1000);
  }
}

Comlink.expose(api, await workerEndpoint());
