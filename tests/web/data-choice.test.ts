// What a picked data set is called and how the worker gets it (web/src/data/load.ts), and the
// index of bundled sets in its accepted shapes (web/src/data/sources.ts), answer by answer.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bundledChoice, classNamesFor, dataChoice, stripIndices } from '../../web/src/data/load';
import { defaultLabel, FASHION_CLASSES, fetchIndex, parseIndex } from '../../web/src/data/sources';

const index = new URL('https://site.example/app/data/index.json');
const file = (name: string, bytes: number[] = [0, 0, 8, 1]) => new File([Uint8Array.from(bytes) as BlobPart], name);
const standard = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

afterEach(() => vi.unstubAllGlobals());

describe('dataChoice', () => {
  it('a listed set: its files as absolute addresses beside the index', async () => {
    const info = {
      id: 'mnist',
      label: 'MNIST digits (bundled)',
      note: '',
      classNames: null,
      files: { trainImages: 'mnist/a.gz', trainLabels: 'mnist/b.gz', testImages: '/c.gz', testLabels: 'https://cdn.example/d.gz' },
    };
    expect(await dataChoice({ kind: 'listed', info }, index)).toEqual({
      id: 'mnist',
      label: 'MNIST digits (bundled)',
      classNames: null,
      spec: {
        kind: 'files',
        name: 'MNIST digits (bundled)',
        files: {
          trainImages: 'https://site.example/app/data/mnist/a.gz',
          trainLabels: 'https://site.example/app/data/mnist/b.gz',
          testImages: 'https://site.example/c.gz',
          testLabels: 'https://cdn.example/d.gz',
        },
      },
    });
  });

  it('a folder address: ends in a slash, resolved against the page, named by its host', async () => {
    vi.stubGlobal('location', { href: 'https://site.example/app/' });
    expect(await dataChoice({ kind: 'url', url: 'https://data.example/mnist' }, index)).toEqual({
      id: 'url',
      label: 'Files from data.example',
      classNames: null,
      spec: { kind: 'folder', name: 'Files from data.example', url: 'https://data.example/mnist/' },
    });
    const relative = await dataChoice({ kind: 'url', url: 'sets/fashion/' }, index);
    expect(relative.spec).toEqual({ kind: 'folder', name: 'Files from site.example', url: 'https://site.example/app/sets/fashion/' });
    expect(relative.classNames).toEqual(FASHION_CLASSES);
    await expect(dataChoice({ kind: 'url', url: 'ftp://data.example/' }, index)).rejects.toThrow(
      /^Only http\(s\) addresses can be loaded$/,
    );
    expect((await dataChoice({ kind: 'url', url: 'http://plain.example/d/' }, index)).spec).toMatchObject({
      url: 'http://plain.example/d/',
    });
    vi.stubGlobal('location', { href: 'not a base' });
    await expect(dataChoice({ kind: 'url', url: 'x' }, index)).rejects.toThrow(/^"x" is not a web address$/);
  });

  it('picked files: named after what they hold, and every missing one named', async () => {
    const choice = async (names: string[]) => dataChoice({ kind: 'files', files: names.map((n) => file(n)) }, index);
    const mine = await choice(standard);
    expect([mine.id, mine.label, mine.classNames]).toEqual(['files', 'Your IDX files', null]);
    expect(mine.spec).toMatchObject({ kind: 'files', name: 'Your IDX files' });
    const fashion = await choice(standard.map((n) => `fashion-${n}.gz`));
    expect([fashion.label, fashion.classNames]).toEqual(['Fashion-MNIST (your files)', FASHION_CLASSES]);
    expect((await choice(standard.map((n) => `emnist-digits-${n}`))).label).toBe('EMNIST (your files)');
    await expect(choice(standard.slice(0, 2))).rejects.toThrow(
      /^Missing test images, test labels\. Expected the four standard files \(train-images-idx3-ubyte, .*optionally \.gz\); got train-images-idx3-ubyte, train-labels-idx1-ubyte\.$/,
    );
    await expect(choice([])).rejects.toThrow(/got no files\.$/);
    // An unknown file that is gzip or unrecognisable is not blamed: the missing ones are.
    await expect(dataChoice({ kind: 'files', files: [file('data.bin', [0x1f, 0x8b, 8, 0])] }, index)).rejects.toThrow(
      /^Missing training images/,
    );
    await expect(dataChoice({ kind: 'files', files: [file('page.idx', [0x3c, 0x68])] }, index)).rejects.toThrow(
      /^page\.idx: not an IDX file — this is a web page/,
    );
  });
});

describe('small helpers', () => {
  it("bundledChoice names the set and knows Fashion-MNIST's classes", () => {
    expect(bundledChoice('mnist')).toEqual({
      id: 'mnist',
      label: 'MNIST digits (bundled)',
      classNames: null,
      spec: { kind: 'bundled', id: 'mnist' },
    });
    expect(bundledChoice('fashion')).toMatchObject({ label: 'Fashion-MNIST', classNames: FASHION_CLASSES });
    expect(defaultLabel('kmnist')).toBe('MNIST digits (bundled)');
    expect(defaultLabel('letters')).toBe('letters');
  });

  it('stripIndices spreads n distinct images over the set', () => {
    expect(stripIndices(1000, 4)).toEqual([0, 257, 514, 771]);
    expect(stripIndices(3)).toEqual([0, 1, 2].map((k) => (k * 1 + k * 7) % 3));
    expect(stripIndices(16)).toHaveLength(16);
    expect(new Set(stripIndices(60000)).size).toBe(16);
    expect(stripIndices(0)).toEqual([]);
  });

  it("classNamesFor uses the set's names only when there are enough", () => {
    expect(classNamesFor(['a', 'b', 'c'], 3)).toEqual(['a', 'b', 'c']);
    expect(classNamesFor(['a', 'b'], 3)).toEqual(['0', '1', '2']);
    expect(classNamesFor(null, 2)).toEqual(['0', '1']);
  });
});

