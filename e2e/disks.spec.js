// Disks in Chromium with real IndexedDB: the root filesystem persists across reloads; disks are
// attached and detached while the guest runs; a reload in the middle of a large write loses
// nothing that was synced; a second tab is told the disk is in use; bad images give a clear
// error; the disks panel downloads an attached disk and deletes a stored one.
// Every test gets a fresh browser context, so IndexedDB starts empty each time.
import { test, expect } from '@playwright/test';
import { bootPage, sh, ok } from './guest.js';

// The busybox guest on a root disk: small and quick, whatever the page's default image is.
const PAGE = './?image=tiny-disk';
import { readFile } from 'node:fs/promises';

test.describe.configure({ mode: 'serial' });

const boot = (page) => bootPage(page, PAGE);
// The guest sees an attach or detach as a capacity change of the drive (in 512-byte sectors).
const sectors = (page, device) => expect.poll(async () => (await sh(page, `cat /sys/block/${device.slice(5)}/size`)).output.trim(),
  { timeout: 20_000 });
// Kernel messages (mount notices) go to the console, which exec reads: keep them out of it.
const quietKernel = (page) => ok(page, 'dmesg -n 1');
const driveOf = (page, id) => page.evaluate(async (i) => (await window.tabvm.disks()).find((d) => d.present && d.id === i)?.device, id);

async function openPanel(page) {
  await page.getByRole('button', { name: 'Disks', exact: true }).click();
  const panel = page.locator('#disks-panel');
  await expect(panel).toBeVisible();
  return panel;
}

test('a file written and synced on the root disk is there after a reload', async ({ page }) => {
  const errors = await boot(page);
  let r = await sh(page, 'grep " / " /proc/mounts');
  expect(r.output).toMatch(/^\/dev\/root \/ ext4 rw/);
  r = await sh(page, 'echo kept-$((6*7)) > /root/note && sync && echo synced');
  expect(r).toMatchObject({ status: 0, output: 'synced\n' });
  await page.reload();
  await boot(page);
  r = await sh(page, 'cat /root/note');
  expect(r).toMatchObject({ status: 0, output: 'kept-42\n' });
  expect(errors).toEqual([]);
});

test('the root disk resets to its pristine image from the panel', async ({ page }) => {
  await boot(page);
  await ok(page, 'echo mine > /root/mine && sync');
  const panel = await openPanel(page);
  page.once('dialog', (d) => d.accept()); // "every change on it is lost"
  await panel.getByRole('button', { name: 'Reset /dev/vda' }).click();
  await page.waitForEvent('load');
  await boot(page);
  const r = await sh(page, 'ls /root/mine');
  expect(r.status).not.toBe(0);
  expect(r.output).toContain('No such file');
});

test('a blank disk attached at runtime keeps its files across detach and reattach', async ({ page }) => {
  const errors = await boot(page);
  await quietKernel(page);
  const panel = await openPanel(page);
  // The terminal keeps the keyboard when the panel opens with the mouse.
  await expect(page.locator('.xterm-helper-textarea')).toBeFocused();
  await panel.getByLabel('New disk name').fill('scratch');
  await panel.getByLabel('New disk size').fill('16');
  await panel.getByLabel('Size unit').selectOption('MiB');
  await panel.getByRole('button', { name: 'Create blank disk' }).click();
  const row = panel.locator('tr[data-device][data-disk-id="scratch"]');
  await expect(row).toBeVisible();
  const dev = await row.getAttribute('data-device');
  await sectors(page, dev).toBe(String(16 * 2048));

  await ok(page, `mke2fs ${dev} >/dev/null 2>&1 && mount ${dev} /mnt && echo hello-disk > /mnt/f && umount /mnt`);
  await expect(row).toContainText('all changes saved');
  await page.evaluate((d) => window.tabvm.detachDisk(d), dev);
  await sectors(page, dev).toBe('0');

  // Reattach the same stored disk from the panel's list; it may land in another drive.
  await panel.getByRole('button', { name: 'Attach scratch' }).click();
  await expect.poll(() => driveOf(page, 'scratch')).toMatch(/^\/dev\/vd[b-e]$/);
  const dev2 = await driveOf(page, 'scratch');
  await sectors(page, dev2).toBe(String(16 * 2048));
  expect(await ok(page, `mount ${dev2} /mnt && cat /mnt/f && umount /mnt`)).toBe('hello-disk\n');

  // The keyboard: Alt+Shift+D closes and opens the panel from the terminal, Escape returns there.
  await page.locator('.xterm-helper-textarea').focus();
  await page.keyboard.press('Alt+Shift+D');
  await expect(panel).toBeHidden();
  await page.keyboard.press('Alt+Shift+D');
  await expect(panel).toBeVisible();
  await expect(panel.locator(':focus')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await expect(page.locator('.xterm-helper-textarea')).toBeFocused();
  expect(errors).toEqual([]);
});

test('an image file picked or dropped on the page becomes a disk with a unique id', async ({ page }) => {
  await boot(page);
  const panel = await openPanel(page);
  const image = Buffer.alloc(1 << 20, 0x5a);
  await panel.getByLabel('Image file').setInputFiles({ name: 'my disk.img', mimeType: 'application/octet-stream', buffer: image });
  await expect.poll(() => driveOf(page, 'my-disk')).toMatch(/^\/dev\/vd[b-e]$/);
  const dev = await driveOf(page, 'my-disk');
  await sectors(page, dev).toBe('2048');
  expect(await ok(page, `head -c 4 ${dev} | od -An -tx1`)).toMatch(/5a 5a 5a 5a/);
  // The same file dropped on the page: a second disk, under a name of its own.
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(1 << 20)], 'my disk.img'));
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await expect.poll(() => driveOf(page, 'my-disk-2')).toMatch(/^\/dev\/vd[b-e]$/);
  await expect(page.locator('#notices')).toContainText('Attached my disk.img as');
});

