// `tabvm --net`: starts the project's relay (build/native/tabvm-relay) for this run, on a free
// loopback port, as a personal relay (the guest reaches this host's loopback at 10.0.2.2), and
// stops it when the CLI exits. Its log lines go to our stderr only with TABVM_RELAY_LOG=1.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';

/** Starts the relay binary; resolves to { url, stop } once it listens. */
export function startRelay(binary, args = []) {
  if (!existsSync(binary)) {
    return Promise.reject(new Error(`${binary} is missing: run 'make relay' first (or give --net ws://HOST:PORT/)`));
  }
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['--listen', '127.0.0.1:0', ...args], {
      stdio: ['ignore', 'pipe', process.env.TABVM_RELAY_LOG ? 'inherit' : 'ignore'],
    });
    let out = '';
    const stop = () => { if (child.exitCode === null) child.kill('SIGTERM'); };
    process.on('exit', stop);
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the relay exited (status ${code}) before it listened`)));
    child.stdout.on('data', (b) => {
      out += b;
      const m = /listening on (ws:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1], stop, child });
    });
  });
}

/** Parses "52:54:00:12:34:56"; null if malformed. */
export function parseMac(s) {
  const m = /^([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2})$/i.exec(s);
  if (!m) return null;
  const mac = m.slice(1).map((h) => parseInt(h, 16));
  return mac[0] & 1 ? null : mac; // a group address is no card's address
}

/**
 * A locally administered unicast MAC address (first byte's bit 1 set, bit 0 clear): derived from seed when given (the same
 * machine, e.g. the same --disk-state file, keeps its address across runs), else random.
 */
export function randomMac(seed) {
  const mac = Array.from(seed === undefined ? randomBytes(6) : createHash('sha256').update(seed).digest().subarray(0, 6));
  mac[0] = (mac[0] & 0xfc) | 0x02;
  return mac;
}
