// A read-only base image file under a copy-on-write overlay kept in a state file: the CLI's
// persistent root disk (`--disk-state PATH`). The guest's writes go to the state file, the
// base is never written, and deleting the state file gives the pristine image back. Node only.
//
// The state file holds a header (magic, version, chunk size, the base's size and a fingerprint
// of the base), then a bitmap of the chunks it holds, then those chunks at their disk offsets
// (a sparse file: only written chunks take space). A flush makes the chunk data durable
// (fdatasync), then writes the bitmap and syncs again: a chunk counts as present only once its
// data is durable. Writes after the last flush may be lost; what was flushed never is.
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { DISK_OK, DISK_IOERR } from './disk_status.js';
import { readFully, writeFully, writeZeroesWith } from './file_disk.js';

const MAGIC = 'TABVM-OVERLAY\n';
const VERSION = 1;
const CHUNK = 64 << 10; // CoW granularity: a 4 KiB write copies at most 64 KiB of base
const HEADER_BYTES = 4096;
const FINGERPRINT_BYTES = 1 << 20; // the base's first and last MiB, hashed with its size

/** A fingerprint of the base image (size, first and last MiB): a state file made over another
 * image would show the guest a corrupt filesystem, so it is refused instead. */
function fingerprint(fd, size) {
  const h = createHash('sha256').update(String(size));
  const buf = Buffer.alloc(Math.min(FINGERPRINT_BYTES, size));
  for (const at of [0, Math.max(0, size - buf.length)]) {
    fs.readSync(fd, buf, 0, buf.length, at);
    h.update(buf);
  }
  return h.digest('hex');
}

function readHeader(fd) {
  const b = Buffer.alloc(HEADER_BYTES);
  if (fs.readSync(fd, b, 0, HEADER_BYTES, 0) < HEADER_BYTES) return null;
  if (b.subarray(0, MAGIC.length).toString() !== MAGIC) return null;
  const end = b.indexOf(0, MAGIC.length);
  try {
    return JSON.parse(b.subarray(MAGIC.length, end < 0 ? HEADER_BYTES : end).toString());
  } catch {
    return null;
  }
}

/** The unit of desc.baseReads: one byte per this many bytes of the base. */
export const BASE_READ_UNIT = CHUNK;

/**
 * @param {{base: string, state: string, readOnly?: boolean, serial?: string, baseReads?: SharedArrayBuffer}} desc
 *   baseReads: if given, byte i is set to 1 when the guest's requests read base bytes
 *   [i * BASE_READ_UNIT, (i + 1) * BASE_READ_UNIT) (guest/record-boot-reads.js records which
 *   parts of an image a boot reads, for the page to fetch them ahead)
 */
export function openOverlayFileDisk(desc) {
  const baseFd = fs.openSync(desc.base, 'r');
  const baseSize = fs.fstatSync(baseFd).size;
  const size = Math.floor(baseSize / 512) * 512;
  const chunks = Math.ceil(size / CHUNK);
  const bitmapBytes = Math.ceil(chunks / 8);
  const dataStart = HEADER_BYTES + Math.ceil(bitmapBytes / 4096) * 4096;
  const print = fingerprint(baseFd, baseSize);
  const fresh = !fs.existsSync(desc.state);
  const fd = fs.openSync(desc.state, fresh ? 'w+' : 'r+');
  const bitmap = new Uint8Array(bitmapBytes);
  const baseReads = desc.baseReads ? new Uint8Array(desc.baseReads) : null;
  if (fresh) {
    const header = Buffer.alloc(HEADER_BYTES);
    header.write(MAGIC + JSON.stringify({ version: VERSION, chunk: CHUNK, baseSize, base: print }));
    fs.writeSync(fd, header, 0, HEADER_BYTES, 0);
    fs.ftruncateSync(fd, dataStart + size);
    fs.fsyncSync(fd);
  } else {
    const h = readHeader(fd);
    if (!h || h.version !== VERSION || h.chunk !== CHUNK) {
      fs.closeSync(fd);
      fs.closeSync(baseFd);
      throw new Error(`${desc.state}: not a TabVM disk state file (or from another version)`);
    }
    if (h.base !== print || h.baseSize !== baseSize) {
      fs.closeSync(fd);
      fs.closeSync(baseFd);
      throw new Error(`${desc.state}: made over another image than ${desc.base}; delete it to start over from this image`);
    }
    fs.readSync(fd, bitmap, 0, bitmapBytes, HEADER_BYTES);
  }
  let dirtyBitmap = false;
  const has = (c) => (bitmap[c >> 3] >> (c & 7)) & 1;
  const chunkLen = (c) => Math.min(CHUNK, size - c * CHUNK);

  const disk = {
    size,
    readOnly: !!desc.readOnly,
    serial: desc.serial ?? '',
    lastError: '',
    fail(e) {
      disk.lastError = `${desc.state}: ${e.message}`;
      return DISK_IOERR;
    },
    /** Reads [offset, offset + dst.length) from the overlay where it has the chunk, else the base. */
    read(offset, dst) {
      try {
        for (let done = 0; done < dst.length;) {
          const at = offset + done;
          const c = Math.floor(at / CHUNK);
          const n = Math.min(dst.length - done, (c + 1) * CHUNK - at);
          const [f, pos] = has(c) ? [fd, dataStart + at] : [baseFd, at];
          if (baseReads && f === baseFd && c < baseReads.length) baseReads[c] = 1;
          readFully(f, dst.subarray(done, done + n), pos);
          done += n;
        }
        return DISK_OK;
      } catch (e) {
        return disk.fail(e);
      }
    },
    write(offset, src) {
      if (disk.readOnly) return disk.fail(new Error('read-only'));
      try {
        for (let done = 0; done < src.length;) {
          const at = offset + done;
          const c = Math.floor(at / CHUNK);
          const n = Math.min(src.length - done, (c + 1) * CHUNK - at);
          if (!has(c)) copyUp(c, at, n);
          writeFully(fd, src.subarray(done, done + n), dataStart + at);
          done += n;
        }
        return DISK_OK;
      } catch (e) {
        return disk.fail(e);
      }
    },
    flush() {
      if (disk.readOnly) return DISK_OK;
      try {
        fs.fdatasyncSync(fd); // the chunks' data first ...
        if (dirtyBitmap) { // ... then the bitmap that makes them count
          writeFully(fd, bitmap, HEADER_BYTES);
          fs.fdatasyncSync(fd);
          dirtyBitmap = false;
        }
        return DISK_OK;
      } catch (e) {
        return disk.fail(e);
      }
    },
    discard() {
      return disk.readOnly ? disk.fail(new Error('read-only')) : DISK_OK;
    },
    writeZeroes: (offset, length) => writeZeroesWith(disk, offset, length),
    whenReady: () => Promise.resolve(),
    async close() {
      disk.flush();
      fs.closeSync(fd);
      fs.closeSync(baseFd);
    },
  };

  // Before the first write to chunk c, the parts of it the write does not cover come from the
  // base, so the overlay holds the whole chunk.
  function copyUp(c, at, n) {
    const start = c * CHUNK, len = chunkLen(c);
    if (at > start || at + n < start + len) {
      const buf = Buffer.alloc(len);
      readFully(baseFd, buf, start);
      if (baseReads && c < baseReads.length) baseReads[c] = 1;
      writeFully(fd, buf, dataStart + start);
    }
    bitmap[c >> 3] |= 1 << (c & 7);
    dirtyBitmap = true;
  }
  return disk;
}
