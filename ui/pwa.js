// The page's side of the service worker (ui/sw.js): registers it, waits until it controls the
// page before the machine starts (so the first boot's image reads are kept for offline use),
// reloads once when the host sent no isolation headers (the worker adds them from then on), and
// shows "a new version is available" with a Reload button when a new build is waiting.
import { registerSW } from 'virtual:pwa-register';

const RELOAD_FLAG = 'tabvm-isolation-reload';
// With the headers already there, the machine starts without the worker after this long (a slow
// first download of the precache must not hold up the first boot forever).
const ISOLATED_WAIT_MS = 20_000;

/**
 * @param {{onNeedRefresh?: (reload: () => void) => void, onStatus?: (text: string, fraction?: number) => void}} [o]
 * @returns {Promise<{ ok: true } | { ok: false, reloading?: true, why?: string }>}
 *   ok: start the machine; reloading: the page is reloading; why: a reason to show instead.
 */
export async function preparePage({ onNeedRefresh, onStatus = () => {} } = {}) {
  const isolated = globalThis.crossOriginIsolated === true;
  if (import.meta.env.DEV) return { ok: true }; // `vite` dev server: no service worker
  if (!('serviceWorker' in navigator)) {
    return isolated ? { ok: true } : { ok: false, why: noWorkerReason() };
  }
  const sw = navigator.serviceWorker;
  let registerError = null;
  const failed = new Promise((resolve) => {
    const update = registerSW({
      immediate: true,
      onNeedRefresh: () => onNeedRefresh?.(() => update(true)),
      onRegisterError: (e) => { registerError = e; resolve(); },
      onRegisteredSW: (_url, reg) => {
        if (!reg) return;
        // A tab left open for days still learns about new versions.
        setInterval(() => reg.update().catch(() => {}), 60 * 60 * 1000);
        // The first install fails when a precached file cannot be fetched: say so, don't wait.
        const w = reg.installing;
        w?.addEventListener('statechange', () => {
          if (w.state !== 'redundant' || sw.controller) return;
          registerError = new Error('it failed to install, because a file of this build could not be fetched ' +
            '(is the whole folder that make dist built on the host?)');
          resolve();
        });
      },
    });
  });
  if (!sw.controller) {
    onStatus('Installing for offline use…');
    sw.addEventListener('message', (e) => {
      if (e.data?.type === 'PRECACHE_PROGRESS' && !sw.controller) {
        onStatus(`Installing for offline use… ${Math.round((100 * e.data.done) / e.data.total)}%`, e.data.done / e.data.total);
      }
    });
    const claimed = new Promise((resolve) => sw.addEventListener('controllerchange', resolve, { once: true }));
    const waits = [claimed, failed];
    if (isolated) waits.push(new Promise((resolve) => setTimeout(resolve, ISOLATED_WAIT_MS)));
    await Promise.race(waits);
  }
  if (isolated) {
    sessionStorage.removeItem(RELOAD_FLAG);
    return { ok: true };
  }
  if (registerError) return { ok: false, why: `${noWorkerReason()} (the service worker did not register: ${registerError.message ?? registerError})` };
  if (!sessionStorage.getItem(RELOAD_FLAG)) {
    // The worker controls the page now, but this document was loaded without the headers:
    // loading it again through the worker gives it them. Once only, so a browser that still
    // refuses does not reload forever.
    sessionStorage.setItem(RELOAD_FLAG, '1');
    onStatus('Reloading once to enable cross-origin isolation…');
    location.reload();
    return { ok: false, reloading: true };
  }
  sessionStorage.removeItem(RELOAD_FLAG);
  return { ok: false, why: 'The service worker is running but the page is still not cross-origin isolated. ' + hostAdvice() };
}

function hostAdvice() {
  return 'Serve TabVM with the headers "Cross-Origin-Opener-Policy: same-origin" and ' +
    '"Cross-Origin-Embedder-Policy: require-corp" (docs/deploy.md), or open it in a current ' +
    'Chromium, Firefox or Safari window that is not private (private windows may block service workers).';
}

function noWorkerReason() {
  const insecure = !globalThis.isSecureContext;
  return 'TabVM needs SharedArrayBuffer, which browsers only allow on cross-origin isolated pages. ' +
    'This host does not send the isolation headers, and ' +
    (insecure ? 'this page is not served over HTTPS (or from localhost), so no service worker can add them. Open it over HTTPS. '
      : 'this browser offers no service worker to add them. ') + hostAdvice();
}
