// Vite serves and builds the page (ui/). SharedArrayBuffer needs a cross-origin isolated page,
// so every response carries COOP/COEP. The built Wasm modules, kernel and initramfs are staged
// into build/public/assets by `make page` and bundled as static files. Root filesystem images
// (hundreds of MiB, mostly holes) are not bundled: they are served from build/images at
// ./images/ with HTTP Range support, for the page to stream lazily. The web app manifest and the
// service worker (offline, and isolation on hosts without these headers): ui/pwa_config.js.
import { defineConfig } from 'vite';
import sirv from 'sirv';
import { tabvmPWA } from './ui/pwa_config.js';

const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Serves build/images at ./images/ in `vite` and `vite preview`. */
function rootImages() {
  const serve = sirv('build/images', {
    dev: true, // read the folder on each request: `make page` may restage it under a running server
    etag: true,
    setHeaders: (res) => {
      for (const [k, v] of Object.entries(isolation)) res.setHeader(k, v);
      res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
      res.setHeader('Cache-Control', 'no-cache'); // names carry the hash; revalidate the list
    },
  });
  const mount = (server) => {
    server.middlewares.use('/images', serve);
  };
  return { name: 'tabvm-root-images', configureServer: mount, configurePreviewServer: mount };
}

export default defineConfig({
  root: 'ui',
  base: './',
  publicDir: '../build/public',
  build: { outDir: '../build/dist', emptyOutDir: true, target: 'es2022' },
  worker: { format: 'es' },
  plugins: [rootImages(), tabvmPWA()],
  server: { headers: isolation, fs: { allow: ['..'] } },
  preview: { headers: isolation },
});
