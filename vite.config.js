// Vite serves and builds the page (ui/). SharedArrayBuffer needs a cross-origin isolated page,
// so every response carries COOP/COEP. The built Wasm modules and guest image are staged into
// build/public/assets by `make page` and served as static files.
import { defineConfig } from 'vite';

const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: 'ui',
  base: './',
  publicDir: '../build/public',
  build: { outDir: '../build/dist', emptyOutDir: true, target: 'es2022' },
  worker: { format: 'es' },
  server: { headers: isolation, fs: { allow: ['..'] } },
  preview: { headers: isolation },
});
