// The worker's logic, independent of Comlink and of where it runs (the worker, or Node tests):
// one wasm module, one data set, one model, and a training loop that runs in chunks and
// yields between them so that pause/stop/step requests are answered within ~100 ms.
import type { ScratchNetModule, WasmDataset, WasmModelSummary, WasmNetwork } from '../../../wasm/scratchnet';
import { namedError } from '../data/errors';
import { ROLE_NAMES } from '../data/file-match';
import { readSpec, type ReadSpec } from '../data/read';
import { argmax, confusionCell, describePredictions, visualLayers, worstMistakes } from './predictions';
import { ThreadTuner } from './thread-tuner';
import type {
  BatchPrediction,
  DatasetInfo,
  DatasetSpec,
  EpochCallback,
  EpochStats,
  Evaluation,
  IdxFiles,
  InitInfo,
  LoadProgressCallback,
  Mistake,
  ModelConfig,
  ModelInfo,
  ModelSummary,
  PresetInfo,
  Prediction,
  ProgressCallback,
  Samples,
  StepResult,
  TrainOptions,
  TrainResult,
  TrainState,
  ValidateResult,
  Visualization,
  VisualInput,
} from './protocol';

/** Aim for chunks of this many ms between yields: pause/stop then answer well within 100 ms. */
const CHUNK_MS = 40;
/** At most one Progress per this many ms (~10/s). Each one repaints the stats and charts: at
 * 20/s the page's main thread was busy ~30% of the time in the production build on a 2-vCPU
 * machine (software painting in headless Chromium), and two training threads gave lenet 1.2x;
 * at 10/s, 1.4-1.46x. */
const PROGRESS_MS = 100;

const now = (): number => performance.now();

/** Lets queued messages (pause, stop, ...) run; a MessageChannel task is not clamped to 4 ms
 * like nested setTimeout(0). */
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

function stateError(message: string): Error {
  return namedError('StateError', message);
}

function toSummary(s: WasmModelSummary): ModelSummary {
  return { ...s, layers: s.layers.map((l) => ({ ...l })) };
}

export class Session {
  private readonly net: WasmNetwork;
  private trainSet: WasmDataset;
  private testSet: WasmDataset;
  private dataset: DatasetInfo | null = null;
  private config: ModelConfig | null = null;
  private summary: ModelSummary | null = null;
  private classLabels: number[] = [];
  private counts = { train: 0, test: 0 };
  private testClasses: Int32Array | null = null;
  private testPredictions: { step: number; probs: Float32Array } | null = null;
  private modelVersion = 0; // bumps on build/load so cached predictions can't go stale
  /** Epochs and steps these weights trained before the engine's current trainer was made (the
   * engine's trainer counts from 0; a trainer set up again for the same weights counts on). */
  private base = { epoch: 0, step: 0 };

  private trainState: TrainState = 'idle';
  private stopRequested = false;
  private resumeWaiter: (() => void) | null = null;
  private pauseWaiters: (() => void)[] = [];
  private stopWaiters: (() => void)[] = [];
  private threads = 1;
  /** Automatic threads: picks the count per chunk of training (null: a fixed count). */
  private tuner: ThreadTuner | null = null;

  constructor(
    private readonly module: ScratchNetModule,
    private readonly info: InitInfo,
    private readonly baseUrl = '/',
  ) {
    this.net = new module.Network();
    this.trainSet = new module.Dataset();
    this.testSet = new module.Dataset();
    this.threads = this.net.setThreads(info.threads);
  }

  /** Releases every Embind object (tests; the worker lives as long as the page). */
  dispose(): void {
    this.net.delete();
    this.trainSet.delete();
    this.testSet.delete();
  }

  /** The thread count the engine trains with now (for the memory diagnostics). */
  get threadsInUse(): number {
    return this.threads;
  }

  init(): InitInfo {
    return { ...this.info, threads: this.threads };
  }

  presets(): PresetInfo[] {
    return this.module.Network.presets();
  }

  validate(description: string): ValidateResult {
    const rows = this.dataset?.rows ?? 28;
    const cols = this.dataset?.cols ?? 28;
    const r = this.module.Network.validate(description, rows, cols);
    return r.ok && r.summary ? { ok: true, summary: toSummary(r.summary) } : { ok: false, error: r.error ?? 'invalid' };
  }

  /** Reads the spec's files (see data/read.ts) and loads them (loadRead). */
  async loadDataset(spec: DatasetSpec, onProgress?: LoadProgressCallback): Promise<DatasetInfo> {
    this.requireIdle('load a data set');
    return this.loadRead(await readSpec(spec, this.baseUrl, onProgress));
  }

