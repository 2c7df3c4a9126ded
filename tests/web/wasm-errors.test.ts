// Bad input of every kind becomes a thrown Error with the engine's message, and the module
// keeps working afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WasmNetwork } from '../../wasm/scratchnet';
import { bundled } from './wasm-module';
import { m, test, train, useDigits } from './wasm-digits';

let net: WasmNetwork;
let image: Float32Array;

useDigits('simd');
beforeAll(() => {
  net = new m.Network();
  net.setData(train, test, []);
  net.build('mlp', 1);
  net.setTraining({ optimizer: 'adam', learningRate: 0.001, batchSize: 64, seed: 1 });
  image = Float32Array.from(test.images([0]), (v) => v / 255);
});
afterAll(() => net?.delete());

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

/** The module still answers: the model predicts and a fresh build works. */
function stillUsable(): void {
  const p = net.predict(image);
  expect(p.length).toBe(10);
  const probe = new m.Network();
  expect(probe.build('dense 10 softmax', 2).classes).toBe(10);
  probe.delete();
}

describe('errors cross the boundary as exceptions', () => {
  const bad: [string, RegExp][] = [
    ['conv 8 5y5 relu | flatten | dense 10 softmax', /layer 1 'conv 8 5y5 relu'.*5x5/],
    ['dense 10 softmax | bogus 3', /layer 2/],
    ['conv 8 40x40 | flatten | dense 10 softmax', /layer 1/],
    ['dense 0 relu', /layer 1/],
    ['', /./],
    ['dense 10 softmax | loss hinge', /loss|hinge/],
  ];
  for (const [description, message] of bad) {
    it(`build(${JSON.stringify(description)}) throws DescriptionError`, () => {
      const probe = new m.Network();
      try {
        const e = thrown(() => probe.build(description, 1));
        expect(e).toBeInstanceOf(Error);
        expect(e.name).toBe('DescriptionError');
        expect(e.message).toMatch(message);
        // validate() says the same without throwing.
        const v = m.Network.validate(description, 28, 28);
        expect(v.ok).toBe(false);
        expect(v.error).toBe(e.message);
      } finally {
        probe.delete();
      }
      stillUsable();
    });
  }

  it('a model too large for the memory limit is a LimitError, found before allocating', () => {
    const huge = 'dense 16384 relu | dense 16384 relu | dense 10 softmax';
    const before = m.memoryStats().heapSize;
    const v = m.Network.validate(huge, 28, 28);
    expect(v.ok).toBe(false);
    expect(v.error).toMatch(/GiB.*limit/);
    const probe = new m.Network();
    try {
      const e = thrown(() => probe.build(huge, 1));
      expect(e.name).toBe('LimitError');
    } finally {
      probe.delete();
    }
    expect(m.memoryStats().heapSize).toBe(before);
    stillUsable();
  });

  it('corrupt, truncated and foreign model bytes throw FormatError and keep the old model', () => {
    const good = net.save();
    const before = Array.from(net.predict(image));
    const flipped = good.slice();
    flipped[Math.floor(flipped.length / 2)] ^= 0x40;
    const cases: [Uint8Array, RegExp][] = [
      [flipped, /checksum|corrupt/i],
      [good.slice(0, good.length - 7), /truncated|short|checksum/i],
      [new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), /not a ScratchNet model|magic/i],
      [new Uint8Array(0), /./],
    ];
    for (const [bytes, message] of cases) {
      const e = thrown(() => net.load(bytes));
      expect(e.name).toBe('FormatError');
      expect(e.message).toMatch(message);
      expect(Array.from(net.predict(image))).toEqual(before);
    }
    stillUsable();
  });

  it('malformed IDX bytes throw FormatError naming the problem', () => {
    const files = bundled();
    const ds = new m.Dataset();
    try {
      const badMagic = files.testImages.slice();
      badMagic[2] = 0x0d; // element type
      const truncated = files.testImages.slice(0, 1000);
      const cases: [Uint8Array, Uint8Array, RegExp][] = [
        [new Uint8Array([0, 0]), files.testLabels, /short|header/i],
        [badMagic, files.testLabels, /type|magic/i],
        [truncated, files.testLabels, /length|size|truncated|bytes/i],
        [files.testImages, files.trainLabels, /count|labels|images/i],
        [files.testLabels, files.testImages, /dimension|magic|idx3|images/i],
      ];
      for (const [images, labels, message] of cases) {
        const e = thrown(() => ds.parse(images, labels));
        expect(e.name).toBe('FormatError');
        expect(e.message).toMatch(message);
      }
      expect(ds.parse(files.testImages, files.testLabels).count).toBe(test.info().count);
    } finally {
      ds.delete();
    }
    stillUsable();
  });

  it('state errors, bad images and divergence are errors too', () => {
    const empty = new m.Network();
    try {
      expect(thrown(() => empty.predict(image)).name).toBe('StateError');
      expect(thrown(() => empty.trainSteps(1)).name).toBe('StateError');
      expect(thrown(() => net.predict(new Float32Array(10))).message).toMatch(/784/);
      empty.setData(train, test, []);
      empty.build('mlp', 3);
      empty.setTraining({ optimizer: 'sgd', learningRate: 1e9, batchSize: 64, seed: 3 });
      const e = thrown(() => empty.trainSteps(50));
      expect(e.name).toBe('DivergenceError');
      expect(e.message).toMatch(/NaN|infinite|diverge/i);
      // The model is still there, and a fresh start trains on.
      expect(empty.predict(image).length).toBe(10);
      empty.build('mlp', 3);
      empty.setTraining({ optimizer: 'sgd', learningRate: 0.01, batchSize: 64, seed: 3 });
      expect(empty.trainSteps(5).every(Number.isFinite)).toBe(true);
    } finally {
      empty.delete();
    }
    stillUsable();
  });
});
