// The host end of the command channel (docs/exec-channel.md): frames to and from the guest
// agent over a byte transport (the exec console's rings in a machine, a pipe in the tests),
// one Session per command with its stdin credit, output callbacks and exit.
import * as P from './exec_proto.js';

// Commands the agent runs at once (its MAX_SESSIONS); more wait on the host for a free one.
const MAX_RUNNING = 16;
const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGPIPE: 13, SIGTERM: 15 };

/**
 * @typedef {object} Transport
 * @property {(frame: Uint8Array) => boolean} send  writes the whole frame or nothing
 * @property {() => Promise<void>} writable  resolves when send may succeed again
 */

export class ExecChannel {
  /** @param {Transport} transport  the owner feeds what arrives to receive() */
  constructor(transport) {
    this.t = transport;
    this.sessions = new Map();
    this.nextId = 1;
    this.control = [];   // frames that go before any stdin (open, signal)
    this.running = 0;    // sessions opened in the agent
    this.waiting = [];   // sessions beyond MAX_RUNNING, opened as others end
    this.flushing = false;
    this.rx = new Uint8Array(0);
    this.broken = null;
    this.agent = null;   // { version, name } once the agent said hello
    this.hello = new Promise((resolve) => { this.helloResolve = resolve; });
  }

  /** Starts cmd (run with the agent's shell, `sh -c`); returns its Session. */
  open(cmd) {
    if (this.broken) throw this.broken;
    let id = this.nextId;
    while (this.sessions.has(id)) id = (id % 0xffff) + 1;
    this.nextId = (id % 0xffff) + 1;
    const bytes = new TextEncoder().encode(cmd);
    if (bytes.length > P.TVM_EXEC_MAX_PAYLOAD) throw new Error(`exec: the command is longer than ${P.TVM_EXEC_MAX_PAYLOAD} bytes`);
    const s = new Session(this, id);
    s.cmdBytes = bytes;
    this.sessions.set(id, s);
    this.waiting.push(s);
    this.startWaiting();
    return s;
  }

  /** Opens waiting sessions in the agent while it has room. */
  startWaiting() {
    while (!this.broken && this.running < MAX_RUNNING && this.waiting.length) {
      const s = this.waiting.shift();
      s.opened = true;
      this.running++;
      this.queue(P.TVM_EXEC_OPEN, s.id, s.cmdBytes);
      s.cmdBytes = null;
    }
  }

  queue(type, sid, payload) {
    this.control.push(frame(type, sid, payload));
    this.flush();
  }

  /** Sends queued control frames, then stdin of every session within its credit. */
  flush() {
    // Nothing is sent before the agent said hello: until then nobody reads the channel, and
    // bytes sent to a terminal not yet in raw mode would be echoed back.
    if (this.flushing || !this.agent) return;
    for (;;) {
      while (this.control.length && this.t.send(this.control[0])) this.control.shift();
      if (this.control.length) break;
      let blocked = false, sent = false;
      for (const s of this.sessions.values()) {
        const f = s.nextStdinFrame();
        if (!f) continue;
        if (!this.t.send(f.frame)) { blocked = true; break; }
        s.sentStdin(f);
        sent = true;
      }
      if (blocked) break;
      if (!sent) return;
    }
    this.flushing = true;
    this.t.writable().then(() => { this.flushing = false; this.flush(); });
  }

  /** Bytes from the agent. */
  receive(bytes) {
    if (this.broken || !bytes.length) return;
    let buf = this.rx.length ? concat(this.rx, bytes) : bytes;
    let at = 0;
    while (buf.length - at >= P.TVM_EXEC_HEADER_BYTES) {
      const dv = new DataView(buf.buffer, buf.byteOffset + at);
      const type = dv.getUint8(0), sid = dv.getUint16(2, true), len = dv.getUint32(4, true);
      if (len > P.TVM_EXEC_MAX_PAYLOAD) return this.fail(`a frame of ${len} bytes (type 0x${type.toString(16)})`);
      if (buf.length - at < P.TVM_EXEC_HEADER_BYTES + len) break;
      const payload = buf.subarray(at + P.TVM_EXEC_HEADER_BYTES, at + P.TVM_EXEC_HEADER_BYTES + len);
      at += P.TVM_EXEC_HEADER_BYTES + len;
      this.onFrame(type, sid, payload);
      if (this.broken) return;
    }
    this.rx = buf.slice(at);
  }

