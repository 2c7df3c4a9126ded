// The worker's API: what the page can call, implemented over the engine Session. The page's
// types come from this object (WorkerApi = typeof api, through client.ts's generic proxy), so a
// method added here is callable from the page, typed, with no other file to edit. Typed arrays
// in answers are transferred (no copy) where the engine made a fresh copy; callbacks arrive as
// Comlink proxies and are released when the call ends.
import * as Comlink from 'comlink';
import { readSpec } from '../data/read';
import { loadModule, moduleUrl, pickVariant } from './engine';
import type {
  DatasetSpec,
  EpochCallback,
  InitInfo,
  LoadProgressCallback,
  ModelConfig,
  ScheduleConfig,
  ProgressCallback,
  TrainOptions,
  Variant,
  VisualInput,
} from './protocol';
import { Session } from './session';
import { engineSettingsOf } from './settings';
import { warmUp, type WarmUpResult } from './warm-up';

const base = (import.meta as ImportMeta & { env?: { BASE_URL?: string } }).env?.BASE_URL ?? '/';
let session: Promise<Session> | null = null;
/** The loaded wasm module (set with the session), for its static functions. */
let wasm: Awaited<ReturnType<typeof loadModule>> | null = null;

async function start(): Promise<Session> {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  const hardware = Math.max(1, nav?.hardwareConcurrency || 1);
  let variant: Variant = pickVariant();
  let module;
  try {
    // The pool holds hardware - 1 workers: a pool of n threads runs on the calling thread and
    // n - 1 others, and one session has one pool at a time (a worker more would only load the
    // module at startup, beside everything else the page starts then).
    module = await loadModule(moduleUrl(variant, base), { scratchnetThreads: Math.max(1, hardware - 1) });
  } catch (e) {
    if (variant !== 'threads') throw e;
    console.warn('scratchnet: threads build failed to load, using simd', e);
    variant = 'simd';
    module = await loadModule(moduleUrl(variant, base));
  }
  const threads = variant === 'threads' ? hardware : 1;
  const info: InitInfo = { variant, threads, maxThreads: threads };
  const loaded = module;
  wasm = module;
  const s = new Session(loaded, info, base);
  // Diagnostics for devtools and the browser tests: the wasm heap's bytes in use and the live
  // engine objects, exact where the renderer's resident memory is only a rough bound, and the
  // thread count in use (each engine thread holds its stack and buffers in the heap).
  (globalThis as { scratchnetMemoryStats?: () => unknown }).scratchnetMemoryStats = () => ({
    ...loaded.memoryStats(),
    threads: s.threadsInUse,
  });
  return s;
}

/** The engine, loaded once; the worker starts it as soon as it runs (worker.ts). */
export function engine(): Promise<Session> {
  if (!session) {
    session = start();
    session.catch(() => (session = null));
  }
  return session;
}

/** The page's one warm-up (warm-up.ts), and the flag a run or a step sets to end it. */
let warming: Promise<WarmUpResult> | null = null;
let trainingAsked = false;
const endWarmUp = () => (trainingAsked = true);

type Releasable = { [Comlink.releaseProxy]?: () => void };
const release = (...callbacks: unknown[]) => callbacks.forEach((c) => (c as Releasable | undefined)?.[Comlink.releaseProxy]?.());
const withBuffer = <T extends object>(value: T, array: ArrayBufferView): T => Comlink.transfer(value, [array.buffer as ArrayBuffer]);

