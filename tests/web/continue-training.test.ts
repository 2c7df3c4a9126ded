// A saved model loaded back (into a fresh engine, or right after training) goes on training from
// its weights: the worker session on the real wasm module, and the page's session (state/) on
// top of it, where Train used to build fresh weights first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session as WorkerSession } from '../../web/src/worker/session';
import { Session as PageSession } from '../../web/src/state/session';
import { engineDefaultConfig } from './engine-settings';
import { MemoryRunStore } from '../../web/src/state/runs';
import type { DataChoice } from '../../web/src/data/load';
import type { EpochStats, ModelConfig, Progress, TrainerApi } from '../../web/src/worker/protocol';
import type { ScratchNetModule } from '../../wasm/scratchnet';
import { bundledGz, loadWasm } from './wasm-module';

/** The engine's defaults, as the page starts with them. */
const DEFAULT_CONFIG = await engineDefaultConfig();

const config: ModelConfig = { description: 'mlp', seed: 1, optimizer: 'adam', learningRate: 0.002, batchSize: 64 };
const info = { variant: 'simd' as const, threads: 1, maxThreads: 1 };
const digits = () => ({ kind: 'files' as const, name: 'digits', files: bundledGz() });

let module: ScratchNetModule;
const sessions: WorkerSession[] = [];
function workerSession(): WorkerSession {
  const s = new WorkerSession(module, info);
  sessions.push(s);
  return s;
}

let saved: Uint8Array;
let savedAccuracy = 0;
let savedLoss = 0;

beforeAll(async () => {
  module = await loadWasm('simd');
  const a = workerSession();
  await a.loadDataset(digits());
  a.build(config);
  const epochs: EpochStats[] = [];
  await a.train(
    { epochs: 1 },
    () => undefined,
    (e) => epochs.push(e),
  );
  saved = a.save();
  const e = a.evaluate();
  savedAccuracy = e.accuracy;
  savedLoss = e.loss;
  expect(epochs[0]!.test.accuracy).toBe(e.accuracy);
  expect(savedAccuracy).toBeGreaterThan(0.85);
});
afterAll(() => sessions.forEach((s) => s.dispose()));

const mean = (v: ArrayLike<number>) => Array.from(v).reduce((a, b) => a + b, 0) / v.length;

describe('worker session: a loaded model trains on', () => {
  it('evaluates as saved and its first losses continue from there', async () => {
    const b = workerSession();
    await b.loadDataset(digits());
    const loaded = b.load(saved, { optimizer: 'adam', learningRate: 0.002, batchSize: 64 });
    expect(loaded.summary.description).toMatch(/dense 128/);
    expect(b.evaluate().accuracy).toBe(savedAccuracy);
    const progress: Progress[] = [];
    const epochs: EpochStats[] = [];
    await b.train(
      { epochs: 1 },
      (p) => progress.push(p),
      (e) => epochs.push(e),
    );
    const losses = progress.flatMap((p) => Array.from(p.losses));
    // A fresh mlp starts near ln(10) = 2.3; the loaded one near its test loss (~0.3).
    expect(mean(losses.slice(0, 10))).toBeLessThan(Math.max(0.8, 2.5 * savedLoss));
    expect(progress[0]!.runningAccuracy).toBeGreaterThan(0.8);
    expect(epochs[0]!.test.accuracy).toBeGreaterThan(savedAccuracy - 0.02);
  });

  it('a fresh model (the control) starts near ln 10', async () => {
    const c = workerSession();
    await c.loadDataset(digits());
    c.build(config);
    // The first batch is scored before any update: a fresh network's guess, ~ln(10) = 2.3 (the
    // mlp's BatchNorm learns fast enough that the mean of ten steps is already lower).
    const first = c.step(10).losses;
    expect(first[0]).toBeGreaterThan(1.5);
  });
});

/** The page's TrainerApi, answered in-process by a worker session (no Comlink, no worker). */
function inProcess(s: WorkerSession): TrainerApi & { builds: number } {
  const api = { builds: 0 } as TrainerApi & { builds: number };
  return new Proxy(api, {
    get(target, key) {
      if (key === 'builds') return target.builds;
      return async (...args: unknown[]) => {
        if (key === 'build') target.builds++;
        return (s as unknown as Record<string, (...a: unknown[]) => unknown>)[key as string]!.apply(s, args);
      };
    },
  });
}

const choice = (): DataChoice => ({ id: 'mnist', label: 'digits', classNames: null, spec: digits() });

async function page() {
  const api = inProcess(workerSession());
  const store = new MemoryRunStore();
  const s = new PageSession(api, store, { ...DEFAULT_CONFIG, model: 'mlp', learningRate: 0.002, batchSize: 64, epochs: 1 }, async () => {});
  const errors: unknown[] = [];
  const progress: Progress[] = [];
  const epochs: EpochStats[] = [];
  s.on({ error: (e) => errors.push(e), progress: (p) => progress.push(p), epoch: (e) => epochs.push(e) });
  await s.start();
  expect(await s.loadData(choice())).not.toBeNull();
  return { s, api, store, errors, progress, epochs };
}

