// The real wasm module in Node: builds, trains on the bundled digits, evaluates, saves/loads.
import { describe, expect, it } from 'vitest';
import type { WasmNetwork } from '../../wasm/scratchnet';
import { mean } from './wasm-module';
import { m, test, train, useDigits } from './wasm-digits';

useDigits('simd');

function network(description: string, seed = 1): WasmNetwork {
  const net = new m.Network();
  net.setData(train, test, []);
  net.build(description, seed);
  net.setTraining({ optimizer: 'adam', learningRate: 0.001, batchSize: 64, seed });
  return net;
}

describe('wasm module', () => {
  it('lists the presets and reads the bundled digits', () => {
    const names = m.Network.presets().map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['lenet', 'mlp', 'mlp-mse', 'cnn-binary']));
    expect(train.info()).toMatchObject({ rows: 28, cols: 28, classes: 10 });
    expect(train.info().count).toBeGreaterThan(1000);
    expect(test.info().count).toBeGreaterThan(100);
  });

  it('summarises a model: layers with shapes, params and FLOPs', () => {
    const s = m.Network.validate('lenet', 28, 28);
    expect(s.ok).toBe(true);
    const conv = s.summary!.layers[0];
    expect(conv).toMatchObject({ segment: 1, kind: 'conv', shape: [28, 28, 6], params: 6 * 25 + 6 });
    expect(s.summary!.layers.at(-1)!.shape).toEqual([1, 1, 10]);
    expect(s.summary!.params).toBeGreaterThan(1000);
    expect(s.summary!.flops).toBeGreaterThan(0);
    expect(s.summary!.loss).toBe('xent');
  });

  for (const preset of ['lenet', 'mlp']) {
    it(`${preset}: 100 steps make the loss go down`, () => {
      const net = network(preset);
      try {
        const losses = net.trainSteps(100);
        expect(losses).toBeInstanceOf(Float32Array);
        expect(losses.length).toBe(100);
        expect(losses.every(Number.isFinite)).toBe(true);
        expect(mean(losses, 90, 100)).toBeLessThan(0.6 * mean(losses, 0, 10));
        expect(net.progress()).toMatchObject({ step: 100, batch: 100 });
      } finally {
        net.delete();
      }
    });
  }

  it('lenet reaches >= 95% test accuracy after one epoch', () => {
    // One pass over the 8,500 bundled digits (532 steps of 16) under one-cycle: 96.8% for seed 1
    // (96.7% for seed 2). With its recommended batch of 128 (67 steps) lenet is not there yet
    // after one epoch, and at a constant 0.002 with batches of 8 it ends the epoch at 93.2%.
    const net = new m.Network();
    net.setData(train, test, []);
    net.build('lenet', 1);
    net.setTraining({ optimizer: 'adam', learningRate: 0.003, batchSize: 16, seed: 1, schedule: { kind: 'onecycle', epochs: 1 } });
    try {
      const perEpoch = net.progress().batchesPerEpoch;
      net.trainSteps(perEpoch);
      const e = net.evaluate(false);
      expect(e.count).toBe(test.info().count);
      expect(e.accuracy).toBeGreaterThanOrEqual(0.95);
      expect(e.confusion).toBeInstanceOf(Int32Array);
      expect(e.confusion.length).toBe(100);
      expect(e.confusion.reduce((a, b) => a + b, 0)).toBe(e.count);
      // Predictions agree with the evaluation.
      const probs = net.predictTest(Int32Array.from({ length: 10 }, (_, i) => i));
      expect(probs.length).toBe(100);
      expect(mean(probs) * 10).toBeCloseTo(1, 4);
    } finally {
      net.delete();
    }
  });

  it('save -> load gives the same predictions; activations and parameters come out', () => {
    const net = network('lenet');
    const other = new m.Network();
    try {
      net.trainSteps(20);
      const image = Float32Array.from(test.images([0]), (v) => v / 255);
      const before = net.predict(image);
      const bytes = net.save();
      expect(bytes).toBeInstanceOf(Uint8Array);
      const loaded = other.load(bytes);
      expect(loaded.summary.description).toBe(net.summary().description);
      expect(loaded.classLabels).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(Array.from(other.predict(image))).toEqual(Array.from(before));

      const acts = net.activations(image);
      expect(acts.length).toBe(net.summary().layers.length);
      expect(acts[0].shape).toEqual([28, 28, 6]);
      expect(acts[0].values.length).toBe(28 * 28 * 6);
      const params = net.parameters();
      const convWeight = params.find((p) => p.kind === 'conv' && p.name === 'weight')!;
      expect(convWeight.shape).toEqual([5, 5, 1, 6]);
      expect(convWeight.values.length).toBe(150);
    } finally {
      net.delete();
      other.delete();
    }
  });

  it('two-class models train on a class subset', () => {
    const net = new m.Network();
    try {
      const data = net.setData(train, test, [0, 1]);
      expect(data.classLabels).toEqual([0, 1]);
      expect(data.trainCount).toBeLessThan(train.info().count / 3);
      net.build('cnn-binary', 1);
      expect(net.summary().classes).toBe(2);
      net.setTraining({ optimizer: 'adam', learningRate: 0.001, batchSize: 32, seed: 1 });
      net.trainSteps(net.progress().batchesPerEpoch);
      const e = net.evaluate(false);
      expect(e.classes).toBe(2);
      expect(e.count).toBe(data.testCount);
      expect(e.accuracy).toBeGreaterThan(0.98);
      const other = new m.Network();
      expect(other.load(net.save()).classLabels).toEqual([0, 1]);
      other.delete();
    } finally {
      net.delete();
    }
  });
});
