// Files in and out of the running guest, without networking: a file goes in as the stdin of
// `cat` run by the guest agent on the command channel, and comes out as the stdout of `cat`
// (docs/file-transfer.md says why this and not a 9p device). Both stream in chunks with the
// channel's own flow control, so neither side holds a whole file twice. No DOM here: the page
// (files_ui.js) shows progress and errors.

const TARGET_KEY = 'tabvm-files-dir';

/** A string as one shell word: 'it'\''s'. */
export function shellQuote(s) {
  return `'${String(s).replace(/'/g, "'\\''")}'`;
}

/** The name a dropped file gets in the guest: its base name, never a path or a dot entry. */
export function guestFileName(name) {
  // eslint-disable-next-line no-control-regex
  const base = String(name).split(/[/\\]/).pop().replace(/[\x00-\x1f]/g, '');
  return base === '' || base === '.' || base === '..' ? 'file' : base;
}

/** dir + '/' + name without a doubled slash. */
export function joinGuestPath(dir, name) {
  return `${dir.replace(/\/+$/, '')}/${name}`;
}

/** Checks a folder typed for the guest: absolute, no NUL. Returns it trimmed, or throws. */
export function checkGuestDir(dir) {
  const d = String(dir ?? '').trim();
  if (!d.startsWith('/')) throw new Error(`"${d}" is not a folder path in the guest: start it with /, for example /root or /tmp`);
  return d.length > 1 ? d.replace(/\/+$/, '') : d;
}

/** The folder files go to: the person's last choice, or null (then see defaultGuestDir). */
export function savedGuestDir() {
  try { return localStorage.getItem(TARGET_KEY); } catch { return null; }
}

export function saveGuestDir(dir) {
  try { localStorage.setItem(TARGET_KEY, dir); } catch { /* not kept: fine */ }
}

/**
 * The first of /root and /tmp that the guest can write to (/root on every image we build; a
 * foreign image may have a read-only one).
 */
export async function defaultGuestDir(vm) {
  const r = await run(vm, 'for d in /root /tmp; do if [ -d "$d" ] && [ -w "$d" ]; then echo "$d"; exit 0; fi; done; echo /tmp');
  return r.stdout.trim() || '/tmp';
}

/** Thrown for a transfer the person cancelled (not shown as an error). */
export class TransferCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'TransferCancelled';
  }
}

/** The session for cmd, or a message that says the image has no agent. */
async function openCommand(vm, cmd) {
  const s = await vm.command(cmd);
  if (!s) throw new Error('this guest does not run the TabVM agent (an image from elsewhere?), so files cannot be copied in or out of it');
  return s;
}

/**
 * Runs a short command on the channel: { status, stdout, stderr }. Not vm.exec, which on a guest
 * without the agent would type the command into the person's terminal.
 */
async function run(vm, cmd) {
  const s = await openCommand(vm, cmd);
  const dec = new TextDecoder();
  let stdout = '';
  s.onStdout = (b) => { stdout += dec.decode(b, { stream: true }); };
  const stderr = stderrText(s);
  s.end();
  const { status } = await s.done;
  return { status, stdout: stdout + dec.decode(), stderr: stderr() };
}

/** Collects a session's stderr as text (the guest's own words for a failure). */
function stderrText(s) {
  const dec = new TextDecoder();
  let text = '';
  s.onStderr = (b) => { text += dec.decode(b, { stream: true }); };
  return () => text.trim();
}

// Upload script: written to a hidden name and renamed once every byte arrived (counted in the
// guest), so a cancelled or failed copy never leaves a truncated file under the real name. A
// file larger than the room left is refused before a byte is sent (df); where df cannot tell
// (busybox's df on the in-RAM guest's rootfs), a full disk stops cat and the part is removed.
const UPLOAD = (dir, dest, part, size) => `set -e
d=${shellQuote(dir)}; f=${shellQuote(dest)}; t=${shellQuote(part)}
if [ -d "$f" ]; then echo "$f is a folder" >&2; exit 20; fi
mkdir -p -- "$d"
set -- $(df -Pk "$d" 2>/dev/null | awk 'NR==2 { print $2, $4 }')
if [ "\${1:-0}" -gt 0 ] && [ "$2" -lt ${Math.ceil(size / 1024) + 16} ]; then echo "$2" >&2; exit 22; fi
trap 'rm -f -- "$t"' EXIT
cat > "$t"
n=$(wc -c < "$t")
if [ "$n" -ne ${size} ]; then echo "only $n of ${size} bytes arrived" >&2; exit 21; fi
mv -f -- "$t" "$f"`;

/**
 * Copies a File (or Blob with a name) into the guest folder dir, under its own name. Progress:
 * onBytes(sent, total); `control` is given a `cancel()` the caller may call.
 * Resolves to the guest path.
 */
