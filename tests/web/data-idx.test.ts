import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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
import { loadFromFiles, loadFromUrl } from '../../web/src/data/sources';

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

describe('files of the wrong kind (untrusted input)', () => {
  const bytes = (...b: number[]) => Uint8Array.from([...b, ...new Array(32).fill(0)]);
  const text = (s: string) => new TextEncoder().encode(s);

  it.each([
    ['an empty file', new Uint8Array(0), /x: the file is empty/],
    ['a PNG', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), /x: not an IDX file — this is a PNG image/],
    ['a JPEG', bytes(0xff, 0xd8, 0xff, 0xe0), /this is a JPEG image/],
    ['a zip', bytes(0x50, 0x4b, 0x03, 0x04), /this is a zip archive — unpack it and choose the four IDX files inside/],
    ['a PDF', text('%PDF-1.7\n%âãÏÓ\n'), /this is a PDF document/],
    ['an HTML page', text('<!DOCTYPE html><html><body>Not found</body></html>'), /this is a web page .*HTML/],
    ['an HTML page after white space', text('\n  <html>'), /this is a web page/],
    ['XML', text('<?xml version="1.0"?><Error>NoSuchKey</Error>'), /HTML\/XML/],
    ['plain text', text('404 page not found\n'), /this is a text file/],
    ['a short text', text('hi'), /this is a text file/],
  ])('names %s', (_kind, data, message) => {
    expect(() => parseIdx(data, 'x')).toThrow(DataFormatError);
    expect(() => parseIdx(data, 'x')).toThrow(message);
  });

  it('still reads real IDX files and refuses unknown binary by its magic number', () => {
    expect(parseIdx(labels([3])).kind).toBe('labels');
    expect(() => parseIdx(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), 'x')).toThrow(/bad magic/);
  });

  it('says gzip inside gzip is still compressed', async () => {
    const twice = new Uint8Array(gzipSync(gzipSync(labels([1, 2]))));
    const once = await maybeGunzip(twice, 'y');
    expect(() => parseIdx(once, 'y')).toThrow(/y: still gzip-compressed/);
  });

  it('says a truncated .gz is truncated or damaged', async () => {
    const gz = new Uint8Array(gzipSync(images(20)));
    const half = gz.slice(0, Math.floor(gz.length / 2));
    let message = '';
    try {
      parseIdx(await maybeGunzip(half, 'test labels'), 'test labels');
    } catch (err) {
      expect(err).toBeInstanceOf(DataFormatError);
      message = (err as Error).message;
    }
    expect(message).toMatch(/^test labels: .*truncated/);
  });
});

describe('loading from files and URLs (untrusted input)', () => {
  const std = {
    trainImages: ['train-images-idx3-ubyte', images(3)],
    trainLabels: ['train-labels-idx1-ubyte', labels([0, 1, 2])],
    testImages: ['t10k-images-idx3-ubyte', images(2)],
    testLabels: ['t10k-labels-idx1-ubyte', labels([3, 4])],
  } as const;
  const file = (name: string, data: Uint8Array) => new File([data as BlobPart], name);
  const four = (replace: Partial<Record<keyof typeof std, File>> = {}) =>
    (Object.keys(std) as (keyof typeof std)[]).map((r) => replace[r] ?? file(std[r][0], std[r][1]));
  const quiet = () => undefined;

  it('loads four good files', async () => {
    const d = await loadFromFiles(four(), quiet);
    expect(d.parsed.train.images.count).toBe(3);
  });

  it('names a PNG saved as an IDX file, with its file name', async () => {
    const png = file('train-images-idx3-ubyte', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, 0, 0, 0, 13]));
    await expect(loadFromFiles(four({ trainImages: png }), quiet)).rejects.toThrow(
      /training images \(train-images-idx3-ubyte\): not an IDX file — this is a PNG image/,
    );
  });

  it('says a dropped zip must be unpacked', async () => {
    const zip = file('mnist.zip', Uint8Array.from([0x50, 0x4b, 3, 4, 20, 0, 0, 0, 8, 0]));
    await expect(loadFromFiles([zip], quiet)).rejects.toThrow(/mnist\.zip: .*zip archive — unpack it/);
  });

  it('says an empty file is empty', async () => {
    const empty = file('t10k-labels-idx1-ubyte', new Uint8Array(0));
    await expect(loadFromFiles(four({ testLabels: empty }), quiet)).rejects.toThrow(
      /test labels \(t10k-labels-idx1-ubyte\): the file is empty/,
    );
  });

  it('says a truncated .gz is truncated', async () => {
    const gz = new Uint8Array(gzipSync(labels([3, 4])));
    const cut = file('t10k-labels-idx1-ubyte.gz', gz.slice(0, Math.floor(gz.length / 2)));
    await expect(loadFromFiles(four({ testLabels: cut }), quiet)).rejects.toThrow(
      /test labels \(t10k-labels-idx1-ubyte\.gz\): .*truncated/,
    );
  });

  describe('a folder URL', () => {
    beforeEach(() => vi.stubGlobal('location', { href: 'https://site.example/app/' }));
    afterEach(() => vi.unstubAllGlobals());

    it('says HTTP 404 for the addresses tried', async () => {
      vi.stubGlobal('fetch', async () => new Response('not found', { status: 404, statusText: 'Not Found' }));
      await expect(loadFromUrl('https://site.example/none/', quiet)).rejects.toThrow(
        /HTTP 404 for https:\/\/site\.example\/none\/[a-z0-9-]+\.gz; HTTP 404 for https:\/\/site\.example\/none\/[a-z0-9-]+-ubyte/,
      );
    });

    it('says a failed fetch needs the same origin or CORS headers', async () => {
      vi.stubGlobal('fetch', async () => {
        throw new TypeError('Failed to fetch');
      });
      await expect(loadFromUrl('https://other.example/mnist', quiet)).rejects.toThrow(
        /could not fetch https:\/\/other\.example\/mnist\/[a-z0-9-]+\.gz or https:\/\/other\.example\/mnist\/[a-z0-9-]+-ubyte — the server must be on the same origin as this page or send CORS headers/,
      );
    });

    it('says when the server answers with a web page instead of the file', async () => {
      vi.stubGlobal('fetch', async () => new Response('<!doctype html><p>home', { headers: { 'content-type': 'text/html' } }));
      await expect(loadFromUrl('https://site.example/spa/', quiet)).rejects.toThrow(/answered with a web page \(HTML\)/);
    });

    it('says a 200 error page that is not labelled HTML is not an IDX file', async () => {
      vi.stubGlobal('fetch', async () => new Response('<html>Not found</html>', { headers: { 'content-type': 'application/octet-stream' } }));
      await expect(loadFromUrl('https://site.example/odd/', quiet)).rejects.toThrow(/not an IDX file — this is a web page/);
    });
  });
});
