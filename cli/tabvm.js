#!/usr/bin/env node
// The headless TabVM command line: `npx tabvm [options]`. Flags are described in usage() and
// in cli/README.md; unknown flags are an error.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runElf, EXIT } from './elf_runner.js';
import { assetPaths, missingAsset, runExec, runInteractive } from './boot.js';
import { checkImageFile } from '../storage/file_disk.js';
import { MAX_RAM_MIB, MIN_RAM_MIB, JIT_DEFAULT } from '../shared/machine.js';
import { startRelay, parseMac, randomMac } from './relay.js';

// Guests whose root filesystem is on /dev/vda, and their images under build/guest/.
const ROOT_IMAGES = { 'tiny-disk': 'rootfs.ext4', debian: 'debian.ext4' };

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// TABVM_BUILD points at another build tree (tests use it to check missing-image errors).
const build = process.env.TABVM_BUILD ?? join(root, 'build');

function usage() {
  return `usage: tabvm [options]
  (no options)       boot the default Linux guest in this terminal (Ctrl-A x quits)
  --exec "CMD"       boot, run CMD in the guest (sh -c, through the guest agent): our stdin
                     is its stdin, its stdout and stderr are ours, byte for byte, Ctrl-C
                     interrupts it; exit with its status (128+N if signal N ended it).
                     Repeatable: the commands run in order in one boot, up to the first
                     that fails
  -i                 with --exec: pass stdin to the command even when it is a terminal
  --mem MiB          guest RAM size, ${MIN_RAM_MIB} to ${MAX_RAM_MIB} (default 256; 64 for --elf, from 1)
  --image NAME       the guest: 'tiny' (default) busybox in RAM, nothing persists;
                     'tiny-disk' busybox with its root filesystem on /dev/vda (ext4);
                     'debian' Debian with its root filesystem on /dev/vda (make image-debian)
  --disk-state PATH  keep the root disk's changes in PATH (created on first use) so they
                     persist across runs; without it they are dropped at exit. Delete PATH
                     to start over from the pristine image
  --disk PATH[:ro]   attach a raw disk image (repeatable: after the root disk, if any,
                     /dev/vda, /dev/vdb, ...); writes go to the file, a guest flush is an
                     fsync; ':ro' attaches it read-only
  --net [ws://...]   a network card (eth0; the guest configures it by DHCP): alone, starts
                     the project's relay for this run (build/native/tabvm-relay, on
                     loopback; the guest reaches this host's loopback at 10.0.2.2); with a
                     URL, uses that relay (one raw Ethernet frame per WebSocket message)
  --mac XX:XX:XX:XX:XX:XX  the card's MAC address (default: a local one, random, or the same
                     for the same --disk-state file)
  --jit on|off       compile hot guest code to WebAssembly, or run the interpreter only
                     (default ${JIT_DEFAULT ? 'on' : 'off'}; where Node cannot run the JIT's
                     code the interpreter runs, and --stats says why)
  --stats            at exit, print to stderr the guest instructions retired and what the JIT
                     did: compiles, live regions, code size, its share of the instructions,
                     exits from compiled code
  --timeout SECONDS  give up after this long (default 60 for --elf, 300 for --exec)
  --elf FILE.elf     run a bare-metal RISC-V test program (HTIF tohost) on the Wasm core
  --quiet            print nothing on success
  -h, --help         this text
exit status: with --exec, CMD's status (2 bad usage or missing image, 3 timeout);
with --elf, 0 pass, 1 fail, 2 bad input, 3 timeout
`;
}

function fail(msg) {
  process.stderr.write(`tabvm: ${msg}\n${usage()}`);
  process.exit(EXIT.BAD_INPUT);
}

