// Same seed, one thread, the portable native build (build/h4: SSE2 like wasm SIMD128, no FMA)
// against wasm, bit for bit, for what issue 9 added to training: BatchNorm (per channel after a
// conv, per unit after a dense layer), the one-cycle schedule, label smoothing, AdamW and Adam's
// betas; and a preset trained with its recommended settings, which the CLI applies by itself and
// the page reads from Network.presets().
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { WasmTrainingOptions } from '../../wasm/scratchnet';
import { nativeLosses, root } from './wasm-module';
import { m, test, train, useDigits } from './wasm-digits';

const STEPS = 60;
const portable = `${root}/build/h4/core/cli/nn`;

useDigits('simd');

function wasmLosses(model: string, options: WasmTrainingOptions): Float32Array {
  const net = new m.Network();
  try {
    net.setData(train, test, []);
    net.build(model, 1);
    net.setThreads(1);
    net.setTraining(options);
    return net.trainSteps(STEPS);
  } finally {
    net.delete();
  }
}

describe('wasm == native with BatchNorm, schedules, label smoothing, AdamW', () => {
  it('a BatchNorm model under one-cycle with AdamW and label smoothing', () => {
    expect(existsSync(portable), `${portable} missing (built by the global setup)`).toBe(true);
    const model = 'conv 6 5x5 | batchnorm relu | maxpool 2 | flatten | dense 32 | batchnorm relu | dense 10 softmax';
    const native = nativeLosses(portable, model, STEPS, [
      '--batch',
      '64',
      '--optimizer',
      'adamw',
      '--lr',
      '0.003',
      '--weight-decay',
      '0.01',
      '--beta1',
      '0.8',
      '--beta2',
      '0.99',
      '--schedule',
      'onecycle',
      '--warmup',
      '0.2',
      '--label-smoothing',
      '0.1',
    ]);
    const wasm = wasmLosses(model, {
      optimizer: 'adamw',
      learningRate: 0.003,
      weightDecay: 0.01,
      beta1: 0.8,
      beta2: 0.99,
      batchSize: 64,
      seed: 1,
      schedule: { kind: 'onecycle', epochs: 1, warmup: 0.2 },
      labelSmoothing: 0.1,
    });
    expect(native.length).toBe(STEPS);
    expect(Array.from(wasm)).toEqual(native.map((x) => Math.fround(x)));
    // It learns (the losses are not all the same bits because nothing moved).
    expect(wasm[STEPS - 1]).toBeLessThan(wasm[0] * 0.7);
  });

  it('the fast preset with its recommended settings, from the CLI and from Network.presets()', () => {
    const fast = m.Network.presets().find((p) => p.name === 'fast');
    expect(fast?.settings).toBeDefined();
    const s = fast!.settings!;
    expect(s).toMatchObject({ optimizer: 'adam', beta1: 0.7, schedule: { kind: 'onecycle' } });
    const native = nativeLosses(portable, 'fast', STEPS, []);
    const wasm = wasmLosses('fast', {
      optimizer: s.optimizer,
      learningRate: s.learningRate,
      batchSize: s.batchSize,
      seed: 1,
      beta1: s.beta1,
      beta2: s.beta2,
      weightDecay: s.weightDecay,
      labelSmoothing: s.labelSmoothing,
      augment: s.augment,
      schedule: { kind: s.schedule.kind, epochs: 1, warmup: s.schedule.warmup },
    });
    expect(native.length).toBe(STEPS);
    expect(Array.from(wasm)).toEqual(native.map((x) => Math.fround(x)));
  });

  it("plots a schedule with the trainer's own rates", () => {
    const curve = m.Network.scheduleCurve({ kind: 'onecycle', epochs: 2, warmup: 0.25 }, 0.01, 100, 201);
    expect(curve.length).toBe(201);
    expect(curve[0]).toBeCloseTo(0.0004, 7); // starts at 4% of the peak
    expect(Math.max(...curve)).toBeCloseTo(0.01, 6); // the peak, a quarter into the run
    expect(curve.indexOf(Math.max(...curve))).toBe(51); // batch 50 of 200
    expect(curve[200]).toBeLessThan(0.01 * 1e-3); // the last batch: annealed to almost nothing
    expect(() => m.Network.scheduleCurve({ kind: 'linear' as 'step' }, 0.01, 100, 10)).toThrow(/unknown schedule/);
  });
});
