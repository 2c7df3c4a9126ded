import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import {
  DataFormatError,
  encodeIdx,
  gunzip,
  isGzip,
  maybeGunzip,
  parseDataSet,
  parseIdx,
  type RawDataSet,
} from '../../web/src/data/idx';
import { matchFiles, missingRoles, roleOfName } from '../../web/src/data/file-match';

function images(count: number, rows = 28, cols = 28): Uint8Array {
  const pixels = new Uint8Array(count * rows * cols);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7) & 255;
  return encodeIdx({ kind: 'images', count, rows, cols, pixels });
}
function labels(values: number[]): Uint8Array {
  return encodeIdx({ kind: 'labels', count: values.length, labels: Uint8Array.from(values) });
}

describe('parseIdx', () => {
  it('reads an idx3 image file header and pixels', () => {
    const f = parseIdx(images(3, 4, 5));
    expect(f.kind).toBe('images');
    if (f.kind !== 'images') return;
    expect([f.count, f.rows, f.cols]).toEqual([3, 4, 5]);
    expect(f.pixels.length).toBe(60);
    expect(f.pixels[1]).toBe(7);
  });

  it('reads an idx1 label file', () => {
    const f = parseIdx(labels([7, 2, 1]));
    expect(f).toMatchObject({ kind: 'labels', count: 3 });
    if (f.kind === 'labels') expect([...f.labels]).toEqual([7, 2, 1]);
  });

  it('matches the real MNIST header bytes', () => {
    // 00 00 08 03 | 00 00 ea 60 (60000) | 00 00 00 1c | 00 00 00 1c
    const header = Uint8Array.from([0, 0, 8, 3, 0, 0, 0xea, 0x60, 0, 0, 0, 28, 0, 0, 0, 28]);
    expect(() => parseIdx(header, 'train')).toThrow(/truncated.*47040016 bytes/);
  });

  it.each([
    ['too short', new Uint8Array(3), /too short/],
    ['bad magic', Uint8Array.from([1, 0, 8, 1, 0, 0, 0, 1, 5]), /bad magic/],
    ['float type', Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 1, 5]), /element type 0x0d/],
    ['2 dims', Uint8Array.from([0, 0, 8, 2, 0, 0, 0, 1, 0, 0, 0, 1, 5]), /2 dimensions/],
    ['no items', Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 0]), /no items/],
    ['huge count', Uint8Array.from([0, 0, 8, 1, 0xff, 0xff, 0xff, 0xff]), /more than the limit/],
    ['trailing bytes', Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 1, 5, 6]), /1 unexpected bytes/],
    ['huge side', Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0x10, 0, 0, 0, 0, 1]), /out of range/],
  ])('refuses %s with a clear message', (_name, bytes, message) => {
    expect(() => parseIdx(bytes, 'x')).toThrow(DataFormatError);
    expect(() => parseIdx(bytes, 'x')).toThrow(message);
  });

  it('says when a file is still gzipped', () => {
    expect(() => parseIdx(gzipSync(labels([1, 2])))).toThrow(/gzip/);
  });
});

describe('gzip', () => {
  it('detects and inflates gzip with DecompressionStream', async () => {
    const raw = images(2);
    const gz = new Uint8Array(gzipSync(raw));
    expect(isGzip(gz)).toBe(true);
    expect(isGzip(raw)).toBe(false);
    expect(await gunzip(gz)).toEqual(raw);
    expect(await maybeGunzip(gz)).toEqual(raw);
    expect(await maybeGunzip(raw)).toBe(raw);
  });

  it('reports corrupt gzip data', async () => {
    const gz = new Uint8Array(gzipSync(images(2)));
    const broken = gz.slice(0, gz.length - 30);
    broken[20] ^= 0xff;
    await expect(gunzip(broken, 'train images')).rejects.toThrow(/train images: corrupt gzip/);
  });

  it('refuses output beyond the size limit', async () => {
    const gz = new Uint8Array(gzipSync(new Uint8Array(100_000)));
    await expect(gunzip(gz, 'bomb', 10_000)).rejects.toThrow(/refusing/);
  });
});

describe('parseDataSet', () => {
  const ok = (): RawDataSet => ({
    trainImages: images(3),
    trainLabels: labels([0, 1, 9]),
    testImages: images(2),
    testLabels: labels([4, 2]),
  });

  it('accepts a consistent set and counts classes', () => {
    const d = parseDataSet(ok());
    expect(d.train.images.count).toBe(3);
    expect(d.test.labels.count).toBe(2);
    expect(d.classes).toBe(10);
  });

  it('refuses mismatched counts', () => {
    expect(() => parseDataSet({ ...ok(), trainLabels: labels([0, 1]) })).toThrow(
      /3 training images but 2 training labels/,
    );
  });

  it('refuses swapped files', () => {
    expect(() => parseDataSet({ ...ok(), testImages: labels([1, 2]) })).toThrow(
      /test images: expected images but this is a label file/,
    );
  });

  it('refuses different image sizes', () => {
    expect(() => parseDataSet({ ...ok(), testImages: images(2, 32, 32) })).toThrow(/28x28.*32x32/);
  });
});

describe('file matching', () => {
  it.each([
    ['train-images-idx3-ubyte.gz', 'trainImages'],
    ['train-images.idx3-ubyte', 'trainImages'],
    ['train-labels-idx1-ubyte', 'trainLabels'],
    ['t10k-images-idx3-ubyte.gz', 'testImages'],
    ['t10k-labels.idx1-ubyte', 'testLabels'],
    ['emnist-digits-test-labels-idx1-ubyte.gz', 'testLabels'],
    ['EMNIST-DIGITS-TRAIN-IMAGES-IDX3-UBYTE', 'trainImages'],
    ['notes.txt', null],
    ['images.gz', null],
  ])('%s -> %s', (name, role) => {
    expect(roleOfName(name)).toBe(role);
  });

  it('assigns four files and lists what is missing', () => {
    const m = matchFiles([{ name: 'train-images-idx3-ubyte' }, { name: 'x.png' }, { name: 'train-images.idx3-ubyte.gz' }]);
    expect(m.assigned.trainImages?.name).toBe('train-images-idx3-ubyte');
    expect(m.unknown.map((f) => f.name)).toEqual(['x.png']);
    expect(m.duplicates).toEqual(['trainImages']);
    expect(missingRoles(m.assigned)).toEqual(['training labels', 'test images', 'test labels']);
  });
});
