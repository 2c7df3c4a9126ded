// Pure helpers of the draw panel and "Inside the network": colour scales, tensor slicing,
// tile packing, stroke geometry and the probability read-out.
import { describe, expect, it } from 'vitest';
import {
  channelOf,
  convKernel,
  denseColumn,
  divergingColour,
  gridFor,
  packTiles,
  scaleFor,
  sequentialColour,
  toRgba,
} from '../../web/src/draw/heatmap';
import { announcement, classBars, formatPercent } from '../../web/src/draw/probabilities';
import { closingSegment, lastSegment, penWidth, toCanvas } from '../../web/src/draw/stroke';

describe('colour scales', () => {
  it('diverging: blue for negative, near-white at zero, orange for positive, clamped', () => {
    const [nr, , nb] = divergingColour(-1, 1);
    const [pr, , pb] = divergingColour(1, 1);
    expect(nb).toBeGreaterThan(nr); // blue
    expect(pr).toBeGreaterThan(pb); // orange
    expect(divergingColour(0, 1)).toEqual([247, 247, 247]);
    expect(divergingColour(-5, 1)).toEqual(divergingColour(-1, 1));
    expect(divergingColour(3, 0)).toEqual([247, 247, 247]); // all-zero weights
  });

  it('diverging: lightness rises towards zero on both sides (readable in greyscale)', () => {
    const luma = ([r, g, b]: readonly number[]): number => 0.299 * r! + 0.587 * g! + 0.114 * b!;
    for (const sign of [-1, 1]) {
      let prev = -1;
      for (let t = 1; t >= 0; t -= 0.125) {
        const l = luma(divergingColour(sign * t, 1));
        expect(l).toBeGreaterThan(prev);
        prev = l;
      }
    }
  });

  it('sequential: viridis ends, monotone lightness, NaN-safe', () => {
    expect(sequentialColour(0, 0, 1)).toEqual([68, 1, 84]);
    expect(sequentialColour(1, 0, 1)).toEqual([253, 231, 37]);
    expect(sequentialColour(NaN, 0, 1)).toEqual([68, 1, 84]);
  });

  it('picks diverging for signed data and sequential for non-negative data', () => {
    expect(scaleFor([0, 1, 2])).toEqual({ kind: 'sequential', min: 0, max: 2 });
    expect(scaleFor([-3, 1])).toEqual({ kind: 'diverging', maxAbs: 3 });
    expect(scaleFor([0.5, 1], true)).toEqual({ kind: 'diverging', maxAbs: 1 });
  });

  it('toRgba: opaque pixels for values, transparent for NaN gaps', () => {
    const rgba = toRgba([0, NaN, 1], 3, 1, { kind: 'sequential', min: 0, max: 1 });
    expect(Array.from(rgba.subarray(0, 4))).toEqual([68, 1, 84, 255]);
    expect(rgba[7]).toBe(0);
    expect(rgba[11]).toBe(255);
  });
});

describe('tensor slicing', () => {
  it('channelOf reads one NHWC channel', () => {
    // 2x2x3 where value = 10 * pixel + channel
    const v = Float32Array.from({ length: 12 }, (_, i) => 10 * Math.floor(i / 3) + (i % 3));
    expect(Array.from(channelOf(v, [2, 2, 3], 2))).toEqual([2, 12, 22, 32]);
  });

  it('convKernel reads [kh, kw, Cin, Cout] weights', () => {
    const shape = [2, 3, 2, 4];
    const v = new Float32Array(2 * 3 * 2 * 4);
    // weight(y, x, ci, co) = 1000y + 100x + 10ci + co
    for (let y = 0; y < 2; y++)
      for (let x = 0; x < 3; x++)
        for (let ci = 0; ci < 2; ci++)
          for (let co = 0; co < 4; co++) v[((y * 3 + x) * 2 + ci) * 4 + co] = 1000 * y + 100 * x + 10 * ci + co;
    expect(Array.from(convKernel(v, shape, 1, 3))).toEqual([13, 113, 213, 1013, 1113, 1213]);
  });

  it('denseColumn reads the incoming weights of one unit of [in, out]', () => {
    const v = Float32Array.from([1, 2, 3, 4, 5, 6]); // in = 3, out = 2
    expect(Array.from(denseColumn(v, [3, 2], 1))).toEqual([2, 4, 6]);
  });

  it('gridFor and packTiles lay tiles out with gaps', () => {
    expect(gridFor(784)).toEqual({ cols: 28, rows: 28 });
    expect(gridFor(10)).toEqual({ cols: 4, rows: 3 });
    const t = Float32Array.from([1, 2, 3, 4]);
    const p = packTiles([t, t, t], 2, 2, 2);
    expect(p.width).toBe(5);
    expect(p.height).toBe(5);
    expect(p.values[0]).toBe(1);
    expect(p.values[2]).toBeNaN(); // gap column
    expect(p.values[3]).toBe(1); // second tile
    expect(p.values[3 * 5]).toBe(1); // third tile, second row
    expect(p.values[4 * 5 + 4]).toBeNaN(); // empty slot
  });
});

describe('strokes', () => {
  it('joins successive midpoints with the sample points as control points', () => {
    expect(lastSegment([{ x: 0, y: 0 }])).toBeNull();
    expect(lastSegment([{ x: 0, y: 0 }, { x: 10, y: 0 }])).toEqual({
      from: { x: 0, y: 0 },
      control: { x: 0, y: 0 },
      to: { x: 5, y: 0 },
    });
    const s = lastSegment([{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 10 }])!;
    expect(s).toEqual({ from: { x: 5, y: 0 }, control: { x: 10, y: 0 }, to: { x: 10, y: 5 } });
    expect(closingSegment([{ x: 0, y: 0 }, { x: 10, y: 10 }])!.to).toEqual({ x: 10, y: 10 });
  });

  it('maps client coordinates of a CSS-scaled canvas and clamps to it', () => {
    const rect = { left: 100, top: 50, width: 140, height: 140 }; // 280 canvas shown at 140 px
    expect(toCanvas(170, 120, rect, 280, 280)).toEqual({ x: 140, y: 140 });
    expect(toCanvas(0, 1000, rect, 280, 280)).toEqual({ x: 0, y: 280 });
  });

  it('pen width is about 1/14 of the pad', () => {
    expect(penWidth(280)).toBe(20);
    expect(penWidth(10)).toBe(2);
  });
});

describe('probability read-out', () => {
  it('formats percentages', () => {
    expect(formatPercent(0.934)).toBe('93%');
    expect(formatPercent(0.001)).toBe('<1%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(NaN)).toBe('–');
  });

  it('marks the top class, labels two-class models with their digits, and announces it', () => {
    const bars = classBars([0.2, 0.8], [3, 8]);
    expect(bars.map((b) => [b.label, b.top])).toEqual([
      [3, false],
      [8, true],
    ]);
    expect(announcement(bars)).toBe('The network reads 8 (80% sure, next 3 at 20%).');
    const p = new Float32Array(10);
    p[7] = 0.97;
    p[1] = 0.03;
    expect(announcement(classBars(p, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]))).toBe('The network reads 7 (97% sure).');
  });
});
