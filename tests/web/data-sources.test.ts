import { describe, expect, it } from 'vitest';
import { FASHION_CLASSES, indexDefault, parseIndex } from '../../web/src/data/sources';

describe('data/index.json', () => {
  it('reads the index written by web/scripts/prepare-data.mjs', () => {
    const sets = parseIndex({
      datasets: [
        {
          id: 'mnist',
          name: 'MNIST digits (bundled)',
          label: 'MNIST digits (bundled)',
          note: '8,500 training, 1,500 test images',
          dir: 'mnist',
          files: {
            trainImages: 'mnist/train-images-idx3-ubyte.gz',
            trainLabels: 'mnist/train-labels-idx1-ubyte.gz',
            testImages: 'mnist/t10k-images-idx3-ubyte.gz',
            testLabels: 'mnist/t10k-labels-idx1-ubyte.gz',
          },
          train: 8500,
          test: 1500,
          classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
        },
        { id: 'fashion', name: 'Fashion-MNIST', dir: 'fashion', train: 60000, test: 10000 },
      ],
    });
    expect(sets.map((s) => s.id)).toEqual(['mnist', 'fashion']);
    expect(sets[0]!.files.testLabels).toBe('mnist/t10k-labels-idx1-ubyte.gz');
    expect(sets[0]!.classNames?.[9]).toBe('9');
    // No files map: the standard names in its folder; class names known for Fashion-MNIST.
    expect(sets[1]!.files.trainImages).toBe('fashion/train-images-idx3-ubyte.gz');
    expect(sets[1]!.classNames).toEqual(FASHION_CLASSES);
    expect(sets[1]!.note).toBe('60,000 training, 10,000 test images');
    expect(sets[1]!.label).toBe('Fashion-MNIST');
  });

  it('accepts snake_case file keys and skips unusable entries', () => {
    const sets = parseIndex([
      { id: 'x', files: { train_images: 'a', train_labels: 'b', test_images: 'c', test_labels: 'd' } },
      { id: 'broken', files: { trainImages: 'a' } },
      'nonsense',
      { files: {} },
    ]);
    expect(sets).toHaveLength(1);
    expect(sets[0]!.files).toEqual({ trainImages: 'a', trainLabels: 'b', testImages: 'c', testLabels: 'd' });
  });

  it('returns nothing for garbage', () => {
    expect(parseIndex(null)).toEqual([]);
    expect(parseIndex(42)).toEqual([]);
  });

  it('opens the set the index names as its default, else its first', () => {
    const entry = (id: string) => ({ id, dir: id });
    const json = { default: 'full-mnist', datasets: [entry('mnist'), entry('full-mnist')] };
    const sets = parseIndex(json);
    expect(indexDefault(json, sets)).toBe('full-mnist');
    expect(indexDefault({ ...json, default: 'missing' }, sets)).toBe('mnist');
    expect(indexDefault([entry('fashion')], parseIndex([entry('fashion')]))).toBe('fashion');
    expect(indexDefault(null, [])).toBe('mnist');
  });
});

describe('data/index.json entries, field by field', () => {
  const dir = { dir: 'd' };
  it("names Fashion-MNIST's ten classes in the data set's own words and order", () => {
    expect(parseIndex([{ id: 'fashion-mnist', ...dir }])[0]!.classNames).toEqual([
      'T-shirt/top',
      'Trouser',
      'Pullover',
      'Dress',
      'Coat',
      'Sandal',
      'Shirt',
      'Sneaker',
      'Bag',
      'Ankle boot',
    ]);
  });

  it('takes class names only when every one is text', () => {
    expect(parseIndex([{ id: 'x', ...dir, classNames: ['a', 'b'] }])[0]!.classNames).toEqual(['a', 'b']);
    expect(parseIndex([{ id: 'x', ...dir, classNames: ['a', 2] }])[0]!.classNames).toBeNull();
  });

  it('takes an id or a name only when it is non-empty text', () => {
    expect(parseIndex([{ id: 7, name: 'digits', ...dir }]).map((s) => s.id)).toEqual(['digits']);
    expect(parseIndex([{ id: '', name: 'digits', ...dir }]).map((s) => s.id)).toEqual(['digits']);
    expect(parseIndex([{ id: 7, ...dir }])).toEqual([]);
  });

  it('counts only finite numbers in the note', () => {
    expect(parseIndex([{ id: 'x', ...dir, train: 60000, test: 10000 }])[0]!.note).toBe('60,000 training, 10,000 test images');
    expect(parseIndex([{ id: 'x', ...dir, train: '60000', trainCount: 5, test: 2 }])[0]!.note).toBe('5 training, 2 test images');
    expect(
      parseIndex([{ id: 'x', ...dir, train: Number.NaN, train_count: 3, test: Number.POSITIVE_INFINITY, testCount: 1 }])[0]!.note,
    ).toBe('3 training, 1 test images');
  });

  it('finds the four files in a list of names, skipping anything that is not a name', () => {
    const files = [
      't10k-labels-idx1-ubyte.gz',
      42,
      'train-images-idx3-ubyte.gz',
      null,
      't10k-images-idx3-ubyte.gz',
      'train-labels-idx1-ubyte.gz',
    ];
    expect(parseIndex([{ id: 'x', dir: 'sets/x', files }])[0]!.files).toEqual({
      trainImages: 'sets/x/train-images-idx3-ubyte.gz',
      trainLabels: 'sets/x/train-labels-idx1-ubyte.gz',
      testImages: 'sets/x/t10k-images-idx3-ubyte.gz',
      testLabels: 'sets/x/t10k-labels-idx1-ubyte.gz',
    });
  });
});