  /** A data set read from its source into wasm memory. */
  loadRead(read: ReadSpec): DatasetInfo {
    return this.loadBytes(read.name, read.bytes, read.names);
  }

  /** Raw IDX bytes (already inflated) into wasm memory; `names` label the files in messages. */
  loadBytes(name: string, files: IdxFiles<Uint8Array>, names: IdxFiles<string> = ROLE_NAMES): DatasetInfo {
    this.requireIdle('load a data set');
    // Parsed into spare datasets first: a refused file leaves the loaded data set as it is.
    const train = parseSplit(this.module, files.trainImages, files.trainLabels, names.trainImages, names.trainLabels, 'training');
    let test;
    try {
      test = parseSplit(this.module, files.testImages, files.testLabels, names.testImages, names.testLabels, 'test');
    } catch (e) {
      train.set.delete();
      throw e;
    }
    if (train.info.rows !== test.info.rows || train.info.cols !== test.info.cols) {
      train.set.delete();
      test.set.delete();
      throw namedError('FormatError', `training images are ${train.info.rows}x${train.info.cols} but test images are ${test.info.rows}x${test.info.cols}`);
    }
    this.trainSet.delete();
    this.testSet.delete();
    this.trainSet = train.set;
    this.testSet = test.set;
    const t = train.info;
    const v = test.info;
    const sizeChanged = this.dataset !== null && (this.dataset.rows !== t.rows || this.dataset.cols !== t.cols);
    this.dataset = {
      name,
      rows: t.rows,
      cols: t.cols,
      trainCount: t.count,
      testCount: v.count,
      classes: Math.max(t.classes, v.classes),
    };
    if (sizeChanged) {
      // The model no longer fits the images: drop it.
      this.config = null;
      this.summary = null;
    } else if (this.config && this.summary) {
      this.carryCounts();
      this.attachData(this.config);
    }
    return { ...this.dataset };
  }

  build(config: ModelConfig): ModelInfo {
    this.requireIdle('build a model');
    if (!this.dataset) throw stateError('no data set: load one before building a model');
    this.summary = null;
    this.net.setData(this.trainSet, this.testSet, config.classes ?? []);
    const summary = this.net.build(config.description, config.seed);
    this.summary = toSummary(summary);
    this.config = { ...config };
    this.modelVersion++;
    this.base = { epoch: 0, step: 0 };
    this.attachData(config);
    return this.modelInfo()!;
  }

  /**
   * Training settings for the current weights (optimizer, batch size, augmentation, seed of
   * the data order): the weights stay, epochs and steps count on. The trainer is made again
   * only when a setting differs (its optimizer state — Adam's moments — then starts from
   * zero); the learning rate alone is changed in place. The description and classes are the
   * model's and are ignored here (build() for another architecture).
   */
  configure(settings: Partial<ModelConfig>): ModelInfo {
    this.requireIdle('change the training settings');
    this.requireTrainer();
    const current = this.config!;
    const next: ModelConfig = { ...current, ...settings, description: current.description, classes: current.classes };
    if (trainingKey(next) !== trainingKey(current) || !this.net.hasTrainer()) {
      this.carryCounts();
      this.config = next;
      this.attachData(next);
    } else if (next.learningRate !== current.learningRate) {
      this.setLearningRate(next.learningRate);
    }
    return this.modelInfo()!;
  }

  /** The current training settings (null without a model). */
  trainingConfig(): ModelConfig | null {
    return this.config ? { ...this.config } : null;
  }

  modelInfo(): ModelInfo | null {
    if (!this.summary || !this.net.hasTrainer()) return null;
    const p = this.net.progress();
    return {
      summary: this.summary,
      classLabels: [...this.classLabels],
      trainCount: this.counts.train,
      testCount: this.counts.test,
      batchesPerEpoch: p.batchesPerEpoch,
      epoch: this.base.epoch + completedEpochs(p),
      step: this.base.step + p.step,
    };
  }

  state(): TrainState {
    return this.trainState;
  }