export async function uploadFile(vm, file, dir, { onBytes = () => {}, control = {} } = {}) {
  const d = checkGuestDir(dir);
  const name = guestFileName(file.name);
  const dest = joinGuestPath(d, name);
  const s = await openCommand(vm, UPLOAD(d, dest, joinGuestPath(d, `.${name}.tabvm-part`), file.size));
  const err = stderrText(s);
  let cancelled = false;
  // Cancel: the input ends early, the guest counts too few bytes and removes its partial copy.
  control.cancel = () => { cancelled = true; s.end(); };
  const reader = file.stream().getReader();
  let sent = 0;
  onBytes(0, file.size);
  try {
    while (!cancelled && !s.ended) {
      const { done, value } = await reader.read();
      if (done || cancelled || s.ended) break;
      // Resolves once the chunk went into the channel: at most the channel's stdin window
      // (256 KiB) is ahead of the guest, so a large file never sits in memory whole.
      await s.write(value);
      sent += value.length;
      onBytes(sent, file.size);
    }
  } finally {
    reader.cancel().catch(() => {});
    s.end();
  }
  const { status } = await s.done;
  if (cancelled) throw new TransferCancelled();
  if (status !== 0) throw new Error(uploadFailure(status, err(), dest));
  return dest;
}

const formatKiB = (kib) => `${(Number(kib) / 1024).toFixed(1)} MiB`;

function uploadFailure(status, stderr, dest) {
  if (/No space left/i.test(stderr)) return `the guest's disk is full (${dest} was not written): free some space in the guest, or choose another folder such as /tmp`;
  if (/Read-only file system/i.test(stderr)) return `${dest} is on a read-only file system in the guest: choose another folder such as /tmp`;
  if (/Permission denied/i.test(stderr)) return `the guest does not allow writing ${dest}: choose another folder such as /tmp`;
  if (status === 20) return `${dest} is a folder in the guest: rename the file or choose another folder`;
  if (status === 22) {
    return `there is not enough room for it in the guest (${formatKiB(stderr)} free where ${dest} would go): ` +
      'free some space, choose another folder, or attach a blank disk from the disks panel and copy it there';
  }
  return `the guest could not write ${dest} (status ${status}${stderr ? `: ${stderr}` : ''})`;
}

// Download check: exit codes say what is wrong with the path; on success, the size in bytes.
const STAT = (path) => `p=${shellQuote(path)}
[ -e "$p" ] || exit 2
[ -d "$p" ] && exit 3
[ -r "$p" ] || exit 4
if [ -f "$p" ]; then stat -L -c %s -- "$p"; else echo -1; fi`;

const STAT_FAILURE = {
  2: (p) => `there is no file ${p} in the guest: check the path (ls in the terminal shows what is there)`,
  3: (p) => `${p} is a folder: pack it into one file first (for example tar czf /tmp/folder.tgz -C ${p} .) and download that`,
  4: (p) => `the guest does not allow reading ${p}`,
};

/**
 * Checks a guest path for download. Resolves to { path, name, size (-1 when unknown: not a
 * regular file, e.g. under /proc) } or throws a message saying what is wrong with the path.
 */
export async function statGuestFile(vm, path) {
  const p = String(path ?? '').trim();
  if (!p.startsWith('/')) throw new Error(`"${p}" is not a path in the guest: give the full path, for example /root/notes.txt`);
  const st = await run(vm, STAT(p));
  if (st.status !== 0) throw new Error(STAT_FAILURE[st.status]?.(p) ?? `cannot read ${p} in the guest (status ${st.status}: ${st.stderr.trim()})`);
  return { path: p, name: guestFileName(p), size: Number(st.stdout.trim()) };
}

/**
 * Streams a guest file out (`cat` on the command channel) as a ReadableStream, which errors if
 * the command fails or a regular file's byte count differs from `size` (statGuestFile's).
 * Cancelling the stream, or `control.cancel()` (which errors it with TransferCancelled), ends
 * the command.
 */
export async function readGuestFile(vm, { path: p, size }, { control = {} } = {}) {
  const s = await openCommand(vm, `exec cat -- ${shellQuote(p)}`);
  const err = stderrText(s);
  let cancelled = false;
  control.cancel = () => { cancelled = true; s.kill('SIGTERM'); };
  let got = 0, wake = null, closed = false;
  const stream = new ReadableStream({
    start(c) {
      s.onStdout = (b) => {
        if (closed) return undefined; // cancelled: the rest is dropped
        got += b.length;
        c.enqueue(b);
        // Past 1 MiB unread, the agent is told to wait (output credit): bounded memory.
        return c.desiredSize > 0 ? undefined : new Promise((r) => { wake = r; });
      };
      s.done.then(({ status }) => {
        if (closed) return;
        closed = true;
        if (cancelled) c.error(new TransferCancelled());
        else if (status !== 0) c.error(new Error(`the guest could not read ${p} (status ${status}${err() ? `: ${err()}` : ''})`));
        // A regular file's size (0 for many /proc files, which are still read) must match.
        else if (size > 0 && got !== size) c.error(new Error(`${p} changed while it was downloading (${size} bytes before, ${got} read): try again`));
        else c.close();
      }, (e) => { if (!closed) { closed = true; c.error(e); } });
    },
    pull() { wake?.(); wake = null; },
    cancel() { closed = true; wake?.(); s.kill('SIGTERM'); },
  }, new ByteLengthQueuingStrategy({ highWaterMark: 1 << 20 }));
  s.end();
  return stream;
}
