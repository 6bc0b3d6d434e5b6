// `make dist` output on a plain static host (e2e/static_server.js: files and Range, no
// isolation headers), at the root and under a subpath: the service worker adds the headers and
// the page reloads once, then boots. And a new build deployed over it shows the update prompt.
import { test, expect } from '@playwright/test';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from './static_server.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const SITE = join(REPO, 'build/site'); // make dist
const DIST = join(REPO, 'build/dist'); // make page

test.use({ serviceWorkers: 'allow' });

for (const prefix of ['/', '/some/path/']) {
  test(`make dist output boots from a plain static host at ${prefix}`, async ({ page }) => {
    const server = await startStaticServer({ root: SITE, prefix });
    try {
      const plain = await page.request.get(server.url);
      expect(plain.headers()['cross-origin-embedder-policy']).toBeUndefined();
      let loads = 0;
      page.on('load', () => loads++);
      await page.goto(server.url);
      await page.waitForFunction(() => window.tabvm !== undefined, null, { timeout: 90_000 });
      await page.evaluate(() => window.tabvm.ready);
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
      expect(loads).toBe(2); // the first load without the headers, then once through the worker
      const r = await page.evaluate(() => window.tabvm.exec('uname -m'));
      expect(r.output).toBe('riscv64\n');
    } finally {
      await server.close();
    }
  });
}

test('a new build on the host shows the update prompt, and Reload switches to it', async ({ page }) => {
  const tmp = mkdtempSync(join(tmpdir(), 'tabvm-update-'));
  const server = await startStaticServer({ root: join(tmp, 'a'), prefix: '/app/' });
  try {
    cpSync(DIST, join(tmp, 'a'), { recursive: true });
    // A second, different build of the same sources (its name differs, so do its files).
    execFileSync('npx', ['vite', 'build', '--outDir', join(tmp, 'b'), '--emptyOutDir', '--logLevel', 'error'],
      { cwd: REPO, env: { ...process.env, TABVM_BUILD: 'update-test' }, stdio: 'ignore' });
    await page.goto(`${server.url}?image=tiny`);
    await page.waitForFunction(() => window.tabvm !== undefined, null, { timeout: 60_000 });
    const before = await page.evaluate(() => document.documentElement.dataset.build);
    expect(before).not.toBe('update-test');
    await expect(page.locator('#update-prompt')).toHaveCount(0);

    server.setRoot(join(tmp, 'b'));
    await page.reload(); // a navigation makes the browser look for a new service worker
    const prompt = page.locator('#update-prompt');
    await expect(prompt).toContainText('new version', { timeout: 60_000 });
    await prompt.getByRole('button', { name: 'Reload' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-build', 'update-test', { timeout: 60_000 });
    await expect(page.locator('#update-prompt')).toHaveCount(0);
    // (Build B is made from the working tree as it is now; whether it boots is the other tests' job.)
  } finally {
    await server.close();
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('a host missing a file of the build: the page says the service worker could not install', async ({ page }) => {
  const tmp = mkdtempSync(join(tmpdir(), 'tabvm-broken-'));
  try {
    cpSync(DIST, tmp, { recursive: true });
    rmSync(join(tmp, 'assets/initramfs.cpio.gz'));
    const server = await startStaticServer({ root: tmp });
    try {
      await page.goto(`${server.url}?image=tiny`);
      await expect(page.locator('#unsupported')).toContainText('failed to install', { timeout: 60_000 });
      await expect(page.locator('#unsupported')).toContainText('SharedArrayBuffer');
    } finally {
      await server.close();
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
