// The engine's state in the worker, independent of Comlink and of where it runs (the worker, or
// Node tests): one wasm module, one data set, one model and its training settings. Training
// runs in train-loop.ts, data parsing in parse-data.ts, thread counts in thread-tuner.ts.
import type { ScratchNetModule, WasmAugment, WasmDataset, WasmModelSummary, WasmNetwork } from '../../../wasm/scratchnet';
import { namedError } from '../data/errors';
import { ROLE_NAMES } from '../data/file-match';
import { readSpec, type ReadSpec } from '../data/read';
import { argmax, confusionCell, describePredictions, TestSplit, visualLayers, worstMistakes } from './predictions';
import { EngineThreads } from './thread-tuner';
import { completedEpochs, TrainLoop } from './train-loop';
import { parseData } from './parse-data';
import { trainingKey } from './settings';
import type {
  BatchPrediction,
  DatasetInfo,
  DatasetSpec,
  EpochCallback,
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
  private augment: WasmAugment = { enabled: false, maxShift: 0, maxScale: 0, maxRotateDeg: 0, mirror: false };
  private summary: ModelSummary | null = null;
  private classLabels: number[] = [];
  private counts = { train: 0, test: 0 };
  private readonly tests: TestSplit;
  private modelVersion = 0; // bumps on build/load so cached predictions can't go stale
  /** Epochs and steps these weights trained before the engine's current trainer was made (the
   * engine's trainer counts from 0; a trainer set up again for the same weights counts on). */
  private base = { epoch: 0, step: 0 };

  private readonly loop: TrainLoop;
  private readonly threads: EngineThreads;

  constructor(
    private readonly module: ScratchNetModule,
    private readonly info: InitInfo,
    private readonly baseUrl = '/',
  ) {
    this.net = new module.Network();
    this.trainSet = new module.Dataset();
    this.testSet = new module.Dataset();
    this.threads = new EngineThreads(this.net, info.maxThreads, info.threads);
    this.tests = new TestSplit(this.net);
    const session = this;
    this.loop = new TrainLoop({
      net: this.net,
      get batchSize() {
        return session.config!.batchSize;
      },
      get base() {
        return session.base;
      },
      threadsForChunk: () => this.threads.forChunk(),
      timed: (threads, samples, ms) => this.threads.timed(threads, samples, ms),
      trained: () => this.tests.weightsChanged(),
      evaluate: () => this.evaluate(),
    });
  }

  /** Releases every Embind object (tests; the worker lives as long as the page). */
  dispose(): void {
    this.net.delete();
    this.trainSet.delete();
    this.testSet.delete();
  }

  /** The thread count the engine trains with now (for the memory diagnostics). */
  get threadsInUse(): number {
    return this.threads.inUse;
  }

  init(): InitInfo {
    return { ...this.info, threads: this.threads.inUse };
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

  loadRead = (read: ReadSpec): DatasetInfo => this.loadBytes(read.name, read.bytes, read.names);

  /** Raw IDX bytes (already inflated) into wasm memory; `names` label the files in messages. */
  loadBytes(name: string, files: IdxFiles<Uint8Array>, names: IdxFiles<string> = ROLE_NAMES): DatasetInfo {
    this.requireIdle('load a data set');
    const parsed = parseData(this.module, files, names);
    this.trainSet.delete();
    this.testSet.delete();
    this.trainSet = parsed.train;
    this.testSet = parsed.test;
    const { rows, cols, trainCount, testCount, classes } = parsed;
    const sizeChanged = this.dataset !== null && (this.dataset.rows !== rows || this.dataset.cols !== cols);
    this.dataset = { name, rows, cols, trainCount, testCount, classes };
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

  /** The distortions training applies to its images now (null without a trainer): the config's,
   * and for what it leaves open, the data set's own (Network.augmentationFor its name). */
  trainingAugment(): WasmAugment | null {
    return this.net.hasTrainer() ? { ...this.augment } : null;
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
    return this.loop.state();
  }

  /** Trains until `epochs` more epochs are done or stop(); see train-loop.ts. */
  train(options: TrainOptions, onProgress: ProgressCallback, onEpoch: EpochCallback): Promise<TrainResult> {
    this.requireIdle('start training');
    this.requireTrainer();
    return this.loop.run(options.epochs ?? 1, onProgress, onEpoch);
  }

  pause(): Promise<void> {
    return this.loop.pause();
  }

  resume(): Promise<void> {
    return this.loop.resume();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  step(n = 1): StepResult {
    if (this.loop.state() === 'running') throw stateError('training is running: pause it before stepping');
    this.requireTrainer();
    return this.loop.step(n);
  }

  setLearningRate(lr: number): void {
    if (!(lr > 0 && Number.isFinite(lr))) throw namedError('EngineError', `learning rate must be a positive number, got ${lr}`);
    if (this.config) this.config.learningRate = lr;
    if (this.net.hasTrainer()) this.net.setLearningRate(lr);
  }

  /** n threads (clamped to 1..maxThreads), or 0: automatic. Returns the count in use. */
  setThreads(n: number): number {
    return this.threads.set(n);
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
    return describePredictions(idx, this.net.predictTest(idx), this.tests.truth(), this.classLabels);
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
    const truth = this.tests.truth();
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
    const d = this.module.Network.defaults();
    const base: ModelConfig = this.config ?? {
      description: loaded.summary.description,
      optimizer: d.optimizer === 'adamw' ? 'adam' : d.optimizer,
      learningRate: d.learningRate,
      batchSize: d.batchSize,
      seed: d.seed,
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
    this.tests.dataChanged();
    // The rest of the config is training options (the description built it, classes went to setData).
    const { description: _description, classes: _classes, ...training } = config;
    // Distortions the config leaves open are the data set's own (flips for clothes, warps for digits).
    const own = this.module.Network.augmentationFor(this.dataset?.name ?? '');
    this.augment = { ...own, enabled: false, ...training.augment };
    this.net.setTraining({ ...training, augment: this.augment });
  }

  private allTestPredictions(): { probs: Float32Array; truth: Int32Array } {
    this.requireModel();
    return this.tests.all(this.modelVersion * 1e9 + this.base.step + this.net.progress().step);
  }

  private requireIdle(what: string): void {
    if (this.loop.state() !== 'idle') throw stateError(`cannot ${what} while training runs: stop it first`);
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
