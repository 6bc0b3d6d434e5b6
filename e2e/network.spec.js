// Networking in Chromium, all on this machine's loopback: the page's network card reaches the
// project's relay (started here, named with ?relay=), the guest gets an address by DHCP,
// resolves a name from its hosts file and wgets a file from an HTTP server this test runs,
// checksum verified; the header shows the relay going down and the link coming back by itself
// when it returns; the relay field switches relays.
import { test, expect } from '@playwright/test';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { bootPage, ok } from './guest.js';

const RELAY = new URL('../build/native/tabvm-relay', import.meta.url).pathname;
const BLOB = randomBytes(2 << 20);
const BLOB_SHA = createHash('sha256').update(BLOB).digest('hex');
const WAIT_ADDR = 'for i in $(seq 100); do ip -4 addr show eth0 | grep -q inet && break; sleep 0.1; done';

test.describe.configure({ mode: 'serial' });

function startRelay(listen = '127.0.0.1:0') {
  const child = spawn(RELAY, ['--listen', listen], { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.on('exit', (code) => reject(new Error(`relay exited with ${code}`)));
    child.stdout.on('data', (b) => {
      out += b;
      const m = /listening on (ws:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1], child });
    });
  });
}

let http, port;
test.beforeAll(async () => {
  http = createServer((req, res) => res.writeHead(200, { 'content-length': BLOB.length }).end(BLOB));
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  port = http.address().port;
});
test.afterAll(() => http?.close());

test('the guest gets an address, resolves a name and downloads through the relay; the page shows the relay down and back', async ({ page }) => {
  let relay = await startRelay();
  const relayPort = new URL(relay.url).port;
  try {
    const errors = await bootPage(page, `./?image=tiny&relay=${encodeURIComponent(relay.url)}`);
    const state = page.locator('#network-state');
    await expect(state).toHaveText('Network: up');
    const out = await ok(page, `${WAIT_ADDR}; ip -4 -o addr show eth0 | awk '{print $4}'; echo "10.0.2.2 files.test" >> /etc/hosts; ` +
      `wget -q -O - http://files.test:${port}/blob | sha256sum`);
    expect(out.trim().split('\n')).toEqual(['10.0.2.15/24', `${BLOB_SHA}  -`]);

    // The relay goes away: the header says so, and the guest has no carrier.
    relay.child.kill();
    await expect(state).toContainText('relay unreachable', { timeout: 15_000 });
    expect((await ok(page, 'cat /sys/class/net/eth0/carrier')).trim()).toBe('0');
    // It comes back on the same port: the link reconnects by itself.
    relay = await startRelay(`127.0.0.1:${relayPort}`);
    await expect(state).toHaveText('Network: up', { timeout: 15_000 });
    expect((await ok(page, `cat /sys/class/net/eth0/carrier; wget -q -O - http://files.test:${port}/blob | sha256sum`)).trim().split('\n'))
      .toEqual(['1', `${BLOB_SHA}  -`]);
    const s = await page.evaluate(() => window.tabvm.netStatus());
    expect(s.connects).toBe(2);
    expect(s.device.rxCsumValid).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  } finally {
    relay.child.kill();
  }
});

test('the relay field switches the card to another relay', async ({ page }) => {
  const a = await startRelay(), b = await startRelay();
  try {
    await bootPage(page, `./?image=tiny&relay=${encodeURIComponent(a.url)}`);
    await expect(page.locator('#network-state')).toHaveText('Network: up');
    await page.getByRole('button', { name: 'Relay' }).click();
    const field = page.getByRole('textbox', { name: 'Relay URL' });
    await expect(field).toHaveValue(a.url);
    await field.fill(b.url);
    await field.press('Enter');
    await expect.poll(() => page.evaluate(() => window.tabvm.netStatus().then((s) => `${s.relay} ${s.state}`)))
      .toBe(`${b.url} up`);
    expect((await ok(page, `${WAIT_ADDR}; wget -q -O - http://10.0.2.2:${port}/blob | sha256sum`)).trim()).toBe(`${BLOB_SHA}  -`);
    // Kept for the next visit, as the page's choice.
    expect(await page.evaluate(() => localStorage.getItem('tabvm-relay'))).toBe(b.url);
    await page.evaluate(() => localStorage.removeItem('tabvm-relay'));
  } finally {
    a.child.kill();
    b.child.kill();
  }
});