  async train(options: TrainOptions, onProgress: ProgressCallback, onEpoch: EpochCallback): Promise<TrainResult> {
    this.requireIdle('start training');
    this.requireTrainer();
    const batchSize = this.config!.batchSize;
    const start = this.net.progress();
    const targetEpochs = completedEpochs(start) + Math.max(1, options.epochs ?? 1);
    this.trainState = 'running';
    this.stopRequested = false;
    const started = now();
    let chunk = 1;
    let lastEmit = started - PROGRESS_MS;
    let pending: number[] = [];
    let epochLossSum = 0;
    let epochLossCount = 0;
    let epochStarted = started;
    let trainedMs = 0; // excludes evaluation and pauses, for samples/s
    let trainedSamples = 0;
    try {
      for (;;) {
        await yieldToEvents();
        if (this.stopRequested) break;
        if (this.isPaused()) {
          this.pauseWaiters.splice(0).forEach((w) => w());
          await new Promise<void>((resolve) => (this.resumeWaiter = resolve));
          continue;
        }
        const before = this.net.progress();
        const done = completedEpochs(before);
        if (done >= targetEpochs) break;
        const left = before.batch >= before.batchesPerEpoch ? before.batchesPerEpoch : before.batchesPerEpoch - before.batch;
        const n = Math.max(1, Math.min(chunk, left));
        if (this.tuner && this.tuner.current() !== this.threads) {
          this.threads = this.net.setThreads(this.tuner.current());
        }
        const t0 = now();
        const losses = this.net.trainSteps(n);
        const dt = Math.max(0.01, now() - t0);
        this.tuner?.record(this.threads, losses.length * batchSize, dt);
        this.testPredictions = null;
        trainedMs += dt;
        trainedSamples += losses.length * batchSize;
        chunk = Math.max(1, Math.min(4096, Math.round((losses.length * CHUNK_MS) / dt)));
        for (const l of losses) {
          pending.push(l);
          epochLossSum += l;
          epochLossCount++;
        }
        const after = this.net.progress();
        const epochEnded = completedEpochs(after) > done;
        const t = now();
        if (pending.length > 0 && (epochEnded || t - lastEmit >= PROGRESS_MS)) {
          const sps = (trainedSamples * 1000) / trainedMs;
          const stepsLeft =
            (targetEpochs - completedEpochs(after)) * after.batchesPerEpoch - (epochEnded ? 0 : after.batch);
          const losses32 = Float32Array.from(pending);
          onProgress({
            epoch: this.base.epoch + (epochEnded ? done : after.epoch),
            batch: epochEnded ? after.batchesPerEpoch : after.batch,
            batchesPerEpoch: after.batchesPerEpoch,
            step: this.base.step + after.step,
            loss: pending[pending.length - 1],
            meanLoss: pending.reduce((a, b) => a + b, 0) / pending.length,
            runningAccuracy: after.runningAccuracy,
            samplesPerSecond: sps,
            threads: this.threads,
            etaSeconds: Math.max(0, (stepsLeft * batchSize) / sps),
            elapsedSeconds: (t - started) / 1000,
            losses: losses32,
          });
          pending = [];
          lastEmit = t;
        }
        if (epochEnded) {
          const stats: EpochStats = {
            epoch: this.base.epoch + done,
            trainLoss: epochLossCount ? epochLossSum / epochLossCount : NaN,
            // The engine starts the next epoch eagerly but keeps the finished epoch's running
            // accuracy until the next batch: exactly the epoch's training accuracy.
            trainAccuracy: after.runningAccuracy,
            test: this.evaluate(),
            seconds: (now() - epochStarted) / 1000,
          };
          epochLossSum = 0;
          epochLossCount = 0;
          epochStarted = now();
          onEpoch(stats);
        }
      }
    } finally {
      this.trainState = 'idle';
      this.pauseWaiters.splice(0).forEach((w) => w());
      this.stopWaiters.splice(0).forEach((w) => w());
    }
    const end = this.net.progress();
    return {
      reason: this.stopRequested ? 'stopped' : 'done',
      epoch: this.base.epoch + completedEpochs(end),
      step: this.base.step + end.step,
    };
  }

  pause(): Promise<void> {
    if (this.trainState !== 'running') return Promise.resolve();
    this.trainState = 'paused';
    return new Promise((resolve) => this.pauseWaiters.push(resolve));
  }

  resume(): Promise<void> {
    if (this.trainState === 'paused') {
      this.trainState = 'running';
      this.wake();
    }
    return Promise.resolve();
  }

  stop(): Promise<void> {
    if (this.trainState === 'idle') return Promise.resolve();
    this.stopRequested = true;
    const stopped = new Promise<void>((resolve) => this.stopWaiters.push(resolve));
    if (this.trainState === 'paused') {
      this.trainState = 'running';
      this.wake();
    }
    return stopped;
  }

