// The guest side of the disk benchmark, shared by bench/disk/node.js and bench/disk/browser.js:
// the same dd commands, run through a small adapter over the running machine, parsed the same
// way. Every figure is measured inside the guest (dd's own seconds; busybox `time` for
// real/user/sys) plus the guest instructions the CPU worker retired during the command.

export const MIB = 1 << 20;
export const COUNT = 64;                  // MiB per dd
export const ROOT_FILE = '/bench-disk.dd'; // on the root disk's ext4
export const TMPFS_FILE = '/tmp/bench-disk.dd';
export const PATTERN = '/dev/shm/bench-pattern'; // non-zero source, in a second tmpfs

// busybox dd (this build prints no bytes/seconds line): "64+0 records out"
const DD = /(\d+)\+(\d+) records out/;
// busybox `time`: "real\t0m 1.23s" (and user, sys)
const TIME = (k) => new RegExp(`${k}\\s+(\\d+)m\\s*([\\d.]+)s`);

export function parseTime(out) {
  const r = {};
  for (const k of ['real', 'user', 'sys']) {
    const m = TIME(k).exec(out);
    if (m) r[k] = Number(m[1]) * 60 + Number(m[2]);
  }
  return r;
}

/**
 * @typedef {object} Adapter
 * @property {(cmd: string) => Promise<{status: number, output: string}>} exec
 * @property {() => Promise<number>} instructions  guest instructions retired so far
 * @property {(dev: string) => Promise<object|null>} [storage]  the page's disk handle stats
 * @property {(dev: string) => Promise<void>} [settled]  waits until the disk's writes are durable
 */

async function run(vm, cmd) {
  const i0 = await vm.instructions();
  const t0 = performance.now();
  const { status, output } = await vm.exec(cmd);
  const hostMs = performance.now() - t0;
  const insns = (await vm.instructions()) - i0;
  if (status !== 0) throw new Error(`guest command failed (${status}): ${cmd}\n${output}`);
  return { output, hostMs, insns };
}

/** One dd of bs=1M, timed by busybox `time` (10 ms resolution); MiB/s and the guest's CPU split. */
async function dd(vm, args, { dev } = {}) {
  const s0 = dev && vm.storage ? await vm.storage(dev) : null;
  const { output, hostMs, insns } = await run(vm, `time dd ${args} 2>&1`);
  const m = DD.exec(output);
  if (!m) throw new Error(`no dd summary in: ${output}`);
  if (m[2] !== '0') throw new Error(`dd wrote a partial block: ${output}`);
  const t = parseTime(output);
  const bytes = Number(m[1]) * MIB, sec = t.real;
  const r = { bytes, sec, mibps: bytes / MIB / sec, real: t.real, user: t.user, sys: t.sys, hostMs, insns };
  if (s0) {
    await vm.settled(dev);
    const s1 = await vm.storage(dev);
    r.idbBytes = s1.idbBytesWritten - s0.idbBytesWritten;
    r.idbRead = s1.idbBytesRead - s0.idbBytesRead;
    r.idbTx = s1.syncCount - s0.syncCount;
  }
  return r;
}

const dropCaches = (vm) => run(vm, 'sync; echo 3 > /proc/sys/vm/drop_caches');

/**
 * The whole set once, in a freshly booted guest whose root is ext4 on /dev/vda and with a blank
 * raw disk at `rawDev` (at least COUNT MiB). Returns { '<case>': result }.
 */
export async function measureOnce(vm, { rootDev = '/dev/vda', rawDev }) {
  const res = {};
  // A non-zero source: 1 MiB from urandom repeated (urandom itself is slow in the interpreter;
  // the storage only special-cases all-zero chunks, so repetition changes nothing).
  await run(vm, `dd if=/dev/urandom of=/dev/shm/r1 bs=1M count=1 2>/dev/null && ` +
    `for i in $(seq ${COUNT}); do cat /dev/shm/r1; done > ${PATTERN} && rm /dev/shm/r1`);
  for (const [src, from] of [['zero', '/dev/zero'], ['pattern', PATTERN]]) {
    for (const [where, file, dev] of [['tmpfs', TMPFS_FILE, null], ['ext4', ROOT_FILE, rootDev]]) {
      await run(vm, `rm -f ${file}`);
      await dropCaches(vm);
      res[`${where}.write.${src}`] = await dd(vm, `if=${from} of=${file} bs=1M count=${COUNT} conv=fsync`, { dev });
      await dropCaches(vm);
      res[`${where}.read.${src}`] = await dd(vm, `if=${file} of=/dev/null bs=1M`, { dev });
      await run(vm, `rm -f ${file}; sync`);
    }
    await dropCaches(vm);
    res[`raw.write.${src}`] = await dd(vm, `if=${from} of=${rawDev} bs=1M count=${COUNT} oflag=direct conv=fsync`, { dev: rawDev });
    res[`raw.read.${src}`] = await dd(vm, `if=${rawDev} of=/dev/null bs=1M count=${COUNT} iflag=direct`, { dev: rawDev });
  }
  // Where an ext4 write's time goes: the same write without conv=fsync (the copy into the page
  // cache, block allocation, and whatever writeback the dirty limits force during it), then the
  // `sync` that writes the rest and flushes.
  await run(vm, `rm -f ${ROOT_FILE}`);
  await dropCaches(vm);
  res['ext4.write.nofsync'] = await dd(vm, `if=${PATTERN} of=${ROOT_FILE} bs=1M count=${COUNT}`);
  res['ext4.write.thensync'] = await timedSync(vm, rootDev);
  await run(vm, `rm -f ${ROOT_FILE}; sync`);
  // The cost of a flush as the guest sees it: `sync` after 16 MiB and after 4 KiB left dirty
  // in the page cache, and `sync` with nothing to write.
  for (const [name, n] of [['sync16M', 16 * MIB], ['sync4K', 4096]]) {
    await run(vm, `rm -f /bench-sync; sync`);
    await run(vm, `dd if=${PATTERN} of=/bench-sync bs=${Math.min(n, MIB)} count=${Math.max(1, n / MIB)} 2>/dev/null`);
    res[name] = await timedSync(vm, rootDev);
  }
  res.syncIdle = await timedSync(vm, rootDev);
  await run(vm, `rm -f /bench-sync ${PATTERN}; sync`);
  return res;
}

