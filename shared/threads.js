// What differs between a browser worker and a Node worker_threads worker, in one place, so the
// same worker modules run in the page and under the CLI.
const isNode = typeof process !== 'undefined' && !!process.versions?.node;

/** The Comlink endpoint of the current worker. */
export async function workerEndpoint() {
  if (!isNode) return self;
  const { parentPort } = await import('node:worker_threads');
  const { default: nodeEndpoint } = await import('comlink/dist/esm/node-adapter.mjs');
  return nodeEndpoint(parentPort);
}

/** Lets queued messages run, without the 4 ms clamp of nested timers. */
export function yieldToEventLoop() {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(0);
  });
}

/**
 * Starts a worker_threads worker (Node) and returns its Comlink endpoint and a way to end it.
 * The page starts its Web Workers itself (ui/tabvm.js), where the bundler can see them.
 * @param {URL} url
 */
export async function spawnWorker(url) {
  const { Worker } = await import('node:worker_threads');
  const { default: nodeEndpoint } = await import('comlink/dist/esm/node-adapter.mjs');
  const w = new Worker(url);
  w.unref();
  return { endpoint: nodeEndpoint(w), terminate: () => w.terminate() };
}
