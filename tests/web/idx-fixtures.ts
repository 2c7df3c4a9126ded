// Small IDX files made by the tests (the format of yann.lecun.com/exdb/mnist: a magic number
// with the type 0x08 for unsigned bytes and the count of dimensions, each dimension big-endian,
// then the data), and the four files of a tiny data set.
import { gzipSync } from 'node:zlib';

export function idx(dims: number[], body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + body.length);
  out[2] = 0x08;
  out[3] = dims.length;
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(body, 4 + 4 * dims.length);
  return out;
}

export function images(count: number, rows = 28, cols = 28): Uint8Array {
  const pixels = new Uint8Array(count * rows * cols);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7) & 255;
  return idx([count, rows, cols], pixels);
}

export const labels = (values: number[]) => idx([values.length], Uint8Array.from(values));
export const gz = (b: Uint8Array) => new Uint8Array(gzipSync(b));

/** Three training and two test images with their labels; `replace` swaps any of the four. */
export const four = (replace: Partial<Record<string, Uint8Array>> = {}) => ({
  trainImages: replace.trainImages ?? images(3),
  trainLabels: replace.trainLabels ?? labels([0, 1, 2]),
  testImages: replace.testImages ?? images(2),
  testLabels: replace.testLabels ?? labels([3, 4]),
});
