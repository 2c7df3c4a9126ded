// Exact answers for the draw helpers at the points where an off-by-one, a flipped comparison or a
// lost clamp shows: colour-ramp interpolation between stops and at both ends, value ranges with
// non-finite values, tile layouts pixel by pixel, stroke segments, and the percent and sentence
// boundaries of the probability read-out. Expected colours are worked out from the stop tables.
import { describe, expect, it } from 'vitest';
import {
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
import { announcement, classBars, formatPercent } from '../../web/src/draw/probabilities';
import { closingSegment, lastSegment, penWidth, toCanvas } from '../../web/src/draw/stroke';

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
    expect(Array.from(rgba)).toEqual([
      33, 102, 172, 255, 0, 0, 0, 0, 179, 88, 6, 255,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    expect(Array.from(toRgba([6, 2, 4, 5], 1, 1, { kind: 'sequential', min: 2, max: 6 }))).toEqual([253, 231, 37, 255]);
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
    expect(Array.from(gapped.values)).toEqual([
      1, 2, n, 5, 6,
      3, 4, n, 7, 8,
      n, n, n, n, n,
      9, 10, n, n, n,
      11, 12, n, n, n,
    ]);
    const tight = packTiles([a, b, c], 2, 2, 5, 0); // more room per row than tiles
    expect({ w: tight.width, h: tight.height }).toEqual({ w: 6, h: 2 });
    expect(Array.from(tight.values)).toEqual([1, 2, 5, 6, 9, 10, 3, 4, 7, 8, 11, 12]);
    const none = packTiles([], 2, 3, 4);
    expect({ w: none.width, h: none.height }).toEqual({ w: 2, h: 3 });
    expect(Array.from(none.values).every(Number.isNaN)).toBe(true);
  });
});

describe('strokes', () => {
  it('segments: midpoint to midpoint through the previous sample; closing straight to the end', () => {
    const pts = [
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 10, y: 10 },
      { x: 20, y: 30 },
    ];
    expect(lastSegment(pts)).toEqual({ from: { x: 10, y: 5 }, control: { x: 10, y: 10 }, to: { x: 15, y: 20 } });
    expect(lastSegment([])).toBeNull();
    expect(closingSegment(pts)).toEqual({ from: { x: 15, y: 20 }, control: { x: 15, y: 20 }, to: { x: 20, y: 30 } });
    expect(closingSegment([{ x: 1, y: 1 }])).toBeNull();
  });

  it('toCanvas: scales each axis, clamps each side, survives a zero-size rectangle', () => {
    const rect = { left: 10, top: 20, width: 100, height: 50 };
    expect(toCanvas(60, 45, rect, 200, 300)).toEqual({ x: 100, y: 150 });
    expect(toCanvas(0, 0, rect, 200, 300)).toEqual({ x: 0, y: 0 });
    expect(toCanvas(500, 500, rect, 200, 300)).toEqual({ x: 200, y: 300 });
    expect(toCanvas(10.5, 20.25, { left: 10, top: 20, width: 0, height: 0 }, 200, 300)).toEqual({ x: 100, y: 75 });
  });

  it('penWidth rounds side / 14, at least 2', () => {
    expect(penWidth(35)).toBe(3); // 2.5 rounds up
    expect(penWidth(20)).toBe(2);
    expect(penWidth(42)).toBe(3);
    expect(penWidth(140)).toBe(10);
  });
});

describe('probability read-out boundaries', () => {
  it('formatPercent: below 1% but not 0 reads "<1%", else rounded', () => {
    expect(formatPercent(0.01)).toBe('1%');
    expect(formatPercent(0.0099)).toBe('<1%');
    expect(formatPercent(0.995)).toBe('100%');
    expect(formatPercent(0.994)).toBe('99%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(Infinity)).toBe('–');
  });

  it('classBars: first of equal maxima is top; labels fall back to the index', () => {
    const bars = classBars([0.4, 0.4, 0.2], []);
    expect(bars).toEqual([
      { label: 0, probability: 0.4, percent: '40%', top: true },
      { label: 1, probability: 0.4, percent: '40%', top: false },
      { label: 2, probability: 0.2, percent: '20%', top: false },
    ]);
    expect(classBars([], [])).toEqual([]);
    expect(classBars([NaN, NaN], [3, 8]).some((b) => b.top)).toBe(false);
  });

  it('announcement: names the runner-up from 10% on, the larger of the rest', () => {
    expect(announcement([])).toBe('No prediction.');
    expect(announcement(classBars([0.5, 0.2, 0.3], [0, 1, 2]))).toBe('The network reads 0 (50% sure, next 2 at 30%).');
    expect(announcement(classBars([0.9, 0.1], [4, 9]))).toBe('The network reads 4 (90% sure, next 9 at 10%).');
    expect(announcement(classBars([0.91, 0.09], [4, 9]))).toBe('The network reads 4 (91% sure).');
    expect(announcement(classBars([1], [7]))).toBe('The network reads 7 (100% sure).');
  });
});
