// The header's toolbar (ui/toolbar.js): the status line's speed, the RAM and image chosen for
// the next boot taking effect at Reset, power off and on, the theme persisting, scrollback search.
import { test, expect } from '@playwright/test';

async function boot(page) {
  await page.waitForFunction(() => window.tabvm !== undefined, null, { timeout: 60_000 });
  await page.evaluate(() => window.tabvm.ready);
  await expect(page.locator('#status')).toHaveText('Running');
}

const memTotalMiB = async (page) => {
  const r = await page.evaluate(() => window.tabvm.exec('grep MemTotal /proc/meminfo'));
  return Number(/(\d+)/.exec(r.output)[1]) / 1024;
};

test('the status line shows the guest speed; RAM and image for the next boot apply at Reset', async ({ page }) => {
  await page.goto('./');
  await boot(page);
  await expect(page.locator('#machine-stats')).toContainText('M instructions/s', { timeout: 10_000 });
  const before = await memTotalMiB(page);
  expect(before).toBeLessThan(300); // the default, 256 MiB

  await page.locator('#next-ram').selectOption('512');
  await page.locator('#next-image').selectOption('tiny');
  expect(await memTotalMiB(page)).toBe(before); // nothing changes before the next boot
  await Promise.all([page.waitForEvent('load'), page.locator('#reset-button').click()]);
  await boot(page);
  expect(await memTotalMiB(page)).toBeGreaterThan(450);
  const cmdline = await page.evaluate(() => window.tabvm.exec('cat /proc/cmdline'));
  expect(cmdline.output).not.toContain('root=/dev/vda'); // the in-RAM guest
  await expect(page.locator('#next-ram')).toHaveValue('512');
});

test('power off stops the machine and power on boots it again', async ({ page }) => {
  await page.goto('./?image=tiny');
  await boot(page);
  await page.locator('#power-button').click();
  await expect(page.locator('#status')).toHaveText('Powered off', { timeout: 20_000 });
  await expect(page.locator('#power-button')).toHaveText('Power on');
  await expect(page.locator('#machine-stats')).toHaveText('');
  await Promise.all([page.waitForEvent('load'), page.locator('#power-button').click()]);
  await boot(page);
  const r = await page.evaluate(() => window.tabvm.exec('echo back'));
  expect(r.output).toBe('back\n');
});

test('the theme choice persists; search finds text in the scrollback; copy and paste', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('./?image=tiny');
  await boot(page);
  const bg = () => page.evaluate(() => getComputedStyle(document.querySelector('.xterm-rows')).color);
  // The first theme follows the system's preference; the switch flips it and is remembered.
  const first = await page.evaluate(() => document.documentElement.dataset.theme);
  const other = first === 'dark' ? 'light' : 'dark';
  const before = await bg();
  await page.locator('#theme-button').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', other);
  expect(await bg()).not.toBe(before);
  await page.reload();
  await boot(page);
  await expect(page.locator('html')).toHaveAttribute('data-theme', other);

  await page.locator('.xterm').click();
  await page.keyboard.type('echo needle-$((40+2))');
  await page.keyboard.press('Enter');
  await expect(page.locator('.xterm-rows')).toContainText('needle-42');
  await page.keyboard.press('Control+Shift+F');
  await expect(page.locator('#search-input')).toBeFocused();
  await page.keyboard.type('needle-42');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate(() => window.getSelection()?.toString() || document.querySelector('.xterm-selection')?.children.length || 0)).toBeTruthy();
  await expect(page.locator('#search-input')).not.toHaveAttribute('title', /not in the terminal/);
  // The match is selected: Ctrl+Shift+C copies it, Ctrl+Shift+V pastes into the guest.
  await page.locator('.xterm-helper-textarea').focus();
  await page.keyboard.press('Control+Shift+C');
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('needle-42');
  await page.evaluate(() => navigator.clipboard.writeText('echo pasted-$((3*3))\n'));
  await page.keyboard.press('Control+Shift+V');
  await expect(page.locator('.xterm-rows')).toContainText('pasted-9');
  await page.keyboard.press('Control+Shift+F');
  await page.locator('#search-input').fill('no-such-text-here');
  await page.keyboard.press('Enter');
  await expect(page.locator('#search-input')).toHaveAttribute('title', /not in the terminal/);
  await page.keyboard.press('Escape');
  await expect(page.locator('#search-form')).toBeHidden();
});
