// The heat-map helpers of the draw panel and "Inside the network" (web/src/draw/heatmap.ts):
// colour scales and ramps, value ranges, tensor slicing and tile layouts. Exact answers sit at the
// points where an off-by-one, a flipped comparison or a lost clamp shows (expected colours are
// worked out from the stop tables), beside the properties a picture needs.
import { describe, expect, it } from 'vitest';
import {
  channelOf,
  colourOf,
  convKernel,
  denseColumn,
  divergingColour,
  gridFor,
  packTiles,
  scaleFor,
  sequentialColour,
  toRgba,
  valueRange,
} from '../../web/src/draw/heatmap';

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

describe('colour ramps', () => {
  it('diverging: stops at -1, -0.5, 0, 0.5, 1 of maxAbs, rounded halfway between', () => {
    expect(divergingColour(-2, 2)).toEqual([33, 102, 172]);
    expect(divergingColour(-1, 2)).toEqual([146, 197, 222]);
    expect(divergingColour(1, 2)).toEqual([253, 184, 99]);
    expect(divergingColour(2, 2)).toEqual([179, 88, 6]); // the last stop itself
    // 0.5 of maxAbs 2 is a quarter: halfway from white (247, 247, 247) to (253, 184, 99).
    expect(divergingColour(0.5, 2)).toEqual([250, 216, 173]);
    // -1.5 of 2: halfway from (33, 102, 172) to (146, 197, 222): 89.5, 149.5, 197.
    expect(divergingColour(-1.5, 2)).toEqual([90, 150, 197]);
    expect(divergingColour(1, -1)).toEqual([247, 247, 247]); // no range: the centre
    expect(divergingColour(9, 2)).toEqual([179, 88, 6]);
  });

  it('sequential: viridis stops at 0, 1/4, 1/2, 3/4, 1 of the range, clamped, NaN-safe', () => {
    expect(sequentialColour(3, 2, 6)).toEqual([59, 82, 139]);
    expect(sequentialColour(4, 2, 6)).toEqual([33, 145, 140]);
    expect(sequentialColour(5, 2, 6)).toEqual([94, 201, 98]);
    expect(sequentialColour(6, 2, 6)).toEqual([253, 231, 37]);
    // 1/8: halfway from (68, 1, 84) to (59, 82, 139): 63.5, 41.5, 111.5 round up.
    expect(sequentialColour(2.5, 2, 6)).toEqual([64, 42, 112]);
    expect(sequentialColour(1, 2, 6)).toEqual([68, 1, 84]);
    expect(sequentialColour(99, 2, 6)).toEqual([253, 231, 37]);
    expect(sequentialColour(Infinity, 2, 6)).toEqual([68, 1, 84]);
    expect(sequentialColour(5, 5, 5)).toEqual([68, 1, 84]); // empty range
    expect(sequentialColour(5, 6, 2)).toEqual([68, 1, 84]);
  });

  it('colourOf follows the scale kind', () => {
    expect(colourOf(1, { kind: 'diverging', maxAbs: 2 })).toEqual([253, 184, 99]);
    expect(colourOf(3, { kind: 'sequential', min: 2, max: 6 })).toEqual([59, 82, 139]);
  });
});

