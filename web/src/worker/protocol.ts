// The values that cross between the page and the training worker. The worker's methods are
// typed from their implementation (api.ts, WorkerApi); the page calls them through createTrainer()
// in ./client.ts and never touches the wasm module. Everything here is structured-cloneable.
//
// Conventions
// - Images are 28x28 (rows x cols) greyscale, row-major. `Float32Array` inputs are in [0, 1]
//   with MNIST polarity (ink = 1, background = 0); `Uint8Array` images are 0..255.
// - "label" means an original data set label (0..9); "class" means an output index of the
//   model. They differ only for two-class models: classLabels[class] === label.
// - Errors reject the promise with an Error whose `name` is an EngineErrorName and whose
//   `message` is written for a person (the engine's own text).

import type { WasmLayerSummary, WasmModelSummary, WasmPresetSettings } from '../../../wasm/scratchnet';

/** Which wasm build runs: SIMD + pthreads (needs crossOriginIsolated) or SIMD single thread. */
export type Variant = 'threads' | 'simd';

export interface InitInfo {
  variant: Variant;
  /** Threads the engine uses now (1 for simd). */
  threads: number;
  /** Largest value setThreads accepts (navigator.hardwareConcurrency for threads, else 1). */
  maxThreads: number;
}

/** Error names carried by rejected calls (Error.name). */
export type EngineErrorName =
  | 'DescriptionError' // model description does not parse or shapes do not fit
  | 'FormatError' // malformed IDX / model file / gzip bytes
  | 'DivergenceError' // loss became NaN or Inf (weights restored to before that step)
  | 'LimitError' // a stated resource limit would be exceeded
  | 'OutOfMemoryError' // wasm memory could not grow
  | 'StateError' // call not valid now (e.g. train before build, predict before build)
  | 'WorkerRestartedError' // the worker crashed; it was restarted with data and last model
  | 'EngineError'; // anything else from the engine

/** The four IDX files of a data set. Each may be gzipped (detected by magic) or raw. */
export interface IdxFiles<T> {
  trainImages: T;
  trainLabels: T;
  testImages: T;
  testLabels: T;
}

/** One file as the person chose it: a File (or Blob), a URL, or its bytes. */
export type FileSource = Blob | string | Uint8Array;

export type DatasetSpec =
  /** A bundled set: <baseUrl>data/<id>/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz.
   * id: 'mnist' (default) or 'fashion' (see data/index.json). baseUrl defaults to Vite's
   * BASE_URL ('/'). */
  | { kind: 'bundled'; id?: string; baseUrl?: string }
  /** Four files: URLs are fetched, Files read, bytes used as they are; each once. */
  | { kind: 'files'; name: string; files: IdxFiles<FileSource> }
  /** A folder URL holding the four standard names, each tried as NAME.gz, then NAME. */
  | { kind: 'folder'; name: string; url: string };

/** Source bytes read so far while loading a data set (total null while unknown). */
export interface LoadProgress {
  loaded: number;
  total: number | null;
}
export type LoadProgressCallback = (p: LoadProgress) => void;

export interface DatasetInfo {
  name: string;
  rows: number;
  cols: number;
  trainCount: number;
  testCount: number;
  /** 1 + largest label. */
  classes: number;
}

/** A layer and the model as the engine summarises them (typed once, in wasm/scratchnet.d.ts). */
export type LayerSummary = WasmLayerSummary;
export type ModelSummary = WasmModelSummary;

/** Answer of validate(): never throws for a bad description, says why instead. */
export type ValidateResult = { ok: true; summary: ModelSummary } | { ok: false; error: string };

export interface PresetInfo {
  name: string;
  description: string;
  summary: string;
  /** Trained on two chosen digits (ModelConfig.classes). */
  twoClass: boolean;
}

/** A preset as the engine lists it, with its recommended training settings (core's
 * preset_settings.cpp). */
export type PresetWithTraining = PresetInfo & { settings?: WasmPresetSettings };

export interface AugmentConfig {
  enabled: boolean;
  maxShift?: number; // pixels (default 2)
  maxScale?: number; // fraction (default 0.1)
  maxRotateDeg?: number; // degrees (default 10)
  mirror?: boolean; // left-right flips
}

export type OptimizerName = 'sgd' | 'momentum' | 'adam';

/** How the learning rate moves per batch (core's schedules): constant, step decay (halved after
 * each third of the run, at most once an epoch), cosine annealing, or one-cycle (linear warm-up, then annealing). */
export type ScheduleKind = 'constant' | 'step' | 'cosine' | 'onecycle';

export interface ScheduleConfig {
  kind: ScheduleKind;
  /** The run's length (epochs) the schedule spans. */
  epochs?: number;
  /** onecycle: fraction of the run spent warming up. */
  warmup?: number;
}

