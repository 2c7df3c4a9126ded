// The session's meaning of Train / Pause / Step / Stop / Reset, against a fake worker API.
import { describe, expect, it } from 'vitest';
import type { TrainConfig } from '../../web/src/state/config';
import { modelBaseline } from '../../web/src/state/config';
import { engineDefaultConfig, engineSettings } from './engine-settings';
import { MemoryRunStore } from '../../web/src/state/runs';
import { Session, smooth, type Phase } from '../../web/src/state/session';
import type { DataChoice } from '../../web/src/data/load';
import type {
  EpochCallback,
  Evaluation,
  ModelConfig,
  ModelInfo,
  PresetWithTraining,
  Progress,
  ProgressCallback,
  TrainerApi,
  TrainOptions,
} from '../../web/src/worker/protocol';

/** The engine's defaults, as the page starts with them. */
const DEFAULT_CONFIG = await engineDefaultConfig();

const BATCHES = 4;

function evaluation(acc: number): Evaluation {
  return { loss: 1 - acc, accuracy: acc, count: 10, classes: 2, confusion: new Int32Array(4), classLabels: [0, 1] };
}

/** A worker that "trains" instantly: each epoch is BATCHES batches with loss 1/step. */
class FakeApi {
  built: ModelConfig[] = [];
  lr: number[] = [];
  step = 0;
  epoch = 0;
  stopRequested = false;
  failNextTrain: Error | null = null;
  saved = 0;
  info(config: ModelConfig): ModelInfo {
    return {
      summary: { description: config.description, layers: [], params: 42, flops: 84, loss: 'xent', classes: 10 },
      classLabels: [...Array(10).keys()],
      trainCount: 256,
      testCount: 10,
      batchesPerEpoch: BATCHES,
      epoch: this.epoch,
      step: this.step,
    };
  }
  progress(losses: number[]): Progress {
    return {
      epoch: this.epoch,
      batch: this.step % BATCHES,
      batchesPerEpoch: BATCHES,
      step: this.step,
      loss: losses[losses.length - 1] ?? 0,
      meanLoss: 0,
      runningAccuracy: 0,
      samplesPerSecond: 1000,
      threads: 1,
      etaSeconds: 0,
      elapsedSeconds: 0,
      losses: Float32Array.from(losses),
    };
  }
  api: Partial<TrainerApi> = {
    init: async () => ({ variant: 'simd', threads: 1, maxThreads: 1 }),
    presets: async () => [{ name: 'mlp', description: 'dense 10 softmax', summary: 'tiny', twoClass: false }],
    loadDataset: async () => ({ name: 'x', rows: 28, cols: 28, trainCount: 256, testCount: 10, classes: 10 }),
    getTrainSamples: async (indices) => ({
      indices: Int32Array.from(indices),
      images: new Uint8Array(indices.length * 784),
      labels: new Int32Array(indices.length),
      rows: 28,
      cols: 28,
    }),
    modelInfo: async () => null,
    build: async (c: ModelConfig) => {
      this.built.push(c);
      this.step = 0;
      this.epoch = 0;
      return this.info(c);
    },
    setThreads: async (n: number) => n,
    setLearningRate: async (lr: number) => void this.lr.push(lr),
    train: async (o: TrainOptions, onProgress: ProgressCallback, onEpoch: EpochCallback) => {
      if (this.failNextTrain) {
        const e = this.failNextTrain;
        this.failNextTrain = null;
        throw e;
      }
      for (let e = 0; e < (o.epochs ?? 1); e++) {
        const losses: number[] = [];
        for (let b = 0; b < BATCHES; b++) losses.push(1 / ++this.step);
        onProgress(this.progress(losses));
        await Promise.resolve();
        if (this.stopRequested) return { reason: 'stopped', epoch: this.epoch, step: this.step };
        onEpoch({ epoch: this.epoch++, trainLoss: 0.5, trainAccuracy: 0.8, test: evaluation(0.9), seconds: 1 });
      }
      return { reason: 'done', epoch: this.epoch, step: this.step };
    },
    step: async (n = 1) => {
      const losses: number[] = [];
      for (let i = 0; i < n; i++) losses.push(1 / ++this.step);
      return { losses: Float32Array.from(losses), progress: this.progress(losses) };
    },
    stop: async () => void (this.stopRequested = true),
    evaluate: async () => evaluation(0.1),
    save: async () => {
      this.saved++;
      return new Uint8Array([1, 2, 3]);
    },
    load: async () => this.info({ description: 'dense 10 softmax', seed: 1, optimizer: 'adam', learningRate: 0.001, batchSize: 64 }),
  };
}