describe('page session: Train after loading a model continues it', () => {
  it("load a model file, then Train: the first losses are the loaded model's, not a fresh one's", async () => {
    const { s, api, errors, progress, epochs } = await page();
    const evaluations: number[] = [];
    s.on({ evaluation: (e) => evaluations.push(e.accuracy) });
    const loaded = await s.loadModel(saved);
    expect(loaded).not.toBeNull();
    expect(evaluations).toEqual([savedAccuracy]);
    await s.train();
    expect(errors).toEqual([]);
    expect(api.builds).toBe(0);
    const losses = progress.flatMap((p) => Array.from(p.losses));
    expect(mean(losses.slice(0, 10))).toBeLessThan(Math.max(0.8, 2.5 * savedLoss));
    expect(epochs[0]!.test.accuracy).toBeGreaterThan(savedAccuracy - 0.02);
  });
});

describe('page session: Train after a finished run, and what starts over', () => {
  it('Train again continues the trained model; the run is a continuation with epochs counted on', async () => {
    const { s, api, store, progress, epochs } = await page();
    await s.train();
    expect(api.builds).toBe(1);
    const [first] = await store.list();
    expect(first!.continues).toBeUndefined();
    expect(s.nextTrain).toBe('continue');
    expect(s.modelEpochs).toBe(1);
    const firstRunLoss = epochs[0]!.trainLoss;
    progress.length = 0;
    await s.train();
    expect(api.builds).toBe(1); // no fresh weights
    const early = progress.flatMap((p) => Array.from(p.losses)).slice(0, 10);
    expect(mean(early)).toBeLessThan(Math.max(0.8, 2 * firstRunLoss));
    expect(progress[0]!.epoch).toBe(1); // epoch 2 of the weights
    const runs = await store.list();
    expect(runs).toHaveLength(2);
    const second = runs.find((r) => r.id !== first!.id)!;
    expect(second.continues).toMatchObject({ runId: first!.id, from: first!.name, epoch: 1 });
    expect(second.epochs.map((e) => e.epoch)).toEqual([2]);
    expect(second.lossCurve[0]!.step).toBeGreaterThan(first!.lossCurve.at(-1)!.step);
    expect(second.name).toMatch(/\+1 ep from 1/);
    expect(s.modelEpochs).toBe(2);
  });

  it('other training settings continue the weights with a new optimizer', async () => {
    const { s, api, store, progress } = await page();
    await s.train();
    s.setConfig({ ...DEFAULT_CONFIG, model: 'mlp', optimizer: 'sgd', learningRate: 0.05, batchSize: 32, epochs: 1 });
    expect(await s.plan()).toBe('continue');
    expect(s.optimizerRestarts).toBe(true);
    progress.length = 0;
    await s.train();
    expect(api.builds).toBe(1);
    expect(mean(progress.flatMap((p) => Array.from(p.losses)).slice(0, 10))).toBeLessThan(0.8);
    const newest = (await store.list())[0]!;
    expect(newest.config).toMatchObject({ optimizer: 'sgd', batchSize: 32 });
    expect(newest.continues?.epoch).toBe(1);
    expect(newest.epochs.map((e) => e.epoch)).toEqual([2]);
  });

  it('another architecture, or New model, builds fresh weights', async () => {
    const { s, api, progress, store } = await page();
    await s.train();
    s.setConfig({ ...DEFAULT_CONFIG, model: 'dense 32 relu | dense 10 softmax', learningRate: 0.002, batchSize: 64, epochs: 1 });
    expect(await s.plan()).toBe('fresh');
    expect(s.nextTrain).toBe('fresh');
    progress.length = 0;
    await s.train();
    expect(api.builds).toBe(2);
    expect(progress[0]!.epoch).toBe(0);
    expect(mean(progress[0]!.losses.subarray(0, 5))).toBeGreaterThan(1.5);
    expect((await store.list())[0]!.continues).toBeUndefined();
    await s.reset();
    expect(api.builds).toBe(3);
    expect(s.modelEpochs).toBe(0);
  });

  it("a loaded model of another architecture than the settings: Train builds the settings' model", async () => {
    const { s, api } = await page();
    s.setConfig({ ...DEFAULT_CONFIG, model: 'dense 32 relu | dense 10 softmax', learningRate: 0.002, batchSize: 64, epochs: 1 });
    await s.loadModel(saved);
    expect(s.nextTrain).toBe('fresh');
    s.setConfig({ ...DEFAULT_CONFIG, model: 'mlp', learningRate: 0.002, batchSize: 64, epochs: 1 });
    expect(await s.plan()).toBe('continue');
    expect(api.builds).toBe(0);
  });
});

describe('page session: after a divergence', () => {
  it('Train starts over with fresh weights instead of continuing blown-up ones', async () => {
    const { s, api, errors } = await page();
    s.setConfig({ ...DEFAULT_CONFIG, model: 'mlp', optimizer: 'sgd', learningRate: 1e9, batchSize: 64, epochs: 1 });
    await s.train();
    expect((errors[0] as Error).name).toBe('DivergenceError');
    expect(s.diverged).toBe(true);
    expect(s.nextTrain).toBe('fresh');
    s.setConfig({ ...DEFAULT_CONFIG, model: 'mlp', optimizer: 'sgd', learningRate: 0.05, batchSize: 64, epochs: 1 });
    expect(await s.plan()).toBe('fresh');
    await s.train();
    expect(api.builds).toBe(2);
    expect(errors).toHaveLength(1);
    expect(s.diverged).toBe(false);
    expect(s.nextTrain).toBe('continue');
  });
});
