// Every binding once more under the checking build: runtime assertions, SAFE_HEAP (each load
// and store checked) and stack-overflow checks. An out-of-bounds access in the bindings or the
// engine aborts here instead of silently corrupting memory in the release build.
import { describe, expect, it } from 'vitest';
import { bundled } from './wasm-module';
import { m, test, train, useDigits } from './wasm-digits';

useDigits('debug');

describe('checking build (SAFE_HEAP, assertions)', () => {
  for (const [preset, classes] of [
    ['lenet', []],
    ['mlp', []],
    ['cnn-binary', [3, 8]],
  ] as const) {
    it(`${preset}: every call runs clean`, () => {
      const net = new m.Network();
      const other = new m.Network();
      try {
        net.setData(train, test, [...classes]);
        net.build(preset, 1);
        net.setTraining({ optimizer: 'adam', learningRate: 0.001, batchSize: 16, seed: 1, augment: { enabled: true } });
        expect(net.trainSteps(8).length).toBe(8);
        net.setLearningRate(0.0005);
        expect(net.progress().step).toBe(8);
        const e = net.evaluate(false);
        expect(e.count).toBeGreaterThan(0);
        const image = Float32Array.from(net.testImages([0]), (v) => v / 255);
        expect(net.predict(image).length).toBe(net.summary().classes);
        expect(net.predictTest([0, 1, 2]).length).toBe(3 * net.summary().classes);
        expect(net.testClasses().length).toBe(e.count);
        expect(net.activations(image).length).toBe(net.summary().layers.length);
        expect(net.parameters().length).toBeGreaterThan(0);
        other.load(net.save());
        expect(Array.from(other.predict(image))).toEqual(Array.from(net.predict(image)));
        expect(m.Network.validate(preset, 28, 28).ok).toBe(true);
      } finally {
        net.delete();
        other.delete();
      }
    });
  }

  it('error paths run clean', () => {
    const net = new m.Network();
    const ds = new m.Dataset();
    try {
      expect(() => net.build('conv 8 5y5', 1)).toThrow(/5y5/);
      expect(() => net.predict(new Float32Array(784))).toThrow(/no model/);
      expect(() => net.load(new Uint8Array(64))).toThrow(/magic|ScratchNet/i);
      const files = bundled();
      expect(() => ds.parse(files.testImages.subarray(0, 100), files.testLabels)).toThrow();
      expect(() => ds.parse(files.testLabels, files.testImages)).toThrow();
      net.build('mlp', 1);
      const bytes = net.save();
      bytes[bytes.length - 1] ^= 0xff;
      expect(() => net.load(bytes)).toThrow(/checksum|corrupt/i);
      expect(() => ds.images([1 << 30])).toThrow(/outside/);
    } finally {
      net.delete();
      ds.delete();
    }
  });
});
