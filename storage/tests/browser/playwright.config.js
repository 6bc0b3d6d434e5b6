// Runs storage.spec.js on its own (npx playwright test -c storage/tests/browser). The spec
// starts its own server and browsers, so it needs no webServer; e2e/ can include it as is.
import { defineConfig } from '@playwright/test';
import os from 'node:os';
import path from 'node:path';

export default defineConfig({
  testDir: '.',
  testMatch: 'storage.spec.js',
  timeout: 120_000,
  workers: 1,
  reporter: [['list']],
  outputDir: path.join(os.tmpdir(), 'tabvm-storage-test-results'),
});
