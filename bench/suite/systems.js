// The systems the suite compares (bench/README.md). Each one starts a session on the guest (its
// boot to the prompt is the "boot" figure) that runs a workload and resolves to what run.sh
// measured inside the guest, plus, where the system can count them, the guest instructions.
// Every riscv64 system boots the same kernel (build/guest/Image) and initramfs
// (build/bench/initramfs-riscv64.cpio.gz) with the same command line and 256 MiB of RAM.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { ConsoleSession, TreeMemory, parseResult, procKiB, descendants, cpuSeconds, withTimeout, WORKLOAD_TIMEOUT_S } from './session.js';
import { startPreview, launchChromium } from '../chromium.js';

const root = new URL('../../', import.meta.url).pathname;
const build = `${root}build`;
const KERNEL = `${build}/guest/Image`;
const INITRD = `${build}/bench/initramfs-riscv64.cpio.gz`;
const CMDLINE = 'console=hvc0 earlycon=sbi'; // shared/machine.js DEFAULT_CMDLINE
const missing = (...files) => files.find((f) => !existsSync(f));
const which = (cmd) => { try { return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim(); } catch { return ''; } };

/** The host itself: run.sh under the host build of busybox (same version as the guest's). */
const host = {
  name: 'host', label: 'host (native x86-64)', short: 'host', isa: 'x86-64',
  unavailable: () => missing(`${build}/bench/host/busybox`, `${build}/bench/host/intbench`) && 'make bench-progs',
  async start() {
    const dir = `${build}/bench/host`;
    return {
      bootSeconds: null,
      run: (w) => new Promise((resolve, reject) => {
        // Under script(1), so stdout is a pseudo-terminal: seq's "console" on the host is a
        // tty as in the guests (the fastest console there is: no terminal draws it).
        const p = spawn('/usr/bin/script', ['-qfec', `"${dir}/busybox" sh "${dir}/run.sh" ${w}`, '/dev/null'],
          { env: { PATH: `${dir}/bin`, SHELL: '/bin/sh', BENCH_CONSOLE: '/dev/stdout' }, stdio: ['ignore', 'pipe', 'inherit'] });
        let tail = '';
        p.stdout.on('data', (b) => { tail = (tail + b).slice(-4096); });
        p.on('error', reject);
        p.on('exit', () => resolve(parseResult(tail, w)));
      }),
      peakKiB: () => null,
      stop: async () => {},
    };
  },
};

/** TabVM's interpreter compiled natively (build/native/tabvm-boot): one thread, console on stdio. */
const native = {
  name: 'tabvm-native', label: 'TabVM native build', short: 'TabVM native', isa: 'riscv64',
  unavailable: () => missing(`${build}/native/tabvm-boot`, KERNEL, INITRD) && 'make native bench-progs',
  start: () => ConsoleSession.start(`${build}/native/tabvm-boot`, ['--kernel', KERNEL, '--initrd', INITRD, '--append', CMDLINE]),
};

/** Debian's qemu-system-riscv64, TCG, one hart; the machine guest/boot-ref.sh checks against. */
const qemu = {
  name: 'qemu', label: 'QEMU TCG (qemu-system-riscv64)', short: 'QEMU', isa: 'riscv64',
  unavailable: () => (!which('qemu-system-riscv64') && 'apt-get install qemu-system-misc') || (missing(KERNEL, INITRD) && 'make bench-progs'),
  start: () => ConsoleSession.start('qemu-system-riscv64', [
    '-machine', 'virt', '-smp', '1', '-m', '256M', '-nographic', '-no-reboot',
    // The CPU TabVM models: timer through the SBI, as guest/boot-ref.sh boots it.
    '-cpu', 'rv64,sstc=off,h=off,svpbmt=off,v=off', '-accel', 'tcg',
    '-bios', 'default', '-kernel', KERNEL, '-initrd', INITRD, '-append', CMDLINE,
    '-device', 'virtio-serial-device', '-device', 'virtconsole,chardev=c0', '-chardev', 'stdio,id=c0,signal=off',
    '-serial', 'null', '-monitor', 'none',
  ]),
};

/** TabVM under Node: the CLI's machine in a child process (node-guest.js), command channel. */
const node = {
  name: 'tabvm-node', label: 'TabVM under Node (Wasm)', short: 'Node', isa: 'riscv64',
  unavailable: () => missing(`${build}/wasm/tabvm-cpu.wasm`, KERNEL, INITRD) && 'make wasm bench-progs',
  async start() {
    const t0 = performance.now();
    const proc = spawn(process.execPath, [new URL('node-guest.js', import.meta.url).pathname, INITRD], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: proc.stdout })[Symbol.asyncIterator]();
    const next = async () => {
      const { value, done } = await lines.next();
      if (done) throw new Error('TabVM under Node exited');
      return JSON.parse(value);
    };
    const hello = await withTimeout(next(), 120, 'tabvm-node boot', () => proc.kill('SIGKILL')); // {"ready":true,"jit":...}
    return {
      bootSeconds: (performance.now() - t0) / 1000,
      jit: hello.jit,
      async run(w) {
        const c0 = cpuSeconds([proc.pid]);
        proc.stdin.write(`${w}\n`);
        const r = await withTimeout(next(), WORKLOAD_TIMEOUT_S, `tabvm-node ${w}`, () => proc.kill('SIGKILL'));
        return { ...parseResult(r.output, w), instructions: r.instructions, hostSeconds: r.ms / 1000,
          cpuSeconds: cpuSeconds([proc.pid]) - c0 };
      },
      peakKiB: () => procKiB(proc.pid),
      async stop() {
        const exited = new Promise((r) => proc.on('exit', r));
        proc.stdin.end('quit\n');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000); // a wedged guest
        await exited;
        clearTimeout(timer);
      },
    };
  },
};

