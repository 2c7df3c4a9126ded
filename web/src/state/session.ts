// The training session: what the Train / Pause / Step / Stop / Reset buttons mean, in one
// place, against the worker's typed API. It never touches the DOM; the UI listens to its
// events. Train goes on training the model there is (built here, trained before, or loaded from
// a file) with the current training settings; it builds fresh weights only when there is no
// model or its architecture (description, loss, two-class digits) or seed changed. New model
// (reset) starts over explicitly. A "run" lasts from Train (or New model) to finishing or
// stopping; a run on weights that trained before is recorded as a continuation (its epochs and
// steps counted on). Every run that trained at least one batch is recorded in the run store.
import type {
  DatasetInfo,
  EpochStats,
  InitInfo,
  LoadProgressCallback,
  ModelConfig,
  ModelInfo,
  PresetInfo,
  Progress,
  TrainerApi,
} from '../worker/protocol';
import { classNamesFor, stripIndices, type DataChoice } from '../data/load';
import type { LoadedDataSet } from '../data/sources';
import type { TrainConfig } from './config';
import { applyLoss, matchPreset } from './model-text';
import { Checkpoints } from './checkpoints';
import { archKey, isDivergence, labelsPart, trainingKey } from './model-identity';
import { RunRecorder } from './run-recorder';
import type { Phase, SessionListener, TrainPlan } from './session-events';
import { defaultRunName, newRunId, type RunRecord, type RunStore } from './runs';

export { smooth } from './run-recorder';
export type { Phase, SessionListener, TrainPlan } from './session-events';

/** Shortest gap between live test-set evaluations while training runs. */
export const LIVE_EVAL_MIN_MS = 4000;

export class Session {
  phase: Phase = 'starting';
  engine: InitInfo | null = null;
  presets: PresetInfo[] = [];
  data: LoadedDataSet | null = null;
  model: ModelInfo | null = null;
  /** True when the current model needs two classes (a 1-unit sigmoid or a two-class preset). */
  twoClass = false;
  private config: TrainConfig;
  private listeners: SessionListener[] = [];
  private run: RunRecorder | null = null;
  /** archKey of the model in the engine (null: none). */
  private modelArch: string | null = null;
  /** Training diverged: the weights blew up, so Train starts over instead of continuing. */
  diverged = false;
  /** trainingKey of the settings the engine's trainer was made with. */
  private trainedWith = '';
  /** The settings' archKey, by the description it was computed for (validate is async). */
  private configArch: { input: string; arch: string | null } | null = null;
  /** Where the current weights came from, for a continuation's record. */
  private modelSource: { runId: string | null; from: string } | null = null;
  /** The run log's writes (runs and their models). */
  readonly checkpoints: Checkpoints;

  constructor(
    private readonly api: TrainerApi,
    store: RunStore,
    config: TrainConfig,
    onModelSaved: (bytes: Uint8Array, run: RunRecord | null) => Promise<void>,
  ) {
    this.config = config;
    this.checkpoints = new Checkpoints(store, () => this.api.save(), onModelSaved);
  }

  /** At most one checkpoint per this many ms. */
  set checkpointEveryMs(ms: number) {
    this.checkpoints.everyMs = ms;
  }

  on(listener: SessionListener): void {
    this.listeners.push(listener);
  }

  private emit<K extends keyof SessionListener>(key: K, ...args: Parameters<NonNullable<SessionListener[K]>>): void {
    for (const l of this.listeners) {
      const fn = l[key] as ((...a: unknown[]) => void) | undefined;
      try {
        fn?.apply(l, args);
      } catch (err) {
        console.error(err);
      }
    }
  }

  private setPhase(p: Phase): void {
    this.phase = p;
    this.emit('phase', p);
  }

  private fail(err: unknown): void {
    this.emit('error', err);
  }

  get busy(): boolean {
    return ['building', 'running', 'paused', 'stepping', 'stopping', 'starting'].includes(this.phase);
  }