function parseArgs(argv) {
  const opts = { timeoutSeconds: undefined, memMiB: undefined, quiet: false, elf: undefined, exec: [],
    interactive: false, disks: [], image: 'tiny', diskState: undefined, net: undefined, mac: undefined,
    jit: undefined, stats: false };
  const value = (i, flag) => {
    if (i + 1 >= argv.length) fail(`${flag} needs a value`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '--elf': opts.elf = value(i, a); i++; break;
      case '--exec': opts.exec.push(value(i, a)); i++; break;
      case '-i': opts.interactive = true; break;
      case '--timeout': {
        const t = Number(value(i, a)); i++;
        if (!(t > 0)) fail('--timeout needs a positive number of seconds');
        opts.timeoutSeconds = t;
        break;
      }
      case '--mem': {
        const m = Number(value(i, a)); i++;
        if (!Number.isInteger(m) || m < 1) fail('--mem needs a whole number of MiB');
        // Refused up front: a larger machine cannot be allocated (shared/machine.js, MAX_RAM_MIB).
        if (m > MAX_RAM_MIB) fail(`--mem ${m}: at most ${MAX_RAM_MIB} MiB (guest RAM is one allocation in a 32-bit Wasm heap)`);
        opts.memMiB = m;
        break;
      }
      case '--disk': {
        const v = value(i, a); i++;
        const ro = v.endsWith(':ro');
        const path = ro ? v.slice(0, -3) : v;
        if (!path) fail('--disk needs a file name');
        opts.disks.push({ kind: 'file', path, readOnly: ro, serial: `tabvm-disk-${opts.disks.length}` });
        break;
      }
      case '--image': {
        opts.image = value(i, a); i++;
        if (!(opts.image in ROOT_IMAGES) && opts.image !== 'tiny') {
          fail(`--image must be one of tiny, ${Object.keys(ROOT_IMAGES).join(', ')}; not '${opts.image}'`);
        }
        break;
      }
      case '--disk-state': opts.diskState = value(i, a); i++; break;
      case '--net':
        // An optional URL: the next argument when it is one.
        if (i + 1 < argv.length && /^wss?:\/\//.test(argv[i + 1])) { opts.net = argv[i + 1]; i++; } else opts.net = 'start';
        break;
      case '--mac': {
        opts.mac = parseMac(value(i, a)); i++;
        if (!opts.mac) fail('--mac needs a unicast address like 52:54:00:12:34:56');
        break;
      }
      case '--jit': {
        const v = value(i, a); i++;
        if (v !== 'on' && v !== 'off') fail(`--jit takes on or off, not '${v}'`);
        opts.jit = v === 'on';
        break;
      }
      case '--stats': opts.stats = true; break;
      case '--quiet': opts.quiet = true; break;
      case '-h': case '--help': process.stdout.write(usage()); process.exit(0); break;
      default:
        if (opts.elf && !a.startsWith('-')) fail(`unexpected argument '${a}'`);
        fail(a.startsWith('-') ? `unknown flag '${a}'` : `unexpected argument '${a}'`);
    }
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
if (opts.elf) {
  // The ELF runner's hart is the interpreter's; the JIT and its counters are the Linux machine's.
  if (opts.jit !== undefined || opts.stats) fail('--jit and --stats are for the Linux guest, not --elf');
  const wasmPath = join(build, 'wasm', 'tabvm-cpu.wasm');
  if (!existsSync(wasmPath)) fail(`${wasmPath} is missing: run 'make wasm' first`);
  const code = await runElf({ path: opts.elf, timeoutSeconds: opts.timeoutSeconds ?? 60,
    memMiB: opts.memMiB ?? 64, quiet: opts.quiet, wasmPath });
  process.exit(code);
}
const paths = assetPaths(build);
const rootOnDisk = opts.image in ROOT_IMAGES;
if (opts.diskState !== undefined && !rootOnDisk) fail('--disk-state needs an image with a root disk (--image tiny-disk or debian)');
if (rootOnDisk) delete paths.initrd;
if (!opts.disks.length && !rootOnDisk) delete paths['blk.wasm'];
if (opts.mac && !opts.net) fail('--mac needs --net');
if (!opts.net) delete paths['net.wasm'];
const missing = missingAsset(paths);
if (missing) fail(missing);
const memMiB = opts.memMiB ?? 256;
if (memMiB < MIN_RAM_MIB) fail(`--mem: the Linux guest needs at least ${MIN_RAM_MIB} MiB`);
for (const d of opts.disks) {
  const why = checkImageFile(d.path, d.readOnly);
  if (why) fail(`--disk ${why}`);
}
if (rootOnDisk) {
  // The root disk: the built image, never written, under a copy-on-write state file.
  const image = join(build, 'guest', ROOT_IMAGES[opts.image]);
  if (!existsSync(image)) fail(`${image} is missing: run 'make ${opts.image === 'debian' ? 'image-debian' : 'image'}' first`);
  let state = opts.diskState;
  if (state === undefined) {
    const scratch = mkdtempSync(join(tmpdir(), 'tabvm-'));
    state = join(scratch, 'root.state');
    process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
  }
  opts.disks.unshift({ kind: 'overlay-file', base: image, state, serial: 'tabvm-root' });
}
try {
  let net = null;
  if (opts.net) {
    const relay = opts.net === 'start' ? (await startRelay(join(build, 'native', 'tabvm-relay'))).url : opts.net;
    // The machine whose root disk persists in --disk-state keeps its address too.
    net = { relay, mac: opts.mac ?? randomMac(opts.diskState === undefined ? undefined : `tabvm-mac:${resolve(opts.diskState)}`) };
  }
  const machine = { memMiB, disks: opts.disks, rootOnDisk, net, jit: opts.jit ?? JIT_DEFAULT, stats: opts.stats };
  if (opts.exec.length) {
    process.exit(await runExec(paths, { ...machine, timeoutSeconds: opts.timeoutSeconds ?? 300, cmds: opts.exec,
      interactive: opts.interactive }));
  }
  await runInteractive(paths, machine);
} catch (e) {
  // A kernel or initrd that cannot boot, or guest RAM that cannot be had.
  process.stderr.write(`tabvm: ${e.message}\n`);
  process.exit(EXIT.BAD_INPUT);
}
