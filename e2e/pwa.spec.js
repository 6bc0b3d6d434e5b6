// The page as an installable, offline app (ui/sw.js, ui/pwa.js), against `vite preview`: the
// service worker installs and precaches what a boot needs, the manifest passes Chromium's
// installability check, and with the network off a reload boots to a prompt with the root
// disk's changes intact. Every test has a fresh browser context (a fresh service worker).
import { test, expect, chromium } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test.use({ serviceWorkers: 'allow' });

const controlled = (page) => page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });

test('the service worker installs and precaches the app shell, modules, kernel and initramfs', async ({ page }) => {
  // Every status line the page shows, to see the install's progress.
  await page.addInitScript(() => {
    window.statuses = [];
    addEventListener('DOMContentLoaded', () => {
      const el = document.getElementById('status');
      new MutationObserver(() => window.statuses.push(el.textContent)).observe(el, { childList: true, characterData: true, subtree: true });
    });
  });
  await page.goto('./?image=tiny');
  await controlled(page);
  await page.evaluate(() => window.tabvm?.ready);
  const statuses = await page.evaluate(() => window.statuses);
  expect(statuses.some((t) => /^Installing for offline use… \d+%$/.test(t)), statuses.join(' | ')).toBe(true);
  const pre = await page.evaluate(async () => {
    const name = (await caches.keys()).find((n) => n.startsWith('workbox-precache'));
    const cache = await caches.open(name);
    const out = { name, files: {}, bytes: 0 };
    for (const req of await cache.keys()) {
      const n = (await (await cache.match(req)).arrayBuffer()).byteLength;
      out.files[new URL(req.url).pathname.replace(/^.*?\/(assets|icons)\//, '$1/').replace(/^\//, '')] = n;
      out.bytes += n;
    }
    return out;
  });
  for (const f of ['index.html', 'manifest.webmanifest', 'assets/tabvm-cpu.wasm', 'assets/tabvm-virtio-blk.wasm',
    'assets/tabvm-virtio-console.wasm', 'assets/Image', 'assets/initramfs.cpio.gz', 'icons/icon-192.png']) {
    expect(pre.files[f], f).toBeGreaterThan(0);
  }
  expect(Object.keys(pre.files).some((f) => /^assets\/worker-.*\.js$/.test(f))).toBe(true);
  console.log(`precache ${pre.name}: ${Object.keys(pre.files).length} files, ${(pre.bytes / 2 ** 20).toFixed(2)} MiB`);
  // The in-RAM guest boots from the precache alone.
  await page.waitForFunction(() => window.tabvm !== undefined, null, { timeout: 60_000 });
  await page.evaluate(() => window.tabvm.ready);
});

test('the manifest is valid and the app is installable', async ({ baseURL }, testInfo) => {
  // Chromium never offers to install from an incognito profile (every Playwright context is
  // one), so this test runs a persistent profile of its own.
  const dir = mkdtempSync(join(tmpdir(), 'tabvm-install-'));
  const context = await chromium.launchPersistentContext(dir, { ...testInfo.project.use.launchOptions, baseURL, serviceWorkers: 'allow' });
  try {
    const page = await context.newPage();
    await page.goto('./?image=tiny');
    await controlled(page);
    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send('Page.getAppManifest');
    expect(manifest.errors).toEqual([]);
    const m = JSON.parse(manifest.data);
    expect(m.display).toBe('standalone');
    expect(m.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    for (const icon of m.icons) {
      const res = await page.request.get(new URL(icon.src, manifest.url).href);
      expect(res.headers()['content-type'], icon.src).toBe('image/png');
    }
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('offline, a reload boots to a prompt with the root disk intact', async ({ page, context }, testInfo) => {
  const t0 = Date.now();
  await page.goto('./');
  await page.waitForFunction(() => window.tabvm !== undefined, null, { timeout: 60_000 });
  await page.evaluate(() => window.tabvm.ready);
  const firstLoad = Date.now() - t0;
  const mark = `offline-${Date.now()}`;
  const w = await page.evaluate((m) => window.tabvm.exec(`echo ${m} > /root/offline-mark && sync && echo ok`), mark);
  expect(w.output).toContain('ok');
  await expect(page.locator('#sync-indicator')).toHaveText(/saved/i, { timeout: 30_000 });

  await context.setOffline(true);
  const t1 = Date.now();
  await page.reload();
  await page.waitForFunction(() => window.tabvm !== undefined, null, { timeout: 60_000 });
  await page.evaluate(() => window.tabvm.ready);
  const offlineBoot = Date.now() - t1;
  await expect(page.locator('#status')).toHaveText('Running');
  const r = await page.evaluate(() => window.tabvm.exec('cat /root/offline-mark'));
  expect(r.output.trim()).toBe(mark);
  console.log(`first load to prompt ${firstLoad} ms; offline reload to prompt ${offlineBoot} ms`);
  const shot = testInfo.outputPath('booted-offline.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('booted page (offline)', { path: shot, contentType: 'image/png' });
  await context.setOffline(false);
});

test('"make available offline" keeps a whole image within the budget; offline, all of it reads', async ({ page, context }) => {
  await page.goto('./?image=tiny-disk');
  await page.waitForFunction(() => window.tabvm !== undefined, null, { timeout: 60_000 });
  await page.evaluate(() => window.tabvm.ready);
  await page.locator('#disks-button').click();
  const row = page.locator('#disks-panel tr[data-image="tiny-disk"]');
  await expect(row).toContainText('% kept'); // the boot's reads are kept already, not all of it

  // Removed, then a budget too small for the image's data: a clear error.
  await row.getByRole('button', { name: /Remove the offline copy/ }).click();
  await expect(row).toContainText('0% kept');
  await page.locator('#offline-budget').fill('0.001');
  await page.getByRole('button', { name: 'Set budget' }).click();
  await row.getByRole('button', { name: /Make tiny-disk available offline/ }).click();
  await expect(page.locator('#notices')).toContainText('could not be kept: the offline budget', { timeout: 120_000 });
  await expect(page.locator('#offline-summary')).toContainText('The budget is full');

  await page.locator('#offline-budget').fill('2');
  await page.getByRole('button', { name: 'Set budget' }).click();
  const t0 = Date.now();
  await row.getByRole('button', { name: /Make tiny-disk available offline/ }).click();
  await expect(row).toContainText('all of it', { timeout: 120_000 });
  console.log(`tiny-disk (256 MiB) made available offline in ${Date.now() - t0} ms; ${await page.locator('#offline-summary').textContent()}`);

  await context.setOffline(true);
  await page.reload();
  await page.waitForFunction(() => window.tabvm !== undefined, null, { timeout: 60_000 });
  await page.evaluate(() => window.tabvm.ready);
  // Every byte of the image, most of it never read before going offline.
  const r = await page.evaluate(() => window.tabvm.exec('dd if=/dev/vda of=/dev/null bs=1M 2>&1 | tail -n 3; echo status=$?'));
  expect(r.output).toContain('256+0 records in');
  await context.setOffline(false);
});

test('offline, an image never opened here fails to start with what to do instead', async ({ page, context }) => {
  await page.goto('./?image=tiny');
  await page.waitForFunction(() => window.tabvm !== undefined, null, { timeout: 60_000 });
  await page.evaluate(() => window.tabvm.ready);
  await context.setOffline(true);
  await page.goto('./?image=tiny-disk');
  await expect(page.locator('#status')).toContainText('Cannot start offline', { timeout: 60_000 });
  await expect(page.locator('#status')).toContainText('"tiny"');
  await expect(page.locator('#power-button')).toBeEnabled();
  await context.setOffline(false);
});
