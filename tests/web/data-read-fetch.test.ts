// How the page's data path asks for files and says how far it got: the fetch it makes (CORS
// mode, the size it trusts, bodies it gives back on failure), the progress it reports while
// four files arrive (at most every 100 ms, a total once every size is known), the streams it
// gives back when one file of a folder is refused, and where a bundled set's files are.
// Reading and inflating the bytes themselves is tested in data-read.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LoadProgress } from '../../web/src/data/read';
import { bundledFiles, openInFolder, openUrl, readFiles, readFolder, readSpec } from '../../web/src/data/read';
import { four, gz } from './idx-fixtures';

const STANDARD = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

/** A response body that records whether the reader gave it back (cancelled it). */
function cancellable(bytes: Uint8Array) {
  const state = { cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      c.enqueue(bytes);
      c.close();
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { body, state };
}

/** A fetch that serves `files` by the last part of the URL and answers 404 for anything else. */
function serving(files: Record<string, Uint8Array>, asked: string[] = []) {
  return async (url: string) => {
    asked.push(url);
    const body = files[url.split('/').pop()!];
    return body ? new Response(body as BodyInit) : new Response('not found', { status: 404 });
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('openUrl', () => {
  it('asks in CORS mode, so another origin without CORS headers fails instead of giving an opaque body', async () => {
    const inits: unknown[] = [];
    vi.stubGlobal('fetch', async (_url: string, init: unknown) => {
      inits.push(init);
      return new Response('x');
    });
    await openUrl('https://data.example/a', 'training images');
    expect(inits).toEqual([{ mode: 'cors' }]);
  });

  it('trusts Content-Length as the size only when the body is not re-encoded', async () => {
    const sizeWith = async (headers: Record<string, string>) => {
      vi.stubGlobal('fetch', async () => new Response('0123456789', { headers }));
      return (await openUrl('https://data.example/a', 'x')).size;
    };
    expect(await sizeWith({ 'content-length': '10' })).toBe(10);
    // With an encoding the length counts compressed bytes, not what the body yields.
    expect(await sizeWith({ 'content-length': '10', 'content-encoding': 'gzip' })).toBeNull();
    expect(await sizeWith({})).toBeNull();
    expect(await sizeWith({ 'content-length': '0' })).toBeNull();
    expect(await sizeWith({ 'content-length': 'ten' })).toBeNull();
  });

  it('gives the body back when it refuses the response (HTTP error, HTML page)', async () => {
    const error = cancellable(new Uint8Array(8));
    vi.stubGlobal('fetch', async () => new Response(error.body, { status: 500 }));
    await expect(openUrl('https://data.example/a', 'test labels')).rejects.toThrow(/test labels: HTTP 500 for https:\/\/data\.example\/a/);
    expect(error.state.cancelled).toBe(true);

    const page = cancellable(new TextEncoder().encode('<html>'));
    vi.stubGlobal('fetch', async () => new Response(page.body, { headers: { 'content-type': 'TEXT/HTML; charset=utf-8' } }));
    await expect(openUrl('https://data.example/a', 'x')).rejects.toThrow(/answered with a web page/);
    expect(page.state.cancelled).toBe(true);
  });

  it('reads a response without a body as an empty file, and refuses one as it does any other', async () => {
    vi.stubGlobal('fetch', async () => new Response(null));
    const opened = await openUrl('https://data.example/a', 'x');
    expect((await new Response(opened.stream).arrayBuffer()).byteLength).toBe(0);
    vi.stubGlobal('fetch', async () => new Response(null, { status: 404 }));
    await expect(openUrl('https://data.example/a', 'x')).rejects.toThrow(/^x: HTTP 404/);
    vi.stubGlobal('fetch', async () => new Response(null, { headers: { 'content-type': 'text/html' } }));
    await expect(openUrl('https://data.example/a', 'x')).rejects.toThrow(/^x: .* answered with a web page/);
  });

  it('takes only a content type that starts with text/html for a web page', async () => {
    vi.stubGlobal(
      'fetch',
      async () => new Response('x', { headers: { 'content-type': 'application/octet-stream; note="not text/html"' } }),
    );
    await expect(openUrl('https://data.example/a', 'x')).resolves.toMatchObject({ size: null });
  });
});

describe('openInFolder', () => {
  it('names both addresses and both reasons when they fail differently', async () => {
    vi.stubGlobal('fetch', async (url: string) => {
      if (url.endsWith('.gz')) throw new TypeError('Failed to fetch');
      return new Response('', { status: 404 });
    });
    await expect(openInFolder('https://s.example/d/', 'testLabels')).rejects.toThrow(
      /^test labels: could not fetch https:\/\/s\.example\/d\/t10k-labels-idx1-ubyte\.gz — the server must .*; HTTP 404 for https:\/\/s\.example\/d\/t10k-labels-idx1-ubyte$/,
    );
  });
});

describe('readFiles', () => {
  it('fetches files given as URLs', async () => {
    const files = four();
    const served = Object.fromEntries(STANDARD.map((n, i) => [n, Object.values(files)[i]!]));
    const asked: string[] = [];
    vi.stubGlobal('fetch', serving(served, asked));
    const urls = Object.fromEntries(Object.keys(files).map((role, i) => [role, `https://s.example/d/${STANDARD[i]}`]));
    const read = await readFiles(urls as Parameters<typeof readFiles>[0]);
    expect(read.bytes).toEqual(files);
    expect(asked.sort()).toEqual(STANDARD.map((n) => `https://s.example/d/${n}`).sort());
    // Files that are not File objects are named by their role only.
    expect(read.names).toEqual({
      trainImages: 'training images',
      trainLabels: 'training labels',
      testImages: 'test images',
      testLabels: 'test labels',
    });
  });

  /** The four files as streams of 8-byte chunks, each with its size known but those in `unsized`. */
  function chunkedFour(unsized: string[] = []) {
    const files = four();
    let chunks = 0;
    const opened = Object.fromEntries(
      Object.entries(files).map(([role, bytes]) => {
        const parts: Uint8Array[] = [];
        for (let at = 0; at < bytes.length; at += 8) parts.push(bytes.slice(at, at + 8));
        chunks += parts.length;
        const stream = new ReadableStream<Uint8Array>({
          pull(c) {
            const next = parts.shift();
            if (next) c.enqueue(next);
            else c.close();
          },
        });
        return [role, Promise.resolve({ stream, size: !unsized.includes(role) ? bytes.length : null })];
      }),
    );
    const total = Object.values(files).reduce((a, b) => a + b.length, 0);
    return { opened: opened as unknown as Parameters<typeof readFiles>[0], chunks, total };
  }

  it('reports progress at most every 100 ms, then once at the end with the total', async () => {
    // Each chunk read looks at the clock once; the clock moves 50 ms a look, so a report is due
    // at every second chunk (100 ms after the one before), starting with the first.
    let clock = 1_000;
    vi.spyOn(performance, 'now').mockImplementation(() => (clock += 50));
    const { opened, chunks, total } = chunkedFour();
    const seen: LoadProgress[] = [];
    await readFiles(opened, (p) => seen.push({ ...p }));
    expect(chunks).toBeGreaterThan(20);
    expect(seen.length).toBe(Math.ceil(chunks / 2) + 1);
    for (const p of seen) expect(p.total).toBe(total);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.loaded).toBeGreaterThan(seen[i - 1]!.loaded);
    expect(seen.at(-1)).toEqual({ loaded: total, total });
  });

  it.each([
    ['every size', ['trainImages', 'trainLabels', 'testImages', 'testLabels']],
    ['one size of the four', ['testLabels']],
  ])('reports no total while %s is unknown, and the bytes read as the total at the end', async (_what, unsized) => {
    let clock = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => (clock += 1_000));
    const { opened, total } = chunkedFour(unsized);
    const seen: LoadProgress[] = [];
    await readFiles(opened, (p) => seen.push({ ...p }));
    expect(seen.length).toBeGreaterThan(2);
    for (const p of seen.slice(0, -1)) expect(p.total).toBeNull();
    expect(seen.at(-1)).toEqual({ loaded: total, total });
  });

  it('reads without a progress callback', async () => {
    const { opened } = chunkedFour();
    await expect(readFiles(opened)).resolves.toMatchObject({ bytes: four() });
  });
});

describe('readFolder', () => {
  it('gives back the files it opened when another of the four is refused, before reading any', async () => {
    const files = four();
    const bodies = STANDARD.slice(0, 3).map((_, i) => cancellable(Object.values(files)[i]!));
    vi.stubGlobal('fetch', async (url: string) => {
      const i = STANDARD.findIndex((n) => url.endsWith(`/${n}.gz`));
      return i >= 0 && i < 3 ? new Response(bodies[i]!.body) : new Response('', { status: 404 });
    });
    await expect(readFolder('https://s.example/three')).rejects.toThrow(
      /^test labels: HTTP 404 for .*t10k-labels-idx1-ubyte\.gz; HTTP 404 for/,
    );
    expect(bodies.map((b) => b.state.cancelled)).toEqual([true, true, true]);
  });
});

describe('bundled sets and readSpec', () => {
  beforeEach(() => vi.stubGlobal('location', { href: 'https://site.example/app/index.html' }));

  it('finds a bundled set under data/<id>/ of the site, gzipped', () => {
    expect(bundledFiles('fashion', '/scratchnet/')).toEqual({
      trainImages: 'https://site.example/scratchnet/data/fashion/train-images-idx3-ubyte.gz',
      trainLabels: 'https://site.example/scratchnet/data/fashion/train-labels-idx1-ubyte.gz',
      testImages: 'https://site.example/scratchnet/data/fashion/t10k-images-idx3-ubyte.gz',
      testLabels: 'https://site.example/scratchnet/data/fashion/t10k-labels-idx1-ubyte.gz',
    });
    expect(bundledFiles('mnist', './').trainLabels).toBe('https://site.example/app/data/mnist/train-labels-idx1-ubyte.gz');
    vi.unstubAllGlobals(); // no page (Node): the base must be absolute
    expect(bundledFiles('mnist', 'https://cdn.example/x/').testImages).toBe('https://cdn.example/x/data/mnist/t10k-images-idx3-ubyte.gz');
  });

  it('reads a bundled set (mnist by default), a folder and four files, each under its name', async () => {
    const files = four();
    const gzipped = Object.fromEntries(STANDARD.map((n, i) => [`${n}.gz`, gz(Object.values(files)[i]!)]));
    const asked: string[] = [];
    vi.stubGlobal('fetch', serving(gzipped, asked));

    const bundled = await readSpec({ kind: 'bundled' }, '/base/');
    expect(bundled.name).toBe('MNIST digits (bundled)');
    expect(bundled.bytes).toEqual(files);
    expect(asked.every((u) => u.startsWith('https://site.example/base/data/mnist/'))).toBe(true);

    asked.length = 0;
    const fashion = await readSpec({ kind: 'bundled', id: 'fashion', baseUrl: 'https://cdn.example/' }, '/base/');
    expect(fashion.name).toBe('fashion');
    expect(asked.every((u) => u.startsWith('https://cdn.example/data/fashion/'))).toBe(true);

    asked.length = 0;
    const folder = await readSpec({ kind: 'folder', name: 'My digits', url: 'https://s.example/mine' }, '/base/');
    expect(folder.name).toBe('My digits');
    expect(folder.bytes).toEqual(files);
    expect(asked.length).toBe(4);

    const bytes = await readSpec({ kind: 'files', name: 'Picked', files }, '/base/');
    expect(bytes).toMatchObject({ name: 'Picked', bytes: files });
  });
});
