// The page as an app (ui/files_ui.js, ui/context_menu.js, style.css): files dropped or picked
// arrive in the guest byte for byte and guest files download byte for byte (sha256 on both
// sides); the terminal's right-click menu copies and pastes; every control has a name a screen
// reader reads and the keyboard reaches them in order; the light theme covers the panels too; on
// a phone-sized screen nothing overflows sideways. Each test boots the in-RAM guest once.
import { test, expect } from '@playwright/test';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bootPage, ok, sh } from './guest.js';

const PAGE = './?image=tiny';
const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');
const guestSha = async (page, p) => (await ok(page, `sha256sum ${p}`)).split(' ')[0];

test.describe.configure({ mode: 'serial' });

test('files go into the guest and come out byte for byte', async ({ page }) => {
  const errors = await bootPage(page, PAGE);
  const notices = page.locator('#notices');

  // The folder files go to: /root on our images (the guest is asked).
  await page.getByRole('button', { name: 'Files', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Files' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Folder in the guest')).toHaveValue('/root');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // Dropped on the page's "Copy into the guest" zone: a file named like a disk image goes into
  // the guest all the same (the zone decides). Random bytes, a quote in the name.
  const name = "it's data.img";
  const dropped = await page.evaluateHandle((n) => {
    const bytes = new Uint8Array((3 << 19) + 7); // 1.5 MiB and a bit
    for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, Math.min(i + 65536, bytes.length)));
    window.droppedBytes = bytes;
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], n));
    return dt;
  }, name);
  await page.dispatchEvent('#terminal', 'dragenter', { dataTransfer: dropped });
  await expect(page.locator('#drop-overlay')).toBeVisible();
  await expect(page.locator('#drop-guest')).toContainText('to /root');
  const t0 = Date.now();
  await page.dispatchEvent('#drop-guest', 'drop', { dataTransfer: dropped });
  await expect(page.locator('#drop-overlay')).toBeHidden();
  await expect(page.locator('.notice-transfer progress')).toBeVisible(); // progress while it copies
  await expect(notices).toContainText(`Copied ${name} to /root/${name}`, { timeout: 30_000 });
  const inMs = Date.now() - t0;
  const want = await page.evaluate(async () => [...new Uint8Array(await crypto.subtle.digest('SHA-256', window.droppedBytes))]
    .map((b) => b.toString(16).padStart(2, '0')).join(''));
  expect(await guestSha(page, `"/root/it's data.img"`)).toBe(want);
  expect(await ok(page, 'ls -a /root')).not.toContain('tabvm-part'); // no leftover
  expect((await page.evaluate(() => window.tabvm.disks())).filter((d) => d.present && /data/.test(d.id))).toEqual([]);

  // Cancelled half way: nothing under its name, no part left over.
  const big = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(8 << 20).fill(7)], 'big.dat'));
    return dt;
  });
  await page.dispatchEvent('#terminal', 'drop', { dataTransfer: big });
  await expect.poll(() => page.locator('.notice-transfer progress').evaluate((e) => e.value), { timeout: 10_000 }).toBeGreaterThan(0.05);
  await page.locator('.notice-transfer').getByRole('button', { name: 'Cancel' }).click();
  await expect(notices).toContainText('Stopped copying big.dat: nothing was written in the guest', { timeout: 20_000 });
  expect(await ok(page, 'ls -a /root')).not.toMatch(/big\.dat/);

  // A folder without room for the file: refused before a byte is sent, with what to do.
  await ok(page, 'mkdir -p /tmp/small && mount -t tmpfs -o size=64k tmpfs /tmp/small');
  await page.getByRole('button', { name: 'Files', exact: true }).click();
  await dialog.getByLabel('Folder in the guest').fill('/tmp/small');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Escape');
  await expect(page.locator('#drop-guest')).toContainText('to /tmp/small');
  const tooBig = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(300_000)], 'too-big.bin'));
    return dt;
  });
  await page.dispatchEvent('#terminal', 'drop', { dataTransfer: tooBig });
  await expect(notices.getByRole('alert')).toContainText('there is not enough room for it in the guest', { timeout: 20_000 });
  await expect(notices.getByRole('alert')).toContainText('attach a blank disk');
  expect(await ok(page, 'ls -a /tmp/small')).not.toContain('too-big');
  await notices.getByRole('alert').getByRole('button', { name: 'Dismiss message' }).click();
  await expect(notices.getByRole('alert')).toHaveCount(0);

  // From the keyboard: the Files dialog, another folder (made in the guest), the file picker.
  // (Listening for the picker well before it opens: Playwright intercepts it only from then on.)
  const chooserOpened = page.waitForEvent('filechooser', { timeout: 30_000 });
  await page.locator('.xterm-helper-textarea').focus();
  await page.getByRole('button', { name: 'Files', exact: true }).click();
  await expect(dialog.getByLabel('Folder in the guest')).toBeFocused();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('/tmp/in box');
  await page.keyboard.press('Tab'); // commits the folder; on to "Choose files…"
  await expect(dialog.getByRole('button', { name: 'Choose files…' })).toBeFocused();
  const text = Buffer.from('hello from the page\n');
  const bin = randomBytes(200_000);
  await page.keyboard.press('Enter');
  const chooser = await chooserOpened;
  // A name the shell would run if it were not quoted: it stays a name (the agent runs in /root).
  const odd = 'a $(touch ran) `touch ran2` $HOME.txt';
  await chooser.setFiles([{ name: odd, mimeType: 'text/plain', buffer: text }, { name: 'b.bin', mimeType: 'application/octet-stream', buffer: bin }]);
  await expect(notices).toContainText('Copied b.bin to /tmp/in box/b.bin', { timeout: 30_000 });
  expect(await ok(page, `cat '/tmp/in box/${odd}'`)).toBe(text.toString());
  expect((await sh(page, 'ls /root/ran /root/ran2')).status).not.toBe(0);
  expect(await guestSha(page, '"/tmp/in box/b.bin"')).toBe(sha256(bin));
  expect(await page.evaluate(() => localStorage.getItem('tabvm-files-dir'))).toBe('/tmp/in box');
  await expect(page.locator('.xterm-helper-textarea')).toBeFocused(); // back in the terminal

  // A file that does not look like a disk image, dropped anywhere: into the guest too. And any
  // file dropped on "Attach as a disk" becomes a disk.
  const two = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['plain notes\n'], 'notes.txt'));
    return dt;
  });
  await page.dispatchEvent('#terminal', 'drop', { dataTransfer: two });
  await expect(notices).toContainText('Copied notes.txt to /tmp/in box/notes.txt', { timeout: 30_000 });
  const asDisk = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(1 << 20).fill(0x5a)], 'raw-bytes.bin'));
    return dt;
  });
  await page.dispatchEvent('#terminal', 'dragenter', { dataTransfer: asDisk });
  await page.dispatchEvent('#drop-disk', 'drop', { dataTransfer: asDisk });
  await expect.poll(async () => (await page.evaluate(() => window.tabvm.disks())).some((d) => d.present && d.id === 'raw-bytes'),
    { timeout: 20_000 }).toBe(true);

  // Out: a guest file by path, as a download (the Blob path: no file picker in this browser).
  await ok(page, 'head -c 1234567 /dev/urandom > /tmp/out.bin');
  const outSha = await guestSha(page, '/tmp/out.bin');
  await page.evaluate(() => { window.showSaveFilePicker = undefined; });
  const download = async (p) => {
    await page.getByRole('button', { name: 'Files', exact: true }).click();
    await dialog.getByLabel('File in the guest').fill(p);
    const [d] = await Promise.all([
      // Said with what the page shows, should it ever not come.
      page.waitForEvent('download', { timeout: 30_000 }).catch(async (e) => {
        throw new Error(`${e.message}; the page says: ${await notices.textContent()} / ${await page.locator('#status').textContent()}`);
      }),
      dialog.getByRole('button', { name: 'Download' }).click({ timeout: 10_000 })]);
    return d;
  };
  const t1 = Date.now();
  const d = await download('/tmp/out.bin');
  expect(d.suggestedFilename()).toBe('out.bin');
  const got = await readFile(await d.path());
  const outMs = Date.now() - t1;
  expect(got.length).toBe(1234567);
  expect(sha256(got)).toBe(outSha);
  await expect(notices).toContainText('Downloaded /tmp/out.bin as out.bin');
  // A file whose size the guest does not know ahead (/proc) downloads too.
  expect((await readFile(await (await download('/proc/version')).path())).toString()).toMatch(/^Linux version /);

  // Errors say what is wrong and what to do.
  await page.getByRole('button', { name: 'Files', exact: true }).click();
  await dialog.getByLabel('File in the guest').fill('/no/such/file');
  await dialog.getByRole('button', { name: 'Download' }).click();
  await expect(notices.getByRole('alert')).toContainText('there is no file /no/such/file in the guest: check the path');
  await page.getByRole('button', { name: 'Files', exact: true }).click();
  await dialog.getByLabel('File in the guest').fill('/root');
  await dialog.getByRole('button', { name: 'Download' }).click();
  await expect(notices.getByRole('alert').last()).toContainText('/root is a folder: pack it into one file first');
  console.log(`file transfer: 1.5 MiB in ${inMs} ms (${(1.5 * 1.048576 / (inMs / 1000)).toFixed(2)} MB/s with the drop's overhead), ` +
    `1.2 MB out in ${outMs} ms (${(1.234567 / (outMs / 1000)).toFixed(2)} MB/s with the dialog's)`);
  expect(errors).toEqual([]);
});

