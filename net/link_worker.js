// The relay's end of a network card: owns the WebSocket to the relay (one raw Ethernet frame per
// binary message, no header) and moves frames between it and the virtio-net worker through the
// link block's frame rings (shared/frame_ring.js). It runs in a worker of its own because a
// WebSocket needs an event loop, and the device worker sleeps in Atomics.wait for latency.
//
// While the socket is closed the link is down (the guest sees no carrier) and it reconnects by
// itself, backing off up to RETRY_MAX_MS: a relay restart is a short loss of carrier.
import * as Comlink from 'comlink';
import { workerEndpoint } from '../shared/threads.js';
import { openLink, LINK_UP, LINK_STATE, LINK_CONNECTS, LINK_IDLE, LINK_CONNECTING, LINK_OPEN, LINK_RETRYING }
  from '../shared/frame_ring.js';
import * as L from '../shared/layout.js';

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 4000;
// The socket's own send buffer beyond which frames wait in the ring (and then in the guest's
// queue): the guest's TCP sees the relay's real pace instead of an ever-growing buffer.
const SEND_BUFFER_MAX = 1 << 20;

let link, wakeWords, WS;
let url = null, ws = null, retryMs = RETRY_MIN_MS, retryTimer = null, generation = 0;
let lastError = '', lastChange = Date.now();
const frame = new Uint8Array(2048);

function wakeDevice() {
  Atomics.add(wakeWords, L.TVM_V_WAKE, 1);
  Atomics.notify(wakeWords, L.TVM_V_WAKE);
}

function setState(state, up) {
  Atomics.store(link.words, LINK_STATE, state);
  if (Atomics.exchange(link.words, LINK_UP, up ? 1 : 0) !== (up ? 1 : 0)) {
    lastChange = Date.now();
    wakeDevice(); // the device updates its link status and tells the guest
  }
}

async function webSocketClass() {
  if (globalThis.WebSocket) return globalThis.WebSocket;
  const name = 'ws'; // Node 20 has no WebSocket client of its own; hidden from the page's bundler
  return (await import(/* @vite-ignore */ name)).WebSocket;
}

function connect() {
  retryTimer = null;
  if (!url) return;
  const gen = ++generation;
  setState(LINK_CONNECTING, false);
  let sock;
  try {
    sock = new WS(url);
  } catch (e) {
    lastError = e.message;
    retry(gen);
    return;
  }
  ws = sock;
  sock.binaryType = 'arraybuffer';
  sock.onopen = () => {
    if (gen !== generation) return;
    retryMs = RETRY_MIN_MS;
    lastError = '';
    Atomics.add(link.words, LINK_CONNECTS, 1);
    // Frames queued while the link was down belong to a network that is gone.
    while (link.tx.take() >= 0) { /* dropped */ }
    setState(LINK_OPEN, true);
  };
  sock.onmessage = (ev) => {
    if (gen !== generation || !(ev.data instanceof ArrayBuffer)) return;
    if (link.rx.push(new Uint8Array(ev.data))) wakeDevice();
  };
  sock.onerror = (ev) => { lastError = ev?.message || ev?.error?.message || 'connection failed'; };
  sock.onclose = (ev) => {
    if (gen !== generation) return;
    if (ev?.reason) lastError = ev.reason;
    retry(gen);
  };
}

function retry(gen) {
  if (gen !== generation || !url) return;
  ws = null;
  setState(LINK_RETRYING, false);
  clearTimeout(retryTimer);
  retryTimer = setTimeout(connect, retryMs);
  retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
}

// Frames from the guest: sent as they come while the socket is open and not backed up; dropped
// while the link is down (the device drops them itself once it has seen the link go down).
async function pumpTx() {
  for (;;) {
    await link.tx.waitData(1000);
    let moved = false;
    for (;;) {
      const open = ws && ws.readyState === 1;
      if (open && ws.bufferedAmount > SEND_BUFFER_MAX) {
        await new Promise((r) => setTimeout(r, 2));
        continue;
      }
      const len = link.tx.take(frame);
      if (len < 0) break;
      moved = true;
      if (open && len <= frame.length) ws.send(frame.slice(0, len));
    }
    if (moved) wakeDevice(); // it may be holding frames back for room
  }
}

const api = {
  /** url: the relay (ws:// or wss://), or null for none yet. */
  async start({ linkSab, memory, blockPtr, url: relay }) {
    link = openLink(linkSab);
    wakeWords = new Int32Array(memory.buffer, blockPtr, L.TVM_V_WORDS);
    WS = await webSocketClass();
    setState(LINK_IDLE, false);
    pumpTx();
    api.setRelay(relay);
  },

  /** Switches to another relay (null: none): the guest sees the carrier drop and come back. */
  setRelay(relay) {
    url = relay || null;
    generation++;
    clearTimeout(retryTimer);
    const old = ws;
    ws = null;
    if (old) old.close();
    retryMs = RETRY_MIN_MS;
    lastError = '';
    if (url) connect();
    else setState(LINK_IDLE, false);
  },

  /** { url, state: 'none'|'connecting'|'up'|'retrying', error, connects, since (ms epoch) } */
  status() {
    const names = ['none', 'connecting', 'up', 'retrying'];
    return { url, state: names[Atomics.load(link.words, LINK_STATE)], error: lastError,
      connects: Atomics.load(link.words, LINK_CONNECTS), since: lastChange };
  },

  close() {
    url = null;
    generation++;
    clearTimeout(retryTimer);
    ws?.close();
    ws = null;
  },
};

Comlink.expose(api, await workerEndpoint());
