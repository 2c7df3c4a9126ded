// Memory stays flat: every Embind object is deleted, and repeated calls and rebuilds neither
// grow the wasm heap nor leave `val` handles or native objects behind.
import { describe, expect, it } from 'vitest';
import { m, test, train, useDigits } from './wasm-digits';

useDigits('simd');

describe('no leaks', () => {
  it('1,000 predicts and 20 rebuilds keep heap, malloc and handles flat', () => {
    const net = new m.Network();
    net.setData(train, test, []);
    const image = Float32Array.from(test.images([1]), (v) => v / 255);
    const cycle = (preset: string, seed: number) => {
      net.build(preset, seed);
      net.setTraining({ optimizer: 'adam', learningRate: 0.001, batchSize: 64, seed });
      net.trainSteps(2);
      net.evaluate(false);
      net.activations(image);
      net.parameters();
      net.save();
      try {
        net.build('conv 8 5y5', 1); // errors must not leak either
      } catch {
        /* expected */
      }
    };
    // Warm up: allocator pools, buffers for the first batch size. lenet and mlp leave holes of
    // different sizes, and alternating them grows the heap once (at the 13th cycle here, by
    // 9.7 MB, with the bytes in use the same each time); after that it stayed put through 80
    // more cycles. Sixteen cycles pass that point.
    for (let i = 0; i < 16; ++i) cycle(i % 2 ? 'mlp' : 'lenet', i);
    for (let i = 0; i < 50; ++i) net.predict(image);
    const start = m.memoryStats();
    const handles = m.count_emval_handles();

    for (let i = 0; i < 1000; ++i) net.predict(image);
    const afterPredicts = m.memoryStats();
    expect(afterPredicts.used).toBe(start.used);
    expect(afterPredicts.heapSize).toBe(start.heapSize);
    expect(m.count_emval_handles()).toBe(handles);

    for (let i = 0; i < 20; ++i) cycle(i % 2 ? 'mlp' : 'lenet', i);
    cycle('mlp', 1); // the same state as at `start` (model, trainer, evaluation buffers)
    for (let i = 0; i < 50; ++i) net.predict(image);
    const end = m.memoryStats();
    expect(end.heapSize).toBe(start.heapSize);
    // malloc'd bytes: the same model is live again; allow allocator rounding only.
    expect(Math.abs(end.used - start.used)).toBeLessThan(16 * 1024);
    expect(m.count_emval_handles()).toBe(handles);
    expect(end.networks).toBe(1);
    expect(end.datasets).toBe(2);
    net.delete();
    expect(m.memoryStats().networks).toBe(0);
  });

  it('creating and deleting handles returns their memory', () => {
    const base = m.memoryStats();
    for (let i = 0; i < 20; ++i) {
      const net = new m.Network();
      net.setData(train, test, [3, 8]); // a filtered copy of the data
      net.build('cnn-binary', i);
      net.delete();
    }
    const end = m.memoryStats();
    expect(end.networks).toBe(base.networks);
    expect(Math.abs(end.used - base.used)).toBeLessThan(64 * 1024);
  });
});
