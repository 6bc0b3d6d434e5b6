// The virtio-blk worker: one per disk slot. Runs the block device's Wasm module, which checks
// every request, and moves data directly between guest RAM and the disk object (storage/:
// a raw file under Node, the chunked IndexedDB-backed store in the page). A slot may be empty
// (capacity 0, every request an I/O error); media are attached and detached while the guest
// runs. Control (start, attach, detach, stats, close) arrives through Comlink.
import * as Comlink from 'comlink';
import { instantiateModule } from '../../shared/wasm_module.js';
import { workerEndpoint } from '../../shared/threads.js';
import { GuestRam, RAM_BASE, vdevImports } from '../../shared/guest_ram.js';
import * as L from '../../shared/layout.js';
import { openDisk } from '../../storage/open_disk.js';

const DISK_IOERR = 1;
const SERIAL_BYTES = 20;
// How long a detach waits for a request the backend is still working on before failing it.
const DETACH_GRACE_MS = 10_000;
const STAT_NAMES = ['reads', 'writes', 'flushes', 'discards', 'errors', 'unsupported', 'readBytes', 'writeBytes', 'batches'];

let dev, devMemory, block, machine, ram, name = 'virtio-blk';
let disk = null;        // the medium's disk object, or null for an empty drive
let mediaChange = null; // { disk, resolve, reject, deadline } queued for the serve loop
let logged = 0;
let serving = false;

function log(msg) {
  if (logged++ < 8) console.error(`tabvm: ${name}: ${msg}`);
}

function info() {
  return disk ? { present: true, size: disk.size, readOnly: disk.readOnly, serial: disk.serial } : { present: false };
}

// Writes the medium's serial into the module and returns its size in sectors.
function loadMedia(d) {
  const serial = new Uint8Array(devMemory.buffer, dev.blk_serial_buf(), SERIAL_BYTES);
  serial.fill(0);
  if (d) serial.set(new TextEncoder().encode(d.serial ?? '').subarray(0, SERIAL_BYTES));
  const sectors = d ? Math.floor(d.size / 512) : 0;
  return [sectors >>> 0, Math.floor(sectors / 2 ** 32), d?.readOnly ? 1 : 0];
}

const imports = () => ({
  disk_read: (off, gpa, len) => {
    if (!disk) return DISK_IOERR;
    const r = disk.read(off, ram.view(gpa, len));
    ram.noteWritten(gpa, len); // even a partial or retried read may have changed the pages
    if (r === DISK_IOERR) log(disk.lastError || 'read failed');
    return r;
  },
  disk_write: (off, gpa, len) => {
    if (!disk) return DISK_IOERR;
    const r = disk.write(off, ram.view(gpa, len));
    if (r === DISK_IOERR) log(disk.lastError || 'write failed');
    return r;
  },
  disk_flush: () => {
    if (!disk) return DISK_IOERR;
    const r = disk.flush();
    if (r === DISK_IOERR) log(disk.lastError || 'flush failed');
    return r;
  },
  disk_discard: (off, len, zeroes) => {
    if (!disk) return DISK_IOERR;
    const r = zeroes ? disk.writeZeroes(off, len) : disk.discard(off, len);
    if (r === DISK_IOERR) log(disk.lastError || 'discard failed');
    return r;
  },
});

const api = {
  /**
   * Starts the device with a medium (a disk description for storage/) or empty. Opening the
   * disk fails here, before boot, with the backend's message.
   */
  async start({ wasmBytes, memory, ramPtr, ramMiB, blockPtr, machinePtr, dmaBitmapPtr, disk: desc, roFeature, label }) {
    const sab = memory.buffer;
    name = label ?? name;
    block = new Int32Array(sab, blockPtr, L.TVM_V_WORDS);
    machine = new Int32Array(sab, machinePtr, L.TVM_M_WORDS);
    ram = new GuestRam(sab, { ramPtr, ramMiB, machinePtr, dmaBitmapPtr }, name);
    ({ exports: dev, memory: devMemory } = await instantiateModule(wasmBytes, {
      initialBytes: 16 << 20, // the module's INITIAL_MEMORY
      maximumBytes: 64 << 20,
      imports: { ...vdevImports(ram, block, () => devMemory, log), ...imports() },
    }));
    disk = desc ? await openDisk(desc) : null;
    const [lo, hi, ro] = loadMedia(disk);
    dev.blk_init(RAM_BASE, 0, ramMiB, lo, hi, ro, roFeature ? 1 : 0);
    serving = true;
    serve();
    return info();
  },

  /** Inserts a medium into this (empty) drive; the guest sees its capacity change. */
  async attach(desc) {
    if (disk || mediaChange) throw new Error(`${name} already holds a disk`);
    const d = await openDisk(desc);
    await changeMedia(d);
    return info();
  },

  /**
   * Removes the medium: waits for a request still in progress, makes every write durable,
   * then the guest sees capacity 0 and I/O errors (never a hang).
   */
  async detach() {
    if (!disk) return info();
    await changeMedia(null);
    return info();
  },

  stats() {
    const s = Object.fromEntries(STAT_NAMES.map((n, i) => [n, dev ? dev.blk_stat(i) : 0]));
    // ioError: why the disk last failed a request (a truncated image, an unreachable URL).
    return { ...s, ...info(), ioError: disk?.lastError ?? '' };
  },

  /** Flushes and releases the medium (the machine is stopping). */
  async close() {
    serving = false;
    const d = disk;
    disk = null;
    if (d) await d.close();
  },
};

function changeMedia(newDisk) {
  return new Promise((resolve, reject) => {
    mediaChange = { disk: newDisk, resolve, reject, deadline: Date.now() + DETACH_GRACE_MS };
    Atomics.add(block, L.TVM_V_WAKE, 1);
    Atomics.notify(block, L.TVM_V_WAKE);
  });
}

async function applyMediaChange() {
  const c = mediaChange;
  mediaChange = null;
  const old = disk;
  try {
    if (old && c.disk) throw new Error('the drive is not empty');
    disk = c.disk;
    const [lo, hi, ro] = loadMedia(disk);
    dev.blk_set_media(lo, hi, ro);
    if (old) await old.close();
    c.resolve();
  } catch (e) {
    c.reject(e);
  }
}

// Polls the device whenever the transport (or a control call) bumps the wake word. The wait is
// asynchronous, unlike the console's: a backend may need this worker's event loop (IndexedDB,
// fetch) while a request waits, and control calls arrive at any time.
async function serve() {
  while (serving) {
    const seen = Atomics.load(block, L.TVM_V_WAKE);
    let pending;
    try {
      pending = dev.blk_poll();
    } catch (e) {
      log(`stopped: ${e.message}`);
      Atomics.store(machine, L.TVM_M_STATE, L.TVM_STATE_FAILED);
      Atomics.notify(machine, L.TVM_M_STATE);
      return;
    }
    if (mediaChange && (!pending || Date.now() > mediaChange.deadline)) {
      await applyMediaChange();
      continue;
    }
    if (Atomics.load(machine, L.TVM_M_STATE) >= L.TVM_STATE_OFF && !mediaChange) break;
    const wake = Atomics.waitAsync(block, L.TVM_V_WAKE, seen, pending ? 50 : 1000);
    const waits = [];
    if (wake.async) waits.push(wake.value);
    if (pending && disk) waits.push(disk.whenReady());
    if (waits.length) await Promise.race(waits);
  }
}

Comlink.expose(api, await workerEndpoint());
