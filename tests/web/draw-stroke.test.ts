// Stroke geometry of the drawing pad (web/src/draw/stroke.ts): pointer to canvas coordinates,
// pen width, and the segments a stroke paints, with exact answers at their boundaries.
import { describe, expect, it } from 'vitest';
import { closingSegment, lastSegment, penWidth, toCanvas } from '../../web/src/draw/stroke';

describe('strokes', () => {
  it('joins successive midpoints with the sample points as control points', () => {
    expect(lastSegment([{ x: 0, y: 0 }])).toBeNull();
    expect(
      lastSegment([
        { x: 0, y: 0 },
        { x: 10, y: 0 },
      ]),
    ).toEqual({
      from: { x: 0, y: 0 },
      control: { x: 0, y: 0 },
      to: { x: 5, y: 0 },
    });
    const s = lastSegment([
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 10, y: 10 },
    ])!;
    expect(s).toEqual({ from: { x: 5, y: 0 }, control: { x: 10, y: 0 }, to: { x: 10, y: 5 } });
    expect(
      closingSegment([
        { x: 0, y: 0 },
        { x: 10, y: 10 },
      ])!.to,
    ).toEqual({ x: 10, y: 10 });
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

describe('strokes: exact segments', () => {
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
