// The virtio-console worker: runs the console device's Wasm module. It reaches the machine's
// shared memory (guest RAM, its device block, the console rings) only through the imports
// below, which check every guest range again before copying (shared/guest_ram.js).
import * as Comlink from 'comlink';
import { instantiateModule } from '../../shared/wasm_module.js';
import { workerEndpoint } from '../../shared/threads.js';
import { ByteRing } from '../../shared/ring.js';
import { GuestRam, RAM_BASE, vdevImports } from '../../shared/guest_ram.js';
import * as L from '../../shared/layout.js';

let dev, devMemory, block, machine, outRing, inRing;
let logged = 0;

const api = {
  async start({ wasmBytes, memory, ramPtr, ramMiB, blockPtr, machinePtr, dmaBitmapPtr, rings, cols, rows }) {
    const sab = memory.buffer;
    block = new Int32Array(sab, blockPtr, L.TVM_V_WORDS);
    machine = new Int32Array(sab, machinePtr, L.TVM_M_WORDS);
    const ram = new GuestRam(sab, { ramPtr, ramMiB, machinePtr, dmaBitmapPtr }, 'virtio-console');
    outRing = new ByteRing(sab, rings.out);
    inRing = new ByteRing(sab, rings.in);
    const devBytes = () => new Uint8Array(devMemory.buffer);
    const log = (msg) => { if (logged++ < 8) console.error(`tabvm: virtio-console: ${msg}`); };
    ({ exports: dev, memory: devMemory } = await instantiateModule(wasmBytes, {
      initialBytes: 16 << 20, // the module's INITIAL_MEMORY
      maximumBytes: 64 << 20,
      imports: {
        ...vdevImports(ram, block, () => devMemory, log),
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
