// MNIST digits redrawn onto the drawing pad the way people draw: enlarged to a random size at a
// random place, with the pen thicker or thinner than MNIST's strokes. Used by the preprocessing
// tests (draw-preprocess.test.ts) and the pad benchmark (web/scripts/bench/pad-redraw.measure.ts).
import type { GreyImage } from '../../web/src/draw/preprocess';

/** The pad's side in canvas pixels (web/src/draw/pad.ts draws on a 280x280 canvas). */
export const PAD = 280;

/** Draw a 28x28 digit (0..1) enlarged `k` times (bilinear) with its top-left corner at (ox, oy). */
export function redraw(image: Float32Array, k: number, ox: number, oy: number): GreyImage {
  const data = new Uint8ClampedArray(PAD * PAD);
  const at = (x: number, y: number): number => (x < 0 || y < 0 || x > 27 || y > 27 ? 0 : image[y * 28 + x]!);
  const side = Math.ceil(28 * k);
  for (let Y = Math.floor(oy); Y < Math.min(PAD, oy + side); Y++) {
    for (let X = Math.floor(ox); X < Math.min(PAD, ox + side); X++) {
      const u = (X + 0.5 - ox) / k - 0.5;
      const v = (Y + 0.5 - oy) / k - 0.5;
      const x0 = Math.floor(u);
      const y0 = Math.floor(v);
      const fx = u - x0;
      const fy = v - y0;
      const val = (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x0 + 1, y0)) + fy * ((1 - fx) * at(x0, y0 + 1) + fx * at(x0 + 1, y0 + 1));
      data[Y * PAD + X] = Math.round(val * 255);
    }
  }
  return { width: PAD, height: PAD, data };
}

/** A redrawn digit and the enlargement it was drawn at. */
export interface Redrawn {
  image: GreyImage;
  /** Pad pixels per MNIST pixel. */
  k: number;
}

/** A random size (the 28x28 image enlarged 4-9 times, its ink 80..180 px) and place on the pad, fully inside it. */
export function randomRedraw(image: Float32Array, random: () => number): Redrawn {
  const k = 4 + random() * 5;
  const side = 28 * k;
  return { image: redraw(image, k, random() * (PAD - side), random() * (PAD - side)), k };
}

/**
 * The strokes made `by` pad pixels thicker on each side (a grey dilation: the largest value
 * within a disc of that radius) or, for a negative `by`, thinner (an erosion: the smallest).
 * A round pen grows or shrinks the same way in every direction, hence the disc.
 */
export function restroke(img: GreyImage, by: number): GreyImage {
  const r = Math.abs(Math.round(by));
  if (r === 0) return img;
  const { width, height } = img;
  const src = img.data;
  const pick = by > 0 ? Math.max : Math.min;
  // Outside the pad is blank paper: it counts for an erosion (strokes end at the edge) and
  // never wins a dilation.
  const outside = 0;
  // rows[d]: each pixel's extreme along its row within distance d, from rows[d - 1] and the
  // two pixels d away.
  const rows: ArrayLike<number>[] = [src];
  for (let d = 1; d <= r; d++) {
    const prev = rows[d - 1]!;
    const out = new Float32Array(width * height);
    for (let i = 0; i < out.length; i++) {
      const x = i % width;
      out[i] = pick(prev[i]!, x - d >= 0 ? src[i - d]! : outside, x + d < width ? src[i + d]! : outside);
    }
    rows.push(out);
  }
  // The disc: at vertical distance dy, the row extreme within sqrt(r^2 - dy^2).
  const data = new Uint8ClampedArray(width * height);
  for (let i = 0; i < data.length; i++) {
    const y = Math.floor(i / width);
    let v = src[i]!;
    for (let dy = -r; dy <= r; dy++) {
      const inside = y + dy >= 0 && y + dy < height;
      v = pick(v, inside ? rows[Math.floor(Math.sqrt(r * r - dy * dy))]![i + dy * width]! : outside);
    }
    data[i] = v;
  }
  return { width, height, data };
}
