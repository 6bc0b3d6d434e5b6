// How many WebSocket messages of one Ethernet frame (1514 bytes) a Chromium worker receives per
// second from a local server, with nothing else done per message: the ceiling the relay's
// framing (one frame per message) puts on a download in the page (docs/performance.md,
// "Network"). Usage: node bench/net/ws_rate.js
import { chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { WebSocketServer } from 'ws';
import { createServer } from 'node:http';
const http = createServer((q, r) => r.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>x</body></html>')).listen(0, '127.0.0.1');
await new Promise((r) => http.on('listening', r));
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
await new Promise((r) => wss.on('listening', r));
const N = 20000, frame = Buffer.alloc(1514, 1);
wss.on('connection', (ws) => { ws.on('message', () => { for (let i = 0; i < N; i++) ws.send(frame); }); });
const browser = await chromium.launch({ executablePath: execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim(), args: ['--no-sandbox'] });
const page = await browser.newPage();
await page.goto(`http://127.0.0.1:${http.address().port}/`);
const ms = await page.evaluate(async ({ port, N }) => {
  const src = `onmessage = (e) => { const ws = new WebSocket(e.data); ws.binaryType = 'arraybuffer'; let n = 0, t0;
    ws.onopen = () => { t0 = performance.now(); ws.send('go'); };
    ws.onmessage = () => { if (++n === ${N}) postMessage(performance.now() - t0); }; };`;
  const w = new Worker(URL.createObjectURL(new Blob([src])));
  const p = new Promise((r) => { w.onmessage = (e) => r(e.data); });
  w.postMessage(`ws://127.0.0.1:${port}/`);
  return p;
}, { port: wss.address().port, N });
console.log(`chromium worker: ${N} messages of 1514 bytes in ${ms.toFixed(0)} ms = ${(N / ms * 1000).toFixed(0)} msg/s, ${(N * 1514 / ms / 1000).toFixed(1)} MB/s`);
await browser.close(); wss.close(); http.close(); process.exit(0);
