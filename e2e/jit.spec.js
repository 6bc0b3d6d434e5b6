// The JIT switch in the page (docs/jit.md, "Turning the JIT on and off"): ?jit=off runs the
// interpreter only (main.js passes it to TabVM.start({ jit: false })), ?jit=on the JIT (the
// default is shared/machine.js's JIT_DEFAULT); a command gives the same answer in both, and the
// header and vm.stats() say which ran.
import { test, expect } from '@playwright/test';
import { bootPage, ok } from './guest.js';

test.describe.configure({ mode: 'serial' });

// A shell loop hot enough for the JIT's threshold many times over, checked against JS.
const LOOP = 'i=0; s=0; while [ $i -lt 2000 ]; do s=$(( (s + i * i % 7) % 1000003 )); i=$((i + 1)); done; echo $s';
let want = 0;
for (let i = 0; i < 2000; i++) want = (want + ((i * i) % 7)) % 1000003;

const jitStats = (page) => page.evaluate(async () => {
  const s = await window.tabvm.stats();
  return { ...s.jit, instructions: Number(s.instructions), machine: window.tabvm.jit };
});

test('?jit=off: the interpreter runs the command, and the header says "JIT off"', async ({ page }) => {
  const errors = await bootPage(page, './?image=tiny&jit=off');
  expect(await ok(page, LOOP)).toBe(`${want}\n`);
  await expect(page.locator('#jit-state')).toHaveText('JIT off');
  await expect(page.locator('#jit-state')).toHaveAttribute('title', /JIT was turned off/);
  const s = await jitStats(page);
  expect(s).toMatchObject({ enabled: false, status: 'off', machine: 'off', compiles: 0, jitInstret: 0 });
  expect(s.instructions).toBeGreaterThan(1e7);
  expect(errors).toEqual([]);
});

test('?jit=on: the JIT runs: the same answer, "JIT on", its counters in vm.stats()', async ({ page }) => {
  const errors = await bootPage(page, './?image=tiny&jit=on');
  expect(await ok(page, LOOP)).toBe(`${want}\n`);
  // Chromium runs what the JIT emits (shared/jit_host.js, jitSupported): 'unsupported: …' here
  // would mean the interpreter ran instead.
  await expect(page.locator('#jit-state')).toHaveText('JIT on');
  const s = await jitStats(page);
  expect(s).toMatchObject({ enabled: true, status: 'on', machine: 'on' });
  for (const k of ['compiles', 'liveRegions', 'codeBytes', 'jitInstret', 'exitsFault', 'exitsMmio', 'exitsLimit']) {
    expect(typeof s[k], k).toBe('number');
  }
  expect(s.compiles).toBeGreaterThan(0);
  expect(s.jitInstret).toBeGreaterThan(0);
  expect(errors).toEqual([]);
});
