// The idle-time warm-up (web/src/worker/warm-up.ts) on the real wasm module in Node: it trains
// its own network on its own made-up images, stops when asked, deletes all it made (also when
// interrupted by an error), and leaves the engine as it found it: a model trained afterwards
// learns exactly as one trained before it.
import { describe, expect, it } from 'vitest';
import { noiseIdx, warmUp, WARM_UP_SLICE, WARM_UP_STEPS } from '../../web/src/worker/warm-up';
import { m, test, train, useDigits } from './wasm-digits';

useDigits('simd');

/** The losses of 12 lenet steps on the bundled digits, with a fixed seed. */
function lenetLosses(): number[] {
  const net = new m.Network();
  try {
    net.setData(train, test, []);
    net.build('lenet', 7);
    net.setTraining({ optimizer: 'adam', learningRate: 0.002, batchSize: 32, seed: 7 });
    return Array.from(net.trainSteps(12));
  } finally {
    net.delete();
  }
}

const objects = () => {
  const { networks, datasets } = m.memoryStats();
  return { networks, datasets };
};

describe('warm-up', () => {
  it('makes IDX noise the engine reads: 256 images of 28x28, labels 0-9 in turn', () => {
    const { images, labels } = noiseIdx();
    const set = new m.Dataset();
    try {
      const info = set.parse(images, labels);
      expect(info).toMatchObject({ count: 256, rows: 28, cols: 28 });
      expect(Array.from(set.labels([0, 1, 9, 10, 255]))).toEqual([0, 1, 9, 0, 5]);
      // Noise, not a blank image: both ends of the pixel range occur.
      const pixels = set.images([0, 1, 2]);
      expect(Math.min(...pixels)).toBeLessThan(8);
      expect(Math.max(...pixels)).toBeGreaterThan(247);
    } finally {
      set.delete();
    }
  });

  it('trains every step, deletes what it made, and leaves training elsewhere unchanged', async () => {
    const before = lenetLosses();
    const objectsBefore = objects();
    const result = await warmUp(m, () => false);
    expect(result).toEqual({ steps: WARM_UP_STEPS, stopped: false });
    expect(objects()).toEqual(objectsBefore);
    expect(lenetLosses()).toEqual(before); // bit for bit: nothing shared was touched
  });

  it('stops at the first slice boundary after it is asked to, and still cleans up', async () => {
    const objectsBefore = objects();
    let slices = 0;
    const result = await warmUp(m, () => slices++ >= 2);
    expect(result).toEqual({ steps: 2 * WARM_UP_SLICE, stopped: true });
    expect(objects()).toEqual(objectsBefore);
  });

  it('deletes what it made when it fails half-way, and passes the error on', async () => {
    const objectsBefore = objects();
    let slices = 0;
    const failing = () => {
      if (++slices === 3) throw new Error('page went away');
      return false;
    };
    await expect(warmUp(m, failing)).rejects.toThrow('page went away');
    expect(objects()).toEqual(objectsBefore);
  });
});
