// The virtio-rng worker: runs the entropy device's Wasm module. Guest RAM and the device block
// are reached only through the checked imports (shared/guest_ram.js); the random bytes come
// from crypto.getRandomValues, which does not take views of shared memory, so they are drawn
// into a private buffer and copied into the module.
import * as Comlink from 'comlink';
import { instantiateModule } from '../../shared/wasm_module.js';
import { workerEndpoint } from '../../shared/threads.js';
import { GuestRam, RAM_BASE, vdevImports } from '../../shared/guest_ram.js';
import * as L from '../../shared/layout.js';

const STAT_NAMES = ['requests', 'bytes', 'empty'];
let dev, devMemory, block, machine;
let logged = 0;

const api = {
  async start({ wasmBytes, memory, ramPtr, ramMiB, blockPtr, machinePtr, dmaBitmapPtr }) {
    const sab = memory.buffer;
    block = new Int32Array(sab, blockPtr, L.TVM_V_WORDS);
    machine = new Int32Array(sab, machinePtr, L.TVM_M_WORDS);
    const ram = new GuestRam(sab, { ramPtr, ramMiB, machinePtr, dmaBitmapPtr }, 'virtio-rng');
    const log = (msg) => { if (logged++ < 8) console.error(`tabvm: virtio-rng: ${msg}`); };
    ({ exports: dev, memory: devMemory } = await instantiateModule(wasmBytes, {
      initialBytes: 16 << 20, // the module's INITIAL_MEMORY
      maximumBytes: 64 << 20,
      imports: {
        ...vdevImports(ram, block, () => devMemory, log),
        host_random: (p, n) => {
          const bytes = crypto.getRandomValues(new Uint8Array(n));
          new Uint8Array(devMemory.buffer).set(bytes, p);
        },
      },
    }));
    dev.rng_init(RAM_BASE, 0, ramMiB);
    serve();
  },

  stats() {
    return Object.fromEntries(STAT_NAMES.map((n, i) => [n, dev ? dev.rng_stat(i) : 0]));
  },
};

// Sleeps on the device block's wake word (asynchronously: stats() stays answerable); the
// transport bumps it when the driver notifies. Ends when the machine is off.
async function serve() {
  while (Atomics.load(machine, L.TVM_M_STATE) < L.TVM_STATE_OFF) {
    const seen = Atomics.load(block, L.TVM_V_WAKE);
    dev.rng_poll();
    const w = Atomics.waitAsync(block, L.TVM_V_WAKE, seen, 1000);
    if (w.async) await w.value;
  }
}

Comlink.expose(api, await workerEndpoint());
