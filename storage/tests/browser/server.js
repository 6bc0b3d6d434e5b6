// A tiny static server for the storage test page: serves the repository with the cross-origin
// isolation headers SharedArrayBuffer needs, maps the two bare imports storage/ uses onto
// node_modules (a browser resolves no bare specifiers, and import maps do not reach workers),
// and serves a generated image at /__image (with Range) and /__image-norange (without).
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const BARE = {
  'idb-keyval': '/node_modules/idb-keyval/dist/index.js',
  comlink: '/node_modules/comlink/dist/esm/comlink.mjs',
};
const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html', '.json': 'application/json' };
export const IMAGE_BYTES = 3 * (1 << 20) + 512;

/** The test image: byte i is (i * 7 + (i >> 12)) & 255, cheap to check anywhere. */
export function imageByte(i) {
  return (i * 7 + (i >> 12)) & 255;
}

function image() {
  const b = Buffer.alloc(IMAGE_BYTES);
  for (let i = 0; i < b.length; i++) b[i] = imageByte(i);
  return b;
}

export async function startServer(port = 0) {
  const img = image();
  const hits = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cache-Control': 'no-store' };
    if (url.pathname.startsWith('/__image')) {
      hits.push([url.pathname, req.headers.range ?? null]);
      const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
      if (m && url.pathname === '/__image') {
        const a = Number(m[1]);
        const b = Math.min(Number(m[2]), img.length - 1);
        res.writeHead(206, { ...headers, 'Content-Range': `bytes ${a}-${b}/${img.length}`, 'Content-Length': b - a + 1, 'Accept-Ranges': 'bytes' });
        return res.end(img.subarray(a, b + 1));
      }
      res.writeHead(200, { ...headers, 'Content-Length': img.length });
      return res.end(img);
    }
    const file = path.join(ROOT, path.normalize(decodeURIComponent(url.pathname)));
    if (!file.startsWith(ROOT + path.sep)) {
      res.writeHead(403, headers);
      return res.end();
    }
    try {
      let body = await fs.readFile(file);
      const ext = path.extname(file);
      if (ext === '.js' || ext === '.mjs') {
        body = body.toString('utf8').replace(/(from\s*|import\s*\(\s*)(['"])([^'"./][^'"]*)\2/g, (all, pre, q, spec) => BARE[spec] ? `${pre}${q}${BARE[spec]}${q}` : all);
      }
      res.writeHead(200, { ...headers, 'Content-Type': TYPES[ext] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404, headers);
      res.end();
    }
  });
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}/storage/tests/browser/index.html`,
    origin: `http://127.0.0.1:${server.address().port}`,
    hits,
    close: () => new Promise((r) => server.close(r)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const s = await startServer(Number(process.env.PORT ?? 0));
  console.log(s.url);
}
