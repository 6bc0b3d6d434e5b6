// One bare-metal RISC-V machine (the ELF runner's HTIF machine, cpu/riscv/rv_htif.c) in its own
// instance of the CPU module, with its own memory: what diff.js runs two of in lockstep.
import { readFileSync } from 'node:fs';
import { createJitHost, readJitStats } from '../../../../shared/jit_host.js';

export const HTIF = { RUNNING: 0, PASS: 1, FAIL: 2 };
export const STATE_NAMES = ['running', 'pass', 'fail'];

// The words of rv_get_arch_state (cpu/riscv/rv_cpu.h, enum rv_arch_word), in their order.
const ABI = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3',
  'a4', 'a5', 'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4',
  't5', 't6'];
export const ARCH_WORDS = [
  ...ABI.map((n, i) => `x${i}(${n})`),
  ...ABI.map((_, i) => `f${i}`),
  'pc', 'priv', 'instret', 'fflags', 'frm', 'mstatus', 'mcause', 'mepc', 'mtval', 'scause', 'sepc',
  'stval', 'satp', 'mip', 'mie', 'mscratch', 'sscratch', 'resv_valid', 'resv_addr',
];
export const W = Object.fromEntries(ARCH_WORDS.map((n, i) => [n.replace(/\(.*/, ''), i]));

const WASM_PAGE = 65536;
const modules = new Map();

/** The CPU module, compiled once per process (fuzz.js instantiates it twice per seed). */
export function cpuModule(path) {
  if (!modules.has(path)) modules.set(path, new WebAssembly.Module(readFileSync(path)));
  return modules.get(path);
}

export class Hart {
  /**
   * @param {WebAssembly.Module} module  build/wasm/tabvm-cpu.wasm
   * @param {Uint8Array} elf
   * @param {object} opts
   * @param {number} opts.memMiB     guest RAM
   * @param {number} opts.threshold  the JIT's hot threshold; 0 runs the interpreter only
   */
  constructor(module, elf, { memMiB, threshold }) {
    // The same instantiation as cli/elf_runner.js (shared/wasm_module.js), but from a compiled
    // module and synchronously, so that two instances per seed cost no recompilation.
    this.jit = createJitHost({ sync: true });
    const memory = new WebAssembly.Memory({
      // The module asks for 16 MiB of its own; guest RAM comes on top (malloc grows memory if the
      // JIT needs more).
      initial: Math.ceil((memMiB + 17) * 1024 * 1024 / WASM_PAGE),
      maximum: 65536, shared: true,
    });
    const env = {
      memory,
      emscripten_notify_memory_growth() {},
      host_time_us: () => 0, // the HTIF machine keeps its own (instruction) time
      host_console_putchar: () => {},
      host_system_reset: () => {},
      host_notify: () => {},
      host_wall_ms: () => 0,
      ...this.jit.imports,
    };
    // The module also holds the Linux machine; any host function it gains later is unused by
    // the ELF machine and needs only to be there to link.
    for (const imp of WebAssembly.Module.imports(module)) {
      if (imp.module === 'env' && imp.kind === 'function' && !(imp.name in env)) env[imp.name] = () => 0;
    }
    const inst = new WebAssembly.Instance(module, { env });
    inst.exports._initialize?.();
    this.m = inst.exports;
    this.memory = memory;
    this.jit.attach(this.m, memory, this.m.tvm_elf_jit_ready);
    if (this.m.tvm_elf_init(memMiB) !== 0) throw new Error(`cannot allocate ${memMiB} MiB of guest RAM`);
    const buf = this.m.tvm_alloc(elf.length);
    new Uint8Array(memory.buffer, buf, elf.length).set(elf);
    const err = this.m.tvm_elf_load(buf, elf.length);
    this.m.tvm_free(buf);
    if (err !== 0) {
      const b = new Uint8Array(memory.buffer);
      let end = err;
      while (b[end] !== 0) end++;
      throw new Error(new TextDecoder().decode(b.slice(err, end)));
    }
    this.m.tvm_elf_jit(threshold);
    this.scratch = this.m.tvm_alloc(ARCH_WORDS.length * 8);
    this.state = HTIF.RUNNING;
    this.ramBase = 0x80000000n;
  }

  /** Runs about `budget` instructions (whole 4096-instruction slices of htif_step). */
  step(budget) {
    this.state = this.m.tvm_elf_step(budget);
    return this.state;
  }

  get done() { return this.state !== HTIF.RUNNING; }
  get instret() { return this.m.tvm_elf_instret(); }
  get pc() { return this.m.tvm_elf_pc(); }
  get exitCode() { return this.m.tvm_elf_exit_code(); }

  /** The architectural state, a copy (ARCH_WORDS names each word). */
  arch() {
    this.m.tvm_elf_arch_state(this.scratch);
    return new BigUint64Array(this.memory.buffer, this.scratch, ARCH_WORDS.length).slice();
  }

  /** Guest RAM as a Buffer over the instance's memory (recreated on each call: memory grows). */
  ram() {
    return Buffer.from(this.memory.buffer, this.m.tvm_elf_ram_ptr(), this.m.tvm_elf_ram_size());
  }

  /** Guest RAM bytes at physical address pa, or null outside RAM. */
  ramAt(pa, len) {
    const off = Number(BigInt(pa) - this.ramBase);
    const ram = this.ram();
    return off >= 0 && off + len <= ram.length ? ram.subarray(off, off + len) : null;
  }

  jitStats() {
    const p = this.m.tvm_alloc(12 * 8);
    this.m.tvm_elf_jit_stats(p);
    const s = readJitStats(this.memory, p);
    this.m.tvm_free(p);
    return s;
  }

  /**
   * Fault injection for diff.js's self-test, from outside the core: finds the integer register
   * file (32 words, laid out as rv_get_arch_state copies it) in this instance's memory and flips
   * bit 0 of register r. Returns false while the registers are too uniform to find it uniquely.
   */
  corruptXReg(r) {
    const x = this.arch().subarray(0, 32);
    if (x.filter((v) => v !== 0n).length < 6) return false;
    const words = new Uint32Array(this.memory.buffer);
    const lo = Array.from(x, (v) => Number(v & 0xffffffffn));
    const hi = Array.from(x, (v) => Number(v >> 32n));
    const skip = this.scratch / 4;
    const hits = [];
    for (let i = 0; i + 64 <= words.length; i += 2) {
      if (words[i + 2] !== lo[1] || words[i + 3] !== hi[1] || i === skip) continue;
      let k = 0;
      while (k < 32 && words[i + 2 * k] === lo[k] && words[i + 2 * k + 1] === hi[k]) k++;
      if (k === 32) hits.push(i);
    }
    if (hits.length !== 1) return false;
    words[hits[0] + 2 * r] ^= 1;
    return true;
  }
}

/** The symbols of an ELF64 file's symbol table, name -> value (BigInt). */
export function elfSymbols(buf) {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const syms = new Map();
  if (dv.getUint32(0) !== 0x7f454c46 || buf[4] !== 2) return syms;
  const shoff = Number(dv.getBigUint64(0x28, true));
  const shentsize = dv.getUint16(0x3a, true), shnum = dv.getUint16(0x3c, true);
  const sec = (i) => {
    const o = shoff + i * shentsize;
    return { type: dv.getUint32(o + 4, true), offset: Number(dv.getBigUint64(o + 0x18, true)),
      size: Number(dv.getBigUint64(o + 0x20, true)), link: dv.getUint32(o + 0x28, true) };
  };
  for (let i = 0; i < shnum; i++) {
    const s = sec(i);
    if (s.type !== 2) continue; // SHT_SYMTAB
    const str = sec(s.link);
    for (let o = s.offset; o + 24 <= s.offset + s.size; o += 24) {
      let p = str.offset + dv.getUint32(o, true), end = p;
      while (buf[end] !== 0) end++;
      if (end > p) syms.set(new TextDecoder().decode(buf.subarray(p, end)), dv.getBigUint64(o + 8, true));
    }
  }
  return syms;
}