/**
 * TabVM in headless Chromium: the built page (`vite preview`), `?image=tiny`, its initramfs
 * request answered with the bench initramfs by Playwright (service workers blocked so every
 * request is seen); workloads through `window.tabvm.exec`, as a page embedding TabVM runs them.
 * jit: the page's `?jit=` (undefined: the default, JIT_DEFAULT in shared/machine.js).
 */
const CHROMIUM_PORT = 4473;
let chrome = null; // { preview, browser, memory } for the whole run: launched once
const chromiumSystem = ({ jit, ...entry }) => ({
  ...entry, isa: 'riscv64',
  unavailable: () => (!which('chromium') && 'apt-get install chromium') || (missing(`${build}/dist/index.html`, INITRD) && 'make page bench-progs'),
  async start() {
    if (!chrome) {
      const preview = await startPreview(CHROMIUM_PORT);
      const browser = await launchChromium();
      // Chromium is a child of this process (Playwright's launch): its whole process tree.
      const kids = () => descendants(process.pid).filter((p) => { try { return /chrom/i.test(readFileSync(`/proc/${p}/comm`, 'utf8')); } catch { return false; } });
      chrome = { preview, browser, kids };
    }
    const initrd = readFileSync(INITRD);
    const memory = new TreeMemory(() => chrome.kids().slice(0, 1));
    const context = await chrome.browser.newContext({ serviceWorkers: 'block' });
    await context.route('**/assets/initramfs.cpio.gz', (route) => route.fulfill({ body: initrd, contentType: 'application/octet-stream' }));
    const page = await context.newPage();
    const t0 = performance.now();
    await page.goto(`${chrome.preview.url}?image=tiny${jit === undefined ? '' : `&jit=${jit ? 'on' : 'off'}`}`);
    await page.waitForFunction(() => window.tabvm !== undefined || /Error/.test(document.getElementById('status')?.textContent ?? ''), null, { timeout: 120_000 });
    await page.evaluate(() => { if (!window.tabvm) throw new Error(document.getElementById('status').textContent); return window.tabvm.ready; });
    const bootSeconds = (performance.now() - t0) / 1000;
    await page.evaluate(() => window.tabvm.exec('true')); // the agent is up
    return {
      bootSeconds,
      jit: await page.evaluate(() => window.tabvm.jit), // 'on', 'off' or 'unsupported: why'
      async run(w) {
        const tree = () => chrome.kids().slice(0, 1).flatMap((p) => [p, ...descendants(p)]);
        const c0 = cpuSeconds(tree());
        const r = await withTimeout(page.evaluate(async (cmd) => {
          const vm = window.tabvm;
          const s0 = await vm.stats();
          const t = performance.now();
          const x = await vm.exec(cmd);
          const ms = performance.now() - t;
          const s1 = await vm.stats();
          return { output: x.output, instructions: Number(s1.instructions - s0.instructions), ms };
        }, `/bench/run.sh ${w}`), WORKLOAD_TIMEOUT_S, `tabvm-chromium ${w}`, () => context.close().catch(() => {}));
        // (the browser's other processes, the GPU and network ones, are counted too: they are
        // part of what the page costs)
        return { ...parseResult(r.output, w), instructions: r.instructions, hostSeconds: r.ms / 1000,
          cpuSeconds: cpuSeconds(tree()) - c0 };
      },
      peakKiB: () => memory.stop(),
      async stop() { memory.stop(); await context.close(); },
    };
  },
});
// The page with the interpreter (the issue-9 figures), and the same page with the JIT (the
// default) on every workload: each report shows what the JIT gains in the same run (report.js,
// "The JIT's gain").
const chromium = chromiumSystem({ name: 'tabvm-chromium', label: 'TabVM in headless Chromium (Wasm)', short: 'Chromium',
  jit: false });
const chromiumJit = chromiumSystem({ name: 'tabvm-chromium-jit', label: 'TabVM Chromium with the JIT',
  short: 'Chromium JIT', jit: true });

/** Closes what the Chromium system keeps across sessions. */
export async function closeShared() {
  if (chrome) {
    await chrome.browser.close();
    chrome.preview.close();
    chrome = null;
  }
}

/**
 * v86 under Node (v86-guest.js): an x86 Linux from Debian's i386 packages with Debian's SeaBIOS,
 * for the workloads that are not ISA-specific; its own kernel build, so its boot is not
 * comparable with the riscv64 guests' (docs/performance.md).
 */
const V86_KERNEL = `${build}/bench/vmlinuz-i386`, V86_INITRD = `${build}/bench/initramfs-i386.cpio.gz`;
const v86 = {
  name: 'v86', label: 'v86 under Node (x86 JIT)', short: 'v86', isa: 'i386', workloads: ['bc', 'forkexec', 'dd', 'seq'],
  unavailable: () => (missing(`${root}node_modules/v86/package.json`) && 'npm ci (devDependency v86)') ||
    (missing('/usr/share/seabios/bios.bin') && 'apt-get install seabios') ||
    (missing(V86_KERNEL, V86_INITRD) && 'make bench-x86'),
  start: () => ConsoleSession.start(process.execPath, [new URL('v86-guest.js', import.meta.url).pathname, V86_KERNEL, V86_INITRD],
    { bootTimeout: 180, countsOnStderr: true }),
};

export const SYSTEMS = [host, native, node, chromium, chromiumJit, qemu, v86];