  step(n = 1): StepResult {
    if (this.trainState === 'running') throw stateError('training is running: pause it before stepping');
    this.requireTrainer();
    const count = Math.max(1, Math.min(10000, Math.floor(n)));
    const t0 = now();
    const losses = this.net.trainSteps(count);
    const seconds = Math.max(1e-6, (now() - t0) / 1000);
    this.testPredictions = null;
    const p = this.net.progress();
    const sps = (losses.length * this.config!.batchSize) / seconds;
    return {
      losses,
      progress: {
        epoch: this.base.epoch + p.epoch,
        batch: p.batch,
        batchesPerEpoch: p.batchesPerEpoch,
        step: this.base.step + p.step,
        loss: losses[losses.length - 1],
        meanLoss: losses.reduce((a, b) => a + b, 0) / losses.length,
        runningAccuracy: p.runningAccuracy,
        samplesPerSecond: sps,
        threads: this.threads,
        etaSeconds: 0,
        elapsedSeconds: seconds,
        losses: Float32Array.from(losses),
      },
    };
  }

  setLearningRate(lr: number): void {
    if (!(lr > 0 && Number.isFinite(lr))) throw namedError('EngineError', `learning rate must be a positive number, got ${lr}`);
    if (this.config) this.config.learningRate = lr;
    if (this.net.hasTrainer()) this.net.setLearningRate(lr);
  }

  setThreads(n: number): number {
    if (n === 0 && this.info.maxThreads > 1) {
      this.tuner = new ThreadTuner(this.info.maxThreads);
      this.threads = this.net.setThreads(this.tuner.current());
      return this.threads;
    }
    this.tuner = null;
    const clamped = Math.max(1, Math.min(this.info.maxThreads, Math.floor(n) || this.info.maxThreads));
    this.threads = this.net.setThreads(clamped);
    return this.threads;
  }

  evaluate(): Evaluation {
    this.requireModel();
    const e = this.net.evaluate(false);
    return { ...e, classLabels: [...this.classLabels] };
  }

  predict(image: Float32Array): Prediction {
    this.requireModel();
    const probabilities = this.net.predict(image);
    return { probabilities, label: this.classLabels[argmax(probabilities)] ?? -1, classLabels: [...this.classLabels] };
  }

  predictTestSet(indices: number[] | Int32Array): BatchPrediction {
    this.requireModel();
    const idx = Int32Array.from(indices);
    return describePredictions(idx, this.net.predictTest(idx), this.testTruth(), this.classLabels);
  }

  worstMistakes(k: number): Mistake[] {
    const { probs, truth } = this.allTestPredictions();
    return worstMistakes(probs, truth, this.classLabels, k);
  }

  confusionCell(label: number, predicted: number, limit = 100): Int32Array {
    const { probs, truth } = this.allTestPredictions();
    return confusionCell(probs, truth, this.classLabels, label, predicted, limit);
  }

  getTestSamples(indices: number[] | Int32Array): Samples {
    this.requireData();
    const idx = Int32Array.from(indices);
    const truth = this.testTruth();
    return {
      indices: idx,
      images: this.net.testImages(idx),
      labels: idx.map((i) => this.classLabels[truth[i]] ?? truth[i]),
      rows: this.dataset!.rows,
      cols: this.dataset!.cols,
    };
  }

  getTrainSamples(indices: number[] | Int32Array): Samples {
    this.requireData();
    const idx = Int32Array.from(indices);
    return {
      indices: idx,
      images: this.trainSet.images(idx),
      labels: this.trainSet.labels(idx),
      rows: this.dataset!.rows,
      cols: this.dataset!.cols,
    };
  }

  visualize(input: VisualInput): Visualization {
    this.requireModel();
    let image: Float32Array;
    if (input instanceof Float32Array) {
      image = input;
    } else {
      const pixels = this.net.testImages([input.testIndex]);
      image = Float32Array.from(pixels, (v) => v / 255);
    }
    const layers = visualLayers(this.net.activations(image), this.net.parameters(), this.summary?.layers ?? []);
    const prediction = this.predict(image);
    return { layers, probabilities: prediction.probabilities, label: prediction.label };
  }

  save(): Uint8Array {
    this.requireModel();
    return this.net.save();
  }

  exportOnnx(): Uint8Array {
    this.requireModel();
    return this.net.exportOnnx();
  }