  /** True while a run is open (trained some batches and not finished). */
  get runOpen(): boolean {
    return this.run !== null;
  }

  setConfig(config: TrainConfig): void {
    this.config = config;
    // Find out whether Train would continue, then let the buttons say so.
    if (this.engine) void this.plan().then(() => this.emit('phase', this.phase));
  }

  /** Epochs the current weights have trained (0 without a model). */
  get modelEpochs(): number {
    return this.model?.epoch ?? 0;
  }

  /** The epoch (0-based) the open run started at: > 0 for a continuation. */
  get runFirstEpoch(): number {
    return this.run?.record.continues?.epoch ?? 0;
  }

  /** What Train would do now (from the last check of the settings; see plan()). */
  get nextTrain(): TrainPlan {
    if (!this.model || this.modelArch === null || this.diverged) return 'fresh';
    const input = this.archInput();
    if (this.configArch?.input !== input) return this.run ? 'continue' : 'fresh';
    return this.configArch.arch === this.modelArch ? 'continue' : 'fresh';
  }

  /** Whether the optimizer state restarts when Train continues (a loaded model's, or the
   * settings changed since the trainer was made). */
  get optimizerRestarts(): boolean {
    return this.nextTrain === 'continue' && (this.trainedWith !== trainingKey(this.modelConfig()) || this.modelSource?.runId === null);
  }

  private archInput(): string {
    return JSON.stringify([this.effectiveDescription(), this.twoClass ? this.config.classes : 'all', this.config.seed]);
  }

  /** Whether Train continues the current weights: their architecture is the settings'. */
  async plan(): Promise<TrainPlan> {
    if (!this.model || this.modelArch === null || this.diverged) return 'fresh';
    const input = this.archInput();
    if (this.configArch?.input !== input) {
      const description = this.effectiveDescription();
      const labels = this.twoClass ? [...this.config.classes] : 'all';
      const seed = this.config.seed;
      let arch: string | null = null;
      try {
        const r = await this.api.validate(description);
        if (r.ok) arch = archKey(r.summary.description, labels, seed);
      } catch {
        arch = null; // the build reports it
      }
      this.configArch = { input, arch };
    }
    return this.configArch.arch === this.modelArch ? 'continue' : 'fresh';
  }

  async start(): Promise<void> {
    try {
      this.engine = await this.api.init();
      this.presets = await this.api.presets();
      // The data may have arrived first (it loads beside the engine).
      if (this.phase === 'starting') this.setPhase(this.data ? 'ready' : 'no-data');
    } catch (err) {
      this.setPhase('broken');
      this.fail(err);
    }
  }

  /** The description the engine builds: the preset resolved and the chosen loss applied. */
  effectiveDescription(config: TrainConfig = this.config): string {
    const preset = this.presets.find((p) => p.name === config.model);
    return applyLoss(preset ? preset.description : config.model, config.loss);
  }

  presetName(config: TrainConfig = this.config): string | null {
    return matchPreset(config.model, this.presets)?.name ?? null;
  }

  modelConfig(): ModelConfig {
    const c = this.config;
    const mc: ModelConfig = {
      description: this.effectiveDescription(),
      seed: c.seed,
      optimizer: c.optimizer,
      learningRate: c.learningRate,
      batchSize: c.batchSize,
      augment: { enabled: c.augment },
    };
    if (this.twoClass) mc.classes = [...c.classes];
    return mc;
  }

