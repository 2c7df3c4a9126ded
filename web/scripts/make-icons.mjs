#!/usr/bin/env node
// Writes the web app manifest's icons (web/public/icons/*.png) from the favicon's drawing in
// web/index.html: a blue rounded square, two nodes joined by an edge. PNG written here (zlib
// deflate + CRC-32 from node:zlib); 4x4 supersampling for smooth edges.
//   node web/scripts/make-icons.mjs
import { writeFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';

const out = new URL('../public/icons/', import.meta.url);
const BLUE = [0x00, 0x72, 0xb2];
const ORANGE = [0xe6, 0x9f, 0x00];
const WHITE = [0xff, 0xff, 0xff];

// Colour at (x, y) in favicon units (0..16), or null outside the shape. `bleed` fills the whole
// square (maskable icons: the platform cuts its own shape) and shrinks the drawing to the safe zone.
function shade(x, y, bleed) {
  if (bleed) {
    x = 8 + (x - 8) / 0.8;
    y = 8 + (y - 8) / 0.8;
  } else {
    const r = 3;
    const cx = Math.min(Math.max(x, r), 16 - r);
    const cy = Math.min(Math.max(y, r), 16 - r);
    if (x < 0 || y < 0 || x > 16 || y > 16 || (x - cx) ** 2 + (y - cy) ** 2 > r * r) return null;
  }
  if ((x - 11) ** 2 + (y - 11) ** 2 <= 4) return ORANGE;
  if ((x - 5) ** 2 + (y - 5) ** 2 <= 4) return WHITE;
  // The edge from (5, 5) to (11, 11), half a unit wide.
  const t = Math.min(Math.max((x - 5 + (y - 5)) / 12, 0), 1);
  if ((x - 5 - 6 * t) ** 2 + (y - 5 - 6 * t) ** 2 <= 0.25 ** 2) return WHITE;
  return BLUE;
}

function png(size, bleed) {
  const S = 4;
  const rows = [];
  for (let py = 0; py < size; ++py) {
    const row = Buffer.alloc(1 + size * 4); // filter byte 0, then RGBA
    for (let px = 0; px < size; ++px) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < S; ++sy) {
        for (let sx = 0; sx < S; ++sx) {
          const c = shade(((px + (sx + 0.5) / S) * 16) / size, ((py + (sy + 0.5) / S) * 16) / size, bleed);
          if (!c) continue;
          for (let k = 0; k < 3; ++k) acc[k] += c[k];
          acc[3] += 1;
        }
      }
      const a = acc[3];
      for (let k = 0; k < 3; ++k) row[1 + px * 4 + k] = a ? Math.round(acc[k] / a) : 0;
      row[1 + px * 4 + 3] = Math.round((255 * a) / (S * S));
    }
    rows.push(row);
  }
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

for (const [name, size, bleed] of [
  ['icon-192.png', 192, false],
  ['icon-512.png', 512, false],
  ['icon-maskable-512.png', 512, true],
]) {
  writeFileSync(new URL(name, out), png(size, bleed));
  console.log(`wrote web/public/icons/${name}`);
}
