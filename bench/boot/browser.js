// Boot-to-prompt time in Chromium: page navigation to the first shell prompt, with the built
// page served by `vite preview`. Usage: node bench/boot/browser.js [RUNS]
import { startPreview, launchChromium } from '../chromium.js';

const runs = Number(process.argv[2] ?? 5);
const preview = await startPreview(4180);
const url = preview.url;
const browser = await launchChromium();
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
  preview.close();
}
times.sort((a, b) => a - b);
console.log(`boot to prompt (Chromium, ${runs} runs, page load included): median ${(times[runs >> 1] / 1000).toFixed(2)} s, best ${(times[0] / 1000).toFixed(2)} s`);
