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

// Thicker and thinner pens: the pad's own stroke morphology (it also evens out strokes).
export { restroke } from '../../web/src/draw/stroke-width';