describe('value ranges and scales', () => {
  it('valueRange skips NaN and infinities; nothing finite is [0, 0]', () => {
    expect(valueRange([NaN, Infinity, -2, 5, -Infinity, 1])).toEqual({ min: -2, max: 5 });
    expect(valueRange([3])).toEqual({ min: 3, max: 3 });
    expect(valueRange([])).toEqual({ min: 0, max: 0 });
    expect(valueRange([NaN, -Infinity])).toEqual({ min: 0, max: 0 });
    expect(valueRange([4, 2, 7, 1])).toEqual({ min: 1, max: 7 });
  });

  it('scaleFor: sequential from 0 for non-negative data, diverging over the larger magnitude', () => {
    expect(scaleFor([2, 5])).toEqual({ kind: 'sequential', min: 0, max: 5 });
    expect(scaleFor([0, 0])).toEqual({ kind: 'sequential', min: 0, max: 0 });
    expect(scaleFor([-1, 4])).toEqual({ kind: 'diverging', maxAbs: 4 });
    expect(scaleFor([-6, 4])).toEqual({ kind: 'diverging', maxAbs: 6 });
    expect(scaleFor([2, 5], true)).toEqual({ kind: 'diverging', maxAbs: 5 });
  });

  it('toRgba: every pixel, missing values and non-finite ones transparent', () => {
    const rgba = toRgba([-2, NaN, 2, Infinity], 3, 2, { kind: 'diverging', maxAbs: 2 });
    expect(Array.from(rgba)).toEqual([33, 102, 172, 255, 0, 0, 0, 0, 179, 88, 6, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(toRgba([6, 2, 4, 5], 1, 1, { kind: 'sequential', min: 2, max: 6 }))).toEqual([253, 231, 37, 255]);
  });

  it('toRgba: colours between the stops, by hand from the ramps', () => {
    // maxAbs 4: -2 sits at a quarter (the light-blue stop), 1 and 3 half-way between stops.
    expect(Array.from(toRgba([-2, 1, 3], 3, 1, { kind: 'diverging', maxAbs: 4 }))).toEqual([
      146, 197, 222, 255, 250, 216, 173, 255, 216, 136, 53, 255,
    ]);
    // All-zero weights (maxAbs 0) are white.
    expect(Array.from(toRgba([3], 1, 1, { kind: 'diverging', maxAbs: 0 }))).toEqual([247, 247, 247, 255]);
    // Over 2..6: 3 and 5 sit on the second and fourth viridis stops.
    expect(Array.from(toRgba([3, 5], 2, 1, { kind: 'sequential', min: 2, max: 6 }))).toEqual([59, 82, 139, 255, 94, 201, 98, 255]);
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

describe('slices and layouts', () => {
  it('convKernel and denseColumn with missing shape entries are empty', () => {
    expect(convKernel([1, 2, 3], [], 0, 0).length).toBe(0);
    expect(denseColumn([1, 2, 3], [], 0).length).toBe(0);
    expect(Array.from(denseColumn([1, 2, 3, 4, 5, 6], [3, 2], 0))).toEqual([1, 3, 5]);
  });

  it('gridFor: near-square, never empty', () => {
    expect(gridFor(0)).toEqual({ cols: 1, rows: 1 });
    expect(gridFor(1)).toEqual({ cols: 1, rows: 1 });
    expect(gridFor(2)).toEqual({ cols: 2, rows: 1 });
    expect(gridFor(5)).toEqual({ cols: 3, rows: 2 });
    expect(gridFor(9)).toEqual({ cols: 3, rows: 3 });
  });

  it('packTiles: the whole image, with and without gaps', () => {
    const a = Float32Array.from([1, 2, 3, 4]);
    const b = Float32Array.from([5, 6, 7, 8]);
    const c = Float32Array.from([9, 10, 11, 12]);
    const n = NaN;
    const gapped = packTiles([a, b, c], 2, 2, 2);
    expect({ w: gapped.width, h: gapped.height }).toEqual({ w: 5, h: 5 });
    expect(Array.from(gapped.values)).toEqual([1, 2, n, 5, 6, 3, 4, n, 7, 8, n, n, n, n, n, 9, 10, n, n, n, 11, 12, n, n, n]);
    const tight = packTiles([a, b, c], 2, 2, 5, 0); // more room per row than tiles
    expect({ w: tight.width, h: tight.height }).toEqual({ w: 6, h: 2 });
    expect(Array.from(tight.values)).toEqual([1, 2, 5, 6, 9, 10, 3, 4, 7, 8, 11, 12]);
    const none = packTiles([], 2, 3, 4);
    expect({ w: none.width, h: none.height }).toEqual({ w: 2, h: 3 });
    expect(Array.from(none.values).every(Number.isNaN)).toBe(true);
  });
});
