// Types of build/public/wasm/{simd,threads}/scratchnet.mjs (Emscripten 3.1.6 cannot emit them).
// Every method throws an Error whose `name` is DescriptionError, FormatError, DivergenceError,
// LimitError, OutOfMemoryError, StateError or EngineError, with the engine's message.
// Every object created with `new` must be released with `.delete()`.

export interface WasmLayerSummary {
  /** 1-based segment of the description this layer comes from. */
  segment: number;
  /** Segment text, e.g. "conv 8 5x5 relu". */
  text: string;
  /** "conv", "dense", "maxpool", "flatten", "relu", "softmax", ... */
  kind: string;
  /** Output of one sample: [h, w, c]. */
  shape: [number, number, number];
  params: number;
  /** Forward FLOPs per sample (multiply-adds x2). */
  flops: number;
}

export interface WasmModelSummary {
  /** Canonical description (presets resolved). */
  description: string;
  layers: WasmLayerSummary[];
  params: number;
  flops: number;
  loss: 'mse' | 'bce' | 'xent';
  /** Output classes (2 for a 1-unit sigmoid). */
  classes: number;
}

export interface WasmSchedule {
  kind: 'constant' | 'step' | 'cosine' | 'onecycle';
  /** The run's length the schedule spans (cosine, onecycle; step decays every third of it). */
  epochs?: number;
  /** onecycle: fraction of the run spent warming up (default 0.25). */
  warmup?: number;
}

/** Training-image distortions (core's AugmentOptions): shifts in pixels, scalings as a fraction,
 * rotations in degrees, each drawn up to its limit; mirror flips half the images left-right. */
export interface WasmAugment {
  enabled: boolean;
  maxShift: number;
  maxScale: number;
  maxRotateDeg: number;
  mirror: boolean;
}

/** A preset's recommended training settings (core/src/description/preset_settings.cpp). */
export interface WasmPresetSettings {
  optimizer: 'sgd' | 'momentum' | 'adam' | 'adamw';
  learningRate: number;
  batchSize: number;
  epochs: number;
  schedule: Required<WasmSchedule>;
  beta1: number;
  beta2: number;
  momentum: number;
  weightDecay: number;
  labelSmoothing: number;
  augment: WasmAugment;
  why: string;
}

export interface WasmPreset {
  name: string;
  description: string;
  summary: string;
  twoClass: boolean;
  settings?: WasmPresetSettings;
}

export interface WasmDatasetInfo {
  count: number;
  rows: number;
  cols: number;
  classes: number;
}

export interface WasmTrainingOptions {
  optimizer: 'sgd' | 'momentum' | 'adam' | 'adamw';
  learningRate: number;
  momentum?: number;
  weightDecay?: number;
  batchSize: number;
  seed: number;
  augment?: Partial<WasmAugment>;
  /** Scales learningRate per batch; constant when absent. */
  schedule?: WasmSchedule;
  beta1?: number;
  beta2?: number;
  /** xent only, 0 <= s < 1. */
  labelSmoothing?: number;
}

export interface WasmProgress {
  epoch: number;
  batch: number;
  batchesPerEpoch: number;
  step: number;
  runningAccuracy: number;
  /** The rate the next batch uses (the schedule applied to learningRate). */
  learningRate: number;
}

export interface WasmEvaluation {
  loss: number;
  accuracy: number;
  count: number;
  classes: number;
  confusion: Int32Array;
  /** The predicted class of every image, in data order (the engine's one prediction rule). */
  predicted: Int32Array;
}

export interface WasmActivation {
  segment: number;
  kind: string;
  shape: [number, number, number];
  values: Float32Array;
}

export interface WasmParameter {
  segment: number;
  kind: string;
  name: 'weight' | 'bias' | 'gamma' | 'beta';
  shape: number[];
  values: Float32Array;
}

type Numbers = ArrayLike<number>;

export interface WasmDataset {
  /** Raw (not gzipped) IDX bytes. Replaces the contents. */
  parse(images: Uint8Array, labels: Uint8Array): WasmDatasetInfo;
  info(): WasmDatasetInfo;
  images(indices: Numbers): Uint8Array;
  labels(indices: Numbers): Int32Array;
  delete(): void;
}