  /** Loads a data set into the engine (the worker reads the files; `onProgress` gets the
   * bytes as they arrive); on failure the current one stays and the error is thrown. */
  async loadData(choice: DataChoice, onProgress?: LoadProgressCallback, started?: Promise<DatasetInfo>): Promise<LoadedDataSet | null> {
    // While the engine starts, the data loads beside it (the phase stays 'starting').
    const starting = this.phase === 'starting';
    if (this.busy && !starting && this.phase !== 'building') return null;
    const before = this.phase;
    if (!starting) this.setPhase('building');
    let data: LoadedDataSet;
    try {
      const info = await (started ?? this.api.loadDataset(choice.spec, onProgress));
      const samples = await this.api.getTrainSamples(stripIndices(info.trainCount));
      data = { id: choice.id, label: choice.label, info, classNames: classNamesFor(choice.classNames, info.classes), samples };
    } catch (err) {
      if (!starting) this.setPhase(before === 'building' ? 'no-data' : before);
      throw err;
    }
    await this.closeRun('stopped');
    this.data = data;
    // The engine keeps a built model when the image size matches (it restarts at epoch 0).
    this.model = await this.api.modelInfo().catch(() => null);
    if (!this.model) this.modelArch = null;
    this.emit('data', data);
    this.emit('model', this.model);
    this.setPhase(this.engine ? 'ready' : this.phase === 'broken' ? 'broken' : 'starting');
    return data;
  }

  /** Builds fresh weights from the current settings and opens a new run. */
  private async buildRun(): Promise<boolean> {
    if (!this.data) {
      this.fail(Object.assign(new Error('Load a data set first.'), { name: 'StateError' }));
      return false;
    }
    await this.closeRun('stopped');
    this.setPhase('building');
    let info: ModelInfo;
    try {
      info = await this.api.build(this.modelConfig());
      await this.api.setThreads(this.config.threads > 0 ? this.config.threads : 0);
    } catch (err) {
      this.setPhase('ready');
      this.fail(err);
      return false;
    }
    this.model = info;
    this.modelArch = archKey(info.summary.description, this.twoClass ? [...this.config.classes] : 'all', this.config.seed);
    this.trainedWith = trainingKey(this.modelConfig());
    this.openRun(info, null);
    this.modelSource = { runId: this.run!.record.id, from: '' };
    this.configArch = { input: this.archInput(), arch: this.modelArch };
    this.diverged = false;
    return true;
  }

  /** Opens a run on the model in `info`; `continues` when its weights trained before. */
  private openRun(info: ModelInfo, continues: RunRecord['continues'] | null): void {
    this.run = new RunRecorder({
      id: newRunId(),
      name: defaultRunName(this.presetName(), this.config, continues?.epoch),
      startedAt: Date.now(),
      status: 'stopped',
      dataLabel: this.data?.label ?? '',
      description: info.summary.description,
      preset: this.presetName(),
      config: structuredClone(this.config),
      ...(continues ? { continues } : {}),
      params: info.summary.params,
      batchesPerEpoch: info.batchesPerEpoch,
      lossCurve: [],
      epochs: [],
      finalTrainLoss: null,
      finalTestLoss: null,
      finalTestAccuracy: null,
      trainingMs: 0,
      samplesPerSecond: 0,
      variant: this.engine?.variant ?? 'unknown',
      threads: this.engine?.threads ?? 1,
    });
    this.emit('model', info);
    this.emit('runStart', this.run.record);
  }

  /**
   * Before Train or Step: fresh weights when there is no model or its architecture changed;
   * otherwise the current weights, with the current training settings, in the open run or a
   * new one that continues them.
   */
  private async prepare(): Promise<boolean> {
    if (!this.data) {
      this.fail(Object.assign(new Error('Load a data set first.'), { name: 'StateError' }));
      return false;
    }
    const before = this.phase;
    this.setPhase('building');
    if ((await this.plan()) === 'fresh') return this.buildRun();
    if (this.trainedWith !== trainingKey(this.modelConfig())) {
      // Other training settings from here on: a new run (segment) for the same weights.
      await this.closeRun('stopped');
      try {
        this.model = await this.api.configure(this.trainingSettings());
        this.trainedWith = trainingKey(this.modelConfig());
      } catch (err) {
        this.setPhase(before);
        this.fail(err);
        return false;
      }
    }
    if (this.run) return true;
    const info = this.model!;
    this.openRun(info, { runId: this.modelSource?.runId ?? null, from: this.modelSource?.from ?? '', epoch: info.epoch, step: info.step });
    return true;
  }

