// Stroke width on the drawing pad: an estimate of a digit's stroke width, and the grey
// morphology that makes strokes thicker or thinner. Pure: no DOM, no globals.
//
// People draw with pens of every width, and a digit drawn small with a fixed pen has thick strokes
// once it is scaled to MNIST's 20-pixel box; models trained on MNIST read much thicker or thinner
// strokes than MNIST's less well (web/scripts/bench/pad-redraw.measure.ts measures how much).
// preprocess.ts evens a drawing's strokes out to MNIST's range with these.
import type { GreyImage } from './preprocess';

/**
 * Mean stroke width, in pixels, of a size x size image with values in 0..1: twice the ink over
 * the total variation (the summed steps between horizontal and vertical neighbours). A stroke
 * of width w and length L holds w L of ink and has two edges of length L, so this is w for
 * straight axis-aligned strokes; slanted ones read lower, by the same amount in MNIST's digits
 * and in drawn ones. 0 for a blank image.
 */
export function strokeWidth(pixels: ArrayLike<number>, size: number): number {
  let ink = 0;
  let variation = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const v = pixels[y * size + x]!;
      ink += v;
      if (x + 1 < size) variation += Math.abs(pixels[y * size + x + 1]! - v);
      if (y + 1 < size) variation += Math.abs(pixels[(y + 1) * size + x]! - v);
    }
  }
  return variation > 0 ? (2 * ink) / variation : 0;
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
  const data =
    src instanceof Uint8Array || src instanceof Uint8ClampedArray
      ? new Uint8ClampedArray(width * height)
      : new Float32Array(width * height);
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
