// The page's handle on the training worker: a TrainerApi that forwards to the worker through
// Comlink, wraps callbacks, and restarts a crashed worker with the same data set and the last
// model it saw (re-sending both), so the page keeps its data.
//
//   import { createTrainer } from './worker/client';
//   const trainer = createTrainer({ onRestart: (why) => showBanner(why) });
//   const { variant, threads } = await trainer.init();
//   await trainer.loadDataset({ kind: 'bundled' });
//   await trainer.build({ description: 'lenet', seed: 1, optimizer: 'adam', learningRate: 1e-3, batchSize: 64 });
//   await trainer.train({ epochs: 3 }, (p) => chart.add(p), (e) => showEpoch(e));
import * as Comlink from 'comlink';
import type {
  DatasetSpec,
  EpochCallback,
  InitInfo,
  LoadProgressCallback,
  ModelConfig,
  ModelInfo,
  ProgressCallback,
  TrainerApi,
  TrainerClientOptions,
  TrainOptions,
  ValidateResult,
  VisualInput,
} from './protocol';
// The worker exposes exactly TrainerApi (worker.ts); importing worker.ts here would pull
// webworker types into the page's DOM program.
type Remote = Comlink.Remote<TrainerApi>;

function restartedError(reason: string, detail: string): Error {
  const e = new Error(`The engine crashed (${reason}) and was restarted${detail}. Please try again.`);
  e.name = 'WorkerRestartedError';
  return e;
}

