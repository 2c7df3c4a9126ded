// Turning weights and activations into pixels for "Inside the network". Pure: no DOM.
//
// Colour scales are colour-blind safe:
// - diverging (weights, signed values): blue - near-white - orange, ColorBrewer's RdBu blue end
//   and PuOr orange end; blue/orange stay distinct under protan-, deutan- and tritanopia, and the
//   lightness rises to the centre, so the sign also reads in greyscale;
// - sequential (non-negative activations): viridis (van der Walt & Smith), perceptually uniform
//   and monotone in lightness.

export type Rgb = readonly [number, number, number];

const DIVERGING: readonly Rgb[] = [
  [33, 102, 172], // -1  #2166ac
  [146, 197, 222], // -.5 #92c5de
  [247, 247, 247], //  0  #f7f7f7
  [253, 184, 99], //  .5 #fdb863
  [179, 88, 6], //  1  #b35806
];

const VIRIDIS: readonly Rgb[] = [
  [68, 1, 84], // #440154
  [59, 82, 139], // #3b528b
  [33, 145, 140], // #21918c
  [94, 201, 98], // #5ec962
  [253, 231, 37], // #fde725
];

/** Writes the colour at t (0..1, clamped; NaN -> 0) of `stops` into out[at..at+2]. */
function rampInto(stops: readonly Rgb[], t: number, out: Uint8ClampedArray | number[], at: number): void {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = stops[i]!;
  const b = stops[i + 1]!;
  out[at] = Math.round(a[0] + (b[0] - a[0]) * f);
  out[at + 1] = Math.round(a[1] + (b[1] - a[1]) * f);
  out[at + 2] = Math.round(a[2] + (b[2] - a[2]) * f);
}

/** Signed value in [-maxAbs, maxAbs] -> blue (negative) .. white (0) .. orange (positive). */
export function divergingColour(v: number, maxAbs: number): Rgb {
  return colourOf(v, { kind: 'diverging', maxAbs });
}

/** Value in [min, max] -> viridis. */
export function sequentialColour(v: number, min: number, max: number): Rgb {
  return colourOf(v, { kind: 'sequential', min, max });
}

export type ColourScale = { kind: 'diverging'; maxAbs: number } | { kind: 'sequential'; min: number; max: number };

export function valueRange(values: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : { min: 0, max: 0 };
}

/** Diverging for signed data, sequential for data that is never negative (e.g. after ReLU). */
export function scaleFor(values: ArrayLike<number>, signed = false): ColourScale {
  const { min, max } = valueRange(values);
  if (signed || min < 0) return { kind: 'diverging', maxAbs: Math.max(Math.abs(min), Math.abs(max)) };
  return { kind: 'sequential', min: 0, max };
}

export function colourOf(v: number, scale: ColourScale): Rgb {
  const rgb = [0, 0, 0];
  colourInto(v, scale, rgb, 0);
  return rgb as unknown as Rgb;
}

/** The colour of `v` written to out[at..at+2] (no array per value: a live view colours up to
 * ~200,000 values a few times a second while training runs). */
function colourInto(v: number, scale: ColourScale, out: Uint8ClampedArray | number[], at: number): void {
  if (scale.kind === 'diverging') rampInto(DIVERGING, scale.maxAbs > 0 ? 0.5 + v / (2 * scale.maxAbs) : 0.5, out, at);
  else rampInto(VIRIDIS, scale.max > scale.min ? (v - scale.min) / (scale.max - scale.min) : 0, out, at);
}

/** RGBA pixels (ImageData layout) for `values` laid out row-major, width x height; NaN and
 * missing values are transparent. */
export function toRgba(values: ArrayLike<number>, width: number, height: number, scale: ColourScale): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(width * height * 4);
  const n = Math.min(width * height, values.length);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue; // gaps and padding stay transparent
    colourInto(v, scale, out, i * 4);
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** Channel `ch` of an NHWC activation of one sample, shape [h, w, c]. */
export function channelOf(values: ArrayLike<number>, shape: readonly [number, number, number], ch: number): Float32Array {
  const [h, w, c] = shape;
  const out = new Float32Array(h * w);
  for (let i = 0; i < h * w; i++) out[i] = values[i * c + ch]!;
  return out;
}

/** The kh x kw kernel from input channel `cin` to output channel `cout`; weights [kh, kw, Cin, Cout]. */
export function convKernel(values: ArrayLike<number>, shape: readonly number[], cin: number, cout: number): Float32Array {
  const [kh = 0, kw = 0, nIn = 0, nOut = 0] = shape;
  const out = new Float32Array(kh * kw);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) out[y * kw + x] = values[((y * kw + x) * nIn + cin) * nOut + cout]!;
  }
  return out;
}

/** Incoming weights of dense unit `unit`; weights [in, out]. */
export function denseColumn(values: ArrayLike<number>, shape: readonly number[], unit: number): Float32Array {
  const [nIn = 0, nOut = 0] = shape;
  const out = new Float32Array(nIn);
  for (let i = 0; i < nIn; i++) out[i] = values[i * nOut + unit]!;
  return out;
}

/** A near-square grid for a vector of n values: columns x rows with columns * rows >= n. */
export function gridFor(n: number): { cols: number; rows: number } {
  const cols = Math.max(1, Math.ceil(Math.sqrt(n)));
  return { cols, rows: Math.max(1, Math.ceil(n / cols)) };
}

/**
 * Tiles of equal size packed into one image with `gap` pixels between them (gap pixels NaN, drawn
 * as the background). Tiles are row-major, `perRow` to a row.
 */
export function packTiles(
  tiles: readonly Float32Array[],
  tileW: number,
  tileH: number,
  perRow: number,
  gap = 1,
): { values: Float32Array; width: number; height: number } {
  const cols = Math.max(1, Math.min(perRow, tiles.length));
  const rows = Math.max(1, Math.ceil(tiles.length / cols));
  const width = cols * tileW + (cols - 1) * gap;
  const height = rows * tileH + (rows - 1) * gap;
  const values = new Float32Array(width * height).fill(NaN);
  tiles.forEach((tile, t) => {
    const ox = (t % cols) * (tileW + gap);
    const oy = Math.floor(t / cols) * (tileH + gap);
    for (let y = 0; y < tileH; y++) {
      for (let x = 0; x < tileW; x++) values[(oy + y) * width + ox + x] = tile[y * tileW + x]!;
    }
  });
  return { values, width, height };
}
