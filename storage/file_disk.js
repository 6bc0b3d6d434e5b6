// A raw image file as a disk (the CLI's --disk PATH[:ro]): reads and writes go straight to the
// file with synchronous calls from the blk worker, and a guest flush is an fsync on the host.
// Node only.
import fs from 'node:fs';
import { DISK_OK, DISK_IOERR } from './disk_status.js';

const SECTOR = 512;
const ZERO_PIECE = 1 << 20;

/** Reads buf.length bytes at pos, or throws if the file ends first. */
export function readFully(fd, buf, pos) {
  for (let done = 0; done < buf.length;) {
    const n = fs.readSync(fd, buf, done, buf.length - done, pos + done);
    if (n === 0) throw new Error('the file is shorter than the disk (truncated while attached?)');
    done += n;
  }
}

export function writeFully(fd, buf, pos) {
  for (let done = 0; done < buf.length;) done += fs.writeSync(fd, buf, done, buf.length - done, pos + done);
}

/** Write-zeroes as plain writes of zeros through disk.write, a bounded piece at a time. */
export function writeZeroesWith(disk, offset, length) {
  const zeros = new Uint8Array(Math.min(length, ZERO_PIECE));
  for (let done = 0; done < length; done += zeros.length) {
    const r = disk.write(offset + done, zeros.subarray(0, Math.min(zeros.length, length - done)));
    if (r !== DISK_OK) return r;
  }
  return DISK_OK;
}

/** Checks a --disk file before boot; returns an error message or null. */
export function checkImageFile(path, readOnly) {
  let st;
  try {
    st = fs.statSync(path);
  } catch (e) {
    return e.code === 'ENOENT' ? `${path}: no such file` : `${path}: ${e.message}`;
  }
  if (!st.isFile() && !st.isBlockDevice()) return `${path}: not a regular file`;
  if (st.size === 0) return `${path}: the image is empty (0 bytes)`;
  if (st.size < SECTOR) return `${path}: the image is smaller than one 512-byte sector`;
  try {
    fs.accessSync(path, readOnly ? fs.constants.R_OK : fs.constants.R_OK | fs.constants.W_OK);
  } catch {
    return `${path}: cannot ${readOnly ? 'read' : 'read and write'} the file (permissions)` +
      (readOnly ? '' : `; attach it read-only with ${path}:ro`);
  }
  return null;
}

/** Copies an image file, leaving holes where the source has zeros (root images are sparse). */
export function copySparse(from, to) {
  const src = fs.openSync(from, 'r');
  const dst = fs.openSync(to, 'w');
  try {
    const size = fs.fstatSync(src).size;
    fs.ftruncateSync(dst, size);
    const buf = Buffer.alloc(ZERO_PIECE), zeros = Buffer.alloc(ZERO_PIECE);
    for (let off = 0; off < size; off += buf.length) {
      const n = fs.readSync(src, buf, 0, Math.min(buf.length, size - off), off);
      if (!buf.subarray(0, n).equals(zeros.subarray(0, n))) fs.writeSync(dst, buf, 0, n, off);
    }
  } finally {
    fs.closeSync(src);
    fs.closeSync(dst);
  }
}

/** @param {{path: string, readOnly?: boolean, serial?: string}} desc */
export function openFileDisk(desc) {
  const readOnly = !!desc.readOnly;
  const fd = fs.openSync(desc.path, readOnly ? 'r' : 'r+');
  // A trailing partial sector is not addressable by the guest; it is left as it is.
  const size = Math.floor(fs.fstatSync(fd).size / SECTOR) * SECTOR;
  const disk = {
    size,
    readOnly,
    serial: desc.serial ?? '',
    lastError: '',
    fail(e) {
      disk.lastError = `${desc.path}: ${e.message}`;
      return DISK_IOERR;
    },
    read(offset, dst) {
      try {
        readFully(fd, dst, offset);
        return DISK_OK;
      } catch (e) {
        return disk.fail(e);
      }
    },
    write(offset, src) {
      if (readOnly) return disk.fail(new Error('read-only'));
      try {
        writeFully(fd, src, offset);
        return DISK_OK;
      } catch (e) {
        return disk.fail(e);
      }
    },
    flush() {
      try {
        if (!readOnly) fs.fdatasyncSync(fd);
        return DISK_OK;
      } catch (e) {
        return disk.fail(e);
      }
    },
    // Discarded sectors may read back as anything: leaving them is allowed and keeps the file's
    // bytes where they are. Write-zeroes writes zeros.
    discard(_offset, _length) {
      return readOnly ? disk.fail(new Error('read-only')) : DISK_OK;
    },
    writeZeroes: (offset, length) => writeZeroesWith(disk, offset, length),
    whenReady: () => Promise.resolve(),
    async close() {
      disk.flush();
      fs.closeSync(fd);
    },
  };
  return disk;
}