const choice: DataChoice = { id: 'mnist', label: 'digits', classNames: null, spec: { kind: 'bundled' } };

async function setup(config: Partial<TrainConfig> = {}) {
  const fake = new FakeApi();
  const store = new MemoryRunStore();
  const models: Uint8Array[] = [];
  const s = new Session(fake.api as TrainerApi, store, { ...DEFAULT_CONFIG, model: 'mlp', ...config }, async (b) => void models.push(b));
  const phases: Phase[] = [];
  const errors: unknown[] = [];
  s.on({ phase: (p) => phases.push(p), error: (e) => errors.push(e) });
  await s.start();
  await s.loadData(choice);
  return { fake, store, s, phases, errors, models };
}

describe('Session', () => {
  it('starts, loads data, and is ready', async () => {
    const { s, phases } = await setup();
    expect(s.phase).toBe('ready');
    expect(phases).toEqual(['no-data', 'building', 'ready']);
    expect(s.effectiveDescription()).toBe('dense 10 softmax');
  });

  it("gives the engine a preset's settings the page does not show (betas, warm-up), and the engine's defaults for a description", async () => {
    const engine = await engineSettings();
    const fast = engine.presets.fast!;
    const { s } = await setup({ ...modelBaseline('fast', engine) });
    const withSettings: PresetWithTraining = {
      name: 'fast',
      description: 'dense 10 softmax',
      summary: '',
      twoClass: false,
      settings: fast,
    };
    s.presets = [withSettings];
    expect(s.modelConfig()).toMatchObject({
      optimizer: fast.optimizer,
      learningRate: fast.learningRate,
      batchSize: fast.batchSize,
      beta1: fast.beta1,
      beta2: fast.beta2,
      momentum: fast.momentum,
      weightDecay: fast.weightDecay,
      labelSmoothing: fast.labelSmoothing,
      schedule: { kind: fast.schedule.kind, epochs: fast.epochs, warmup: fast.schedule.warmup },
    });
    expect(fast.beta1).not.toBe(0.9); // the test means something only while fast's betas are its own
    s.setConfig({ ...modelBaseline('fast', engine), model: 'dense 10 softmax' });
    const own = s.modelConfig();
    for (const key of ['beta1', 'beta2', 'momentum', 'weightDecay', 'labelSmoothing'] as const) expect(own[key], key).toBeUndefined();
    expect(own.schedule?.warmup).toBeUndefined();
  });

  it('applies the chosen loss and two-class digits to the build', async () => {
    const { s, fake } = await setup({ loss: 'mse', classes: [3, 8] });
    s.twoClass = true;
    await s.train();
    expect(fake.built[0]).toMatchObject({ description: 'dense 10 softmax | loss mse', classes: [3, 8] });
  });

  it('records a finished run with its curve, epochs and final numbers, and keeps the model', async () => {
    const { s, store, models } = await setup({ epochs: 2 });
    await s.train();
    const [run] = await store.list();
    expect(run).toMatchObject({ status: 'finished', params: 42, batchesPerEpoch: BATCHES, finalTestAccuracy: 0.9 });
    expect(run!.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(run!.lossCurve).toHaveLength(2 * BATCHES);
    // A fast run: no checkpoints (at most one per 10 s), only the final model.
    expect(models).toHaveLength(1);
    expect(s.phase).toBe('ready');
  });

  it('continues an open run after Step instead of rebuilding, and does not record Step-only runs', async () => {
    const { s, fake, store } = await setup({ epochs: 1 });
    await s.step();
    await s.step();
    expect(fake.built).toHaveLength(1);
    await s.reset(); // discards the stepped run, builds fresh weights
    expect(await store.list()).toHaveLength(0);
    expect(fake.built).toHaveLength(2);
    await s.step();
    await s.train();
    expect(fake.built).toHaveLength(2);
    expect(await store.list()).toHaveLength(1);
  });

  it('builds fresh weights when model settings changed since the open run', async () => {
    const { s, fake } = await setup();
    await s.step();
    s.setConfig({ ...DEFAULT_CONFIG, model: 'mlp', seed: 99 });
    await s.step();
    expect(fake.built.map((b) => b.seed)).toEqual([1, 99]);
  });

  it('checkpoints the run at epoch ends, and the final record wins', async () => {
    const { s, store, fake } = await setup({ epochs: 3 });
    s.checkpointEveryMs = 0;
    const seen: string[] = [];
    const put = store.put.bind(store);
    store.put = async (r) => {
      seen.push(`${r.status}:${r.epochs.length}`);
      await put(r);
    };
    await s.train();
    expect(seen).toEqual(['stopped:1', 'stopped:2', 'stopped:3', 'finished:3']);
    expect((await store.list())[0]?.status).toBe('finished');
    expect(fake.saved).toBe(4);
  });

  it('records a stopped run as stopped', async () => {
    const { s, fake, store } = await setup({ epochs: 3 });
    fake.stopRequested = true;
    await s.train();
    expect((await store.list())[0]?.status).toBe('stopped');
  });

  it('reports a divergence, records the run as failed and returns to ready', async () => {
    const { s, fake, store, errors } = await setup();
    await s.step();
    fake.failNextTrain = Object.assign(new Error('loss became NaN at step 2'), { name: 'DivergenceError' });
    await s.train();
    expect(errors).toHaveLength(1);
    expect((await store.list())[0]?.status).toBe('failed');
    expect(s.phase).toBe('ready');
  });

  it('passes learning-rate changes to the engine once a model exists', async () => {
    const { s, fake } = await setup();
    await s.setLearningRate(0.5);
    expect(fake.lr).toEqual([]);
    await s.step();
    await s.setLearningRate(0.25);
    expect(fake.lr).toEqual([0.25]);
  });

  it('warns once when the loss explodes', async () => {
    const { s, fake } = await setup({ epochs: 1 });
    const warnings: string[] = [];
    s.on({ warning: (t) => warnings.push(t) });
    let k = 0;
    fake.api.step = async (n = 1) => {
      const losses = Array.from({ length: n }, () => (++k <= 10 ? 1 : 1e6));
      fake.step += n;
      return { losses: Float32Array.from(losses), progress: fake.progress(losses) };
    };
    for (let i = 0; i < 4; i++) await s.step(10);
    expect(warnings).toEqual(['Training is diverging: the loss is exploding']);
  });

  it('refuses to train without data', async () => {
    const fake = new FakeApi();
    const errors: unknown[] = [];
    const s = new Session(fake.api as TrainerApi, new MemoryRunStore(), { ...DEFAULT_CONFIG }, async () => {});
    s.on({ error: (e) => errors.push(e) });
    await s.start();
    await s.train();
    expect(errors).toHaveLength(1);
    expect(fake.built).toHaveLength(0);
  });
});

describe('smooth', () => {
  it('is bias-corrected, so it starts at the first value', () => {
    const out = smooth([2, 2, 2]);
    for (const v of out) expect(v).toBeCloseTo(2);
  });
  it('passes NaN through without poisoning later values', () => {
    const out = smooth([1, NaN, 1]);
    expect(out[1]).toBeNaN();
    expect(out[2]).toBeCloseTo(1);
  });
});
