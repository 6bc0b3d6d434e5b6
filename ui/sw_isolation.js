// Cross-origin isolation from the service worker: SharedArrayBuffer needs the page (and its
// workers) served with COOP/COEP. Hosts that can send the headers do (vite.config.js); for the
// rest, the service worker adds them to every same-origin response it hands out.
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** The same response with the isolation headers (opaque and error responses cannot be changed). */
export function withIsolation(response) {
  if (!response || response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [k, v] of Object.entries(ISOLATION_HEADERS)) headers.set(k, v);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** A Workbox plugin: the response a strategy hands to the page gets the headers. */
export const isolationPlugin = {
  handlerWillRespond: async ({ response }) => withIsolation(response),
};
