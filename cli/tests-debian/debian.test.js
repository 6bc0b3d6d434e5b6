// The Debian guest under the CLI (`npx tabvm --image debian`): python3 with its standard
// library, the dpkg database, the clock, and a root disk whose changes persist in --disk-state.
// Needs the Debian image; `make debian-tests` (part of `make test`) builds it and runs these.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'tabvm-debian-test-'));

function tabvm(args) {
  const r = spawnSync('node', [join(root, 'cli/tabvm.js'), '--image', 'debian', ...args], { cwd: root, encoding: 'utf8', timeout: 300000 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

test('python3 runs with its standard library', () => {
  const r = tabvm(['--exec', "python3 -c 'import json, sqlite3, hashlib; " +
    "c = sqlite3.connect(\":memory:\"); c.execute(\"create table t(x)\"); c.execute(\"insert into t values (6*7)\"); " +
    "print(json.dumps([c.execute(\"select x from t\").fetchone()[0], hashlib.sha256(b\"tabvm\").hexdigest()[:8]]))'"]);
  assert.equal(r.status, 0, r.err + r.out);
  assert.equal(r.out, '[42, "d0203494"]\n');
});

test('a Debian system: os-release, hostname, dpkg database, the clock', () => {
  const r = tabvm(['--exec', '. /etc/os-release; echo $ID; hostname; dpkg -l | grep -c ^ii; date +%Y']);
  assert.equal(r.status, 0, r.err);
  const [id, host, packages, year] = r.out.trim().split('\n');
  assert.equal(id, 'debian');
  assert.equal(host, 'tabvm');
  assert.ok(Number(packages) >= 100, `${packages} packages`);
  assert.equal(Number(year), new Date().getUTCFullYear());
});

test('a home file, an edited /etc file and an installed package persist in --disk-state', () => {
  const state = join(tmp, 'debian.state');
  let r = tabvm(['--disk-state', state, '--exec',
    'echo mine > /root/notes.txt && echo "# edited" >> /etc/motd && ' +
    'mkdir -p /tmp/pkg/DEBIAN /tmp/pkg/usr/bin && printf "Package: tabvm-hello\\nVersion: 1.0\\nArchitecture: all\\nMaintainer: t <t@t>\\nDescription: test\\n" > /tmp/pkg/DEBIAN/control && ' +
    // (No "#!" here: interactive bash would take "!" for history expansion; the exec channel
    // of a later issue avoids the interactive shell.)
    'echo hello-from-deb > /tmp/pkg/usr/bin/tabvm-hello.txt && ' +
    'dpkg-deb -b /tmp/pkg /tmp/hello.deb >/dev/null && dpkg -i /tmp/hello.deb >/dev/null && echo done']);
  assert.equal(r.status, 0, r.err + r.out);
  r = tabvm(['--disk-state', state, '--exec', 'cat /root/notes.txt; tail -1 /etc/motd; cat /usr/bin/tabvm-hello.txt; dpkg -L tabvm-hello | grep -c tabvm-hello.txt; dpkg -l tabvm-hello | grep -c ^ii']);
  assert.equal(r.status, 0, r.err + r.out);
  assert.equal(r.out, 'mine\n# edited\nhello-from-deb\n1\n1\n');
});
