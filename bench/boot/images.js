// Boot to prompt in Chromium for each guest image, in one run: the initramfs (tiny), busybox on a
// root disk (tiny-disk) and Debian (debian, when built), each in a fresh page of one browser
// context (the disk's chunks are fetched lazily from the server: the first boot in the context
// streams, later ones find their writes in IndexedDB), with the bytes the root disk fetched by
// the prompt. Usage: node bench/boot/images.js [ROUNDS]   (default 3)
import { startPreview, launchChromium } from '../chromium.js';
import { readFileSync, existsSync } from 'node:fs';

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const rounds = Number(process.argv[2] ?? 3);
const listed = JSON.parse(readFileSync(new URL('../../build/images/images.json', import.meta.url), 'utf8')).images;
const images = ['tiny', ...['tiny-disk', 'debian'].filter((n) => listed[n])];
if (!existsSync(new URL('../../build/dist/index.html', import.meta.url))) throw new Error('run make page first');
const preview = await startPreview(4184);
const url = preview.url;
const browser = await launchChromium();
const results = Object.fromEntries(images.map((n) => [n, []]));
const python = { cold: [], warm: [] };
// `python3 -c pass` six times in the guest, each timed by the guest's own clock (ms).
const PYTHON_STARTUP = 'for i in $(seq 6); do s=$(date +%s%N); python3 -c pass; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); done';
try {
  const context = await browser.newContext();
  for (let r = 0; r < rounds; r++) {
    for (const image of images) {
      const page = await context.newPage();
      const t0 = performance.now();
      await page.goto(`${url}?image=${image}`);
      await page.waitForFunction(() => window.tabvm !== undefined);
      await page.evaluate(() => window.tabvm.ready);
      const ms = performance.now() - t0;
      const fetched = await page.evaluate(async () => (await window.tabvm.disks())[0]?.storage?.bytesFetched ?? 0);
      results[image].push({ ms, fetched });
      if (image === 'debian') {
        const r = await page.evaluate((c) => window.tabvm.exec(c), PYTHON_STARTUP);
        if (r.status !== 0) throw new Error(`python3 failed: ${r.output}`);
        const [cold, ...warm] = r.output.trim().split('\n').map(Number);
        python.cold.push(cold);
        python.warm.push(median(warm));
      }
      await page.close();
    }
  }
} finally {
  await browser.close();
  preview.close();
}
console.log(`| image | boot to prompt, median of ${rounds} (s) | best (s) | root disk bytes fetched, first boot (MiB) |`);
console.log('| --- | --- | --- | --- |');
for (const n of images) {
  const ms = results[n].map((x) => x.ms);
  console.log(`| ${n} | ${(median(ms) / 1000).toFixed(2)} | ${(Math.min(...ms) / 1000).toFixed(2)} | ${(results[n][0].fetched / 2 ** 20).toFixed(1)} |`);
}
if (python.cold.length) {
  console.log(`python3 -c pass in the Debian guest (Chromium): first run after boot median ${median(python.cold)} ms ` +
    `(${python.cold.join(', ')}), then median ${median(python.warm)} ms (${python.warm.join(', ')})`);
}