  private trainingSettings(): Partial<ModelConfig> {
    const { optimizer, learningRate, batchSize, seed, augment } = this.modelConfig();
    return { optimizer, learningRate, batchSize, seed, augment };
  }

  async train(): Promise<void> {
    if (this.busy) return;
    if (!(await this.prepare())) return;
    const run = this.run!;
    const epochs = Math.max(1, this.config.epochs - run.epochsDone);
    run.trained = true;
    this.checkpoints.started();
    this.setPhase('running');
    run.startClock();
    void this.liveEvaluation(run);
    try {
      const result = await this.api.train(
        { epochs },
        (p) => this.onProgress(p),
        (e) => this.onEpoch(e),
      );
      await this.closeRun(result.reason === 'done' ? 'finished' : 'stopped');
    } catch (err) {
      if (isDivergence(err)) this.diverged = true;
      this.fail(err);
      await this.closeRun(isDivergence(err) ? 'failed' : 'stopped');
    }
    // Where the weights are now (the step count, a stop mid-epoch) for the next Train.
    const info = await this.api.modelInfo().catch(() => null);
    if (info) {
      this.model = info;
      this.emit('model', info);
    }
    this.setPhase('ready');
  }

  /**
   * Between epochs, evaluates the test set now and then so the confusion matrix and the
   * galleries move while training runs. Spaced so evaluating costs at most ~1/6 of the time.
   */
  private async liveEvaluation(run: RunRecorder): Promise<void> {
    let wait = LIVE_EVAL_MIN_MS;
    for (;;) {
      await new Promise((r) => setTimeout(r, wait));
      if (this.run !== run || (this.phase !== 'running' && this.phase !== 'paused')) return;
      if (this.phase === 'paused') continue;
      const t0 = performance.now();
      try {
        const e = await this.api.evaluate();
        if (this.run !== run || this.phase !== 'running') return;
        this.emit('evaluation', e, true);
      } catch {
        return; // the train() call reports real failures
      }
      wait = Math.max(LIVE_EVAL_MIN_MS, 5 * (performance.now() - t0));
    }
  }

  private onProgress(p: Progress): void {
    if (this.engine && p.threads && p.threads !== this.engine.threads) {
      this.engine = { ...this.engine, threads: p.threads };
      this.emit('engine', this.engine);
    }
    const warning = this.run?.addProgress(p);
    if (warning) this.emit('warning', 'Training is diverging: the loss is exploding', warning);
    this.emit('progress', p);
  }

  private onEpoch(e: EpochStats): void {
    const run = this.run;
    if (!run) return;
    run.addEpoch(e);
    this.checkpoints.epochEnded(run, this.engine?.threads ?? 1);
    if (this.model) this.model = { ...this.model, epoch: e.epoch + 1 };
    this.emit('model', this.model);
    this.emit('epoch', e, run.record);
    this.emit('evaluation', e.test, false);
  }

  async pause(): Promise<void> {
    if (this.phase !== 'running') return;
    try {
      await this.api.pause();
      this.run?.stopClock();
      this.setPhase('paused');
    } catch (err) {
      this.fail(err);
    }
  }

  async resume(): Promise<void> {
    if (this.phase !== 'paused') return;
    try {
      await this.api.resume();
      this.run?.startClock();
      this.setPhase('running');
    } catch (err) {
      this.fail(err);
    }
  }

  async stop(): Promise<void> {
    if (this.phase !== 'running' && this.phase !== 'paused') return;
    this.setPhase('stopping');
    try {
      await this.api.stop();
    } catch (err) {
      this.fail(err);
    }
  }