export const api = {
  /** Loads the wasm build (threads when crossOriginIsolated, else simd). Idempotent. */
  init: async () => (await engine()).init(),
  presets: async () => (await engine()).presets(),
  /** The engine's one definition of the training defaults, the input limits and each preset's
   * recommended settings (by name); the page reads them once at start. */
  async engineSettings() {
    await engine();
    return engineSettingsOf(wasm!.Network);
  },
  /** The learning rate at `points` evenly spaced batches of a run, for plotting a schedule. */
  async scheduleCurve(schedule: ScheduleConfig, learningRate: number, batchesPerEpoch: number, points: number) {
    await engine();
    const curve = wasm!.Network.scheduleCurve(schedule, learningRate, batchesPerEpoch, points);
    return withBuffer(curve, curve);
  },
  /** Parses and checks shapes against the data's image size without allocating weights. */
  validate: async (description: string) => (await engine()).validate(description),

  /** Replaces the data set (see Session.loadRead); the files are read while the engine loads. */
  async loadDataset(spec: DatasetSpec, onProgress?: LoadProgressCallback) {
    try {
      const read = readSpec(spec, base, onProgress && ((p) => void onProgress(p)));
      const s = await engine();
      return s.loadRead(await read);
    } finally {
      release(onProgress);
    }
  },
  build: async (config: ModelConfig) => (await engine()).build(config),
  modelInfo: async () => (await engine()).modelInfo(),
  configure: async (settings: Partial<ModelConfig>) => (await engine()).configure(settings),

  /** Warms the engine's code up on made-up data while the page is idle (warm-up.ts), once per
   * worker; a run or a step started meanwhile ends it at its next slice (WARM_UP_SLICE steps). */
  async warmUp() {
    await engine();
    warming ??= warmUp(wasm!, () => trainingAsked).then((done) => {
      // For devtools and the browser tests: what the warm-up did, once it has ended.
      (globalThis as { scratchnetWarmUp?: () => WarmUpResult }).scratchnetWarmUp = () => done;
      return done;
    });
    return warming;
  },

  /** Trains until `epochs` more epochs are done or stop(); progress at most 4/s (PROGRESS_MS). */
  async train(options: TrainOptions, onProgress: ProgressCallback, onEpoch: EpochCallback) {
    endWarmUp();
    try {
      return await (
        await engine()
      ).train(
        options,
        (p) => void onProgress(withBuffer(p, p.losses)),
        (e) => void onEpoch(e),
      );
    } finally {
      release(onProgress, onEpoch);
    }
  },
  pause: async () => (await engine()).pause(),
  resume: async () => (await engine()).resume(),
  stop: async () => (await engine()).stop(),
  step: async (n?: number) => {
    endWarmUp();
    return (await engine()).step(n);
  },
  state: async () => (await engine()).state(),
  setLearningRate: async (lr: number) => (await engine()).setLearningRate(lr),
  setThreads: async (n: number) => (await engine()).setThreads(n),

  evaluate: async () => (await engine()).evaluate(),
  predict: async (image: Float32Array) => (await engine()).predict(image),
  async predictTestSet(indices: number[] | Int32Array) {
    const r = (await engine()).predictTestSet(indices);
    return withBuffer(r, r.probabilities);
  },
  worstMistakes: async (k: number) => (await engine()).worstMistakes(k),
  confusionCell: async (label: number, predicted: number, limit?: number) => (await engine()).confusionCell(label, predicted, limit),
  async getTestSamples(indices: number[] | Int32Array) {
    const r = (await engine()).getTestSamples(indices);
    return withBuffer(r, r.images);
  },
  async getTrainSamples(indices: number[] | Int32Array) {
    const r = (await engine()).getTrainSamples(indices);
    return withBuffer(r, r.images);
  },
  visualize: async (input: VisualInput) => (await engine()).visualize(input),

  async save() {
    const bytes = (await engine()).save();
    return withBuffer(bytes, bytes);
  },
  /** The model as ONNX (opset 13; input "image" N x 1 x 28 x 28, output "probabilities"). */
  async exportOnnx() {
    const bytes = (await engine()).exportOnnx();
    return withBuffer(bytes, bytes);
  },
  load: async (bytes: Uint8Array, config?: Partial<ModelConfig>) => (await engine()).load(bytes, config),
};

export type WorkerApi = typeof api;
