// The page's embedding API:
//   const vm = await TabVM.start({ ramMiB, cmdline, cols, rows, onProgress, assetBase, root, disks });
//   await vm.ready;                       // resolves at the first shell prompt
//   const { status, output } = await vm.exec('uname -m');
//   vm.write(text); vm.onOutput(bytes => ...); vm.resize(cols, rows); await vm.stop();
//   await vm.attachDisk({ id, sizeBytes | file | url }); await vm.detachDisk('/dev/vdb'); await vm.disks();
// Workers are created here, literally, so the bundler finds and bundles them.
import { startMachine, DEFAULT_CMDLINE } from '../shared/machine.js';
import { pageDiskOpener } from './disks.js';

const ASSETS = {
  'cpu.wasm': 'tabvm-cpu.wasm',
  'console.wasm': 'tabvm-virtio-console.wasm',
  'blk.wasm': 'tabvm-virtio-blk.wasm',
  kernel: 'Image',
  initrd: 'initramfs.cpio.gz',
};
// The root filesystem on a disk (guest/README.md); its image is named in images.json.
const ROOT_ON_DISK = 'root=/dev/vda rw';
const DEFAULT_HOTPLUG_SLOTS = 4;

/**
 * The root disk's spec: streamed from the built image, its writes kept under an id that names
 * the image's contents, so a new image never runs under an overlay made for an older one (the
 * older disk stays in storage until the person deletes it).
 */
async function rootDiskSpec(base) {
  const res = await fetch(new URL('images.json', base));
  if (!res.ok) throw new Error(`cannot load the image list (images.json): HTTP ${res.status}`);
  const { rootfs } = await res.json();
  return { id: `root-${rootfs.sha256.slice(0, 12)}`, url: new URL(rootfs.file, base).href, lazy: true };
}

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
  /**
   * @param {object} [opts]
   * @param {'disk'|'initramfs'} [opts.root]  the root filesystem on a persistent disk (default)
   *   or busybox in RAM (nothing persists)
   * @param {Array<import('./disks.js').DiskSpec>} [opts.disks]  more disks at boot
   * @param {number} [opts.hotplugSlots]  empty drives for disks attached later (default 4)
   * @param {object} [opts.diskEvents]  { onError, onSyncState, onNote, onProgress } per disk id
   */
  async start(opts = {}) {
    const why = unsupportedReason();
    if (why) throw new Error(why);
    const base = opts.assetBase ?? new URL('assets/', document.baseURI).href;
    const rootOnDisk = (opts.root ?? 'disk') === 'disk';
    const disks = [...(rootOnDisk ? [await rootDiskSpec(base)] : []), ...(opts.disks ?? [])];
    const cmdline = opts.cmdline ?? DEFAULT_CMDLINE;
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
        blk: async () => {
          const w = new Worker(new URL('../devices/blk/worker.js', import.meta.url), { type: 'module' });
          return { endpoint: w, terminate: () => w.terminate() };
        },
      },
      ramMiB: opts.ramMiB,
      cmdline: rootOnDisk ? `${cmdline} ${ROOT_ON_DISK}` : cmdline,
      initrd: !rootOnDisk,
      disks,
      hotplugSlots: opts.hotplugSlots ?? DEFAULT_HOTPLUG_SLOTS,
      openDisk: pageDiskOpener(opts.diskEvents),
      cols: opts.cols,
      rows: opts.rows,
      onProgress: (stage, f) => { if (stage !== 'loading') onProgress(stage, f); },
    });
  },
};
