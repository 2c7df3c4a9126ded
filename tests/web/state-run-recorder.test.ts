import { afterEach, describe, expect, it, vi } from 'vitest';
import { engineDefaultConfig } from './engine-settings';
import { RunRecorder } from '../../web/src/state/run-recorder';
import { defaultRunName, noResultsYet, type RunRecord } from '../../web/src/state/runs';
import type { Evaluation, Progress } from '../../web/src/worker/protocol';

/** The engine's defaults, as the page starts with them. */
const DEFAULT_CONFIG = await engineDefaultConfig();

function record(): RunRecord {
  return {
    id: 'r',
    name: 'r',
    startedAt: 0,
    status: 'stopped',
    dataLabel: 'd',
    description: 'dense 10 softmax',
    preset: null,
    config: { ...DEFAULT_CONFIG, batchSize: 10 },
    params: 1,
    ...noResultsYet(),
    variant: 'simd',
    threads: 1,
  };
}

function progress(step: number, losses: number[], samplesPerSecond = 0): Progress {
  return {
    epoch: 0,
    batch: step,
    batchesPerEpoch: 100,
    step,
    loss: losses.at(-1) ?? 0,
    meanLoss: 0,
    runningAccuracy: 0,
    samplesPerSecond,
    etaSeconds: 0,
    elapsedSeconds: 0,
    losses: Float32Array.from(losses),
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
    expect(r.record.changes).toEqual([
      { step: 21, learningRate: 0.0005 },
      { step: 31, learningRate: 0.001 },
    ]);
    expect(r.record.name).toBe('my run');
  });
});

describe('RunRecorder, rule by rule', () => {
  afterEach(() => vi.restoreAllMocks());
  let now = 0;
  const clock = () => vi.spyOn(performance, 'now').mockImplementation(() => now);

  it('counts only the time between startClock and stopClock, and time added by hand', () => {
    clock();
    const r = new RunRecorder(record());
    now = 1000;
    r.startClock();
    now = 1500;
    r.startClock(); // already running: the start stays at 1000
    now = 3000;
    expect(r.snapshot('stopped', 1).trainingMs).toBe(2000); // running: counted up to now
    r.stopClock();
    now = 9000; // paused
    r.stopClock();
    r.addTime(250);
    r.addProgress(progress(40, [1]));
    const done = r.finish('finished', 2);
    expect(done.trainingMs).toBe(2250);
    // 40 steps of 10 samples in 2.25 s, as no progress report gave a rate.
    expect(done.samplesPerSecond).toBeCloseTo((400 / 2250) * 1000, 9);
    expect(done.threads).toBe(2);
    expect(done.status).toBe('finished');
  });

  it('takes the last rate a progress report gave, ignoring zeros', () => {
    const r = new RunRecorder(record());
    r.addProgress(progress(1, [1], 500));
    r.addProgress(progress(2, [1], 0));
    expect(r.finish('stopped', 1).samplesPerSecond).toBe(500);
  });

  it('warns once when the last 10 losses average over 1000x the first 10, and not at exactly 1000x', () => {
    const at = (factor: number) => {
      const r = new RunRecorder(record());
      const warnings = [r.addProgress(progress(10, new Array(10).fill(0.5))), r.addProgress(progress(19, new Array(9).fill(0.5 * factor)))];
      warnings.push(r.addProgress(progress(20, [0.5 * factor])));
      warnings.push(r.addProgress(progress(21, [0.5 * factor])));
      return warnings;
    };
    expect(at(1000)).toEqual([null, null, null, null]);
    const w = at(1001);
    expect(w.slice(0, 2)).toEqual([null, null]); // fewer than 20 losses
    expect(w[2]).toBe(
      `It is 5.0e+2, more than 1000× where it started. The learning rate (${DEFAULT_CONFIG.learningRate}) is too large for this model; try a smaller one.`,
    );
    expect(w[3]).toBeNull(); // once per run
    // A run that starts at zero loss never counts as exploding.
    const r = new RunRecorder(record());
    r.addProgress(progress(10, new Array(10).fill(0)));
    expect(r.addProgress(progress(20, new Array(10).fill(5)))).toBeNull();
  });

  it('keeps the mean of the last 50 losses as the final loss when no epoch ended', () => {
    const r = new RunRecorder(record());
    r.trained = true;
    r.addProgress(progress(60, [...new Array(10).fill(9), ...new Array(40).fill(2), ...new Array(10).fill(4)]));
    expect(r.worthKeeping).toBe(true);
    expect(r.finish('stopped', 1).finalTrainLoss).toBeCloseTo(2.4, 12); // (40 x 2 + 10 x 4) / 50
  });
  it('waits for 20 losses before judging, and compares the newest 10 with the first 10', () => {
    const r = new RunRecorder(record());
    r.addProgress(progress(10, new Array(10).fill(0.5)));
    // 19 losses, the newest nine a million times the start: too few to judge.
    expect(r.addProgress(progress(19, new Array(9).fill(5e5)))).toBeNull();
    const calm = new RunRecorder(record());
    calm.addProgress(progress(40, new Array(40).fill(0.5)));
    // The last 10 (not everything after the first 10) are over 1000x.
    expect(calm.addProgress(progress(50, new Array(10).fill(501)))).toMatch(/^It is 5\.0e\+2/);
  });

  it('names the rate in use when the loss explodes after a change', () => {
    const r = new RunRecorder(record());
    r.addProgress(progress(10, new Array(10).fill(0.5)));
    r.changeRate(7);
    expect(r.addProgress(progress(20, new Array(10).fill(600)))).toMatch(/The learning rate \(7\) is too large/);
  });

  it('records no change for a rate set again to the one in use, and drops the list when back at the start', () => {
    const r = new RunRecorder(record());
    r.addProgress(progress(10, [1]));
    r.changeRate(0.001);
    r.addProgress(progress(20, [1]));
    r.changeRate(0.001);
    expect(r.record.changes).toEqual([{ step: 11, learningRate: 0.001 }]);
    const back = new RunRecorder(record());
    back.addProgress(progress(10, [1]));
    back.changeRate(0.001);
    back.changeRate(DEFAULT_CONFIG.learningRate); // before any batch at 0.001: no change at all
    expect(back.record.changes).toBeUndefined();
  });

  it('keeps a run with steps that trained or finished an epoch, and nothing without steps', () => {
    const trained = new RunRecorder(record());
    trained.trained = true;
    expect(trained.worthKeeping).toBe(false);
    const stepped = new RunRecorder(record());
    stepped.addProgress(progress(5, [1]));
    expect(stepped.worthKeeping).toBe(false);
    stepped.addEpoch({ epoch: 0, trainLoss: 0.5, test } as Parameters<RunRecorder['addEpoch']>[0]);
    expect(stepped.worthKeeping).toBe(true);
  });

  it('reports 0 samples/s without time or a reported rate, keeps the epoch loss, and skips NaN losses', () => {
    const r = new RunRecorder(record());
    r.addProgress(progress(3, [1, Number.NaN, 3]));
    const none = r.snapshot('stopped', 1);
    expect(none.samplesPerSecond).toBe(0);
    expect(none.finalTrainLoss).toBe(2); // mean of 1 and 3
    r.addEpoch({ epoch: 0, trainLoss: 0.25, test } as Parameters<RunRecorder['addEpoch']>[0]);
    expect(r.finish('finished', 1).finalTrainLoss).toBe(0.25);
  });
});