describe('parseIndex shapes', () => {
  it('reads a map of id -> entry, kebab-case keys, a list of names in a folder, and path', () => {
    const sets = parseIndex({
      'MNIST-full': {
        files: { 'train-images': 'a', 'train-labels': 'b', 'test-images': 'c', 'test-labels': 'd' },
        title: 'Full MNIST',
        description: 'all of it',
      },
      letters: { path: 'letters/', classNames: ['a', 'b'], trainCount: 1000, test_count: 200 },
      odd: {
        files: ['t10k-labels-idx1-ubyte', 'train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte'],
        dir: 'odd',
      },
      flat: { files: standard },
      skipped: 'not an entry',
    });
    expect(sets.map((s) => [s.id, s.label, s.note])).toEqual([
      ['mnist', 'Full MNIST', 'all of it'],
      ['letters', 'letters', '1,000 training, 200 test images'],
      ['odd', 'odd', ''],
      ['flat', 'flat', ''],
    ]);
    expect(sets[0]!.files).toEqual({ trainImages: 'a', trainLabels: 'b', testImages: 'c', testLabels: 'd' });
    expect(sets[1]!.files).toEqual(gzFiles('letters/'));
    expect(sets[1]!.classNames).toEqual(['a', 'b']);
    expect(sets[2]!.files).toEqual({
      trainImages: 'odd/train-images-idx3-ubyte',
      trainLabels: 'odd/train-labels-idx1-ubyte',
      testImages: 'odd/t10k-images-idx3-ubyte',
      testLabels: 'odd/t10k-labels-idx1-ubyte',
    });
    expect(sets[3]!.files.testLabels).toBe('t10k-labels-idx1-ubyte');
  });

  it('names ids safely, and ignores class lists that are not all text', () => {
    const sets = parseIndex([
      { name: 'My Set #2', dir: 'x', classes: ['a', 1] },
      { id: 'Fashion_MNIST', dir: 'f', classNames: [1, 2] },
      { id: 'mnist-small', dir: 'm', train: 10, test: 0 },
      { id: '', dir: 'none' },
      { id: 'nofiles', files: ['train-images-idx3-ubyte'] },
    ]);
    expect(sets.map((s) => [s.id, s.classNames, s.note])).toEqual([
      ['my-set--2', null, ''],
      ['fashion', FASHION_CLASSES, ''],
      ['mnist', null, ''],
    ]);
  });
});

describe('fetchIndex', () => {
  it('reads the index and its default, and falls back to the bundled digits when it cannot', async () => {
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify([{ id: 'fashion', dir: 'fashion' }])));
    expect(await fetchIndex(index)).toMatchObject({ defaultId: 'fashion', sets: [{ id: 'fashion' }] });
    vi.stubGlobal(
      'fetch',
      async () =>
        new Response(
          JSON.stringify({
            default: 'Fashion-MNIST',
            datasets: [
              { id: 'mnist', dir: 'm' },
              { id: 'fashion', dir: 'f' },
            ],
          }),
        ),
    );
    expect((await fetchIndex(index)).defaultId).toBe('fashion');
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ default: 'nowhere', datasets: [{ id: 'letters', dir: 'l' }] })));
    expect((await fetchIndex(index)).defaultId).toBe('letters');
    const fallback = {
      defaultId: 'mnist',
      sets: [
        {
          id: 'mnist',
          label: 'MNIST digits (bundled)',
          note: '8,500 training, 1,500 test images',
          files: gzFiles('mnist/'),
          classNames: null,
        },
      ],
    };
    vi.stubGlobal('fetch', async () => new Response('{}', { status: 404 }));
    expect(await fetchIndex(index)).toEqual(fallback);
    // An error status with a body that reads as an index (a server's error page in JSON) is still an error.
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify([{ id: 'fashion', dir: 'fashion' }]), { status: 500 }));
    expect(await fetchIndex(index)).toEqual(fallback);
    vi.stubGlobal('fetch', async () => new Response('[]'));
    expect(await fetchIndex(index)).toEqual(fallback);
    vi.stubGlobal('fetch', async () => new Response('not json'));
    expect(await fetchIndex(index)).toEqual(fallback);
  });
});

/** The standard gzipped names in `dir`. */
function gzFiles(dir: string) {
  return {
    trainImages: `${dir}train-images-idx3-ubyte.gz`,
    trainLabels: `${dir}train-labels-idx1-ubyte.gz`,
    testImages: `${dir}t10k-images-idx3-ubyte.gz`,
    testLabels: `${dir}t10k-labels-idx1-ubyte.gz`,
  };
}
