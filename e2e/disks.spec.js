// Disks in Chromium with real IndexedDB: the root filesystem persists across reloads; disks are
// attached and detached while the guest runs; a reload in the middle of a large write loses
// nothing that was synced; a second tab is told the disk is in use; bad images give a clear
// error.
import { test, expect } from '@playwright/test';

test.describe.configure({ mode: 'serial' });

async function boot(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('./');
  await page.waitForFunction(() => window.tabvm !== undefined || /Error/.test(document.getElementById('status').textContent),
    null, { timeout: 90_000 });
  const status = await page.locator('#status').textContent();
  if (/Error/.test(status)) throw new Error(status);
  await page.evaluate(() => window.tabvm.ready);
  return errors;
}

const sh = (page, cmd) => page.evaluate((c) => window.tabvm.exec(c), cmd);

test('a file written and synced on the root disk is there after a reload', async ({ page }) => {
  const errors = await boot(page);
  let r = await sh(page, 'grep " / " /proc/mounts');
  expect(r.output).toMatch(/^\/dev\/root \/ ext4 rw/);
  r = await sh(page, 'echo kept-$((6*7)) > /root/note && sync && echo synced');
  expect(r).toEqual({ status: 0, output: 'synced\n' });
  await page.reload();
  await boot(page);
  r = await sh(page, 'cat /root/note');
  expect(r).toEqual({ status: 0, output: 'kept-42\n' });
  expect(errors).toEqual([]);
});