export interface WasmNetwork {
  /** A preset name or a description; input shape from setData (28x28x1 before). */
  build(descriptionOrPreset: string, seed: number): WasmModelSummary;
  summary(): WasmModelSummary;
  /** classes: labels to keep in class order ([] = all). Resets training. */
  setData(
    train: WasmDataset,
    test: WasmDataset,
    classes: Numbers,
  ): {
    trainCount: number;
    testCount: number;
    classLabels: number[];
  };
  /** Creates the trainer (epoch 0). Needs a model and data. */
  setTraining(options: WasmTrainingOptions): WasmProgress;
  trainSteps(n: number): Float32Array;
  progress(): WasmProgress;
  setLearningRate(lr: number): void;
  setThreads(n: number): number;
  evaluate(onTrain: boolean): WasmEvaluation;
  predict(image: Float32Array): Float32Array;
  /** n x classes probabilities for test-split indices. */
  predictTest(indices: Numbers): Float32Array;
  testImages(indices: Numbers): Uint8Array;
  /** Class index of every test image. */
  testClasses(): Int32Array;
  activations(image: Float32Array): WasmActivation[];
  parameters(): WasmParameter[];
  save(): Uint8Array;
  /** ONNX model bytes (opset 13): input "image" (N, 1, 28, 28) pixels 0..1, output "probabilities". */
  exportOnnx(): Uint8Array;
  load(bytes: Uint8Array): { summary: WasmModelSummary; classLabels: number[] };
  classLabels(): number[];
  hasModel(): boolean;
  hasTrainer(): boolean;
  delete(): void;
}

/** The engine's training defaults (core/include/scratchnet/defaults.h). */
export interface WasmDefaults {
  model: string;
  optimizer: 'sgd' | 'momentum' | 'adam' | 'adamw';
  learningRate: number;
  sgdLearningRate: number;
  momentumLearningRate: number;
  momentum: number;
  weightDecay: number;
  batchSize: number;
  epochs: number;
  seed: number;
  /** 0 = one per hardware thread. */
  threads: number;
  augment: boolean;
  /** The classes of a two-class preset (cnn-binary). */
  twoClasses: [number, number];
  evalBatch: number;
}

export interface WasmRange {
  min: number;
  max: number;
}

/** What a person may ask for (the CLI's flags, the page's fields and links). */
export interface WasmLimits {
  learningRate: WasmRange;
  batchSize: WasmRange;
  epochs: WasmRange;
  seed: WasmRange;
  threads: WasmRange;
  momentum: WasmRange;
  weightDecay: WasmRange;
}

export interface WasmValidateResult {
  ok: boolean;
  error?: string;
  summary?: WasmModelSummary;
}

export interface ScratchNetModule {
  Network: {
    new (): WasmNetwork;
    validate(description: string, rows: number, cols: number): WasmValidateResult;
    presets(): WasmPreset[];
    /** A preset's recommended settings (null for a name that is not a preset). */
    presetSettings(name: string): WasmPresetSettings | null;
    /** The distortions that keep the labels of the data set called `name`: left-right flips
     * for clothes (a name containing "fashion"), small shifts, scalings and rotations else. */
    augmentationFor(name: string): WasmAugment;
    defaults(): WasmDefaults;
    limits(): WasmLimits;
    /** The learning rate at `points` evenly spaced batches of a run, for plotting. */
    scheduleCurve(schedule: WasmSchedule, learningRate: number, batchesPerEpoch: number, points: number): Float32Array;
  };
  Dataset: { new (): WasmDataset };
  memoryStats(): { heapSize: number; used: number; datasets: number; networks: number };
  /** Bench: GFLOP/s of one thread's register-only SIMD multiply-add loop (best round over
   * about `seconds`), the same loop `nn bench` reports as native peak. */
  measurePeakGflops(seconds: number): number;
  /** Bench: GFLOP/s of single-thread gemm (C = op(A) op(B)), best round over about `seconds`;
   * 0 for sizes out of range (more than 2^24 floats in all). */
  measureGemmGflops(m: number, n: number, k: number, transA: boolean, transB: boolean, seconds: number): number;
  /** The kernels' instruction set, e.g. "wasm SIMD128 (4 lanes)". */
  simdDescription(): string;
  /** Embind: live `val` handles (leak checks). */
  count_emval_handles(): number;
}

export interface ScratchNetModuleOptions {
  /** The .wasm bytes (Node: the 3.1.6 loader cannot locate the file itself). */
  wasmBinary?: ArrayBuffer | Uint8Array;
  locateFile?: (path: string, prefix: string) => string;
  /** Threads build: size of the pthread pool (default navigator.hardwareConcurrency). */
  scratchnetThreads?: number;
  /** Threads build: URL of scratchnet.mjs, so its pthread workers can find the files. */
  mainScriptUrlOrBlob?: string;
  print?: (text: string) => void;
  printErr?: (text: string) => void;
}

export type ScratchNetFactory = (options?: ScratchNetModuleOptions) => Promise<ScratchNetModule>;
declare const createScratchNet: ScratchNetFactory;
export default createScratchNet;
