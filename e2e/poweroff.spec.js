// A guest that powers off in the page: the terminal says so, nothing hangs, and Enter starts the
// machine again.
import { test, expect } from '@playwright/test';

test('poweroff: the terminal says so, and Enter starts the machine again', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('./?image=tiny');
  await page.waitForFunction(() => window.tabvm !== undefined, null, { timeout: 90_000 });
  await page.evaluate(() => window.tabvm.ready);
  await page.locator('.xterm').click();
  await page.keyboard.type('poweroff');
  await page.keyboard.press('Enter');
  await expect(page.locator('.xterm-rows')).toContainText('The machine is powered off. Press Enter to start it again.',
    { timeout: 30_000 });
  await expect(page.locator('#status')).toHaveText('Powered off');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.tabvm !== undefined && document.getElementById('status').textContent === 'Running',
    null, { timeout: 90_000 });
  expect((await page.evaluate(() => window.tabvm.exec('echo back'))).stdout).toBe('back\n');
  expect(errors).toEqual([]);
});
