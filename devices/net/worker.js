// The virtio-net worker: runs the network card's Wasm module. Guest RAM and the device block are
// reached only through the checked imports (shared/guest_ram.js); frames go to and come from
// the relay's WebSocket, owned by the link worker (net/link_worker.js), through the frame rings
// of a shared link block (shared/frame_ring.js). The link worker bumps this device's wake word
// when a frame arrives, when it freed room, and when the link goes up or down.
import * as Comlink from 'comlink';
import { instantiateModule } from '../../shared/wasm_module.js';
import { workerEndpoint } from '../../shared/threads.js';
import { GuestRam, RAM_BASE, vdevImports } from '../../shared/guest_ram.js';
import { openLink, LINK_UP, NET_STAT_NAMES } from '../../shared/frame_ring.js';
import * as L from '../../shared/layout.js';

let dev, devMemory, block, machine, link;
let logged = 0;

const api = {
  /** mac: 6 bytes; linkSab: the block from shared/frame_ring.js createLink(). */
  async start({ wasmBytes, memory, ramPtr, ramMiB, blockPtr, machinePtr, dmaBitmapPtr, mac, linkSab }) {
    const sab = memory.buffer;
    block = new Int32Array(sab, blockPtr, L.TVM_V_WORDS);
    machine = new Int32Array(sab, machinePtr, L.TVM_M_WORDS);
    link = openLink(linkSab);
    const ram = new GuestRam(sab, { ramPtr, ramMiB, machinePtr, dmaBitmapPtr }, 'virtio-net');
    const devBytes = () => new Uint8Array(devMemory.buffer);
    const log = (msg) => { if (logged++ < 8) console.error(`tabvm: virtio-net: ${msg}`); };
    ({ exports: dev, memory: devMemory } = await instantiateModule(wasmBytes, {
      initialBytes: 16 << 20, // the module's INITIAL_MEMORY
      maximumBytes: 64 << 20,
      imports: {
        ...vdevImports(ram, block, () => devMemory, log),
        link_tx_room: (len) => (link.tx.room(len) ? 1 : 0),
        link_tx: (p, len) => { link.tx.push(devBytes().subarray(p, p + len)); },
        link_rx_peek: () => Math.max(0, link.rx.peek()),
        link_rx_take: (p, max) => Math.max(0, link.rx.take(devBytes().subarray(p, p + max))),
        link_is_up: () => Atomics.load(link.words, LINK_UP),
      },
    }));
    dev.net_init(RAM_BASE, 0, ramMiB, ((mac[0] << 24) | (mac[1] << 16) | (mac[2] << 8) | mac[3]) >>> 0,
      (mac[4] << 8) | mac[5]);
    setTimeout(serve, 0); // after this call's reply has gone out
  },
};

// Sleeps on the device block's wake word (blocking, like the console: a network round trip's
// latency includes this wake-up); the transport, and the link worker, bump it. The counters are
// copied to the link block after each round, for the machine's netStats() (this worker's event
// loop is not served while the device runs).
function serve() {
  for (;;) {
    const seen = Atomics.load(block, L.TVM_V_WAKE);
    dev.net_poll();
    for (let i = 0; i < NET_STAT_NAMES.length; i++) link.stats[i] = dev.net_stat(i);
    if (Atomics.load(machine, L.TVM_M_STATE) >= L.TVM_STATE_OFF) break;
    Atomics.wait(block, L.TVM_V_WAKE, seen, 1000);
  }
}

Comlink.expose(api, await workerEndpoint());
