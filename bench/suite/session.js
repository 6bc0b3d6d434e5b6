// What the suite's systems share: a guest behind a console on a child process's stdin/stdout
// (TabVM's native build, QEMU, v86), parsing run.sh's result line, and the peak memory of a
// process or process tree read from /proc.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

export const PROMPT = 'root@tabvm:~# ';

/** A workload's time limit: far above the slowest system's, so only a wedged guest hits it. */
export const WORKLOAD_TIMEOUT_S = 300;

/** Resolves like promise, or rejects after seconds (calling onTimeout first, e.g. to kill). */
export function withTimeout(promise, seconds, what, onTimeout = () => {}) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => { onTimeout(); reject(new Error(`${what}: no answer after ${seconds} s`)); }, seconds * 1000);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** Parses run.sh's "BENCH-RESULT W T0 T1 STATUS CHECK" line out of text, or null. */
export function parseResult(text, workload) {
  const m = new RegExp(`BENCH-RESULT ${workload} (\\d+) (\\d+) (-?\\d+) (\\S*)`).exec(text);
  if (!m) return null;
  return { seconds: (Number(m[2]) - Number(m[1])) / 1e9, status: Number(m[3]), check: m[4] };
}

/**
 * A field of /proc/PID/status (VmHWM: the peak resident set) or of /proc/PID/smaps_rollup (Pss:
 * resident memory with shared pages split among the processes sharing them) in KiB, or 0 once
 * the process is gone.
 */
export function procKiB(pid, field = 'VmHWM') {
  try {
    const file = field === 'Pss' ? 'smaps_rollup' : 'status';
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

// Clock ticks per second of /proc's CPU times (sysconf(_SC_CLK_TCK): 100 on Linux).
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/**
 * CPU seconds (user + system, every thread) the processes have used so far, from
 * /proc/PID/stat: around a workload, the CPU time the emulator spent on it. Less disturbed than
 * wall time when other jobs share the machine (they take cores away, not the work's CPU time).
 */
export function cpuSeconds(pids) {
  let ticks = 0;
  for (const p of pids) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
    } catch { /* exited */ }
  }
  return ticks / CLK_TCK;
}

/** PIDs of pid's descendants (not pid itself), from /proc's parent links. */
export function descendants(pid) {
  const parent = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch { /* exited meanwhile */ }
  }
  const out = [];
  const walk = (p) => {
    for (const [c, pp] of parent) if (pp === p) { out.push(c); walk(c); }
  };
  walk(pid);
  return out;
}

/**
 * Samples the memory of a process tree every 250 ms, as the sum of its processes' PSS (so the
 * libraries and shared memory they all map count once), and keeps the largest sum: the peak of
 * a multi-process emulator such as Chromium, whose processes each have their own VmHWM at
 * different moments. roots() returns the tree's top PIDs.
 */
export class TreeMemory {
  constructor(roots) {
    this.peakKiB = 0;
    const sample = () => {
      let sum = 0;
      for (const r of roots()) for (const p of [r, ...descendants(r)]) sum += procKiB(p, 'Pss');
      this.peakKiB = Math.max(this.peakKiB, sum);
    };
    this.timer = setInterval(sample, 250);
    this.sample = sample;
  }
  stop() { this.sample(); clearInterval(this.timer); return this.peakKiB; }
}

/**
 * A guest's console on a child process's stdio. The session waits for the shell prompt, then
 * types each workload's `/bench/run.sh W` and waits for its result line; what the guest prints
 * in between (boot messages, seq's 30000 lines) is only scanned, never kept.
 */
export class ConsoleSession {
  /**
   * @param {string} cmd
   * @param {string[]} args
   * @param {{ prompt?: string, bootTimeout?: number, env?: object, countsOnStderr?: boolean }} [o]
   *   countsOnStderr: the emulator reports its own instruction count per workload (v86-guest.js)
   */
  static async start(cmd, args, o = {}) {
    const s = new ConsoleSession(cmd, args, o);
    s.countsOnStderr = !!o.countsOnStderr;
    const t0 = performance.now();
    await s.waitFor(o.prompt ?? PROMPT, (o.bootTimeout ?? 120) * 1000);
    s.bootSeconds = (performance.now() - t0) / 1000;
    return s;
  }

  constructor(cmd, args, o) {
    this.proc = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: o.env ?? process.env });
    this.tail = '';     // the newest output, enough to hold a marker split across chunks
    this.stderr = '';
    this.waiter = null;
    this.exited = new Promise((r) => this.proc.on('exit', (code, sig) => r({ code, sig })));
    this.exited.then(({ code, sig }) => this.waiter?.reject(new Error(`${cmd} exited (${code ?? sig}) ${this.stderr.slice(-500)}`)));
    this.proc.stderr.on('data', (b) => { this.stderr = (this.stderr + b).slice(-4000); });
    this.proc.stdout.on('data', (b) => {
      this.tail = (this.tail + b.toString('latin1')).slice(-8192);
      this.waiter?.check();
    });
    this.proc.stdin.on('error', () => {}); // the emulator may exit while we type
  }

  /** Resolves with the output tail once it contains text (a string or RegExp). */
  waitFor(text, ms) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.waiter = null; reject(new Error(`timeout waiting for ${text}: ...${this.tail.slice(-300)}`)); }, ms);
      const done = (f, v) => { clearTimeout(timer); this.waiter = null; f(v); };
      this.waiter = {
        check: () => {
          const hit = typeof text === 'string' ? this.tail.includes(text) : text.test(this.tail);
          if (hit) done(resolve, this.tail);
        },
        reject: (e) => done(reject, e),
      };
      this.waiter.check();
    });
  }

  /** Runs one workload; resolves to { seconds, status, check } as timed in the guest. */
  async run(workload, timeoutSeconds = WORKLOAD_TIMEOUT_S) {
    this.tail = '';
    const t0 = performance.now(), c0 = cpuSeconds([this.proc.pid]);
    this.proc.stdin.write(`/bench/run.sh ${workload}\n`);
    const re = new RegExp(`BENCH-RESULT ${workload} \\d+ \\d+ -?\\d+ \\S*\\r?\\n`);
    const text = await this.waitFor(re, timeoutSeconds * 1000);
    const r = { ...parseResult(text, workload), hostSeconds: (performance.now() - t0) / 1000,
      cpuSeconds: cpuSeconds([this.proc.pid]) - c0 };
    if (this.countsOnStderr) {
      // v86-guest.js writes its count just after the result line: wait for it (briefly).
      const tag = new RegExp(`V86-INSTRUCTIONS ${workload} (\\d+)\\n`);
      for (let i = 0; i < 50 && !tag.test(this.stderr); i++) await new Promise((res) => setTimeout(res, 20));
      const m = tag.exec(this.stderr);
      if (m) r.foreignInstructions = Number(m[1]);
      this.stderr = '';
    }
    return r;
  }

  peakKiB() { return procKiB(this.proc.pid); }

  async stop() {
    this.proc.kill('SIGKILL');
    await this.exited;
  }
}
