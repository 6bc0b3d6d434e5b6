// Helpers the Playwright specs share: boot the page's machine and run commands in it through
// the embedding API (window.tabvm).
import { expect } from '@playwright/test';

/**
 * Opens url and waits for the guest's prompt. Throws the page's status if it reports an error
 * (or a disk open in another tab) instead. Returns the list the page's uncaught errors go to.
 */
export async function bootPage(page, url) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForFunction(() => window.tabvm !== undefined || /Error|another tab/.test(document.getElementById('status').textContent),
    null, { timeout: 90_000 });
  const status = await page.locator('#status').textContent();
  if (/Error|another tab/.test(status)) throw new Error(status);
  await page.evaluate(() => window.tabvm.ready);
  return errors;
}

/** Runs cmd in the guest: { status, stdout, stderr, output }. */
export const sh = (page, cmd) => page.evaluate((c) => window.tabvm.exec(c), cmd);

/** Runs cmd, expects status 0, returns its output. */
export async function ok(page, cmd) {
  const r = await sh(page, cmd);
  expect(r.status, `${cmd}\n${r.output}`).toBe(0);
  return r.output;
}
