// The disks panel's logic without the DOM: names for new disks, sizes in words, checking an image
// URL before it becomes a disk, saving a disk image as a file, and error messages a person can act
// on. Kept apart from disks_panel.js so the panel file stays about the page.
import { probeUrl, RangeSource } from '../storage/base_source.js';

const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 -> "1.5 KiB". */
export function formatBytes(n) {
  if (!Number.isFinite(n)) return '?';
  let u = 0;
  while (n >= 1024 && u < UNITS.length - 1) {
    n /= 1024;
    u++;
  }
  if (u === 0 && n === 1) return '1 byte';
  return `${u ? n.toFixed(n < 10 && n % 1 ? 1 : 0) : n} ${UNITS[u]}`;
}

/** A size field and its unit ('MiB' or 'GiB') -> bytes, rounded up to whole 512-byte sectors. */
export function parseSize(value, unit) {
  const n = Number(value);
  if (!(n > 0)) throw new Error('the disk size must be a positive number');
  const bytes = Math.ceil((n * (unit === 'GiB' ? 2 ** 30 : 2 ** 20)) / 512) * 512;
  if (bytes > 2 ** 40) throw new Error('a disk can be at most 1 TiB');
  return bytes;
}

/** A disk id from a file name or URL: "My Disk (1).img" -> "My-Disk-1". */
export function idFromName(name) {
  const base = String(name).split(/[/\\]/).pop().replace(/[?#].*$/, '');
  const stem = base.replace(/\.(img|raw|ext[234]|iso|bin|qcow2?)$/i, '');
  return stem.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'disk';
}

/** want, or want-2, want-3... : the first not in taken (a Set of ids). */
export function uniqueId(want, taken) {
  if (!taken.has(want)) return want;
  for (let n = 2; ; n++) if (!taken.has(`${want}-${n}`)) return `${want}-${n}`;
}

/**
 * Reads the start and the end of the image at url before it becomes a disk, so a missing,
 * unreachable or truncated image is reported now, in the page, rather than as I/O errors inside
 * the guest later (the blk worker streams the image and only the console sees its errors).
 * Fewer retries than the disk's own reads: a person is waiting for the answer.
 */
export async function checkImageUrl(url) {
  const retry = { retries: 2, backoffMs: 200, maxBackoffMs: 1000 };
  const probe = await probeUrl(url, { retry });
  if (!probe.ranges) {
    // The server ignores Range: the disk downloads the whole image, which checks its length.
    probe.response.body?.cancel().catch(() => {});
    return { size: probe.size, ranges: false };
  }
  if (!probe.size) throw new Error('the image is empty (0 bytes)');
  const src = new RangeSource({ url, size: probe.size, etag: probe.etag, retry });
  const n = Math.min(4096, probe.size);
  await src.read(0, n);
  if (probe.size > n) await src.read(probe.size - n, n);
  return { size: probe.size, ranges: true };
}

/** An error as a sentence for the page (the storage layer's messages are already plain). */
export function describeError(e, what) {
  const msg = e?.message ?? String(e);
  let text;
  if (e?.name === 'DiskInUseError') text = `${msg}.`;
  else if (e?.name === 'StorageUnavailableError') text = `This browser's storage is unavailable (private browsing or storage turned off?), so disks cannot be saved: ${msg}`;
  else if (e?.name === 'QuotaExceededError' || /quota/i.test(msg)) text = `Out of storage space: ${msg}. Delete or reset stored disks you no longer need.`;
  else if (e instanceof TypeError && /fetch|network/i.test(msg)) text = `the image cannot be reached (network error, or the server does not allow this page to read it): ${msg}`;
  else text = msg;
  return what ? `${what}: ${text}` : text;
}

/** Counts the bytes going through, for progress messages. */
function counted(stream, onBytes) {
  let n = 0;
  return stream.pipeThrough(new TransformStream({
    transform(chunk, ctl) {
      n += chunk.byteLength;
      onBytes(n);
      ctl.enqueue(chunk);
    },
  }));
}

/**
 * Saves a disk image. Where the browser lets a page write a file it chose
 * (showSaveFilePicker), the image streams to disk in bounded memory; elsewhere it is collected
 * into a Blob first and handed to the browser as a download. The picker must be opened while the
 * click's user activation lasts, so it comes before anything else that waits; openStream is
 * called only once there is somewhere to write.
 * @param {() => Promise<ReadableStream<Uint8Array>>|ReadableStream<Uint8Array>} openStream
 * @param {string} fileName
 * @param {(bytes: number) => void} [onBytes]
 * @returns {Promise<boolean>} false if the person cancelled the picker
 */
export async function saveImage(openStream, fileName, onBytes = () => {}) {
  if (typeof globalThis.showSaveFilePicker === 'function') {
    let fh = null;
    try {
      fh = await globalThis.showSaveFilePicker({ suggestedName: fileName, id: 'tabvm-disk-images' });
    } catch (e) {
      if (e.name === 'AbortError') return false;
      // SecurityError: no user activation left (e.g. a file had to be picked first): use a download.
      if (e.name !== 'SecurityError') throw e;
    }
    if (fh) {
      const out = await fh.createWritable();
      try {
        await counted(await openStream(), onBytes).pipeTo(out);
      } catch (e) {
        await out.abort().catch(() => {});
        throw e;
      }
      return true;
    }
  }
  const blob = await new Response(counted(await openStream(), onBytes)).blob();
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), { href: url, download: fileName, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  // The download has taken its copy once click() returned in Chromium; others need a moment.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return true;
}

/** Asks the person for a file (the base a stored disk was made over). Resolves to a File or null. */
export function pickFile(accept = '') {
  return new Promise((resolve) => {
    const input = Object.assign(document.createElement('input'), { type: 'file', accept });
    input.addEventListener('change', () => resolve(input.files[0] ?? null));
    input.addEventListener('cancel', () => resolve(null));
    input.click();
  });
}
