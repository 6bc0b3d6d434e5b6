// The page boots Linux to a shell in Chromium: prompt, a command through the embedding API,
// typing into the terminal, and a window resize reaching the guest's tty.
import { test, expect } from '@playwright/test';

test.describe.configure({ mode: 'serial' });

test('boots to a prompt and runs commands', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('./');
  await expect(page.locator('#status')).not.toHaveText(/Unsupported|Error/);
  await page.waitForFunction(() => window.tabvm !== undefined, null, { timeout: 60_000 });
  await page.evaluate(() => window.tabvm.ready);
  await expect(page.locator('#status')).toHaveText('Running');
  await expect(page.locator('.xterm-rows')).toContainText('@tabvm:');

  const r = await page.evaluate(() => window.tabvm.exec('uname -m'));
  expect(r).toMatchObject({ status: 0, output: 'riscv64\n', stdout: 'riscv64\n', stderr: '' });
  const failing = await page.evaluate(() => window.tabvm.exec('ls /no/such/path'));
  expect(failing.status).not.toBe(0);
  expect(failing.output).toContain('No such file or directory');

  // Keystrokes typed into the terminal reach the shell and its output reaches the screen.
  await page.locator('.xterm').click();
  await page.keyboard.type('echo typed-$((6*7))');
  await page.keyboard.press('Enter');
  await expect(page.locator('.xterm-rows')).toContainText('typed-42');

  // Ctrl-C interrupts the foreground command, as in a local terminal.
  await page.keyboard.type('sleep 600');
  await page.keyboard.press('Enter');
  await page.waitForTimeout(500);
  await page.keyboard.press('Control+C');
  await page.keyboard.type('echo after-$((1+1))');
  await page.keyboard.press('Enter');
  await expect(page.locator('.xterm-rows')).toContainText('after-2', { timeout: 10_000 });
  expect(errors).toEqual([]);
});

test('a resize reaches the guest', async ({ page }) => {
  await page.setViewportSize({ width: 1200, height: 800 });
  await page.goto('./');
  await page.waitForFunction(() => window.tabvm !== undefined, null, { timeout: 60_000 });
  await page.evaluate(() => window.tabvm.ready);
  // (exec runs on the command channel, without a terminal: ask the person's shell on the
  // console, through the console method that exec falls back to for images without the agent)
  const before = await page.evaluate(() => window.tabvm.consoleExec('stty size'));
  await page.setViewportSize({ width: 700, height: 500 });
  await expect.poll(async () => (await page.evaluate(() => window.tabvm.consoleExec('stty size'))).output,
    { timeout: 20_000 }).not.toBe(before.output);
  const [rows, cols] = (await page.evaluate(() => window.tabvm.consoleExec('stty size'))).output.trim().split(' ').map(Number);
  const term = await page.evaluate(() => {
    const el = document.querySelector('.xterm-screen');
    return { w: el.clientWidth, h: el.clientHeight };
  });
  expect(cols).toBeGreaterThan(20);
  expect(cols).toBeLessThan(120);
  expect(rows).toBeGreaterThan(5);
  expect(term.w).toBeLessThan(700);
});

test('explains a browser without SharedArrayBuffer', async ({ page }) => {
  // The same page without cross-origin isolation: served from a route that drops the headers.
  await page.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['cross-origin-opener-policy'];
    delete headers['cross-origin-embedder-policy'];
    await route.fulfill({ response, headers });
  });
  await page.goto('./');
  await expect(page.locator('#unsupported')).toBeVisible();
  await expect(page.locator('#unsupported')).toContainText('SharedArrayBuffer');
  // Requests still going through the route (the favicon) must not fail after the test ends:
  // Playwright would report that against the next test.
  await page.unrouteAll({ behavior: 'ignoreErrors' });
});
