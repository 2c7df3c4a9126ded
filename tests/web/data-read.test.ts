// The page's one data path up to the engine: a file's bytes read once from a File, URL or bytes,
// inflated with DecompressionStream only as far as its IDX header declares (plus one byte, to see
// trailing data), wrong kinds of file named from their first bytes, and folder URLs with messages
// for what goes wrong. The engine's own parsing is tested in worker-session.test.ts and
// tests/core/test_idx.cpp.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { matchFiles, missingRoles, roleOfName } from '../../web/src/data/file-match';
import { declaredIdxBytes, readIdx } from '../../web/src/data/inflate';
import { dataChoice } from '../../web/src/data/load';
import { readFiles, readFolder } from '../../web/src/data/read';
import { isGzip, sniffKind } from '../../web/src/data/sniff';
import { countInflatedBytes, idxGzipBomb } from './bomb';
import { four, gz, images, labels } from './idx-fixtures';

const stream = (b: Uint8Array) => new Blob([b as BlobPart]).stream();
/** The bytes in 64 KB chunks, each made when the reader asks (as a network or a browser's
 * File.stream() delivers them). */
function chunked(b: Uint8Array, size = 65536): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= b.length) return controller.close();
      controller.enqueue(b.slice(at, (at += size)));
    },
  });
}

describe('readIdx: inflating at most what the header declares', () => {
  it('reads raw and gzipped IDX files to exactly their bytes, counting the source bytes', async () => {
    const raw = images(3, 4, 5);
    let counted = 0;
    expect(await readIdx(stream(raw), { name: 'x', onBytes: (n) => (counted += n) })).toEqual(raw);
    expect(counted).toBe(raw.length);
    const packed = gz(images(50));
    counted = 0;
    expect(await readIdx(stream(packed), { name: 'x', onBytes: (n) => (counted += n) })).toEqual(images(50));
    expect(counted).toBe(packed.length); // compressed bytes, as they arrive
  });

  it('knows the declared size from the header', () => {
    // The real MNIST training images: 00 00 08 03 | 60000 | 28 | 28.
    const header = Uint8Array.from([0, 0, 8, 3, 0, 0, 0xea, 0x60, 0, 0, 0, 28, 0, 0, 0, 28]);
    expect(declaredIdxBytes(header)).toBe(47_040_016);
    expect(declaredIdxBytes(header.subarray(0, 10))).toBe('more');
    expect(declaredIdxBytes(labels([1, 2, 3]))).toBe(11);
    expect(declaredIdxBytes(new TextEncoder().encode('<html>'))).toBeNull();
  });

  it('refuses a decompression bomb after inflating its declared 47 MB, not the 4 GB it holds', async () => {
    const b = idxGzipBomb(4); // 4 GB of zeros in ~4 MB
    expect(b.length).toBeLessThan(6 << 20);
    // Counts what the platform's inflater hands out: what readIdx made it inflate.
    const counter = countInflatedBytes();
    try {
      const error = await readIdx(chunked(b), { name: 'training images (bomb.gz)' }).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe('FormatError');
      expect((error as Error).message).toMatch(
        /^training images \(bomb\.gz\): holds more than the 47,040,016 bytes its header declares .*decompression bomb/,
      );
    } finally {
      counter.restore();
    }
    const inflated = counter.inflated();
    // The declared size, one more piece (a 16 KB piece inflates to at most ~16 MB) and the
    // stream's read-ahead; an inflater that ran on to a fixed cap (512 MB before) fails this.
    expect(inflated).toBeGreaterThan(47_040_016);
    expect(inflated).toBeLessThan(47_040_016 + 32 * 1048576);
  });

  it('refuses trailing bytes after the declared data, raw or gzipped', async () => {
    const extra = new Uint8Array([...labels([1, 2]), 9]);
    await expect(readIdx(stream(extra), { name: 'y' })).rejects.toThrow(/y: holds more than the 10 bytes its header declares/);
    await expect(readIdx(stream(gz(extra)), { name: 'y' })).rejects.toThrow(/holds more than the 10 bytes/);
  });

  it('refuses a header that declares more than the limit before inflating the data', async () => {
    const huge = Uint8Array.from([0, 0, 8, 3, 0, 0x98, 0x96, 0x80, 0, 0, 4, 0, 0, 0, 4, 0]); // 10M x 1024 x 1024
    await expect(readIdx(stream(gz(huge)), { name: 'z' })).rejects.toThrow(/z: its header declares .* MB, more than the limit of 512 MB/);
  });

  it('returns a short file as it is (the engine says truncated) and reports corrupt gzip', async () => {
    expect((await readIdx(stream(images(2).subarray(0, 100)), { name: 'x' })).length).toBe(100);
    const broken = gz(images(2)).slice(0, -30);
    broken[20]! ^= 0xff;
    await expect(readIdx(stream(broken), { name: 'train images' })).rejects.toThrow(
      /train images: corrupt gzip data — the file is truncated or damaged/,
    );
  });

  it('reads bytes that are not IDX only as far as needed to say what they are', async () => {
    const page = new TextEncoder().encode(`<!doctype html>${'x'.repeat(100_000)}`);
    const head = await readIdx(stream(page), { name: 'x' });
    expect(head.length).toBeLessThanOrEqual(512);
    expect(sniffKind(head)).toMatch(/web page/);
  });
});

