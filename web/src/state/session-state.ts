// The page session's state: the engine, the data set, the model in the engine and what Train
// would do with it (model-plan.ts), the settings, the phase and the events the UI listens to;
// loading data and model files. It never touches the DOM. Training control (Train, Pause,
// Step, Stop, New model) extends it in session.ts; runs and their records are in run-log.ts.
import type {
  DatasetInfo,
  InitInfo,
  LoadProgressCallback,
  ModelConfig,
  ModelInfo,
  PresetInfo,
  PresetWithTraining,
  TrainerApi,
} from '../worker/protocol';
import { classNamesFor, stripIndices, type DataChoice } from '../data/load';
import type { LoadedDataSet } from '../data/sources';
import type { TrainConfig } from './config';
import { applyLoss, matchPreset } from './model-text';
import type { Checkpoints } from './checkpoints';
import { archKey, labelsPart, trainingKey } from './model-identity';
import { ModelPlan, type ArchSettings } from './model-plan';
import { RunLog } from './run-log';
import { SessionEmitter, type Phase, type SessionListener, type TrainPlan } from './session-events';
import type { RunRecord, RunStore } from './runs';

export class SessionState {
  phase: Phase = 'starting';
  engine: InitInfo | null = null;
  presets: PresetInfo[] = [];
  data: LoadedDataSet | null = null;
  model: ModelInfo | null = null;
  /** True when the current model needs two classes (a 1-unit sigmoid or a two-class preset). */
  twoClass = false;
  protected config: TrainConfig;
  protected readonly events = new SessionEmitter();
  protected readonly identity: ModelPlan;
  protected readonly log: RunLog;

  constructor(
    protected readonly api: TrainerApi,
    store: RunStore,
    config: TrainConfig,
    onModelSaved: (bytes: Uint8Array, run: RunRecord | null) => Promise<void>,
  ) {
    this.config = config;
    this.identity = new ModelPlan((d) => this.api.validate(d));
    this.log = new RunLog(store, () => this.api.save(), onModelSaved);
  }

  /** The run log's writes (runs and their models). */
  get checkpoints(): Checkpoints {
    return this.log.checkpoints;
  }

  /** At most one checkpoint per this many ms. */
  set checkpointEveryMs(ms: number) {
    this.log.checkpoints.everyMs = ms;
  }

  on(listener: SessionListener): void {
    this.events.on(listener);
  }

  protected emit<K extends keyof SessionListener>(key: K, ...args: Parameters<NonNullable<SessionListener[K]>>): void {
    this.events.emit(key, ...args);
  }

  protected setPhase(p: Phase): void {
    this.phase = p;
    this.emit('phase', p);
  }

  protected fail(err: unknown): void {
    this.emit('error', err);
  }

  protected get run() {
    return this.log.run;
  }

  get busy(): boolean {
    return ['building', 'running', 'paused', 'stepping', 'stopping', 'starting'].includes(this.phase);
  }

  /** True while a run is open (trained some batches and not finished). */
  get runOpen(): boolean {
    return this.run !== null;
  }

  /** Training diverged: the weights blew up, so Train starts over instead of continuing. */
  get diverged(): boolean {
    return this.identity.diverged;
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
    return this.identity.next(this.model !== null, this.archSettings(), this.run !== null);
  }

  /** Whether the optimizer state restarts when Train continues (a loaded model's, or the
   * settings changed since the trainer was made). */
  get optimizerRestarts(): boolean {
    return (
      this.nextTrain === 'continue' &&
      (this.identity.trainedWith !== trainingKey(this.modelConfig()) || this.identity.source?.runId === null)
    );
  }

  protected archSettings(): ArchSettings {
    return { description: this.effectiveDescription(), labels: this.twoClass ? [...this.config.classes] : 'all', seed: this.config.seed };
  }

  /** Whether Train continues the current weights: their architecture is the settings'. */
  plan(): Promise<TrainPlan> {
    return this.identity.check(this.model !== null, this.archSettings());
  }

  async start(): Promise<void> {
    try {
      // Both answers in one round trip: the page waits for these to enable Train.
      [this.engine, this.presets] = await Promise.all([this.api.init(), this.api.presets()]);
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
    // The schedule spans the run's epochs; a constant rate needs none.
    if (c.schedule !== 'constant') mc.schedule = { kind: c.schedule, epochs: c.epochs };
    // What the page does not show follows the preset's recommended settings (the engine's
    // defaults for a description): Adam's betas, momentum, weight decay, label smoothing, warm-up.
    const s = (this.presets.find((p) => p.name === c.model) as PresetWithTraining | undefined)?.settings;
    if (s) {
      Object.assign(mc, {
        momentum: s.momentum,
        weightDecay: s.weightDecay,
        beta1: s.beta1,
        beta2: s.beta2,
        labelSmoothing: s.labelSmoothing,
      });
      if (mc.schedule?.kind === s.schedule.kind) mc.schedule.warmup = s.schedule.warmup;
    }
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
    if (!this.model) this.identity.arch = null;
    this.emit('data', data);
    this.emit('model', this.model);
    this.setPhase(this.engine ? 'ready' : this.phase === 'broken' ? 'broken' : 'starting');
    return data;
  }

  protected needData(): boolean {
    if (this.data) return true;
    this.fail(Object.assign(new Error('Load a data set first.'), { name: 'StateError' }));
    return false;
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
  protected async closeRun(status: RunRecord['status']): Promise<void> {
    const open = this.run;
    if (open?.worthKeeping) this.identity.source = { runId: open.record.id, from: open.record.name };
    await this.log.close(status, this.engine?.threads, (r) => this.emit('runSaved', r)).catch((err) => this.fail(err));
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
      const c = this.config;
      const { optimizer, learningRate, batchSize, seed, augment, schedule } = this.modelConfig();
      const info = await this.api.load(bytes, { optimizer, learningRate, batchSize, seed, augment, schedule });
      this.model = info;
      this.identity.loaded(archKey(info.summary.description, labelsPart(info.classLabels), c.seed), trainingKey(this.modelConfig()), from);
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
