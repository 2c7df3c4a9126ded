// Network.validate (called as the user types) summarizes a description without building its
// weights: wasm memory never shrinks, so a large model validated once must not keep its size.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScratchNetModule } from '../../wasm/scratchnet';
import { loadWasm } from './wasm-module';

let m: ScratchNetModule;

beforeAll(async () => {
  m = await loadWasm('simd');
});

const MB = 1024 * 1024;

describe('validate builds no weights', () => {
  it('a ~20M-parameter description is summarized without growing the heap', () => {
    const large = 'dense 4096 relu | dense 4096 relu | dense 10 softmax';
    const before = m.memoryStats();
    const v = m.Network.validate(large, 28, 28);
    const after = m.memoryStats();
    expect(v.ok).toBe(true);
    expect(v.error).toBeUndefined();
    const s = v.summary!;
    expect(s.params).toBe(784 * 4096 + 4096 + 4096 * 4096 + 4096 + 4096 * 10 + 10);
    expect(s.params).toBeGreaterThan(20_000_000);
    expect(s.layers.map((l) => l.kind)).toEqual(['dense', 'relu', 'dense', 'relu', 'dense', 'softmax']);
    expect(s.layers[0].shape).toEqual([1, 1, 4096]);
    expect(s.layers[0].params).toBe(784 * 4096 + 4096);
    expect(s.layers[4].shape).toEqual([1, 1, 10]);
    expect(s.flops).toBe(s.layers.reduce((sum, l) => sum + l.flops, 0));
    expect(s.loss).toBe('xent');
    expect(s.classes).toBe(10);
    // Its weights alone would be 80 MB.
    expect(after.heapSize - before.heapSize).toBeLessThanOrEqual(4 * MB);
    expect(after.used - before.used).toBeLessThanOrEqual(1 * MB);
    expect(after.networks).toBe(before.networks);
  });

  it('returns the summary a built model has', () => {
    for (const model of ['lenet', 'mlp', 'cnn-binary', 'cnn-deep']) {
      const v = m.Network.validate(model, 28, 28);
      expect(v.ok).toBe(true);
      const net = new m.Network();
      try {
        expect(v.summary).toEqual(net.build(model, 1));
      } finally {
        net.delete();
      }
    }
  });

  it('a bad description returns the error text the build throws', () => {
    const bad = 'conv 8 5x5 | maxpool 2 | conv 16 5x5 | maxpool 2 | conv 16 5x5';
    const v = m.Network.validate(bad, 28, 28);
    expect(v.ok).toBe(false);
    expect(v.summary).toBeUndefined();
    expect(v.error).toBe("layer 5 'conv 16 5x5': input is 4x4, smaller than the 5x5 kernel");
    const net = new m.Network();
    try {
      let message = '';
      try {
        net.build(bad, 1);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toBe(v.error);
    } finally {
      net.delete();
    }
  });
});