describe('files of the wrong kind (untrusted input)', () => {
  const bytes = (...b: number[]) => Uint8Array.from([...b, ...new Array(32).fill(0)]);
  const text = (s: string) => new TextEncoder().encode(s);

  it.each([
    ['an empty file', new Uint8Array(0), /training images: the file is empty/],
    ['a PNG', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), /training images: not an IDX file — this is a PNG image/],
    ['a JPEG', bytes(0xff, 0xd8, 0xff, 0xe0), /this is a JPEG image/],
    ['a zip', bytes(0x50, 0x4b, 0x03, 0x04), /this is a zip archive — unpack it and choose the four IDX files inside/],
    ['a PDF', text('%PDF-1.7\n%âãÏÓ\n'), /this is a PDF document/],
    ['an HTML page', text('<!DOCTYPE html><html><body>Not found</body></html>'), /this is a web page .*HTML/],
    ['an HTML page after white space', text('\n  <html>'), /this is a web page/],
    ['XML', text('<?xml version="1.0"?><Error>NoSuchKey</Error>'), /HTML\/XML/],
    ['plain text', text('404 page not found\n'), /this is a text file/],
    ['a short text', text('hi'), /this is a text file/],
  ])('names %s', async (_kind, data, message) => {
    const e = (await readFiles(four({ trainImages: data })).catch((x: Error) => x)) as Error;
    expect(e.name).toBe('FormatError');
    expect(e.message).toMatch(message);
  });

  it('reads four good files, gzipped or not, and reports source bytes', async () => {
    const files = four({ trainImages: gz(images(3)) });
    const seen: { loaded: number; total: number | null }[] = [];
    const r = await readFiles(files, (p) => seen.push(p));
    expect(r.bytes.trainImages).toEqual(images(3));
    expect(r.bytes.testLabels).toEqual(labels([3, 4]));
    const total = Object.values(files).reduce((a, b) => a + b.length, 0);
    expect(seen.at(-1)).toEqual({ loaded: total, total });
    expect(isGzip(files.trainImages)).toBe(true);
  });

  it('names a picked file by its own name', async () => {
    const png = new File([bytes(0x89, 0x50, 0x4e, 0x47) as BlobPart], 'train-images-idx3-ubyte');
    await expect(readFiles({ ...four(), trainImages: png })).rejects.toThrow(
      /training images \(train-images-idx3-ubyte\): not an IDX file — this is a PNG image/,
    );
    const empty = new File([], 't10k-labels-idx1-ubyte');
    await expect(readFiles({ ...four(), testLabels: empty })).rejects.toThrow(/test labels \(t10k-labels-idx1-ubyte\): the file is empty/);
    const cut = gz(labels([3, 4]));
    const half = new File([cut.slice(0, cut.length >> 1) as BlobPart], 't10k-labels-idx1-ubyte.gz');
    await expect(readFiles({ ...four(), testLabels: half })).rejects.toThrow(/test labels \(t10k-labels-idx1-ubyte\.gz\): .*truncated/);
  });

  it('says gzip inside gzip is still compressed', async () => {
    await expect(readFiles(four({ testLabels: gz(gz(labels([1, 2]))) }))).rejects.toThrow(/test labels: still gzip-compressed/);
  });
});

