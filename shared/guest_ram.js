// Guest RAM as a device worker sees it: every access checked against RAM, and every write a
// device makes noted in the DMA bitmap (shared/tvm_layout.h), because the CPU does not see
// writes from other threads and must drop code it decoded from those pages (docs/rings.md).
import * as L from './layout.js';
import { readCString } from './wasm_module.js';

export const RAM_BASE = 0x80000000;

export class GuestRam {
  /**
   * @param {SharedArrayBuffer} sab  the machine's memory
   * @param {{ramPtr: number, ramMiB: number, machinePtr: number, dmaBitmapPtr: number}} at
   * @param {string} who  the device, for error messages
   */
  constructor(sab, { ramPtr, ramMiB, machinePtr, dmaBitmapPtr }, who) {
    this.bytes = new Uint8Array(sab, ramPtr, ramMiB * (1 << 20));
    this.machine = new Int32Array(sab, machinePtr, L.TVM_M_WORDS);
    const pages = this.bytes.length >>> L.TVM_DMA_PAGE_SHIFT;
    this.dma = dmaBitmapPtr ? new Int32Array(sab, dmaBitmapPtr, Math.ceil(pages / 32)) : null;
    this.who = who;
  }

  /** The offset into RAM of [gpa, gpa + len); throws if any of it lies outside. */
  offset(gpa, len) {
    const off = gpa - RAM_BASE;
    if (!(off >= 0 && len >= 0 && off + len <= this.bytes.length)) {
      throw new Error(`${this.who}: guest range 0x${gpa.toString(16)}+${len} outside RAM`);
    }
    return off;
  }

  /** A view of [gpa, gpa + len) in RAM, checked. */
  view(gpa, len) {
    const off = this.offset(gpa, len);
    return this.bytes.subarray(off, off + len);
  }

  /** Notes that a device wrote [gpa, gpa + len); call before the guest can see the write. */
  noteWritten(gpa, len) {
    if (!this.dma || len <= 0) return;
    const first = (gpa - RAM_BASE) >>> L.TVM_DMA_PAGE_SHIFT;
    const last = (gpa - RAM_BASE + len - 1) >>> L.TVM_DMA_PAGE_SHIFT;
    for (let p = first; p <= last; p++) Atomics.or(this.dma, p >>> 5, 1 << (p & 31));
    Atomics.add(this.machine, L.TVM_M_DMA_SEQ, 1);
  }

  /** Rings the CPU's interrupt doorbell. */
  raiseIrq() {
    Atomics.add(this.machine, L.TVM_M_IRQ_SEQ, 1);
    Atomics.notify(this.machine, L.TVM_M_IRQ_SEQ);
  }
}

/**
 * The imports every virtio device module takes: its device block's words, guest RAM copies
 * to and from the module's own memory, the doorbell and the log.
 * @param {GuestRam} ram
 * @param {Int32Array} block  the device block
 * @param {() => WebAssembly.Memory} devMemory  the module's memory (known after instantiation)
 * @param {(msg: string) => void} log
 */
export function vdevImports(ram, block, devMemory, log) {
  const devBytes = () => new Uint8Array(devMemory().buffer);
  const gpa = (lo, hi) => hi * 2 ** 32 + (lo >>> 0);
  return {
    vreg_load: (w) => Atomics.load(block, w),
    vreg_store: (w, v) => { Atomics.store(block, w, v); },
    vreg_or: (w, v) => Atomics.or(block, w, v),
    vreg_xchg: (w, v) => Atomics.exchange(block, w, v),
    ram_read: (lo, hi, dst, len) => { devBytes().set(ram.view(gpa(lo, hi), len), dst); },
    ram_write: (lo, hi, src, len) => {
      const a = gpa(lo, hi);
      ram.view(a, len).set(devBytes().subarray(src, src + len));
      ram.noteWritten(a, len);
    },
    raise_irq: () => ram.raiseIrq(),
    dev_log: (p) => log(readCString(devMemory(), p)),
  };
}
