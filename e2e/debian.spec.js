// The page's default guest, Debian, in Chromium: its root disk streamed lazily from the served
// image with the guest's writes kept in IndexedDB. python3 runs, a file in the home directory
// and an edited /etc file survive a reload, and the disks panel's reset brings back the pristine
// root. Needs the Debian image (`make image-debian`; `make e2e-tests` builds it).
// Every test gets a fresh browser context, so IndexedDB starts empty each time.
import { test, expect } from '@playwright/test';
import { bootPage, sh, ok } from './guest.js';

test.describe.configure({ mode: 'serial' });

const PAGE = './?image=debian';

const boot = (page) => bootPage(page, PAGE);

test('the page boots Debian by default, streaming its root disk', async ({ page }) => {
  const fetched = [];
  page.on('response', (r) => { if (r.url().includes('/images/') && r.url().endsWith('.ext4')) fetched.push(r); });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('./');
  await page.waitForFunction(() => window.tabvm !== undefined, null, { timeout: 90_000 });
  await page.evaluate(() => window.tabvm.ready);
  expect(await ok(page, '. /etc/os-release; echo $ID; hostname')).toBe('debian\ntabvm\n');
  // Lazily: only ranges of the image, never the whole 2 GiB.
  expect(fetched.length).toBeGreaterThan(0);
  for (const r of fetched) expect(r.status(), r.url()).toBe(206);
  expect(errors).toEqual([]);
});

test('python3 runs, with its standard library', async ({ page }) => {
  await boot(page);
  expect(await ok(page, 'python3 --version')).toMatch(/^Python 3\.\d+\.\d+\n$/);
  expect(await ok(page, "python3 -c 'import json, hashlib; print(json.dumps([6*7, hashlib.sha256(b\"tabvm\").hexdigest()[:8]]))'"))
    .toBe('[42, "d0203494"]\n');
  expect(await ok(page, 'date +%Y')).toBe(`${new Date().getUTCFullYear()}\n`);
});

test('a home file and an edited /etc file survive a reload; reset brings back the pristine root', async ({ page }) => {
  const errors = await boot(page);
  expect(await ok(page, 'echo mine-$((6*7)) > ~/notes.txt && echo "# edited" >> /etc/motd && sync && echo synced')).toBe('synced\n');
  await page.reload();
  await boot(page);
  expect(await ok(page, 'cat ~/notes.txt; tail -1 /etc/motd')).toBe('mine-42\n# edited\n');

  await page.getByRole('button', { name: 'Disks', exact: true }).click();
  const panel = page.locator('#disks-panel');
  await expect(panel).toBeVisible();
  page.once('dialog', (d) => d.accept()); // "every change on it is lost"
  await panel.getByRole('button', { name: 'Reset /dev/vda' }).click();
  await page.waitForEvent('load');
  await boot(page);
  const r = await sh(page, 'ls ~/notes.txt; tail -1 /etc/motd');
  expect(r.output, JSON.stringify(r)).toContain('No such file');
  expect(r.output, JSON.stringify(r)).not.toContain('# edited');
  expect(errors).toEqual([]);
});
