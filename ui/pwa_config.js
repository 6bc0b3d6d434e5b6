// vite-plugin-pwa's options (used by vite.config.js): the web app manifest and the service
// worker build. The worker is our own (ui/sw.js, "injectManifest"): Workbox modules for the
// precache and routing, plus what Workbox has no module for (isolation headers, image blocks).
import { readFileSync } from 'node:fs';
import { VitePWA } from 'vite-plugin-pwa';

export const THEME = '#1e222a';

/** The icons ui/make_icons.js draws into build/public/icons (make page). */
const icons = [
  { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
  { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
  { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
];

// The build's name, shown on the page (data-build on <html>): the package version, or TABVM_BUILD
// (the update test builds a second, different version with it).
const BUILD = process.env.TABVM_BUILD ?? JSON.parse(readFileSync(new URL('../package.json', import.meta.url))).version;

export function tabvmPWA() {
  const buildName = { name: 'tabvm-build-name', config: () => ({ define: { __TABVM_BUILD__: JSON.stringify(BUILD) } }) };
  return [buildName, VitePWA({
    strategies: 'injectManifest',
    srcDir: '.',
    filename: 'sw.js',
    registerType: 'prompt', // a new version waits until the person chooses to reload (ui/pwa.js)
    injectRegister: false, // ui/pwa.js registers it (it must also handle the isolation reload)
    includeManifestIcons: false, // the glob below has them already
    manifest: {
      id: './',
      name: 'TabVM — Linux in a tab',
      short_name: 'TabVM',
      description: 'A RISC-V 64 Linux machine running in your browser, offline once loaded.',
      start_url: './',
      scope: './',
      display: 'standalone',
      theme_color: THEME,
      background_color: THEME,
      icons,
    },
    injectManifest: {
      // The app shell, every Wasm module, the kernel and the initramfs: ~6 MB, enough to boot
      // the in-RAM guest offline; the root images' blocks are kept as they are read.
      globPatterns: ['**/*.{js,css,html,wasm,png}', 'assets/Image', 'assets/initramfs.cpio.gz'],
      maximumFileSizeToCacheInBytes: 64 << 20,
    },
    devOptions: { enabled: false },
  })];
}
