// The worker entry: owns the wasm module and exposes the Session through Comlink.
// The page never imports this file; it calls createTrainer() from ./client.ts.
import * as Comlink from 'comlink';
import { loadModule, moduleUrl, pickVariant } from './engine';
import type {
  DatasetSpec,
  EpochCallback,
  InitInfo,
  LoadProgressCallback,
  ModelConfig,
  ProgressCallback,
  TrainerApi,
  TrainOptions,
  Variant,
  VisualInput,
} from './protocol';
import { Session } from './session';

declare const self: DedicatedWorkerGlobalScope;

const base = (import.meta as ImportMeta & { env?: { BASE_URL?: string } }).env?.BASE_URL ?? '/';
let session: Promise<Session> | null = null;

async function start(): Promise<Session> {
  const hardware = Math.max(1, self.navigator.hardwareConcurrency || 1);
  const wanted: Variant = pickVariant();
  let variant: Variant = wanted;
  let module;
  try {
    module = await loadModule(moduleUrl(variant, base), { scratchnetThreads: hardware });
  } catch (e) {
    if (variant !== 'threads') throw e;
    console.warn('scratchnet: threads build failed to load, using simd', e);
    variant = 'simd';
    module = await loadModule(moduleUrl(variant, base));
  }
  const threads = variant === 'threads' ? hardware : 1;
  const info: InitInfo = { variant, threads, maxThreads: threads };
  const loaded = module;
  const s = new Session(loaded, info, base);
  // Diagnostics for devtools and the browser tests: the wasm heap's bytes in use and the live
  // engine objects, exact where the renderer's resident memory is only a rough bound, and the
  // thread count in use (each engine thread holds its stack and buffers in the heap).
  (self as unknown as { scratchnetMemoryStats?: () => unknown }).scratchnetMemoryStats = () => ({
    ...loaded.memoryStats(),
    threads: s.threadsInUse,
  });
  return s;
}

/** The module is loaded once, lazily, by the first call. */
function get(): Promise<Session> {
  if (!session) {
    session = start();
    session.catch(() => (session = null));
  }
  return session;
}

// Typed arrays in answers are transferred (no copy); callbacks are Comlink proxies from the
// page and are released when training ends.
const api: TrainerApi = {
  async init(): Promise<InitInfo> {
    return (await get()).init();
  },
  async presets() {
    return (await get()).presets();
  },
  async validate(description: string) {
    return (await get()).validate(description);
  },
  async loadDataset(spec: DatasetSpec, onProgress?: LoadProgressCallback) {
    return (await get()).loadDataset(spec, onProgress && ((p) => void onProgress(p)));
  },
  async build(config: ModelConfig) {
    return (await get()).build(config);
  },
  async modelInfo() {
    return (await get()).modelInfo();
  },
  async configure(settings: Partial<ModelConfig>) {
    return (await get()).configure(settings);
  },
  async train(options: TrainOptions, onProgress: ProgressCallback, onEpoch: EpochCallback) {
    const s = await get();
    try {
      return await s.train(
        options,
        (p) => void onProgress(Comlink.transfer(p, [p.losses.buffer])),
        (e) => void onEpoch(e),
      );
    } finally {
      (onProgress as unknown as Comlink.ProxyMarked & { [Comlink.releaseProxy]?: () => void })[Comlink.releaseProxy]?.();
      (onEpoch as unknown as { [Comlink.releaseProxy]?: () => void })[Comlink.releaseProxy]?.();
    }
  },
  async pause() {
    return (await get()).pause();
  },
  async resume() {
    return (await get()).resume();
  },
  async stop() {
    return (await get()).stop();
  },
  async step(n?: number) {
    return (await get()).step(n);
  },
  async state() {
    return (await get()).state();
  },
  async setLearningRate(lr: number) {
    return (await get()).setLearningRate(lr);
  },
  async setThreads(n: number) {
    return (await get()).setThreads(n);
  },
  async evaluate() {
    return (await get()).evaluate();
  },
  async predict(image: Float32Array) {
    return (await get()).predict(image);
  },
  async predictTestSet(indices: number[] | Int32Array) {
    const r = (await get()).predictTestSet(indices);
    return Comlink.transfer(r, [r.probabilities.buffer]);
  },
  async worstMistakes(k: number) {
    return (await get()).worstMistakes(k);
  },
  async confusionCell(label: number, predicted: number, limit?: number) {
    return (await get()).confusionCell(label, predicted, limit);
  },
  async getTestSamples(indices: number[] | Int32Array) {
    const r = (await get()).getTestSamples(indices);
    return Comlink.transfer(r, [r.images.buffer]);
  },
  async getTrainSamples(indices: number[] | Int32Array) {
    const r = (await get()).getTrainSamples(indices);
    return Comlink.transfer(r, [r.images.buffer]);
  },
  async visualize(input: VisualInput) {
    return (await get()).visualize(input);
  },
  async save() {
    const bytes = (await get()).save();
    return Comlink.transfer(bytes, [bytes.buffer]);
  },
  async exportOnnx() {
    const bytes = (await get()).exportOnnx();
    return Comlink.transfer(bytes, [bytes.buffer]);
  },
  async load(bytes: Uint8Array, config?: Partial<ModelConfig>) {
    return (await get()).load(bytes, config);
  },
};

export type WorkerApi = TrainerApi;

Comlink.expose(api);