  load(bytes: Uint8Array, config?: Partial<ModelConfig>): ModelInfo {
    this.requireIdle('load a model');
    const loaded = this.net.load(bytes);
    this.summary = toSummary(loaded.summary);
    this.modelVersion++;
    // A model file holds weights only: its epochs count from 0 here, its optimizer state
    // (Adam's moments) starts from zero.
    this.base = { epoch: 0, step: 0 };
    const base: ModelConfig = this.config ?? {
      description: loaded.summary.description,
      seed: 1,
      optimizer: 'adam',
      learningRate: 0.001,
      batchSize: 64,
    };
    const labels = loaded.classLabels;
    const all = labels.every((l, i) => l === i) && (!this.dataset || labels.length >= this.dataset.classes);
    this.config = { ...base, ...config, description: loaded.summary.description, classes: all ? undefined : labels };
    if (this.dataset) {
      this.attachData(this.config);
    } else {
      this.classLabels = labels;
    }
    return (
      this.modelInfo() ?? {
        summary: this.summary,
        classLabels: [...labels],
        trainCount: 0,
        testCount: 0,
        batchesPerEpoch: 0,
        epoch: 0,
        step: 0,
      }
    );
  }

  // --- helpers ---

  /** Before the trainer is made again for the same weights: what it trained counts on. */
  private carryCounts(): void {
    if (!this.net.hasTrainer()) return;
    const p = this.net.progress();
    this.base = { epoch: this.base.epoch + completedEpochs(p), step: this.base.step + p.step };
  }

  /** Points the model at the (class-filtered) splits and sets up a fresh trainer. */
  private attachData(config: ModelConfig): void {
    const data = this.net.setData(this.trainSet, this.testSet, config.classes ?? []);
    this.counts = { train: data.trainCount, test: data.testCount };
    this.classLabels = this.net.classLabels();
    this.testClasses = null;
    this.testPredictions = null;
    this.net.setTraining({
      optimizer: config.optimizer,
      learningRate: config.learningRate,
      momentum: config.momentum,
      weightDecay: config.weightDecay,
      batchSize: config.batchSize,
      seed: config.seed,
      augment: config.augment,
    });
  }

  private testTruth(): Int32Array {
    if (!this.testClasses) this.testClasses = this.net.testClasses();
    return this.testClasses;
  }

  private allTestPredictions(): { probs: Float32Array; truth: Int32Array } {
    this.requireModel();
    const truth = this.testTruth();
    const key = this.modelVersion * 1e9 + this.base.step + this.net.progress().step;
    if (!this.testPredictions || this.testPredictions.step !== key) {
      const all = new Int32Array(truth.length);
      for (let i = 0; i < all.length; ++i) all[i] = i;
      this.testPredictions = { step: key, probs: this.net.predictTest(all) };
    }
    return { probs: this.testPredictions.probs, truth };
  }

  private isPaused(): boolean {
    return this.trainState === 'paused';
  }

  private wake(): void {
    const w = this.resumeWaiter;
    this.resumeWaiter = null;
    w?.();
  }

  private requireIdle(what: string): void {
    if (this.trainState !== 'idle') throw stateError(`cannot ${what} while training runs: stop it first`);
  }
  private requireData(): void {
    if (!this.dataset) throw stateError('no data set loaded');
  }
  private requireModel(): void {
    if (!this.summary || !this.net.hasModel()) throw stateError('no model: build or load one first');
  }
  private requireTrainer(): void {
    this.requireModel();
    if (!this.net.hasTrainer()) throw stateError('no training data: load a data set first');
  }
}

/** The settings that need a new trainer when they change (the learning rate does not). */
function trainingKey(c: ModelConfig): string {
  return JSON.stringify([c.optimizer, c.momentum ?? null, c.weightDecay ?? null, c.batchSize, c.seed, c.augment ?? null]);
}

/** Epochs finished, whether the engine advances its epoch counter eagerly or lazily. */
function completedEpochs(p: { epoch: number; batch: number; batchesPerEpoch: number }): number {
  return p.epoch + (p.batch >= p.batchesPerEpoch && p.batchesPerEpoch > 0 ? 1 : 0);
}

/**
 * One split's two files parsed by the engine into a new Dataset. The engine names the file
 * it refuses "images" or "labels"; the message names it as the person knows it.
 */
function parseSplit(
  module: ScratchNetModule,
  images: Uint8Array,
  labels: Uint8Array,
  imagesName: string,
  labelsName: string,
  split: string,
): { set: WasmDataset; info: { count: number; rows: number; cols: number; classes: number } } {
  const set = new module.Dataset();
  try {
    return { set, info: set.parse(images, labels) };
  } catch (e) {
    set.delete();
    const error = e as Error;
    const m = /^(images|labels)(:| file)/.exec(error.message);
    error.message = m
      ? `${m[1] === 'images' ? imagesName : labelsName}${error.message.slice(m[1]!.length)}`
      : `${split} set: ${error.message}`;
    throw error;
  }
}