  onFrame(type, sid, payload) {
    const u32 = (i) => (payload.length >= 4 * i + 4 ? new DataView(payload.buffer, payload.byteOffset).getUint32(4 * i, true) : 0);
    if (type === P.TVM_EXEC_HELLO) {
      if (u32(0) !== P.TVM_EXEC_VERSION) return this.fail(`the guest agent speaks version ${u32(0)}, not ${P.TVM_EXEC_VERSION}`);
      // A second hello: the agent was started again (it crashed); its commands are gone.
      if (this.agent) for (const s of this.sessions.values()) s.finish(new Error('exec: the guest agent restarted'));
      this.agent = { version: u32(0), name: new TextDecoder().decode(payload.subarray(8)) };
      this.helloResolve(this.agent);
      this.flush();
      return;
    }
    if (type === P.TVM_EXEC_ERROR && sid === 0) {
      return this.fail(`the guest agent reports: ${new TextDecoder().decode(payload)}`);
    }
    const s = this.sessions.get(sid);
    if (!s) return; // (a command the host gave up on)
    switch (type) {
      case P.TVM_EXEC_STARTED: s.pidResolve(u32(0)); break;
      case P.TVM_EXEC_STDOUT: s.output(s.onStdout, payload); break;
      case P.TVM_EXEC_STDERR: s.output(s.onStderr, payload); break;
      case P.TVM_EXEC_STDIN_ACK: s.acked(u32(0)); this.flush(); break;
      case P.TVM_EXEC_EXIT: s.finish(null, { status: u32(0), signal: u32(1) }); break;
      case P.TVM_EXEC_ERROR: s.finish(new Error(`exec: ${new TextDecoder().decode(payload)}`)); break;
      default: this.fail(`unknown frame type 0x${type.toString(16)}`);
    }
  }

  /** The channel cannot be trusted any more: every command fails with the reason. */
  fail(why) {
    this.broken = new Error(`exec channel: ${why}`);
    for (const s of this.sessions.values()) s.finish(this.broken);
  }
}

export class Session {
  constructor(ch, id) {
    this.ch = ch;
    this.id = id;
    this.opened = false;   // OPEN sent (at most MAX_RUNNING at once)
    this.onStdout = null;
    this.onStderr = null;
    this.inQueue = [];     // [{ bytes, resolve }] not yet sent
    this.inEnd = false;    // end() called
    this.inEndSent = false;
    this.credit = P.TVM_EXEC_STDIN_WINDOW;
    this.consumed = 0;     // output taken by the reader, not yet acknowledged to the agent
    this.pid = new Promise((resolve) => { this.pidResolve = resolve; });
    this.pid.catch(() => {});
    /** Resolves to { status, signal } when the command ended; status is 128+N for signal N. */
    this.done = new Promise((resolve, reject) => { this.doneResolve = resolve; this.doneReject = reject; });
    this.done.catch(() => {});
  }

  /** Queues bytes for the command's stdin; resolves once they went into the channel. */
  write(bytes) {
    if (this.inEnd) return Promise.reject(new Error('exec: stdin already ended'));
    if (!bytes.length) return Promise.resolve();
    return new Promise((resolve) => {
      this.inQueue.push({ bytes, resolve });
      this.ch.flush();
    });
  }

  /** Ends the command's stdin (after what was written). */
  end() {
    if (this.inEnd) return;
    this.inEnd = true;
    this.ch.flush();
  }

  /** Sends a signal (a number or a name such as 'SIGINT') to the command's process group. */
  kill(sig = 'SIGTERM') {
    const n = typeof sig === 'number' ? sig : SIGNALS[sig];
    if (!n) throw new Error(`exec: unknown signal ${sig}`);
    if (this.ended) return;
    if (!this.opened) { // never started: it ends as if the signal had killed it
      this.finish(null, { status: 128 + n, signal: n });
      return;
    }
    const p = new Uint8Array(4);
    new DataView(p.buffer).setUint32(0, n, true);
    this.ch.queue(P.TVM_EXEC_SIGNAL, this.id, p);
  }

  nextStdinFrame() {
    if (this.ended || !this.opened) return null;
    if (!this.inQueue.length) {
      return this.inEnd && !this.inEndSent ? { frame: frame(P.TVM_EXEC_STDIN, this.id, new Uint8Array(0)), n: 0, eof: true } : null;
    }
    const n = Math.min(this.inQueue[0].bytes.length, this.credit, P.TVM_EXEC_MAX_PAYLOAD);
    if (n <= 0) return null;
    return { frame: frame(P.TVM_EXEC_STDIN, this.id, this.inQueue[0].bytes.subarray(0, n)), n, eof: false };
  }

