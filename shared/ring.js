// Single-producer single-consumer byte ring in shared memory (layout in shared/tvm_layout.h,
// protocol in docs/rings.md). Used for the console: guest output to the terminal, and
// keystrokes to the guest.
import { TVM_RING_HEAD, TVM_RING_TAIL, TVM_RING_CAPACITY, TVM_RING_HEADER_WORDS } from './layout.js';

export class ByteRing {
  /** @param {SharedArrayBuffer} sab  @param {number} ptr byte offset of the ring header */
  constructor(sab, ptr) {
    this.words = new Int32Array(sab, ptr, TVM_RING_HEADER_WORDS);
    this.capacity = Atomics.load(this.words, TVM_RING_CAPACITY);
    this.data = new Uint8Array(sab, ptr + TVM_RING_HEADER_WORDS * 4, this.capacity);
  }

  /** Bytes waiting to be read. */
  available() {
    return (Atomics.load(this.words, TVM_RING_HEAD) - Atomics.load(this.words, TVM_RING_TAIL)) >>> 0;
  }

  space() {
    return this.capacity - this.available();
  }

  /** Producer: copies as much of bytes as fits; returns the count. Notifies the head word. */
  push(bytes) {
    const head = Atomics.load(this.words, TVM_RING_HEAD) >>> 0;
    const n = Math.min(bytes.length, this.space());
    const mask = this.capacity - 1;
    for (let i = 0; i < n; i++) this.data[(head + i) & mask] = bytes[i];
    if (n) {
      Atomics.store(this.words, TVM_RING_HEAD, (head + n) | 0);
      Atomics.notify(this.words, TVM_RING_HEAD);
    }
    return n;
  }

  /** Consumer: takes up to max bytes (all by default). Notifies the tail word. */
  pop(max = Infinity) {
    const tail = Atomics.load(this.words, TVM_RING_TAIL) >>> 0;
    const n = Math.min(this.available(), max);
    const out = new Uint8Array(n);
    const mask = this.capacity - 1;
    for (let i = 0; i < n; i++) out[i] = this.data[(tail + i) & mask];
    if (n) {
      Atomics.store(this.words, TVM_RING_TAIL, (tail + n) | 0);
      Atomics.notify(this.words, TVM_RING_TAIL);
    }
    return out;
  }

  /** Consumer: resolves when the ring holds data (or after timeoutMs). */
  async waitData(timeoutMs = Infinity) {
    const head = Atomics.load(this.words, TVM_RING_HEAD);
    if (((head >>> 0) - (Atomics.load(this.words, TVM_RING_TAIL) >>> 0)) >>> 0) return;
    const r = Atomics.waitAsync(this.words, TVM_RING_HEAD, head, timeoutMs);
    if (r.async) await r.value;
  }
}
