// What the browser benchmarks share: the built page under `vite preview` on a port of their own,
// and Debian's Chromium driven by Playwright.
import { chromium } from '@playwright/test';
import { spawn, execFileSync } from 'node:child_process';

/** Starts `vite preview` (extra: more CLI arguments) and resolves to { url, close }. */
export async function startPreview(port, extra = []) {
  const server = spawn('npx', ['vite', 'preview', ...extra, '--port', String(port), '--strictPort', '--host', '127.0.0.1'],
    { stdio: 'ignore', detached: true });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(url)).ok) break; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, close: () => { try { process.kill(-server.pid); } catch { /* gone */ } } };
}

export function launchChromium() {
  return chromium.launch({
    executablePath: execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