  sentStdin(f) {
    if (f.eof) { this.inEndSent = true; return; }
    this.credit -= f.n;
    const head = this.inQueue[0];
    head.bytes = head.bytes.subarray(f.n);
    if (!head.bytes.length) {
      this.inQueue.shift();
      head.resolve();
    }
  }

  /**
   * Hands output to its callback. A callback may return a promise (its reader is full): the
   * bytes are acknowledged once it settles, and past the output window the agent stops reading
   * this command's pipes (the command blocks) until then; other commands go on.
   */
  output(fn, payload) {
    const p = fn?.(payload.slice());
    if (p && typeof p.then === 'function') p.then(() => this.took(payload.length), () => this.took(payload.length));
    else this.took(payload.length);
  }

  took(n) {
    this.consumed += n;
    // Acknowledged in batches (each frame is a round trip through the guest's tty); what is
    // left unacknowledged stays far below the window.
    if (this.ended || this.consumed < P.TVM_EXEC_OUTPUT_WINDOW / 16) return;
    const p = new Uint8Array(4);
    new DataView(p.buffer).setUint32(0, this.consumed, true);
    this.consumed = 0;
    this.ch.queue(P.TVM_EXEC_OUTPUT_ACK, this.id, p);
  }

  acked(n) {
    this.credit = Math.min(P.TVM_EXEC_STDIN_WINDOW, this.credit + n);
  }

  finish(err, result) {
    if (this.ended) return;
    this.ended = true;
    this.ch.sessions.delete(this.id);
    if (this.opened) {
      this.ch.running--;
      this.ch.startWaiting();
    } else {
      const i = this.ch.waiting.indexOf(this);
      if (i >= 0) this.ch.waiting.splice(i, 1);
    }
    for (const q of this.inQueue) q.resolve(); // nobody will read them
    this.inQueue = [];
    if (err) {
      this.pidResolve(0);
      this.doneReject(err);
    } else {
      this.doneResolve(result);
    }
  }
}

/**
 * A ReadableStream of output with back-pressure: push() returns a promise while more than
 * 1 MiB waits unread, which holds back the command's output in the guest (Session.output).
 * A cancelled stream takes everything and drops it.
 */
function readable() {
  let c, wake = null, waiting = null, cancelled = false;
  const stream = new ReadableStream({
    start(controller) { c = controller; },
    pull() { wake?.(); },
    cancel() { cancelled = true; wake?.(); },
  }, new ByteLengthQueuingStrategy({ highWaterMark: 1 << 20 }));
  const push = (b) => {
    if (cancelled) return undefined;
    c.enqueue(b);
    if (c.desiredSize > 0) return undefined;
    waiting ??= new Promise((resolve) => { wake = () => { wake = null; waiting = null; resolve(); }; });
    return waiting;
  };
  const ended = (fn) => { if (!cancelled) fn(); wake?.(); };
  return [stream, { push, close: () => ended(() => c.close()), error: (e) => ended(() => c.error(e)) }];
}

function frame(type, sid, payload) {
  const f = new Uint8Array(P.TVM_EXEC_HEADER_BYTES + payload.length);
  const dv = new DataView(f.buffer);
  dv.setUint8(0, type);
  dv.setUint16(2, sid, true);
  dv.setUint32(4, payload.length, true);
  f.set(payload, P.TVM_EXEC_HEADER_BYTES);
  return f;
}

function concat(a, b) {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * A Session as web streams: { stdin: WritableStream, stdout, stderr: ReadableStream of
 * Uint8Array, pid: Promise<number>, exit: Promise<{status, signal}>, kill(sig) }. Output the
 * caller does not read is buffered; closing stdin ends the command's input.
 */
export function sessionStreams(s) {
  const [stdout, toOut] = readable();
  const [stderr, toErr] = readable();
  s.onStdout = toOut.push;
  s.onStderr = toErr.push;
  s.done.then(() => { toOut.close(); toErr.close(); }, (e) => { toOut.error(e); toErr.error(e); });
  const stdin = new WritableStream({
    write: (chunk) => s.write(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk),
    close: () => s.end(),
    abort: () => s.end(),
  });
  return { stdin, stdout, stderr, pid: s.pid, exit: s.done, kill: (sig) => s.kill(sig) };
}
