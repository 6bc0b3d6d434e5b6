// The dispatch A/B of `make dispatch-ab` in Chromium: the MIPS benchmark on the switch build and
// on the tail-call build of the CPU module, run by the page's own V8 in a cross-origin-isolated
// page (shared memory), interleaved, best of five.
// Usage: node bench/dispatch/chromium.js SWITCH.wasm THREADED.wasm PROGRAM.elf
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { launchChromium } from '../chromium.js';

const [switchWasm, threadedWasm, elfPath] = process.argv.slice(2);
const files = {
  '/switch.wasm': readFileSync(switchWasm),
  '/threaded.wasm': readFileSync(threadedWasm),
  '/program.elf': readFileSync(elfPath),
  '/': Buffer.from('<!doctype html><title>dispatch A/B</title>'),
};
const server = createServer((req, res) => {
  const body = files[req.url];
  res.writeHead(body ? 200 : 404, {
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Content-Type': req.url.endsWith('.wasm') ? 'application/wasm' : 'text/html',
  });
  res.end(body ?? '');
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  const result = await page.evaluate(async () => {
    const elf = new Uint8Array(await (await fetch('/program.elf')).arrayBuffer());
    const noop = () => {};
    async function runOnce(name) {
      const memory = new WebAssembly.Memory({ initial: 1536, maximum: 65536, shared: true });
      const env = { memory, emscripten_notify_memory_growth: noop, host_time_us: () => performance.now() * 1000,
        host_console_putchar: noop, host_system_reset: noop, host_notify: noop, host_wall_ms: () => Date.now(),
        host_jit_compile: () => -1, host_jit_release: noop };
      const { instance } = await WebAssembly.instantiateStreaming(fetch(`/${name}.wasm`), { env });
      const m = instance.exports;
      m._initialize?.();
      if (m.tvm_elf_init(64) !== 0) throw new Error('no memory');
      const buf = m.tvm_alloc(elf.length);
      new Uint8Array(memory.buffer, buf, elf.length).set(elf);
      if (m.tvm_elf_load(buf, elf.length) !== 0) throw new Error('bad program');
      const t0 = performance.now();
      let state;
      while ((state = m.tvm_elf_step(1 << 22)) === 0);
      const seconds = (performance.now() - t0) / 1000;
      if (state !== 1) throw new Error(`${name}: the program failed`);
      return { seconds, instructions: Number(m.tvm_elf_instret()) };
    }
    const best = { switch: Infinity, threaded: Infinity };
    let instructions = 0;
    for (let i = 0; i < 5; i++)
      for (const name of Object.keys(best)) {
        const r = await runOnce(name);
        best[name] = Math.min(best[name], r.seconds);
        instructions = r.instructions;
      }
    return { best, instructions, ua: navigator.userAgent };
  });
  const chrome = /Chrome\/([\d.]+)/.exec(result.ua)?.[1] ?? '?';
  for (const [name, s] of Object.entries(result.best))
    console.log(`Wasm in Chromium ${chrome}, ${name.padEnd(8)}: ${s.toFixed(3)} s, ` +
      `${(result.instructions / s / 1e6).toFixed(0)} MIPS`);
} finally {
  await browser.close();
  server.close();
}
