// The service worker (built by vite-plugin-pwa, injectManifest): precaches the app shell, the
// Wasm modules, the kernel and the initramfs (Workbox, one versioned cache per build); keeps the
// root images' blocks that were read (sw_image_blocks.js); and adds the cross-origin isolation
// headers to every same-origin response, so a static host that cannot send them still gets a
// page with SharedArrayBuffer (ui/pwa.js reloads once when that is needed).
import { precacheAndRoute, cleanupOutdatedCaches, createHandlerBoundToURL, addPlugins } from 'workbox-precaching';
import { registerRoute, NavigationRoute } from 'workbox-routing';
import { NetworkFirst, NetworkOnly } from 'workbox-strategies';
import { RangeRequestsPlugin } from 'workbox-range-requests';
import { clientsClaim } from 'workbox-core';
import { withIsolation, isolationPlugin } from './sw_isolation.js';
import { ImageBlocks } from './sw_image_blocks.js';

// The list is filled in at build time: every file with its revision, so a new build installs a
// new version next to the old one and the old cache is dropped once the new worker activates.
const manifest = self.__WB_MANIFEST;

// The first install downloads ~6.5 MB before the first boot: the page shows how far it got.
let installed = 0;
const installProgress = {
  cacheDidUpdate: async () => {
    installed++;
    for (const c of await self.clients.matchAll({ type: 'window', includeUncontrolled: true })) {
      c.postMessage({ type: 'PRECACHE_PROGRESS', done: installed, total: manifest.length });
    }
  },
};

// Precached files answer Range requests too (a slice of the cached whole), and carry the headers.
addPlugins([new RangeRequestsPlugin(), isolationPlugin, installProgress]);
precacheAndRoute(manifest);
cleanupOutdatedCaches();

const sameOrigin = (url) => url.origin === self.location.origin;

// Every navigation in scope (index.html, ?image=tiny, …) is the precached page.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));

// The image list: fresh when online, the last one seen when offline.
registerRoute(({ url }) => sameOrigin(url) && url.pathname.endsWith('/images/images.json'),
  new NetworkFirst({ cacheName: 'tabvm-image-list', networkTimeoutSeconds: 5, plugins: [isolationPlugin] }));

// Root images are read in blocks with HTTP Range; the blocks read are kept for offline use.
const blocks = new ImageBlocks();
registerRoute(({ url, request }) => sameOrigin(url) && blocks.handles(url, request),
  { handle: ({ request }) => blocks.respond(request).then(withIsolation) });

// Everything else from this origin: the network, with the isolation headers added.
registerRoute(({ url }) => sameOrigin(url), new NetworkOnly({ plugins: [isolationPlugin] }));

// The page's "reload" button on the update prompt (ui/pwa.js) lets the waiting version take over.
self.addEventListener('message', (event) => {
  if (event.data?.type === 'SKIP_WAITING') self.skipWaiting();
  if (event.data?.type === 'IMAGE_BLOCKS_RESET') blocks.forget();
});

// The first version takes the open page at once, so the first boot's image reads are kept.
clientsClaim();