  /** One batch at a time, on the current model (fresh weights when Train would build them). */
  async step(n = 1): Promise<void> {
    if (this.busy) return;
    if (!(await this.prepare())) return;
    this.setPhase('stepping');
    const t0 = performance.now();
    try {
      const r = await this.api.step(n);
      this.run?.addTime(performance.now() - t0);
      this.onProgress({ ...r.progress, losses: r.losses });
      this.emit('steps', r.progress.step - r.losses.length + 1, r.losses);
      if (this.model) this.model = { ...this.model, step: r.progress.step };
      this.emit('model', this.model);
    } catch (err) {
      if (isDivergence(err)) this.diverged = true;
      this.fail(err);
    }
    this.setPhase('ready');
  }

  /** Throws the current weights away: a fresh, untrained model; charts clear. */
  async reset(): Promise<void> {
    if (this.phase === 'running' || this.phase === 'paused') {
      await this.stop();
      // train() resolves, records the run and returns to 'ready'.
      await this.waitFor('ready');
    }
    if (this.busy) return;
    await this.closeRun('stopped');
    if (await this.buildRun()) {
      this.emit('evaluation', await this.api.evaluate(), false);
      this.setPhase('ready');
    }
  }

  private waitFor(phase: Phase): Promise<void> {
    if (this.phase === phase) return Promise.resolve();
    return new Promise((resolve) => {
      const l: SessionListener = {
        phase: (p) => {
          if (p === phase) {
            this.listeners = this.listeners.filter((x) => x !== l);
            resolve();
          }
        },
      };
      this.listeners.push(l);
    });
  }

  async setLearningRate(lr: number): Promise<void> {
    this.config = { ...this.config, learningRate: lr };
    if (this.model) {
      try {
        await this.api.setLearningRate(lr);
      } catch (err) {
        this.fail(err);
      }
    }
  }

  async setThreads(n: number): Promise<number> {
    try {
      const used = await this.api.setThreads(n > 0 ? n : 0);
      if (this.engine) this.engine = { ...this.engine, threads: used };
      return used;
    } catch (err) {
      this.fail(err);
      return this.engine?.threads ?? 1;
    }
  }

  /** Ends the open run: records it if it trained, and keeps the model for the next visit. */
  private async closeRun(status: RunRecord['status']): Promise<void> {
    const recorder = this.run;
    this.run = null;
    if (!recorder || !recorder.worthKeeping) return;
    this.modelSource = { runId: recorder.record.id, from: recorder.record.name };
    const run = recorder.finish(status, this.engine?.threads ?? recorder.record.threads);
    await this.checkpoints.finish(run, (r) => this.emit('runSaved', r)).catch((err) => this.fail(err));
  }

  /**
   * Loads a model file (ours or the native CLI's); the data set stays. Train then continues its
   * weights when the settings describe the same model (the page sets them from the file).
   * `from` names where it came from in the continuation's run record.
   */
  async loadModel(
    bytes: Uint8Array,
    onError: (err: unknown) => void = (e) => this.fail(e),
    from = 'a model file',
  ): Promise<ModelInfo | null> {
    if (this.busy) return null;
    await this.closeRun('stopped');
    this.setPhase('building');
    try {
      const info = await this.api.load(bytes, {
        optimizer: this.config.optimizer,
        learningRate: this.config.learningRate,
        batchSize: this.config.batchSize,
        seed: this.config.seed,
        augment: { enabled: this.config.augment },
      });
      this.model = info;
      this.modelArch = archKey(info.summary.description, labelsPart(info.classLabels), this.config.seed);
      this.trainedWith = trainingKey(this.modelConfig());
      this.modelSource = { runId: null, from };
      this.diverged = false;
      this.emit('model', info);
      this.emit('evaluation', await this.api.evaluate(), false);
      await this.plan();
      this.setPhase('ready');
      return info;
    } catch (err) {
      this.setPhase(this.data ? 'ready' : 'no-data');
      onError(err);
      return null;
    }
  }

  async saveModel(format: 'snmodel' | 'onnx' = 'snmodel'): Promise<Uint8Array | null> {
    try {
      return await (format === 'onnx' ? this.api.exportOnnx() : this.api.save());
    } catch (err) {
      this.fail(err);
      return null;
    }
  }
}