describe('choosing files', () => {
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
    // The set's word last (before .gz) counts as much as first.
    ['mnist-images-test.gz', 'testImages'],
    ['mnist-labels-train', 'trainLabels'],
    // Both words, or neither kind: not a guess.
    ['train-test-images.gz', null],
    ['train-images-labels', null],
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

  const index = new URL('https://site.example/data/index.json');
  it('hands the worker the picked files themselves, and says a dropped zip must be unpacked', async () => {
    const names = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte'];
    const files = names.map((n) => new File([labels([1]) as BlobPart], n));
    const choice = await dataChoice({ kind: 'files', files }, index);
    expect(choice.spec.kind).toBe('files');
    if (choice.spec.kind === 'files') expect(choice.spec.files.testImages).toBe(files[2]); // no copy
    const zip = new File([Uint8Array.from([0x50, 0x4b, 3, 4, 20, 0, 0, 0, 8, 0]) as BlobPart], 'mnist.zip');
    await expect(dataChoice({ kind: 'files', files: [zip] }, index)).rejects.toThrow(/mnist\.zip: .*zip archive — unpack it/);
  });
});

describe('a folder URL', () => {
  beforeEach(() => vi.stubGlobal('location', { href: 'https://site.example/app/' }));
  afterEach(() => vi.unstubAllGlobals());

  it('says HTTP 404 for the addresses tried', async () => {
    vi.stubGlobal('fetch', async () => new Response('not found', { status: 404, statusText: 'Not Found' }));
    await expect(readFolder('https://site.example/none/')).rejects.toThrow(
      /HTTP 404 for https:\/\/site\.example\/none\/[a-z0-9-]+\.gz; HTTP 404 for https:\/\/site\.example\/none\/[a-z0-9-]+-ubyte/,
    );
  });

  it('says a failed fetch needs the same origin or CORS headers', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(readFolder('https://other.example/mnist')).rejects.toThrow(
      /could not fetch https:\/\/other\.example\/mnist\/[a-z0-9-]+\.gz or https:\/\/other\.example\/mnist\/[a-z0-9-]+-ubyte — the server must be on the same origin as this page or send CORS headers/,
    );
  });

  it('says when the server answers with a web page instead of the file', async () => {
    vi.stubGlobal('fetch', async () => new Response('<!doctype html><p>home', { headers: { 'content-type': 'text/html' } }));
    await expect(readFolder('https://site.example/spa/')).rejects.toThrow(/answered with a web page \(HTML\)/);
  });

  it('says a 200 error page that is not labelled HTML is not an IDX file', async () => {
    vi.stubGlobal('fetch', async () => new Response('<html>Not found</html>', { headers: { 'content-type': 'application/octet-stream' } }));
    await expect(readFolder('https://site.example/odd/')).rejects.toThrow(/not an IDX file — this is a web page/);
  });

  it('fetches each file once, .gz first, and reads it with its size known', async () => {
    const served: Record<string, Uint8Array> = {
      'train-images-idx3-ubyte.gz': gz(images(3)),
      'train-labels-idx1-ubyte.gz': gz(labels([0, 1, 2])),
      't10k-images-idx3-ubyte.gz': gz(images(2)),
      't10k-labels-idx1-ubyte.gz': gz(labels([3, 4])),
    };
    const asked: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      asked.push(url);
      const body = served[url.split('/').pop()!];
      return body
        ? new Response(body as BodyInit, { headers: { 'content-length': String(body.length) } })
        : new Response('', { status: 404 });
    });
    const seen: { loaded: number; total: number | null }[] = [];
    const r = await readFolder('https://site.example/mnist/', (p) => seen.push(p));
    expect(r.bytes.trainLabels).toEqual(labels([0, 1, 2]));
    expect(asked.length).toBe(4);
    const total = Object.values(served).reduce((a, b) => a + b.length, 0);
    expect(seen.at(-1)).toEqual({ loaded: total, total });
    await expect(dataChoice({ kind: 'url', url: 'ftp://x/' }, new URL('https://site.example/'))).rejects.toThrow(/Only http\(s\)/);
  });
});
