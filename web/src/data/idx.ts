// IDX files (the MNIST format) and gzip, parsed in the page so that a bad file gets a clear
// message before anything is sent to the engine. The engine validates again (core/data.h);
// this module only has to be right about what it accepts and precise about what it refuses.
//
// IDX layout (big-endian): u8 0, u8 0, u8 type (0x08 = unsigned byte), u8 dims,
// dims x u32 sizes, then the data. Images are idx3 (count, rows, cols); labels idx1 (count).

/** A file that is not what it claims to be. The message is written for a person. */
export class DataFormatError extends Error {
  override name = 'DataFormatError';
}

export interface IdxImages {
  kind: 'images';
  count: number;
  rows: number;
  cols: number;
  /** count * rows * cols bytes, row-major, 0 = background. */
  pixels: Uint8Array;
}

export interface IdxLabels {
  kind: 'labels';
  count: number;
  labels: Uint8Array;
}

export type IdxFile = IdxImages | IdxLabels;

/** Limits mirroring the engine's (core/include/scratchnet/data.h). */
export const MAX_ITEMS = 10_000_000;
export const MAX_SIDE = 1024;
/** Largest decompressed file the page accepts (the full 60k MNIST images are 47 MB). */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;

const UBYTE = 0x08;

/** Parses one IDX file (already decompressed). `name` is used in error messages. */
export function parseIdx(bytes: Uint8Array, name = 'file'): IdxFile {
  if (bytes.length === 0) {
    throw new DataFormatError(`${name}: the file is empty (0 bytes); choose the IDX file itself`);
  }
  if (isGzip(bytes)) {
    throw new DataFormatError(`${name}: still gzip-compressed (decompress it first)`);
  }
  const kind = sniffKind(bytes);
  if (kind) throw new DataFormatError(`${name}: not an IDX file — this is ${kind}`);
  if (bytes.length < 8) {
    throw new DataFormatError(`${name}: too short to be an IDX file (${bytes.length} bytes)`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataFormatError(`${name}: not an IDX file (bad magic number)`);
  }
  const type = bytes[2]!;
  const dims = bytes[3]!;
  if (type !== UBYTE) {
    throw new DataFormatError(
      `${name}: element type 0x${type.toString(16).padStart(2, '0')} is not supported (only unsigned bytes, 0x08)`,
    );
  }
  if (dims !== 1 && dims !== 3) {
    throw new DataFormatError(
      `${name}: ${dims} dimensions; expected 3 for images (idx3) or 1 for labels (idx1)`,
    );
  }
  const headerBytes = 4 + 4 * dims;
  if (bytes.length < headerBytes) {
    throw new DataFormatError(`${name}: truncated header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sizes: number[] = [];
  for (let d = 0; d < dims; d++) sizes.push(view.getUint32(4 + 4 * d, false));
  const count = sizes[0]!;
  if (count === 0) throw new DataFormatError(`${name}: contains no items`);
  if (count > MAX_ITEMS) {
    throw new DataFormatError(`${name}: ${count} items is more than the limit of ${MAX_ITEMS}`);
  }
  if (dims === 1) {
    const expected = headerBytes + count;
    checkLength(name, bytes.length, expected);
    return { kind: 'labels', count, labels: bytes.subarray(headerBytes, expected) };
  }
  const rows = sizes[1]!;
  const cols = sizes[2]!;
  if (rows === 0 || cols === 0 || rows > MAX_SIDE || cols > MAX_SIDE) {
    throw new DataFormatError(`${name}: image size ${rows}x${cols} is out of range (1..${MAX_SIDE})`);
  }
  const expected = headerBytes + count * rows * cols;
  checkLength(name, bytes.length, expected);
  return { kind: 'images', count, rows, cols, pixels: bytes.subarray(headerBytes, expected) };
}

function checkLength(name: string, actual: number, expected: number): void {
  if (actual < expected) {
    throw new DataFormatError(
      `${name}: truncated — the header promises ${expected} bytes but the file has ${actual}`,
    );
  }
  if (actual > expected) {
    throw new DataFormatError(
      `${name}: ${actual - expected} unexpected bytes after the data (${expected} expected)`,
    );
  }
}

const startsWith = (bytes: Uint8Array, sig: readonly number[]): boolean =>
  bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b);

/**
 * Names common wrong kinds of file by their first bytes, for a person ("a PNG image — …"),
 * or null when the bytes look like none of them (an IDX file starts with 00 00 and is never
 * named here). Gzip is not named: callers decide whether gzip is expected.
 */
export function sniffKind(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return 'an empty file (0 bytes)';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) return 'a PNG image, not a data file';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'a JPEG image, not a data file';
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'a GIF image, not a data file';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    return 'a zip archive — unpack it and choose the four IDX files inside';
  }
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return 'a PDF document, not a data file';
  if (startsWith(bytes, [0x42, 0x5a, 0x68]) || startsWith(bytes, [0xfd, 0x37, 0x7a, 0x58, 0x5a])) {
    return 'a bzip2 or xz archive — decompress it first (gzip is read directly)';
  }
  if (startsWith(bytes, [0x37, 0x7a, 0xbc, 0xaf]) || startsWith(bytes, [0x52, 0x61, 0x72, 0x21])) {
    return 'a 7-Zip or RAR archive — unpack it and choose the four IDX files inside';
  }
  // Text: skip a UTF-8 byte-order mark and leading white space.
  let i = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  while (i < bytes.length && i < 512 && (bytes[i] === 0x20 || (bytes[i]! >= 0x09 && bytes[i]! <= 0x0d))) i++;
  if (bytes[i] === 0x3c /* < */) {
    return 'a web page or other HTML/XML text (perhaps an error page served instead of the file)';
  }
  const head = bytes.subarray(0, Math.min(bytes.length, 512));
  if (head.length > 0 && head.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f))) {
    return 'a text file, not a binary IDX file';
  }
  return null;
}

/** True when the bytes start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Inflates gzip bytes with the platform's DecompressionStream (browsers and Node >= 18).
 * Stops with a DataFormatError when the output would exceed maxBytes (a "zip bomb" guard).
 */
export async function gunzip(
  bytes: Uint8Array,
  name = 'file',
  maxBytes = MAX_FILE_BYTES,
): Promise<Uint8Array> {
  if (typeof DecompressionStream === 'undefined') {
    throw new DataFormatError(
      `${name}: this browser cannot decompress gzip (no DecompressionStream); use the uncompressed file`,
    );
  }
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel();
        throw new DataFormatError(
          `${name}: decompresses to more than ${Math.round(maxBytes / 1048576)} MB; refusing`,
        );
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof DataFormatError) throw err;
    throw new DataFormatError(
      `${name}: corrupt gzip data — the file is truncated or damaged; download it again (${(err as Error).message})`,
    );
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/** Decompresses when the bytes are gzip, returns them unchanged otherwise. */
export async function maybeGunzip(bytes: Uint8Array, name = 'file'): Promise<Uint8Array> {
  return isGzip(bytes) ? gunzip(bytes, name) : bytes;
}

/** The four files of a data set, decompressed and parsed. */
export interface ParsedDataSet {
  train: { images: IdxImages; labels: IdxLabels };
  test: { images: IdxImages; labels: IdxLabels };
  /** Number of classes: 1 + largest label seen. */
  classes: number;
}

/** The four raw (decompressed) IDX files, as the engine takes them. */
export interface RawDataSet {
  trainImages: Uint8Array;
  trainLabels: Uint8Array;
  testImages: Uint8Array;
  testLabels: Uint8Array;
}

export const ROLE_NAMES: Record<keyof RawDataSet, string> = {
  trainImages: 'training images',
  trainLabels: 'training labels',
  testImages: 'test images',
  testLabels: 'test labels',
};

/** Parses and cross-checks the four files: kinds, counts, image sizes, label range. */
export function parseDataSet(raw: RawDataSet): ParsedDataSet {
  const trainImages = expectKind(parseIdx(raw.trainImages, ROLE_NAMES.trainImages), 'images', ROLE_NAMES.trainImages);
  const trainLabels = expectKind(parseIdx(raw.trainLabels, ROLE_NAMES.trainLabels), 'labels', ROLE_NAMES.trainLabels);
  const testImages = expectKind(parseIdx(raw.testImages, ROLE_NAMES.testImages), 'images', ROLE_NAMES.testImages);
  const testLabels = expectKind(parseIdx(raw.testLabels, ROLE_NAMES.testLabels), 'labels', ROLE_NAMES.testLabels);
  if (trainImages.count !== trainLabels.count) {
    throw new DataFormatError(
      `${trainImages.count} training images but ${trainLabels.count} training labels`,
    );
  }
  if (testImages.count !== testLabels.count) {
    throw new DataFormatError(`${testImages.count} test images but ${testLabels.count} test labels`);
  }
  if (trainImages.rows !== testImages.rows || trainImages.cols !== testImages.cols) {
    throw new DataFormatError(
      `training images are ${trainImages.rows}x${trainImages.cols} but test images are ${testImages.rows}x${testImages.cols}`,
    );
  }
  let maxLabel = 0;
  for (const l of trainLabels.labels) if (l > maxLabel) maxLabel = l;
  for (const l of testLabels.labels) if (l > maxLabel) maxLabel = l;
  if (maxLabel > 255) throw new DataFormatError('labels above 255');
  return {
    train: { images: trainImages, labels: trainLabels },
    test: { images: testImages, labels: testLabels },
    classes: maxLabel + 1,
  };
}

function expectKind<K extends IdxFile['kind']>(
  file: IdxFile,
  kind: K,
  name: string,
): Extract<IdxFile, { kind: K }> {
  if (file.kind !== kind) {
    const other = file.kind === 'images' ? 'an image file (idx3)' : 'a label file (idx1)';
    throw new DataFormatError(`${name}: expected ${kind} but this is ${other}`);
  }
  return file as Extract<IdxFile, { kind: K }>;
}

/** Builds IDX bytes (used by tests and by the page to re-encode filtered sets). */
export function encodeIdx(file: IdxFile): Uint8Array {
  const dims = file.kind === 'images' ? [file.count, file.rows, file.cols] : [file.count];
  const body = file.kind === 'images' ? file.pixels : file.labels;
  const out = new Uint8Array(4 + 4 * dims.length + body.length);
  out[2] = UBYTE;
  out[3] = dims.length;
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(body, 4 + 4 * dims.length);
  return out;
}
