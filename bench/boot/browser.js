// Boot-to-prompt time in Chromium: page navigation to the first shell prompt, with the built
// page served by `vite preview`. Usage: node bench/boot/browser.js [RUNS]
import { chromium } from '@playwright/test';
import { spawn, execFileSync } from 'node:child_process';

const runs = Number(process.argv[2] ?? 5);
const port = 4180;
const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'],
  { stdio: 'ignore', detached: true });
const url = `http://127.0.0.1:${port}/`;
for (let i = 0; i < 100; i++) {
  try { if ((await fetch(url)).ok) break; } catch { /* not up yet */ }
  await new Promise((r) => setTimeout(r, 100));
}
const browser = await chromium.launch({
  executablePath: execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim(),
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const times = [];
try {
  for (let i = 0; i < runs; i++) {
    const page = await browser.newPage();
    const t0 = performance.now();
    await page.goto(url);
    await page.waitForFunction(() => window.tabvm !== undefined);
    await page.evaluate(() => window.tabvm.ready);
    times.push(performance.now() - t0);
    await page.close();
  }
} finally {
  await browser.close();
  process.kill(-server.pid);
}
times.sort((a, b) => a - b);
console.log(`boot to prompt (Chromium, ${runs} runs, page load included): median ${(times[runs >> 1] / 1000).toFixed(2)} s, best ${(times[0] / 1000).toFixed(2)} s`);
