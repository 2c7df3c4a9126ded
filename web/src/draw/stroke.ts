// Stroke geometry for the drawing pad. Pure: no DOM.
//
// Strokes are smoothed with quadratic Bézier curves through the midpoints of successive input
// points (the control points are the input points themselves), the usual way to turn jittery
// pointer samples into a smooth line without lagging behind the pointer.

export interface StrokePoint {
  readonly x: number;
  readonly y: number;
}

/** A piece of path: from `from`, a quadratic curve with `control` to `to`. */
export interface CurveSegment {
  readonly from: StrokePoint;
  readonly control: StrokePoint;
  readonly to: StrokePoint;
}

const mid = (a: StrokePoint, b: StrokePoint): StrokePoint => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });

/**
 * The segment to draw when `points` (the stroke so far, at least two points) gains its last
 * point: from the previous midpoint (or the start) through the previous point to the new midpoint.
 */
export function lastSegment(points: readonly StrokePoint[]): CurveSegment | null {
  const n = points.length;
  if (n < 2) return null;
  const prev = points[n - 2]!;
  const last = points[n - 1]!;
  const from = n === 2 ? prev : mid(points[n - 3]!, prev);
  return { from, control: prev, to: mid(prev, last) };
}

/** The closing piece of a finished stroke: from the last midpoint straight to the last point. */
export function closingSegment(points: readonly StrokePoint[]): CurveSegment | null {
  const n = points.length;
  if (n < 2) return null;
  const last = points[n - 1]!;
  const from = mid(points[n - 2]!, last);
  return { from, control: from, to: last };
}

/** Map a client (CSS pixel) position to canvas pixels, for a canvas that CSS may scale. */
export function toCanvas(
  clientX: number,
  clientY: number,
  rect: { left: number; top: number; width: number; height: number },
  canvasWidth: number,
  canvasHeight: number,
): StrokePoint {
  const x = ((clientX - rect.left) / Math.max(1, rect.width)) * canvasWidth;
  const y = ((clientY - rect.top) / Math.max(1, rect.height)) * canvasHeight;
  return { x: Math.min(canvasWidth, Math.max(0, x)), y: Math.min(canvasHeight, Math.max(0, y)) };
}

/**
 * Pen width in canvas pixels for a pad of `side` pixels. MNIST strokes are about 2-2.5 px wide in
 * the 20 px box, i.e. ~1/9 of the digit's height; people draw a digit over about 2/3 of the pad,
 * so 1/14 of the pad gives MNIST-like strokes after preprocessing.
 */
export function penWidth(side: number): number {
  return Math.max(2, Math.round(side / 14));
}
