// The JIT's host side (docs/jit.md): the core writes a Wasm module for a hot region of guest
// code into its memory and asks, through host_jit_compile, for it to be compiled and placed in
// the CPU module's function table, where C calls it through a function pointer. The module
// imports the CPU module's shared memory and its table, so it reads and writes guest state and
// calls the core's slow paths directly.

/** Whether this engine runs what the JIT emits: i64 code over an imported shared memory and an
 *  imported, growable function table. Checked once with a tiny module. */
export function jitSupported() {
  try {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    const table = new WebAssembly.Table({ initial: 1, element: 'anyfunc' });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(PROBE), { env: { memory, table } });
    table.grow(1);
    table.set(1, inst.exports.f);
    return table.get(1)(7n) === 8n;
  } catch {
    return false;
  }
}

// (module (import "env" "memory" (memory 0 65536 shared)) (import "env" "table" (table 0 funcref))
//   (func (export "f") (param i64) (result i64) local.get 0 i64.const 1 i64.add)
//   (func (param i64) (result i64) local.get 0 i32.const 0 return_call_indirect (type 0)))
// The second function is never run: it makes the module fail to compile without tail calls,
// which regions use to jump into each other.
const PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x06, 0x01, 0x60, 0x01, 0x7e, 0x01, 0x7e, // type: (i64) -> i64
  0x02, 0x20, 0x02, // imports
  0x03, 0x65, 0x6e, 0x76, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x03, 0x00, 0x80, 0x80, 0x04,
  0x03, 0x65, 0x6e, 0x76, 0x05, 0x74, 0x61, 0x62, 0x6c, 0x65, 0x01, 0x70, 0x00, 0x00,
  0x03, 0x03, 0x02, 0x00, 0x00, // two functions of type 0
  0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, // export "f"
  0x0a, 0x13, 0x02,
  0x07, 0x00, 0x20, 0x00, 0x42, 0x01, 0x7c, 0x0b,
  0x09, 0x00, 0x20, 0x00, 0x41, 0x00, 0x13, 0x00, 0x00, 0x0b,
]);

/**
 * Creates the host functions for one CPU module instance.
 * @param {object} opts
 * @param {boolean} [opts.sync]  compile in place (tests and the ELF runner) instead of in the
 *   background while the hart keeps interpreting (the CPU worker)
 * @param {(bytes: Uint8Array, region: number, gen: number) => void} [opts.dump]  sees every
 *   module before it is compiled (TABVM_JIT_DUMP, docs/jit.md)
 * @returns {{ imports: object, attach: (exports: object, memory: WebAssembly.Memory,
 *   ready: (region: number, gen: number, slot: number) => void) => void, stats: object }}
 */
export function createJitHost({ sync = false, dump = null } = {}) {
  let memory = null, table = null, ready = null;
  const free = [];
  const stats = { hostCompileMs: 0, pending: 0 };

  const place = (fn) => {
    const slot = free.length ? free.pop() : table.grow(1);
    table.set(slot, fn);
    return slot;
  };

  const imports = {
    host_jit_compile(ptr, len, region, gen) {
      if (!table) return -1;
      // A copy: the core reuses its buffer, and modules cannot be compiled from shared memory.
      const bytes = new Uint8Array(memory.buffer, ptr >>> 0, len).slice();
      dump?.(bytes, region, gen);
      const env = { env: { memory, table } };
      const t0 = performance.now();
      if (sync) {
        try {
          const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), env);
          stats.hostCompileMs += performance.now() - t0;
          return place(inst.exports.f);
        } catch (e) {
          console.error('tabvm: the JIT wrote a module the engine refused:', e.message);
          return -1;
        }
      }
      stats.pending++;
      WebAssembly.instantiate(bytes, env).then(
        ({ instance }) => {
          stats.pending--;
          stats.hostCompileMs += performance.now() - t0;
          ready(region, gen, place(instance.exports.f));
        },
        (e) => {
          stats.pending--;
          console.error('tabvm: the JIT wrote a module the engine refused:', e.message);
          ready(region, gen, -1);
        });
      return 0;
    },
    host_jit_release(slot) {
      table.set(slot, null);
      free.push(slot);
    },
  };

  return {
    imports,
    stats,
    /** Connects the host to the instantiated CPU module. */
    attach(exports, mem, onReady) {
      memory = mem;
      table = exports.__indirect_function_table ?? null;
      ready = onReady;
    },
  };
}

/** The rv_jit_stats_t counters (cpu/riscv/rv_cpu.h), in their order. */
export const JIT_STATS_FIELDS = ['compiles', 'compileFails', 'compileUs', 'liveRegions', 'codeBytes',
  'evictions', 'invalidations', 'entries', 'chains', 'jitInstret', 'exitsFault', 'exitsMmio', 'exitsLimit', 'exitsSystem'];

/** Reads the counters a tvm_*jit_stats export wrote at ptr. */
export function readJitStats(memory, ptr) {
  const words = new BigUint64Array(memory.buffer, ptr >>> 0, JIT_STATS_FIELDS.length);
  return Object.fromEntries(JIT_STATS_FIELDS.map((k, i) => [k, Number(words[i])]));
}
