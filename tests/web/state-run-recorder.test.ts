import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../web/src/state/config';
import { RunRecorder } from '../../web/src/state/run-recorder';
import { defaultRunName, type RunRecord } from '../../web/src/state/runs';
import type { Evaluation, Progress } from '../../web/src/worker/protocol';

function record(): RunRecord {
  return {
    id: 'r', name: 'r', startedAt: 0, status: 'stopped', dataLabel: 'd', description: 'dense 10 softmax',
    preset: null, config: { ...DEFAULT_CONFIG, batchSize: 10 }, params: 1, lossCurve: [], epochs: [],
    finalTrainLoss: null, finalTestLoss: null, finalTestAccuracy: null, trainingMs: 0, samplesPerSecond: 0,
    variant: 'simd', threads: 1,
  };
}

function progress(step: number, losses: number[], samplesPerSecond = 0): Progress {
  return {
    epoch: 0, batch: step, batchesPerEpoch: 100, step, loss: losses.at(-1) ?? 0, meanLoss: 0,
    runningAccuracy: 0, samplesPerSecond, etaSeconds: 0, elapsedSeconds: 0, losses: Float32Array.from(losses),
  };
}

const test: Evaluation = { loss: 0.3, accuracy: 0.9, count: 1, classes: 10, confusion: new Int32Array(100), classLabels: [] };

describe('RunRecorder', () => {
  it('keeps nothing for a run that never trained, or was only stepped', () => {
    const r = new RunRecorder(record());
    expect(r.worthKeeping).toBe(false);
    r.addProgress(progress(2, [1, 1]));
    expect(r.worthKeeping).toBe(false);
    r.trained = true;
    expect(r.worthKeeping).toBe(true);
  });

  it('turns progress and epochs into the stored record', () => {
    const r = new RunRecorder(record());
    r.trained = true;
    r.addProgress(progress(3, [3, 2, 1], 1234));
    r.addEpoch({ epoch: 0, trainLoss: 2, trainAccuracy: 0.5, test, seconds: 1 });
    r.addTime(500);
    const out = r.finish('finished', 4);
    expect(out.status).toBe('finished');
    expect(out.lossCurve.map((p) => p.step)).toEqual([1, 2, 3]);
    expect(out.lossCurve[0]!.loss).toBeCloseTo(3);
    expect(out.epochs).toEqual([{ epoch: 1, trainLoss: 2, testLoss: 0.3, testAccuracy: 0.9 }]);
    expect(out.finalTestAccuracy).toBe(0.9);
    expect(out.trainingMs).toBeGreaterThanOrEqual(500);
    expect(out.samplesPerSecond).toBe(1234);
    expect(out.threads).toBe(4);
  });

  it('estimates samples/s from time when the engine did not report it', () => {
    const r = new RunRecorder(record());
    r.trained = true;
    r.addProgress(progress(100, Array(100).fill(1)));
    r.addTime(1000);
    expect(r.finish('stopped', 1).samplesPerSecond).toBeCloseTo(1000, -1); // 100 steps x 10 / 1 s
  });

  it('warns once when the loss explodes', () => {
    const r = new RunRecorder(record());
    expect(r.addProgress(progress(10, Array(10).fill(2)))).toBeNull();
    expect(r.addProgress(progress(20, Array(10).fill(1e5)))).toMatch(/too large/);
    expect(r.addProgress(progress(30, Array(10).fill(1e6)))).toBeNull();
  });

  it('records a learning rate changed mid-run, from the next step, in the record and its default name', () => {
    const rec = { ...record(), preset: 'mlp', config: { ...DEFAULT_CONFIG, learningRate: 0.002, epochs: 3 } };
    rec.name = defaultRunName('mlp', rec.config);
    const r = new RunRecorder(rec);
    r.changeRate(0.002); // the rate it has: no change
    expect(r.record.changes).toBeUndefined();
    r.addProgress(progress(20, Array(20).fill(1)));
    r.changeRate(0.01);
    r.changeRate(0.0005); // before any batch at 0.01: replaces it
    expect(r.record.changes).toEqual([{ step: 21, learningRate: 0.0005 }]);
    expect(r.record.name).toBe(`mlp · 3 ep · ${DEFAULT_CONFIG.optimizer} 0.002 → 0.0005`);
    r.addProgress(progress(30, Array(10).fill(1)));
    r.record.name = 'my run'; // a name the person gave stays
    r.changeRate(0.001);
    expect(r.record.changes).toEqual([{ step: 21, learningRate: 0.0005 }, { step: 31, learningRate: 0.001 }]);
    expect(r.record.name).toBe('my run');
  });
});
