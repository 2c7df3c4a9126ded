// What one run collects while it trains: the per-batch losses, the epoch results, the time
// spent training (pauses excluded), and whether the loss is blowing up. finish() turns it into
// the RunRecord kept in the run store. No DOM, no worker: the session feeds it.
import type { EpochStats, Progress } from '../worker/protocol';
import { defaultRunName, downsample, type EpochPoint, type RunRecord } from './runs';

/** A loss this many times the run's first losses means training is blowing up. */
export const EXPLODING_FACTOR = 1000;

export class RunRecorder {
  private readonly steps: number[] = [];
  private readonly losses: number[] = [];
  private activeSince = 0;
  private activeMs = 0;
  private lastSamplesPerSecond: number | null = null;
  private warnedExploding = false;
  /** Whether the run went through train() (not only Step). */
  trained = false;

  constructor(readonly record: RunRecord) {}

  startClock(): void {
    if (this.activeSince === 0) this.activeSince = performance.now();
  }

  stopClock(): void {
    if (this.activeSince > 0) this.activeMs += performance.now() - this.activeSince;
    this.activeSince = 0;
  }

  addTime(ms: number): void {
    this.activeMs += ms;
  }

  /** Adds a progress report's losses; returns a warning (once per run) when the loss explodes. */
  addProgress(p: Progress): string | null {
    const first = p.step - p.losses.length + 1;
    for (let i = 0; i < p.losses.length; i++) {
      this.steps.push(first + i);
      this.losses.push(p.losses[i]!);
    }
    if (p.samplesPerSecond > 0) this.lastSamplesPerSecond = p.samplesPerSecond;
    return this.checkExploding();
  }

  private checkExploding(): string | null {
    if (this.warnedExploding || this.losses.length < 20) return null;
    const base = mean(this.losses.slice(0, 10)) ?? 0;
    const recent = mean(this.losses.slice(-10)) ?? 0;
    if (base > 0 && recent > base * EXPLODING_FACTOR) {
      this.warnedExploding = true;
      return `It is ${recent.toExponential(1)}, more than ${EXPLODING_FACTOR}× where it started. The learning rate (${this.record.changes?.at(-1)?.learningRate ?? this.record.config.learningRate}) is too large for this model; try a smaller one.`;
    }
    return null;
  }

  /**
   * The learning rate changed while the run trains: recorded with the step it takes effect at,
   * and a name the run still has from defaultRunName() shows it. A change at the step of the
   * previous one replaces it; a change back to the current rate is none.
   */
  changeRate(learningRate: number): void {
    const r = this.record;
    const before = r.changes ?? [];
    const step = (this.steps.at(-1) ?? r.continues?.step ?? 0) + 1;
    // A change before any batch trained at the previous rate replaces it.
    const kept = before.at(-1)?.step === step ? before.slice(0, -1) : before;
    const current = kept.at(-1)?.learningRate ?? r.config.learningRate;
    const next = learningRate === current ? kept : [...kept, { step, learningRate }];
    if (next === before) return;
    const wasDefault = r.name === defaultRunName(r.preset, r.config, r.continues?.epoch, before);
    if (next.length > 0) r.changes = next;
    else delete r.changes;
    if (wasDefault) r.name = defaultRunName(r.preset, r.config, r.continues?.epoch, next);
  }

  addEpoch(e: EpochStats): EpochPoint {
    const point: EpochPoint = {
      epoch: e.epoch + 1,
      trainLoss: e.trainLoss,
      testLoss: e.test.loss,
      testAccuracy: e.test.accuracy,
    };
    const r = this.record;
    r.epochs.push(point);
    r.finalTrainLoss = e.trainLoss;
    r.finalTestLoss = e.test.loss;
    r.finalTestAccuracy = e.test.accuracy;
    return point;
  }

  get epochsDone(): number {
    return this.record.epochs.length;
  }

  /** Built but never trained, or only stepped through a few batches: nothing worth keeping. */
  get worthKeeping(): boolean {
    return this.steps.length > 0 && (this.trained || this.record.epochs.length > 0);
  }

  /** The record as stored: smoothed, downsampled curve and the totals. */
  finish(status: RunRecord['status'], threads: number): RunRecord {
    this.stopClock();
    return this.snapshot(status, threads);
  }

  /** The record so far, without stopping the clock (a checkpoint while training runs). */
  snapshot(status: RunRecord['status'], threads: number): RunRecord {
    const r = this.record;
    r.status = status;
    r.lossCurve = downsample(this.steps, smooth(this.losses));
    r.trainingMs = this.activeMs + (this.activeSince > 0 ? performance.now() - this.activeSince : 0);
    const samples = (this.steps[this.steps.length - 1] ?? 0) * r.config.batchSize;
    r.samplesPerSecond = this.lastSamplesPerSecond ?? (this.activeMs > 0 ? (samples / this.activeMs) * 1000 : 0);
    r.threads = threads;
    if (r.finalTrainLoss === null) r.finalTrainLoss = mean(this.losses.slice(-50));
    return r;
  }
}

/** Exponential moving average (alpha 0.05, bias-corrected like Adam's moments). */
export function smooth(values: readonly number[], alpha = 0.05): number[] {
  const out: number[] = [];
  let m = 0;
  let weight = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) {
      out.push(NaN);
      continue;
    }
    m = (1 - alpha) * m + alpha * v;
    weight = (1 - alpha) * weight + alpha;
    out.push(m / weight);
  }
  return out;
}

function mean(values: readonly number[]): number | null {
  const f = values.filter(Number.isFinite);
  return f.length ? f.reduce((a, b) => a + b, 0) / f.length : null;
}