export interface ModelConfig {
  /** Preset name ("lenet") or a description ("dense 128 relu | dense 10 softmax"). */
  description: string;
  /** Weights and data order. */
  seed: number;
  optimizer: OptimizerName;
  learningRate: number;
  /** Momentum coefficient (optimizer 'momentum'); default 0.9. */
  momentum?: number;
  weightDecay?: number;
  /** Adam's moment decays and cross-entropy's label smoothing; the engine's defaults when absent. */
  beta1?: number;
  beta2?: number;
  labelSmoothing?: number;
  batchSize: number;
  augment?: AugmentConfig;
  /** Scales learningRate per batch; constant when absent. */
  schedule?: ScheduleConfig;
  /** Train on these labels only (two-class models: e.g. [3, 8]); omitted = all labels. */
  classes?: number[];
}

export interface ModelInfo {
  summary: ModelSummary;
  /** classLabels[class] = original label. */
  classLabels: number[];
  /** Sizes of the (possibly class-filtered) splits the model trains and tests on. */
  trainCount: number;
  testCount: number;
  batchesPerEpoch: number;
  /** Epochs these weights trained, counting on across configure() and a new data set (0 after
   * build, and after load: a model file does not record them). */
  epoch: number;
  step: number;
}

export type TrainState = 'idle' | 'running' | 'paused';

/** Streamed during training, at most ~10 per second. */
export interface Progress {
  epoch: number; // 0-based epoch being trained
  batch: number; // batches done in this epoch
  batchesPerEpoch: number;
  step: number; // batches done in total
  loss: number; // last batch's loss
  /** Mean loss of the batches since the previous Progress. */
  meanLoss: number;
  runningAccuracy: number; // training accuracy of this epoch so far, 0..1
  samplesPerSecond: number;
  /** Threads training now (with automatic threads, the count the tuner picked). */
  threads: number;
  /** Seconds left for the epochs requested in train(). */
  etaSeconds: number;
  elapsedSeconds: number;
  /** Losses of every batch since the previous Progress (for a dense loss curve). */
  losses: Float32Array;
  /** The rate the next batch trains with (the schedule applied to the learning rate). */
  learningRate?: number;
}

export interface Evaluation {
  loss: number;
  accuracy: number; // 0..1
  count: number;
  classes: number;
  /** classes x classes, row = true class, column = predicted class. */
  confusion: Int32Array;
  classLabels: number[];
}

/** Sent at the end of every epoch. */
export interface EpochStats {
  epoch: number; // 0-based epoch just finished
  trainLoss: number; // mean batch loss over the epoch
  trainAccuracy: number;
  test: Evaluation;
  seconds: number;
}

export interface TrainOptions {
  /** Epochs to train from the current position (default 1). */
  epochs?: number;
}

export interface TrainResult {
  reason: 'done' | 'stopped';
  epoch: number;
  step: number;
}

export interface StepResult {
  losses: Float32Array;
  progress: Progress;
}

export interface Prediction {
  /** One per class. */
  probabilities: Float32Array;
  /** Predicted original label. */
  label: number;
  classLabels: number[];
}

/** Predictions for test images (gallery). */
export interface BatchPrediction {
  indices: Int32Array; // test set indices (of the class-filtered test split)
  probabilities: Float32Array; // indices.length x classes
  predicted: Int32Array; // predicted original labels
  labels: Int32Array; // true original labels
}

export interface Mistake {
  index: number; // test set index
  label: number; // true original label
  predicted: number; // predicted original label
  confidence: number; // probability of the wrong prediction
}

export interface Samples {
  indices: Int32Array;
  /** indices.length x rows x cols, 0..255. */
  images: Uint8Array;
  labels: Int32Array; // original labels
  rows: number;
  cols: number;
}

export interface ParameterData {
  name: 'weight' | 'bias' | 'gamma' | 'beta';
  /** Conv weights: [kh, kw, cin, cout]; dense: [in, out]; biases: [n]. */
  shape: number[];
  values: Float32Array;
}

export interface LayerVisual {
  segment: number;
  kind: string;
  text: string;
  /** [h, w, c], NHWC: values[(y * w + x) * c + ch]. */
  shape: [number, number, number];
  activations: Float32Array;
  /** Weights and biases of conv/dense layers (filters to draw). */
  parameters?: ParameterData[];
}

export interface Visualization {
  layers: LayerVisual[];
  probabilities: Float32Array;
  label: number;
}

export type VisualInput = Float32Array | { testIndex: number };

export type ProgressCallback = (p: Progress) => void;
export type EpochCallback = (e: EpochStats) => void;

/** Options of createTrainer() in client.ts. */
export interface TrainerClientOptions {
  /** Called after the worker crashed and was restarted with the data set and last model. */
  onRestart?: (reason: string) => void;
}

export type { TrainerApi } from './client';