test('names, focus order, the terminal menu, the light theme and a phone-sized screen', async ({ page, context }, testInfo) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.setViewportSize({ width: 1280, height: 800 });
  const errors = await bootPage(page, PAGE);
  await expect(page.locator('#status')).toHaveText('Running');

  // Every control a screen reader lists has a name, with the panel and the dialog open too.
  const unnamed = async () => {
    const bad = [];
    for (const role of ['button', 'link', 'combobox', 'textbox', 'searchbox', 'checkbox', 'spinbutton', 'menuitem', 'dialog', 'toolbar', 'region']) {
      for (const el of await page.getByRole(role).all()) {
        const named = await expect(el).toHaveAccessibleName(/\S/, { timeout: 100 }).then(() => true, () => false);
        if (!named) bad.push(`${role}: ${await el.evaluate((e) => e.outerHTML.slice(0, 120))}`);
      }
    }
    return bad;
  };
  expect(await unnamed()).toEqual([]);
  // The terminal's input says which keys lead out of it (it takes Tab itself).
  await expect(page.locator('.xterm-helper-textarea')).toHaveAccessibleDescription(/Shift\+F10 opens its menu/);
  await page.getByRole('button', { name: 'Disks', exact: true }).click();
  await expect(page.locator('#disks-panel')).toBeVisible();
  expect(await unnamed()).toEqual([]);
  await page.getByRole('button', { name: 'Close the disks panel' }).click();
  await page.getByRole('button', { name: 'Files', exact: true }).click();
  expect(await unnamed()).toEqual([]);
  await page.keyboard.press('Escape');

  // Focus order: the first stop skips to the terminal; Tab walks the header's controls as they
  // are laid out, then the terminal (which takes Tab itself: Alt+Shift+D, Ctrl+Shift+F and the
  // menu key are the ways out of it).
  await page.locator('header h1').click(); // where Tab starts from
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByRole('link', { name: 'Skip to the terminal' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('.xterm-helper-textarea')).toBeFocused();
  await page.locator('header h1').click();
  const order = [];
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const e = document.activeElement;
      const r = e.getBoundingClientRect();
      return { id: e.id || e.className, x: r.left, y: r.top, h: r.height };
    });
    order.push(stop);
    if (/xterm-helper-textarea/.test(stop.id)) break;
  }
  // Every control in the header, in document order, then the terminal...
  const controls = await page.evaluate(() => [...document.querySelectorAll('header a, header button, header select, header input')]
    .filter((e) => e.getClientRects().length && !e.disabled && e.tabIndex >= 0).map((e) => e.id));
  expect(controls).toEqual(expect.arrayContaining(['power-button', 'reset-button', 'next-image', 'next-ram', 'search-button',
    'theme-button', 'files-button', 'disks-button']));
  expect(order.map((o) => o.id)).toEqual([...controls, 'xterm-helper-textarea']);
  // ...and that is the order they are laid out in: each stop is right of the one before or on
  // a line below it, never back up and to the left (the toolbar may wrap inside the header).
  for (let i = 1; i < order.length - 1; i++) {
    const [p, c] = [order[i - 1], order[i]];
    expect(c.x > p.x || c.y >= p.y + p.h / 2, `${p.id} then ${c.id}`).toBe(true);
  }

  // The terminal's menu: right-click, Copy the selection; Paste types the clipboard into the guest.
  await page.locator('.xterm').click();
  await page.keyboard.type('echo menu-$((20+3))');
  await page.keyboard.press('Enter');
  await expect(page.locator('.xterm-rows')).toContainText('menu-23');
  await page.locator('.xterm').click({ button: 'right' });
  const menu = page.getByRole('menu', { name: 'Terminal' });
  await expect(menu).toBeVisible();
  await expect(menu.getByRole('menuitem', { name: 'Copy' })).toBeDisabled(); // nothing selected
  await menu.getByRole('menuitem', { name: 'Select all' }).click();
  await expect(menu).toBeHidden();
  await page.locator('.xterm').click({ button: 'right' });
  await menu.getByRole('menuitem', { name: 'Copy' }).click();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain('menu-23');
  await page.evaluate(() => navigator.clipboard.writeText('echo pasted-by-menu-$((4*4))\n'));
  await page.locator('.xterm').click({ button: 'right' });
  await menu.getByRole('menuitem', { name: 'Paste' }).click();
  await expect(page.locator('.xterm-rows')).toContainText('pasted-by-menu-16');
  // From the keyboard: Shift+F10 in the terminal, arrows, Enter; Esc returns to the terminal.
  await page.locator('.xterm-helper-textarea').focus();
  await page.keyboard.press('Shift+F10');
  await expect(menu).toBeVisible();
  await expect(menu.getByRole('menuitem', { name: 'Paste' })).toBeFocused(); // the first enabled item (no selection now)
  await page.keyboard.press('End'); // Files…
  await page.keyboard.press('ArrowUp');
  await expect(menu.getByRole('menuitem', { name: 'Search…' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#search-input')).toBeFocused();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Shift+F10');
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(page.locator('.xterm-helper-textarea')).toBeFocused();

  // Links in the terminal open when clicked (the web-links add-on): a URL printed by the guest.
  const url = new URL('link-target-for-test', page.url()).href;
  await page.keyboard.type(`echo ${url}`);
  await page.keyboard.press('Enter');
  const row = page.locator('.xterm-rows > div', { hasText: new RegExp(`^${url}`) });
  await expect(row).toHaveCount(1);
  const box = await row.boundingBox();
  await page.mouse.move(box.x + 30, box.y + box.height / 2); // over the link: it is underlined, then
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.mouse.click(box.x + 30, box.y + box.height / 2)]);
  await expect.poll(() => popup.url()).toBe(url);
  await popup.close();

  // The theme covers the whole page: the panel, the dialog and the messages follow it.
  const lightness = (sel) => page.locator(sel).evaluate((e) => {
    const [r, g, b] = getComputedStyle(e).backgroundColor.match(/\d+/g).map(Number);
    return (r + g + b) / 3;
  });
  await page.getByRole('button', { name: 'Disks', exact: true }).click();
  const theme = await page.evaluate(() => document.documentElement.dataset.theme);
  const dark = theme === 'dark' ? 1 : -1;
  expect((await lightness('#disks-panel')) * dark).toBeLessThan(128 * dark);
  await page.locator('#theme-button').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme === 'dark' ? 'light' : 'dark');
  for (const sel of ['#disks-panel', 'header', 'body', '#disks-panel button >> nth=0']) {
    expect((await lightness(sel)) * dark, sel).toBeGreaterThan(128 * dark);
  }
  await page.getByRole('button', { name: 'Close the disks panel' }).click();
  await page.locator('#theme-button').click(); // back, for the screenshots
  await page.locator('.xterm').click(); // no selection in them

  // A phone-sized screen (390×844): the header wraps, nothing sticks out sideways, every
  // control is on the screen, the panel and the dialog fit, and the terminal still has room.
  // Kept outside test-results (which the next run clears): build/e2e-screenshots.
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'build', 'e2e-screenshots');
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, 'booted-desktop.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  const fits = async () => {
    const r = await page.evaluate(() => {
      const w = document.documentElement.clientWidth;
      const out = [...document.querySelectorAll('header button, header select, header input, #disks-panel, #files-dialog, main')]
        .filter((e) => e.getClientRects().length)
        .filter((e) => { const b = e.getBoundingClientRect(); return b.left < -0.5 || b.right > w + 0.5; })
        .map((e) => e.id || e.outerHTML.slice(0, 60));
      return { scroll: document.scrollingElement.scrollWidth, w, out };
    });
    expect(r.out).toEqual([]);
    expect(r.scroll).toBeLessThanOrEqual(r.w);
  };
  await fits();
  const termBox = await page.locator('#terminal').boundingBox();
  expect(termBox.height).toBeGreaterThan(400);
  expect(await page.evaluate(() => window.tabvm && document.querySelector('.xterm-rows').children.length)).toBeGreaterThan(15);
  await expect(page.locator('.xterm-rows')).toContainText('pasted-by-menu-16');
  await page.screenshot({ path: path.join(dir, 'booted-phone.png') });
  await page.getByRole('button', { name: 'Disks', exact: true }).click();
  await expect(page.locator('#disks-panel')).toBeVisible();
  await fits();
  await page.getByRole('button', { name: 'Close the disks panel' }).click();
  await page.getByRole('button', { name: 'Files', exact: true }).click();
  await fits();
  await page.keyboard.press('Escape');
  for (const shot of ['booted-desktop.png', 'booted-phone.png']) {
    await testInfo.attach(shot, { path: path.join(dir, shot), contentType: 'image/png' });
  }
  expect((await sh(page, 'echo still-here')).output).toBe('still-here\n');
  expect(errors).toEqual([]);
});

test('a start that fails says why and what to do next', async ({ page }) => {
  await page.goto('./?image=no-such-image');
  await expect(page.locator('#status')).toContainText("Error: no image 'no-such-image' on this server", { timeout: 30_000 });
  await expect(page.locator('#status')).toContainText('Choose another image for the next boot and press Power on');
  await expect(page.getByRole('button', { name: 'Power on' })).toBeEnabled();
});
