// The command channel in Chromium (docs/exec-channel.md): vm.exec while the person types in the
// terminal, neither seeing the other's bytes; vm.spawn streaming a long-running command's
// output and taking stdin.
import { test, expect } from '@playwright/test';

// The busybox guest in RAM: the quickest boot; every image runs the same agent.
const PAGE = './?image=tiny';

test.describe.configure({ mode: 'serial' });

async function boot(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(PAGE);
  await page.waitForFunction(() => window.tabvm !== undefined, null, { timeout: 90_000 });
  await page.evaluate(() => window.tabvm.ready);
  return errors;
}

test('vm.exec while the person types: neither sees the other', async ({ page }) => {
  const errors = await boot(page);
  await page.locator('.xterm').click();
  // A command through the API that runs while keys are typed into the terminal.
  const running = page.evaluate(() => window.tabvm.exec('for i in 1 2 3 4 5 6; do echo api-$i; sleep 0.25; done; cat',
    { stdin: 'api-stdin\n' }));
  await page.keyboard.type('echo typed-$((6*7))');
  await page.keyboard.press('Enter');
  const r = await running;
  expect(r).toMatchObject({ status: 0, stderr: '', stdout: 'api-1\napi-2\napi-3\napi-4\napi-5\napi-6\napi-stdin\n' });
  await expect(page.locator('.xterm-rows')).toContainText('typed-42');
  const screen = await page.locator('.xterm-rows').textContent();
  expect(screen).not.toContain('api-');
  expect(screen).not.toMatch(/TVM[BE]_/);
  expect(errors).toEqual([]);
});

test('vm.spawn streams a long-running command and takes stdin', async ({ page }) => {
  await boot(page);
  const r = await page.evaluate(async () => {
    const t0 = performance.now();
    const p = window.tabvm.spawn('for i in 1 2 3 4; do echo tick-$i; sleep 0.5; done; tr a-z A-Z; echo to-err >&2; exit 3');
    const w = p.stdin.getWriter();
    await w.write('from-the-page\n');
    await w.close();
    const chunks = [];
    const dec = new TextDecoder();
    for await (const c of p.stdout) chunks.push({ at: performance.now() - t0, text: dec.decode(c) });
    let err = '';
    for await (const c of p.stderr) err += dec.decode(c);
    return { chunks, err, exit: await p.exit, pid: await p.pid, total: performance.now() - t0 };
  });
  expect(r.chunks.map((c) => c.text).join('')).toBe('tick-1\ntick-2\ntick-3\ntick-4\nFROM-THE-PAGE\n');
  expect(r.err).toBe('to-err\n');
  expect(r.exit).toEqual({ status: 3, signal: 0 });
  expect(r.pid).toBeGreaterThan(1);
  // Streamed: the first tick arrived long before the command ended (it runs for 2 s).
  expect(r.chunks.length).toBeGreaterThanOrEqual(4);
  expect(r.chunks[0].at).toBeLessThan(r.total - 1000);
  // A signal from the page ends it (128 + SIGINT).
  const killed = await page.evaluate(async () => {
    const p = window.tabvm.spawn('echo up; sleep 100');
    const reader = p.stdout.getReader();
    await reader.read();
    p.kill('SIGINT');
    return p.exit;
  });
  expect(killed).toEqual({ status: 130, signal: 2 });
});
