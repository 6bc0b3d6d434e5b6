// Frames between the virtio-net worker and the worker that owns the relay's WebSocket: two
// single-producer single-consumer rings of whole Ethernet frames in one SharedArrayBuffer, and
// the link's state words. Nothing on the data path goes through postMessage (docs/rings.md,
// "Network frames").
//
// A ring is HEAD, TAIL (bytes, modulo 2^32), CAPACITY (a power of two), DROPPED (frames that did
// not fit) and a data area of records: a 32-bit length, then the frame, padded to 4 bytes. HEAD
// and TAIL stay multiples of 4, so a length word never wraps; a frame may. A full ring drops the
// new frame and counts it: both rings are bounded.

const HEAD = 0, TAIL = 1, CAPACITY = 2, DROPPED = 3;
const RING_HEADER_WORDS = 8;

export class FrameRing {
  /** @param {SharedArrayBuffer} sab  @param {number} ptr byte offset of the ring's header */
  constructor(sab, ptr) {
    this.words = new Int32Array(sab, ptr, RING_HEADER_WORDS);
    this.capacity = Atomics.load(this.words, CAPACITY);
    this.data = new Uint8Array(sab, ptr + RING_HEADER_WORDS * 4, this.capacity);
    this.lens = new DataView(sab, ptr + RING_HEADER_WORDS * 4, this.capacity);
  }

  /** Lays out an empty ring of capacity bytes at ptr; returns the bytes it takes. */
  static init(sab, ptr, capacity) {
    if (capacity & (capacity - 1) || capacity < 64) throw new Error('frame ring capacity must be a power of two');
    const w = new Int32Array(sab, ptr, RING_HEADER_WORDS);
    w.fill(0);
    w[CAPACITY] = capacity;
    return RING_HEADER_WORDS * 4 + capacity;
  }

  used() {
    return (Atomics.load(this.words, HEAD) - Atomics.load(this.words, TAIL)) >>> 0;
  }

  dropped() {
    return Atomics.load(this.words, DROPPED) >>> 0;
  }

  /** Whether a frame of len bytes fits now. */
  room(len) {
    return this.capacity - this.used() >= 4 + ((len + 3) & ~3);
  }

  /** Producer: appends one frame (a Uint8Array), or drops and counts it; returns whether it fit. */
  push(frame) {
    const len = frame.length;
    if (!this.room(len)) {
      Atomics.add(this.words, DROPPED, 1);
      return false;
    }
    const head = Atomics.load(this.words, HEAD) >>> 0;
    const mask = this.capacity - 1;
    const at = head & mask;
    this.lens.setUint32(at, len, true);
    const start = (at + 4) & mask;
    const first = Math.min(len, this.capacity - start);
    this.data.set(frame.subarray(0, first), start);
    if (first < len) this.data.set(frame.subarray(first), 0);
    Atomics.store(this.words, HEAD, (head + 4 + ((len + 3) & ~3)) | 0);
    Atomics.notify(this.words, HEAD);
    return true;
  }

  /** Consumer: the length of the next frame, or -1 if the ring is empty. */
  peek() {
    if (!this.used()) return -1;
    return this.lens.getUint32((Atomics.load(this.words, TAIL) >>> 0) & (this.capacity - 1), true);
  }

  /**
   * Consumer: takes the next frame, copying up to dst.length bytes of it into dst (if given);
   * returns its full length, or -1 if the ring is empty.
   */
  take(dst) {
    const len = this.peek();
    if (len < 0) return -1;
    const tail = Atomics.load(this.words, TAIL) >>> 0;
    const mask = this.capacity - 1;
    if (dst) {
      const n = Math.min(len, dst.length);
      const start = ((tail & mask) + 4) & mask;
      const first = Math.min(n, this.capacity - start);
      dst.set(this.data.subarray(start, start + first));
      if (first < n) dst.set(this.data.subarray(0, n - first), first);
    }
    Atomics.store(this.words, TAIL, (tail + 4 + ((len + 3) & ~3)) | 0);
    Atomics.notify(this.words, TAIL);
    return len;
  }

  /** Consumer: resolves when the ring holds a frame (or after timeoutMs). */
  async waitData(timeoutMs) {
    const head = Atomics.load(this.words, HEAD);
    if (this.used()) return;
    const r = Atomics.waitAsync(this.words, HEAD, head, timeoutMs);
    if (r.async) await r.value;
  }
}

// The link block: state words, the device's counters, then the two rings.
export const LINK_UP = 0;        // 1 while the relay's WebSocket is open (the guest's carrier)
export const LINK_STATE = 1;     // LINK_* below, for the page's status line
export const LINK_CONNECTS = 2;  // times the WebSocket opened
const LINK_WORDS = 16;
export const LINK_IDLE = 0, LINK_CONNECTING = 1, LINK_OPEN = 2, LINK_RETRYING = 3;
// The device's counters in the link block, in the order of vnet_stats_t (devices/net/virtio_net.h).
export const NET_STAT_NAMES = ['txFrames', 'txBytes', 'rxFrames', 'rxBytes', 'txDroppedLinkDown', 'txMalformed',
  'txOversized', 'rxOversized', 'rxNoRoom', 'txCsumDone', 'rxCsumValid', 'linkChanges'];
const STAT_SLOTS = 16; // Float64 counters the device worker copies from its module
const RING_BYTES = 1 << 18; // ~170 full-size frames each way

/** Makes the shared block both workers of one network card use. */
export function createLink() {
  const ringsAt = LINK_WORDS * 4 + STAT_SLOTS * 8;
  const sab = new SharedArrayBuffer(ringsAt + 2 * (RING_HEADER_WORDS * 4 + RING_BYTES));
  const rxAt = ringsAt + FrameRing.init(sab, ringsAt, RING_BYTES);
  FrameRing.init(sab, rxAt, RING_BYTES);
  return sab;
}

/** The views of a link block: { words, stats, tx (device to relay), rx (relay to device) }. */
export function openLink(sab) {
  const ringsAt = LINK_WORDS * 4 + STAT_SLOTS * 8;
  const tx = new FrameRing(sab, ringsAt);
  return {
    words: new Int32Array(sab, 0, LINK_WORDS),
    stats: new Float64Array(sab, LINK_WORDS * 4, STAT_SLOTS),
    tx,
    rx: new FrameRing(sab, ringsAt + RING_HEADER_WORDS * 4 + tx.capacity),
  };
}
