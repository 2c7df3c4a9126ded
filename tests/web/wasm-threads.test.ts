// The pthreads build in Node (through a browser-style Worker shim): same numbers as the SIMD
// build with one thread, deterministic with two, and errors still cross as exceptions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScratchNetModule, WasmDataset } from '../../wasm/scratchnet';
import { bundled, loadSplits, loadWasm } from './wasm-module';

let simd: ScratchNetModule;
let threads: ScratchNetModule;
const data: { m: ScratchNetModule; train: WasmDataset; test: WasmDataset }[] = [];

beforeAll(async () => {
  simd = await loadWasm('simd');
  threads = await loadWasm('threads', 2);
  const files = bundled();
  for (const m of [simd, threads]) data.push({ m, ...loadSplits(m, files) });
});
afterAll(() => {
  for (const d of data) {
    d.train.delete();
    d.test.delete();
  }
});

function losses(m: ScratchNetModule, preset: string, threadCount: number, steps = 30): Float32Array {
  const d = data.find((x) => x.m === m)!;
  const net = new m.Network();
  try {
    net.setData(d.train, d.test, []);
    net.build(preset, 1);
    expect(net.setThreads(threadCount)).toBe(threadCount);
    net.setTraining({ optimizer: 'adam', learningRate: 0.001, batchSize: 64, seed: 1 });
    return net.trainSteps(steps);
  } finally {
    net.delete();
  }
}

describe('threads build', () => {
  for (const preset of ['mlp', 'lenet']) {
    it(`${preset}: one thread is bit-identical to the SIMD build`, () => {
      expect(Array.from(losses(threads, preset, 1))).toEqual(Array.from(losses(simd, preset, 1)));
    });
    it(`${preset}: two threads are deterministic and agree closely`, () => {
      const a = losses(threads, preset, 2);
      const b = losses(threads, preset, 2);
      expect(Array.from(a)).toEqual(Array.from(b));
      const one = losses(threads, preset, 1);
      for (let i = 0; i < a.length; ++i) expect(Math.abs(a[i] - one[i]) / one[i]).toBeLessThan(1e-4);
    });
  }

  it('errors cross the boundary from the threads build too', () => {
    const net = new threads.Network();
    try {
      expect(() => net.build('conv 3 3y3', 1)).toThrow(/layer 1/);
      expect(() => net.load(new Uint8Array(16))).toThrow(/magic|ScratchNet/i);
    } finally {
      net.delete();
    }
  });
});