test('a disk that cannot be saved (quota exceeded) is reported in the page', async ({ page }) => {
  // Chromium does not enforce a test quota on IndexedDB (docs/storage.md), so the browser's own
  // QuotaExceededError is thrown from a put of this disk's chunks while window.failDisk names it.
  await page.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (value, key) {
      if (window.failDisk && Array.isArray(key) && key[0] === 'c' && key[1] === window.failDisk) {
        throw new DOMException('the quota has been exceeded', 'QuotaExceededError');
      }
      return put.call(this, value, key);
    };
  });
  await boot(page);
  const { device: dev } = await page.evaluate(() => window.tabvm.attachDisk({ id: 'full', sizeBytes: 4 << 20 }));
  await sectors(page, dev).toBe(String(4 * 2048));
  await page.evaluate(() => { window.failDisk = 'full'; });
  const r = await sh(page, `echo data | dd of=${dev} conv=fsync 2>&1`);
  expect(r.status).not.toBe(0); // the guest's flush fails with an I/O error
  await expect(page.locator('#notices [role=alert]')).toContainText('Disk "full" cannot save its changes: storage quota exceeded');
  await expect(page.locator('#sync-indicator')).toHaveText('Disk error: changes not saved');
  // Once space is back, the next write is saved and the error goes away.
  await page.evaluate(() => { window.failDisk = null; });
  await ok(page, `echo data | dd of=${dev} conv=fsync 2>/dev/null`);
  await expect(page.locator('#sync-indicator')).toHaveText('All changes saved');
  await expect(page.locator('#notices [role=alert]')).toHaveCount(0);
});

test('a browser without IndexedDB (private mode) is told why the machine cannot start', async ({ page }) => {
  await page.addInitScript(() => { Object.defineProperty(window, 'indexedDB', { value: undefined }); });
  await page.goto(PAGE);
  await expect(page.locator('#status')).toContainText('storage is unavailable', { timeout: 60_000 });
});

test('a reload during a large write keeps what was synced and the root filesystem mounts', async ({ page }) => {
  await boot(page);
  await quietKernel(page);
  const sum = await ok(page, 'seq 1 40000 > /root/A && sync && md5sum /root/A');
  const writes = () => page.evaluate(async () => (await window.tabvm.disks()).find((d) => d.device === '/dev/vda').writes);
  const before = await writes();
  await ok(page, '(while :; do dd if=/dev/zero of=/root/big bs=1M count=48 conv=fsync 2>/dev/null; done) &');
  // Reload once the big write is reaching the disk (the guest's writeback is under way).
  await expect.poll(writes, { timeout: 60_000 }).toBeGreaterThan(before + 50);
  await page.reload();
  await boot(page);
  expect(await ok(page, 'grep " / " /proc/mounts')).toMatch(/^\/dev\/root \/ ext4 rw/);
  expect(await ok(page, 'md5sum /root/A')).toBe(sum);
});

