// The page's embedding API:
//   const vm = await TabVM.start({ ramMiB, cmdline, cols, rows, onProgress, assetBase });
//   await vm.ready;                       // resolves at the first shell prompt
//   const { status, output } = await vm.exec('uname -m');
//   vm.write(text); vm.onOutput(bytes => ...); vm.resize(cols, rows); await vm.stop();
// Workers are created here, literally, so the bundler finds and bundles them.
import { startMachine, DEFAULT_CMDLINE } from '../shared/machine.js';

const ASSETS = {
  'cpu.wasm': 'tabvm-cpu.wasm',
  'console.wasm': 'tabvm-virtio-console.wasm',
  kernel: 'Image',
  initrd: 'initramfs.cpio.gz',
};

/** Why this browser cannot run TabVM, or null. */
export function unsupportedReason() {
  if (typeof SharedArrayBuffer === 'undefined' || !globalThis.crossOriginIsolated)
    return 'This page needs SharedArrayBuffer, which browsers only allow on cross-origin isolated pages ' +
      '(served with "Cross-Origin-Opener-Policy: same-origin" and "Cross-Origin-Embedder-Policy: require-corp"). ' +
      'Serve TabVM with those headers (make run does) and use a current Chromium, Firefox or Safari.';
  if (typeof Atomics.waitAsync !== 'function') return 'This browser lacks Atomics.waitAsync; use a current Chromium-based browser.';
  return null;
}

async function fetchWithProgress(url, onBytes) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`cannot load ${url}: HTTP ${res.status}`);
  // Content-Length counts encoded bytes when the server compresses: use it for progress only.
  const total = Number(res.headers.get('content-length')) || 0;
  if (!res.body || !total) return res.arrayBuffer();
  const reader = res.body.getReader();
  const chunks = [];
  let got = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    got += value.length;
    onBytes(Math.min(got, total), total);
  }
  const out = new Uint8Array(got);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out.buffer;
}

export const TabVM = {
  async start(opts = {}) {
    const why = unsupportedReason();
    if (why) throw new Error(why);
    const base = opts.assetBase ?? new URL('assets/', document.baseURI).href;
    const onProgress = opts.onProgress ?? (() => {});
    const loaded = {};
    const report = () => {
      const sum = (k) => Object.values(loaded).reduce((a, v) => a + v[k], 0);
      onProgress('download', sum('total') ? sum('got') / sum('total') : 0);
    };
    return startMachine({
      loadAsset: (name) => fetchWithProgress(new URL(ASSETS[name], base), (got, total) => {
        loaded[name] = { got, total };
        report();
      }),
      spawn: {
        cpu: async () => {
          const w = new Worker(new URL('../cpu/worker.js', import.meta.url), { type: 'module' });
          return { endpoint: w, terminate: () => w.terminate() };
        },
        console: async () => {
          const w = new Worker(new URL('../devices/console/worker.js', import.meta.url), { type: 'module' });
          return { endpoint: w, terminate: () => w.terminate() };
        },
      },
      ramMiB: opts.ramMiB,
      cmdline: opts.cmdline ?? DEFAULT_CMDLINE,
      cols: opts.cols,
      rows: opts.rows,
      onProgress: (stage, f) => { if (stage !== 'loading') onProgress(stage, f); },
    });
  },
};
