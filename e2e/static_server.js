// A plain static file server, as a cheap web host is: files (with HTTP Range, as every real
// host has), no cross-origin isolation headers, optionally under a subpath. The PWA tests serve
// `make dist` output with it; `setRoot` swaps the folder (a new version deployed).
// usage: node e2e/static_server.js DIR PORT [/sub/path/]
import http from 'node:http';
import sirv from 'sirv';

/** port 0 (the default) takes a free one: test runs side by side never meet. */
export function startStaticServer({ root, port = 0, prefix = '/' }) {
  let serve = sirv(root, { dev: true, etag: true });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (!url.pathname.startsWith(prefix)) {
      res.writeHead(404).end('not here');
      return;
    }
    req.url = '/' + req.url.slice(prefix.length);
    serve(req, res, () => res.writeHead(404).end('not found'));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve({
      url: `http://127.0.0.1:${server.address().port}${prefix}`,
      setRoot: (dir) => { serve = sirv(dir, { dev: true, etag: true }); },
      close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
    }));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [root, port, prefix = '/'] = process.argv.slice(2);
  const s = await startStaticServer({ root, port: Number(port), prefix });
  console.log(`serving ${root} at ${s.url} (no isolation headers)`);
}