async function timedSync(vm, dev) {
  if (vm.syncProbe) return vm.syncProbe(dev);
  const { output, hostMs, insns } = await run(vm, 'time sync 2>&1');
  return { ...parseTime(output), hostMs, insns };
}

export const median = (xs) => {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  return v.length % 2 ? v[v.length >> 1] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

/** Medians over runs, per case and field. */
export function summarize(runs) {
  const out = {};
  for (const k of Object.keys(runs[0])) {
    out[k] = {};
    for (const f of Object.keys(runs[0][k])) {
      const m = median(runs.map((r) => r[k][f]));
      if (!Number.isNaN(m)) out[k][f] = m;
    }
  }
  return out;
}

const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '—');

/** The table printed by both benchmarks. */
export function table(title, s, runs) {
  const lines = [`${title}: ${COUNT} MiB sequential, bs=1M, medians of ${runs} runs`, ''];
  const head = '| case | source | MiB/s | vs tmpfs | dd s | guest user+sys s | guest Minsn | Minsn/MiB |' +
    (s['ext4.write.pattern'].idbBytes !== undefined ? ' IDB bytes / guest byte |' : '');
  lines.push(head, head.replace(/[^|]+/g, ' --- '));
  for (const op of ['write', 'read']) {
    for (const src of ['zero', 'pattern']) {
      for (const where of ['tmpfs', 'ext4', 'raw']) {
        const r = s[`${where}.${op}.${src}`];
        const base = s[`tmpfs.${op}.${src}`];
        const label = { tmpfs: `${op} tmpfs file`, ext4: `${op} ext4 file (root disk)`, raw: `${op} raw /dev/vdX, direct` }[where];
        let row = `| ${label} | ${src === 'zero' ? '/dev/zero' : 'pattern'} | ${fmt(r.mibps)} | ` +
          `${where === 'tmpfs' ? '1' : fmt(r.mibps / base.mibps, 2)} | ${fmt(r.sec, 2)} | ${fmt((r.user ?? NaN) + (r.sys ?? NaN), 2)} | ` +
          `${fmt(r.insns / 1e6, 0)} | ${fmt(r.insns / 1e6 / COUNT, 1)} |`;
        if (head.includes('IDB')) row += ` ${op === 'write' && where !== 'tmpfs' ? fmt(r.idbBytes / r.bytes, 3) : '—'} |`;
        lines.push(row);
      }
    }
  }
  lines.push('');
  const nf = s['ext4.write.nofsync'], ts = s['ext4.write.thensync'];
  lines.push(`ext4 pattern write split: dd without fsync ${fmt(nf.real, 2)} s (${fmt(nf.insns / 1e6, 0)} Minsn, ` +
    `guest user+sys ${fmt(nf.user + nf.sys, 2)} s), then \`sync\` ${fmt(ts.real, 2)} s (${fmt(ts.insns / 1e6, 0)} Minsn)`);
  for (const k of ['sync16M', 'sync4K', 'syncIdle']) {
    const r = s[k];
    const what = { sync16M: '`sync` after 16 MiB left dirty', sync4K: '`sync` after 4 KiB left dirty', syncIdle: '`sync` with nothing dirty' }[k];
    let line = `${what}: guest real ${fmt(r.real * 1000, 0)} ms (host round trip ${fmt(r.hostMs, 0)} ms)`;
    if (r.durableLagMs !== undefined) {
      line += `; its flush durable ${fmt(r.flushDurableLagMs, 0)} ms from the host seeing it return` +
        ` (negative = before); ${fmt(r.writesAfterFlush, 0)} writes after that flush: in IndexedDB (relaxed)` +
        ` at ${fmt(r.savedLagMs, 0)} ms, strictly durable at ${fmt(r.durableLagMs, 0)} ms (the guest's next flush);` +
        ` ${fmt(r.idbBytes / MIB, 2)} MiB to IndexedDB in ${fmt(r.idbTx, 0)} transactions`;
    }
    lines.push(line);
  }
  return lines.join('\n');
}
