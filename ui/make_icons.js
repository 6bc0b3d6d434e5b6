#!/usr/bin/env node
// Draws the app icons (a terminal prompt "> _" on a dark rounded tile) as PNGs at the sizes the
// manifest lists, so no binary image lives in the repository. PNG written by hand: RGBA rows,
// zlib from Node, CRC-32 below. usage: node ui/make_icons.js OUTDIR
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ICONS = [
  { file: 'icon-192.png', size: 192, maskable: false },
  { file: 'icon-512.png', size: 512, maskable: false },
  { file: 'icon-maskable-512.png', size: 512, maskable: true },
  { file: 'apple-touch-icon.png', size: 180, maskable: true },
  { file: 'favicon-32.png', size: 32, maskable: false },
];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

// Shapes in unit coordinates (0..1), coverage sampled 4×4 per pixel for smooth edges.
function inRoundedSquare(x, y, inset, r) {
  const cx = Math.min(Math.max(x, inset + r), 1 - inset - r);
  const cy = Math.min(Math.max(y, inset + r), 1 - inset - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r && x >= inset && x <= 1 - inset && y >= inset && y <= 1 - inset;
}
function distToSegment(px, py, ax, ay, bx, by) {
  const t = Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(px - (ax + t * (bx - ax)), py - (ay + t * (by - ay)));
}
function inGlyph(x, y, s, ox) {
  // "> _" scaled by s around the tile's centre, shifted by ox (the maskable icon's safe zone).
  const u = 0.5 + (x - 0.5) / s;
  const v = 0.5 + (y - 0.5) / s - ox;
  const stroke = 0.055;
  return distToSegment(u, v, 0.25, 0.32, 0.47, 0.5) < stroke || distToSegment(u, v, 0.47, 0.5, 0.25, 0.68) < stroke ||
    distToSegment(u, v, 0.55, 0.7, 0.77, 0.7) < stroke;
}

export function drawIcon(size, maskable) {
  const rgba = Buffer.alloc(size * size * 4);
  const bg = [0x1e, 0x22, 0x2a];
  const fg = [0x4e, 0xe0, 0x8a];
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let tile = 0;
      let glyph = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = (px + (sx + 0.5) / n) / size;
          const y = (py + (sy + 0.5) / n) / size;
          // A maskable icon fills the square (the platform cuts its own shape) and keeps the
          // glyph inside the central safe zone; the plain one is a rounded tile.
          const onTile = maskable || inRoundedSquare(x, y, 0.04, 0.18);
          if (onTile) tile++;
          if (onTile && inGlyph(x, y, maskable ? 0.7 : 1, 0)) glyph++;
        }
      }
      const a = tile / (n * n);
      const g = tile ? glyph / tile : 0;
      const o = (py * size + px) * 4;
      for (let c = 0; c < 3; c++) rgba[o + c] = Math.round(bg[c] * (1 - g) + fg[c] * g);
      rgba[o + 3] = Math.round(a * 255);
    }
  }
  return png(size, rgba);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node ui/make_icons.js OUTDIR');
    process.exit(2);
  }
  mkdirSync(out, { recursive: true });
  for (const { file, size, maskable } of ICONS) writeFileSync(join(out, file), drawIcon(size, maskable));
}
