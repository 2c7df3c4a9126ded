// Same seed, one thread: the wasm engine's losses against the native CLI's (`nn train
// --print-losses`) for the same 100 steps.
//  - vs a portable native build (build/h4: SSE2, 4 lanes, multiply + add, like wasm SIMD128):
//    bit-identical. Same kernels, same summation order, no fused multiply-add.
//  - vs the default native build (build/native: -march=native, AVX2 + FMA, 8 lanes): within
//    1e-5 relative, not identical: FMA rounds a*b+c once instead of twice and 8-lane tiles
//    sum in another order, so the last bits differ from the first step and drift slowly.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nativeLosses, root } from './wasm-module';
import { m, test, train, useDigits } from './wasm-digits';

const STEPS = 100;

useDigits('simd');

const FLAGS = ['--batch', '64', '--optimizer', 'adam', '--lr', '0.001', '--schedule', 'constant'];

function wasmLosses(preset: string): Float32Array {
  const net = new m.Network();
  try {
    net.setData(train, test, []);
    net.build(preset, 1);
    net.setThreads(1);
    net.setTraining({ optimizer: 'adam', learningRate: 0.001, batchSize: 64, seed: 1 });
    return net.trainSteps(STEPS);
  } finally {
    net.delete();
  }
}

const portable = `${root}/build/h4/core/cli/nn`;
const tuned = `${root}/build/native/core/cli/nn`;

describe('wasm == native, same seed, one thread', () => {
  for (const preset of ['mlp', 'lenet']) {
    it(`${preset}: bit-identical to the portable (SSE2) native build`, () => {
      expect(existsSync(portable), `${portable} missing (built by the global setup)`).toBe(true);
      const native = nativeLosses(portable, preset, STEPS, FLAGS);
      const wasm = wasmLosses(preset);
      expect(native.length).toBe(STEPS);
      // The CLI prints %.9g: enough digits to round-trip a float exactly.
      expect(Array.from(wasm)).toEqual(native.map((x) => Math.fround(x)));
    });

    it(`${preset}: within 1e-5 relative of the -march=native build (first 50 steps)`, () => {
      expect(existsSync(tuned), `${tuned} missing (built by the global setup)`).toBe(true);
      const native = nativeLosses(tuned, preset, STEPS, FLAGS);
      const wasm = wasmLosses(preset);
      expect(native.length).toBe(STEPS);
      // Training amplifies last-bit differences every step (lenet: ~1e-5 by step 50, ~2e-4 by
      // step 100): 1e-5 over the first 50 steps, 1e-3 over all 100.
      let worst = 0;
      for (let i = 0; i < 50; ++i) worst = Math.max(worst, Math.abs(wasm[i] - native[i]) / Math.abs(native[i]));
      expect(worst).toBeLessThan(1e-5);
      for (let i = 50; i < STEPS; ++i) worst = Math.max(worst, Math.abs(wasm[i] - native[i]) / Math.abs(native[i]));
      expect(worst).toBeLessThan(1e-3);
    });
  }
});
