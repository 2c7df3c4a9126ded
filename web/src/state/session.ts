// The page session's training control: what the Train / Pause / Step / Stop / New model buttons
// mean, in one place, against the worker's typed API (the state they act on: session-state.ts).
// Train goes on training the model there is (built here, trained before, or loaded from a file)
// with the current training settings; it builds fresh weights only when there is no model or
// its architecture (description, loss, two-class digits) or seed changed (model-plan.ts). New
// model (reset) starts over explicitly. A run lasts from Train (or New model) to finishing or
// stopping (run-log.ts).
import type { EpochStats, ModelConfig, ModelInfo, Progress } from '../worker/protocol';
import { liveEvaluation } from './live-evaluation';
import { isDivergence, trainingKey } from './model-identity';
import type { RunRecord } from './runs';
import { SessionState } from './session-state';

export { smooth } from './run-recorder';
export { LIVE_EVAL_MIN_MS } from './live-evaluation';
export type { Phase, SessionListener, TrainPlan } from './session-events';

export class Session extends SessionState {
  /** The newest Progress of the run in progress (null before its first). */
  private latest: Progress | null = null;

  /** Builds fresh weights from the current settings and opens a new run. */
  private async buildRun(): Promise<boolean> {
    if (!this.needData()) return false;
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
    this.openRun(info, null, (id) =>
      this.identity.built(info.summary.description, this.archSettings(), trainingKey(this.modelConfig()), id),
    );
    return true;
  }

  /** Opens a run on the model in `info`; `continues` when its weights trained before.
   * `opened` sees the run's id before the UI hears of the run. */
  private openRun(info: ModelInfo, continues: RunRecord['continues'] | null, opened?: (runId: string) => void): void {
    const { record } = this.log.open({
      info,
      config: this.config,
      preset: this.presetName(),
      dataLabel: this.data?.label ?? '',
      engine: this.engine,
      continues,
    });
    opened?.(record.id);
    this.emit('model', info);
    this.emit('runStart', record);
  }

  /**
   * Before Train or Step: fresh weights when there is no model or its architecture changed;
   * otherwise the current weights, with the current training settings, in the open run or a
   * new one that continues them.
   */
  private async prepare(): Promise<boolean> {
    if (!this.needData()) return false;
    const before = this.phase;
    this.setPhase('building');
    if ((await this.plan()) === 'fresh') return this.buildRun();
    if (this.identity.trainedWith !== trainingKey(this.modelConfig())) {
      // Other training settings from here on: a new run (segment) for the same weights.
      await this.closeRun('stopped');
      try {
        this.model = await this.api.configure(this.trainingSettings());
        this.identity.trainedWith = trainingKey(this.modelConfig());
      } catch (err) {
        this.setPhase(before);
        this.fail(err);
        return false;
      }
    }
    if (this.run) return true;
    const info = this.model!;
    const source = this.identity.source;
    this.openRun(info, { runId: source?.runId ?? null, from: source?.from ?? '', epoch: info.epoch, step: info.step });
    return true;
  }

  private trainingSettings(): Partial<ModelConfig> {
    const { optimizer, learningRate, batchSize, seed, augment, schedule } = this.modelConfig();
    return { optimizer, learningRate, batchSize, seed, augment, schedule };
  }

  async train(): Promise<void> {
    if (this.busy) return;
    if (!(await this.prepare())) return;
    const run = this.run!;
    const epochs = Math.max(1, this.config.epochs - run.epochsDone);
    run.trained = true;
    this.log.checkpoints.started();
    this.setPhase('running');
    run.startClock();
    this.latest = null;
    void liveEvaluation(
      () => this.api.evaluate(),
      () => (this.run !== run ? 'over' : this.phase === 'running' ? 'running' : this.phase === 'paused' ? 'paused' : 'over'),
      (e) => this.emit('evaluation', e, true),
      () => this.epochEndsInMs(),
    );
    try {
      const result = await this.api.train(
        { epochs },
        (p) => this.onProgress(p),
        (e) => this.onEpoch(e),
      );
      await this.closeRun(result.reason === 'done' ? 'finished' : 'stopped');
    } catch (err) {
      if (isDivergence(err)) this.identity.diverged = true;
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

  /** Expected ms to the end of the current epoch at the rate so far (Infinity before a rate). */
  private epochEndsInMs(): number {
    const p = this.latest;
    if (!p || !(p.samplesPerSecond > 0)) return Infinity;
    return ((p.batchesPerEpoch - p.batch) * this.config.batchSize * 1000) / p.samplesPerSecond;
  }

  private onProgress(p: Progress): void {
    this.latest = p;
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
    this.log.checkpoints.epochEnded(run, this.engine?.threads ?? 1);
    if (this.model) this.model = { ...this.model, epoch: e.epoch + 1 };
    this.emit('model', this.model);
    this.emit('epoch', e, run.record);
    this.emit('evaluation', e.test, false);
  }

  pause(): Promise<void> {
    return this.hold(true);
  }

  resume(): Promise<void> {
    return this.hold(false);
  }

  /** Pause (`paused`) or Resume: the worker holds or goes on, then the run's clock and the phase follow. */
  private async hold(paused: boolean): Promise<void> {
    if (this.phase !== (paused ? 'running' : 'paused')) return;
    try {
      await (paused ? this.api.pause() : this.api.resume());
      if (paused) this.run?.stopClock();
      else this.run?.startClock();
      this.setPhase(paused ? 'paused' : 'running');
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
      if (isDivergence(err)) this.identity.diverged = true;
      this.fail(err);
    }
    this.setPhase('ready');
  }

  /** Throws the current weights away: a fresh, untrained model; charts clear. */
  async reset(): Promise<void> {
    if (this.phase === 'running' || this.phase === 'paused') {
      await this.stop();
      // train() resolves, records the run and returns to 'ready'.
      await this.events.waitFor(this.phase, 'ready');
    }
    if (this.busy) return;
    await this.closeRun('stopped');
    if (await this.buildRun()) {
      this.emit('evaluation', await this.api.evaluate(), false);
      this.setPhase('ready');
    }
  }

  async setLearningRate(lr: number): Promise<void> {
    this.config = { ...this.config, learningRate: lr };
    if (this.model) {
      try {
        await this.api.setLearningRate(lr);
        // Mid-run, the open run trains on at the new rate: its record says so.
        if (this.phase === 'running' || this.phase === 'paused') this.run?.changeRate(lr);
      } catch (err) {
        this.fail(err);
      }
    }
  }
}
