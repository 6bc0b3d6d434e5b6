// Instantiates one of TabVM's standalone Wasm modules (built with -sSTANDALONE_WASM and an
// imported shared memory) from its bytes, in a browser worker or under Node alike. Passing the
// bytes ourselves avoids the Emscripten loader's fetch() of file paths.

const WASM_PAGE = 65536;

/**
 * @param {BufferSource} bytes  the .wasm file
 * @param {object} [opts]
 * @param {number} [opts.initialBytes]  initial memory size
 * @param {number} [opts.maximumBytes]  maximum memory size (shared memory needs one)
 * @param {object} [opts.imports]  extra functions for the "env" import module
 */
export async function instantiateModule(bytes, opts = {}) {
  const initial = Math.ceil((opts.initialBytes ?? 16 * 1024 * 1024) / WASM_PAGE);
  const maximum = Math.ceil((opts.maximumBytes ?? 4 * 1024 * 1024 * 1024) / WASM_PAGE);
  const memory = new WebAssembly.Memory({ initial, maximum, shared: true });
  const env = {
    memory,
    // The C heap grew: views on memory.buffer must be re-created, which callers do on use.
    emscripten_notify_memory_growth() {},
    ...(opts.imports ?? {}),
  };
  const { instance } = await WebAssembly.instantiate(bytes, { env });
  instance.exports._initialize?.();
  return { exports: instance.exports, memory };
}

/** Reads a NUL-terminated string at ptr in memory. */
export function readCString(memory, ptr) {
  const bytes = new Uint8Array(memory.buffer);
  let end = ptr;
  while (bytes[end] !== 0) end++;
  return new TextDecoder().decode(bytes.slice(ptr, end));
}