test('a second tab is told the machine\'s disk is in use; the first keeps working', async ({ page, context }) => {
  await boot(page);
  const second = await context.newPage();
  await second.goto(PAGE);
  await expect(second.locator('#status')).toHaveText(/disk is open in another tab: close it there, then reload/, { timeout: 60_000 });
  expect(await ok(page, 'echo still-here > /root/t && sync && cat /root/t')).toBe('still-here\n');
  await second.close();
});

test('a missing and a truncated image URL give a clear error in the page', async ({ page }) => {
  const SIZE = 1 << 20;
  await page.route('**/images/missing.img', (route) => route.fulfill({ status: 404, body: 'not found' }));
  // A server that promises SIZE bytes but sends only part of each range it is asked for.
  await page.route('**/images/truncated.img', (route) => {
    const m = /bytes=(\d+)-(\d+)/.exec(route.request().headers().range ?? '');
    if (!m) return route.fulfill({ status: 200, headers: { 'content-length': String(SIZE) }, body: Buffer.alloc(1000) });
    const [start, end] = [Number(m[1]), Number(m[2])];
    const len = end - start + 1;
    return route.fulfill({
      status: 206,
      headers: { 'content-range': `bytes ${start}-${end}/${SIZE}`, 'content-length': String(len), 'accept-ranges': 'bytes' },
      body: Buffer.alloc(len > 1 ? len >> 1 : len),
    });
  });
  await boot(page);
  const panel = await openPanel(page);
  const url = panel.getByLabel('Image URL');
  await url.fill(new URL('images/missing.img', page.url()).href);
  await panel.getByRole('button', { name: 'Attach URL' }).click();
  await expect(page.locator('#notices [role=alert]')).toContainText(/missing\.img.*HTTP 404/);

  await url.fill(new URL('images/truncated.img', page.url()).href);
  await panel.getByRole('button', { name: 'Attach URL' }).click();
  await expect(page.locator('#notices [role=alert]', { hasText: 'truncated.img' })).toContainText(/truncated|cut off/, { timeout: 30_000 });
  // Neither became a disk.
  const drives = await page.evaluate(() => window.tabvm.disks());
  expect(drives.filter((d) => d.present).map((d) => d.device)).toEqual(['/dev/vda']);
});

test('the panel downloads an attached disk as a raw image and deletes a stored disk', async ({ page }) => {
  await boot(page);
  await quietKernel(page);
  const { device: dev } = await page.evaluate(() => window.tabvm.attachDisk({ id: 'dl', sizeBytes: 8 << 20 }));
  await sectors(page, dev).toBe(String(8 * 2048));
  await ok(page, `mke2fs ${dev} >/dev/null 2>&1 && sync`);
  const panel = await openPanel(page);

  // Where the browser can write a chosen file, the image streams into it (a stand-in here).
  await page.evaluate(() => {
    window.showSaveFilePicker = async ({ suggestedName }) => ({
      createWritable: async () => {
        const parts = [];
        return new WritableStream({
          write: (c) => { parts.push(c); },
          close: () => {
            const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
            let at = 0;
            for (const p of parts) { all.set(p, at); at += p.length; }
            window.savedImage = { name: suggestedName, size: all.length, magic: [all[1080], all[1081]] };
          },
        });
      },
    });
  });
  await panel.getByRole('button', { name: `Download ${dev}` }).click();
  await expect.poll(() => page.evaluate(() => window.savedImage)).toEqual({ name: 'dl.img', size: 8 << 20, magic: [0x53, 0xef] });

  // Elsewhere it becomes a download.
  await page.evaluate(() => { window.showSaveFilePicker = undefined; });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByRole('button', { name: `Download ${dev}` }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('dl.img');
  const img = await readFile(await download.path());
  expect(img.length).toBe(8 << 20);
  expect([img[1080], img[1081]]).toEqual([0x53, 0xef]); // ext2's s_magic 0xEF53, little-endian

  // Detach asks first, with the warning about mounts; then the stored disk can be deleted.
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.accept(); });
  await panel.getByRole('button', { name: `Detach ${dev}` }).click();
  await sectors(page, dev).toBe('0');
  expect(dialogs[0]).toContain(`If ${dev} is mounted in the guest, unmount it first; otherwise programs using it will get I/O errors`);
  const stored = panel.locator('tbody tr[data-disk-id="dl"]:not([data-device])');
  await expect(stored).toHaveCount(1);
  await expect(panel.getByRole('button', { name: 'Delete dl' })).toBeEnabled();
  await panel.getByRole('button', { name: 'Delete dl' }).click();
  await expect(stored).toHaveCount(0);
  expect(dialogs[1]).toContain('Delete disk "dl"');
});
