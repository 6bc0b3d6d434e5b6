// The page's embedding API:
//   const vm = await TabVM.start({ ramMiB, cmdline, cols, rows, onProgress, assetBase, image, disks, jit });
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
  'rng.wasm': 'tabvm-virtio-rng.wasm',
  'net.wasm': 'tabvm-virtio-net.wasm',
  kernel: 'Image',
  initrd: 'initramfs.cpio.gz',
};
// The root filesystem on a disk (guest/README.md); its image is named in images.json.
const ROOT_ON_DISK = 'root=/dev/vda rw';
const DEFAULT_HOTPLUG_SLOTS = 4;

/** The root filesystem images the server has (images.json, written by scripts/stage-images.sh). */
export async function listImages(base = defaultImageBase()) {
  const res = await fetch(new URL('images.json', base));
  if (!res.ok) throw new Error(`cannot load the image list (images.json): HTTP ${res.status}`);
  return (await res.json()).images ?? {};
}

/** Where the root filesystem images are served (see vite.config.js). */
export function defaultImageBase() {
  return new URL('images/', document.baseURI).href;
}

/** The image a machine boots when none is asked for: Debian where it was built. */
export const DEFAULT_IMAGES = ['debian', 'tiny-disk'];

/**
 * The root disk's spec: streamed from the built image, its writes kept under an id that names
 * the image and its contents, so a new image never runs under an overlay made for an older one
 * (the older disk stays in storage until the person deletes it).
 */
function rootDiskSpec(name, image, base) {
  // bootReads: what a boot reads (scripts/record-boot-reads.js), fetched ahead in parallel.
  return { id: `${name}-${image.sha256.slice(0, 12)}`, url: new URL(image.file, base).href, lazy: true, prefetch: image.bootReads };
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
   * @param {string} [opts.image]  'debian' or 'tiny-disk' (a root filesystem on a persistent
   *   disk), or 'tiny' (busybox in RAM: nothing persists); default: Debian if it was built
   * @param {Array<import('./disks.js').DiskSpec>} [opts.disks]  more disks at boot
   * @param {number} [opts.hotplugSlots]  empty drives for disks attached later (default 4)
   * @param {object} [opts.diskEvents]  { onError, onSyncState, onNote, onProgress } per disk id
   * @param {{relay: string|null, mac: number[]}} [opts.net]  a network card through the relay at
   *   that WebSocket URL (see ui/network.js); vm.setRelay(url) changes it later
   * @param {boolean} [opts.jit]  compile hot guest code to WebAssembly (default on: JIT_DEFAULT in
   *   shared/machine.js); false runs the interpreter only. vm.jit is 'on', 'off' or
   *   'unsupported: why' (this browser cannot run the JIT's code: the interpreter runs)
   */
  async start(opts = {}) {
    const why = unsupportedReason();
    if (why) throw new Error(why);
    const base = opts.assetBase ?? new URL('assets/', document.baseURI).href;
    let rootSpec = null;
    if (opts.image !== 'tiny') {
      const imageBase = opts.imageBase ?? defaultImageBase();
      const images = await listImages(imageBase);
      const name = opts.image ?? DEFAULT_IMAGES.find((n) => images[n]);
      if (!images[name]) throw new Error(`no image '${name}' on this server (it has: tiny, ${Object.keys(images).join(', ')})`);
      rootSpec = rootDiskSpec(name, images[name], imageBase);
    }
    const rootOnDisk = rootSpec !== null;
    const disks = [...(rootOnDisk ? [rootSpec] : []), ...(opts.disks ?? [])];
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
        rng: async () => {
          const w = new Worker(new URL('../devices/rng/worker.js', import.meta.url), { type: 'module' });
          return { endpoint: w, terminate: () => w.terminate() };
        },
        net: async () => {
          const w = new Worker(new URL('../devices/net/worker.js', import.meta.url), { type: 'module' });
          return { endpoint: w, terminate: () => w.terminate() };
        },
        netLink: async () => {
          const w = new Worker(new URL('../net/link_worker.js', import.meta.url), { type: 'module' });
          return { endpoint: w, terminate: () => w.terminate() };
        },
      },
      net: opts.net,
      jit: opts.jit,
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