/** An error that means the wasm instance is no longer trustworthy (a trap or an abort). */
function isFatal(e: unknown): boolean {
  const name = (e as { name?: string })?.name ?? '';
  const message = (e as { message?: string })?.message ?? '';
  return name === 'RuntimeError' || /^Aborted\(|unreachable|memory access out of bounds/.test(message);
}

interface Instance {
  worker: Worker;
  remote: Remote;
  /** Rejects when the worker dies (uncaught error / failed to load). */
  dead: Promise<never>;
}

export class TrainerClient implements TrainerApi {
  private instance: Instance;
  private lastDataset: DatasetSpec | null = null;
  private lastConfig: ModelConfig | null = null;
  private lastModel: Uint8Array | null = null;
  private lastModelConfig: Partial<ModelConfig> | undefined;
  private restarting: Promise<void> | null = null;

  constructor(private readonly options: TrainerClientOptions = {}) {
    this.instance = this.spawn();
  }

  /** Ends the worker (the page is going away, or a hard cancel). */
  terminate(): void {
    this.instance.remote[Comlink.releaseProxy]();
    this.instance.worker.terminate();
  }

  private spawn(): Instance {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    const remote = Comlink.wrap<TrainerApi>(worker);
    const dead = new Promise<never>((_, reject) => {
      worker.addEventListener('error', (event) => {
        event.preventDefault();
        reject(Object.assign(new Error(event.message || 'the worker stopped'), { name: 'RuntimeError' }));
      });
    });
    dead.catch(() => undefined); // observed through call()
    return { worker, remote, dead };
  }

  /** Runs fn against the current worker; on a crash restarts it and rethrows a clear error. */
  private async call<T>(fn: (r: Remote) => Promise<T>): Promise<T> {
    if (this.restarting) await this.restarting;
    const instance = this.instance;
    try {
      return await Promise.race([fn(instance.remote), instance.dead]);
    } catch (e) {
      if (!isFatal(e)) throw e;
      const reason = (e as Error).message;
      await this.restart(instance, reason);
      const detail = this.lastModel ? ' with your data and the last saved model' : this.lastDataset ? ' with your data' : '';
      throw restartedError(reason, detail);
    }
  }

  private restart(dead: Instance, reason: string): Promise<void> {
    if (this.instance !== dead) return this.restarting ?? Promise.resolve();
    this.restarting = (async () => {
      dead.remote[Comlink.releaseProxy]();
      dead.worker.terminate();
      this.instance = this.spawn();
      const r = this.instance.remote;
      try {
        await r.init();
        if (this.lastDataset) await r.loadDataset(this.lastDataset);
        if (this.lastConfig) await r.build(this.lastConfig);
        if (this.lastModel) await r.load(this.lastModel, this.lastModelConfig);
      } catch (e) {
        console.warn('scratchnet: restoring the worker after a crash failed', e);
      }
      this.options.onRestart?.(reason);
    })().finally(() => (this.restarting = null));
    return this.restarting;
  }

  // --- TrainerApi ---

  init(): Promise<InitInfo> {
    return this.call((r) => r.init());
  }
  presets() {
    return this.call((r) => r.presets());
  }
  validate(description: string): Promise<ValidateResult> {
    // Comlink's Remote type splits the union into Promise<A> | Promise<B>; it is one promise.
    return this.call((r) => r.validate(description) as Promise<ValidateResult>);
  }
  async loadDataset(spec: DatasetSpec, onProgress?: LoadProgressCallback) {
    // The spec stays here (URLs, File handles) so a restarted worker can load it again.
    const info = await this.call((r) => r.loadDataset(spec, onProgress && Comlink.proxy(onProgress)));
    this.lastDataset = spec;
    return info;
  }
  async build(config: ModelConfig): Promise<ModelInfo> {
    const info = await this.call((r) => r.build(config));
    this.lastConfig = { ...config };
    this.lastModel = null;
    return info;
  }
  modelInfo() {
    return this.call((r) => r.modelInfo());
  }
  async configure(settings: Partial<ModelConfig>): Promise<ModelInfo> {
    const info = await this.call((r) => r.configure(settings));
    // A restarted worker gets the same settings back with the last model.
    const { description: _d, classes: _c, ...training } = settings;
    if (this.lastConfig) Object.assign(this.lastConfig, training);
    this.lastModelConfig = { ...this.lastModelConfig, ...training };
    return info;
  }
  train(options: TrainOptions, onProgress: ProgressCallback, onEpoch: EpochCallback) {
    return this.call((r) =>
      r.train(
        options,
        Comlink.proxy(onProgress),
        Comlink.proxy((e: Parameters<EpochCallback>[0]) => {
          onEpoch(e);
          // Keep the latest weights for a restart (model files are small).
          void this.instance.remote.save().then(
            (bytes) => (this.lastModel = bytes),
            () => undefined,
          );
        }),
      ),
    );
  }
  pause() {
    return this.call((r) => r.pause());
  }
  resume() {
    return this.call((r) => r.resume());
  }
  stop() {
    return this.call((r) => r.stop());
  }
  step(n?: number) {
    return this.call((r) => r.step(n));
  }
  state() {
    return this.call((r) => r.state());
  }
  async setLearningRate(lr: number) {
    await this.call((r) => r.setLearningRate(lr));
    if (this.lastConfig) this.lastConfig.learningRate = lr;
  }
  setThreads(n: number) {
    return this.call((r) => r.setThreads(n));
  }
  evaluate() {
    return this.call((r) => r.evaluate());
  }
  predict(image: Float32Array) {
    return this.call((r) => r.predict(image));
  }
  predictTestSet(indices: number[] | Int32Array) {
    return this.call((r) => r.predictTestSet(indices));
  }
  worstMistakes(k: number) {
    return this.call((r) => r.worstMistakes(k));
  }
  confusionCell(label: number, predicted: number, limit?: number) {
    return this.call((r) => r.confusionCell(label, predicted, limit));
  }
  getTestSamples(indices: number[] | Int32Array) {
    return this.call((r) => r.getTestSamples(indices));
  }
  getTrainSamples(indices: number[] | Int32Array) {
    return this.call((r) => r.getTrainSamples(indices));
  }
  visualize(input: VisualInput) {
    return this.call((r) => r.visualize(input));
  }
  async save() {
    const bytes = await this.call((r) => r.save());
    this.lastModel = bytes.slice();
    return bytes;
  }
  exportOnnx() {
    return this.call((r) => r.exportOnnx());
  }
  async load(bytes: Uint8Array, config?: Partial<ModelConfig>) {
    const copy = bytes.slice(); // the worker may keep none; a restart needs them
    const info = await this.call((r) => r.load(bytes, config));
    this.lastModel = copy;
    this.lastModelConfig = config;
    return info;
  }
}

/** Starts the worker (the wasm module loads on the first call, e.g. init()). */
export function createTrainer(options?: TrainerClientOptions): TrainerClient {
  return new TrainerClient(options);
}
