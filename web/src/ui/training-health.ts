// Names a run that is failing, within its first epoch, with what to try: a loss that spikes or
// explodes (diverged), a test accuracy at the level of guessing (stuck at chance), or a loss that
// does not fall. Pure: fed with the run's batch losses and evaluations, it returns at most one
// finding per kind per run.

export type Problem = 'diverged' | 'chance' | 'flat';

export interface Finding {
  problem: Problem;
  title: string;
  detail: string;
}

/** A batch loss this many times the run's first losses means the weights were thrown off. */
export const SPIKE_FACTOR = 50;
/** Checks wait for this many batches (and for a third of an epoch) so noise settles. */
export const MIN_BATCHES = 30;
/** Accuracy within this of 1/classes counts as guessing. */
export const CHANCE_MARGIN = 0.03;
/** The recent mean loss above this fraction of the starting loss counts as not falling... */
export const FLAT_FRACTION = 0.95;
/** ...when the run started this high (a trained model continued from a low loss has little
 * left to lose: ln 2 = 0.69 is guessing between two classes, ln 10 = 2.3 among ten). */
export const FLAT_MIN_START = 0.5;

export interface Settings {
  optimizer: string;
  learningRate: number;
}

export class TrainingHealth {
  private losses: number[] = [];
  private batchesPerEpoch = 0;
  private told = new Set<Problem>();

  constructor(private settings: () => Settings) {}

  reset(): void {
    this.losses = [];
    this.batchesPerEpoch = 0;
    this.told.clear();
  }

  private enough(): boolean {
    return this.losses.length >= Math.max(MIN_BATCHES, Math.floor(this.batchesPerEpoch / 3));
  }

  private lower(): string {
    const { optimizer, learningRate } = this.settings();
    return `${optimizer} at ${learningRate} is too large a step for this model: try ${Number((learningRate / 10).toPrecision(2))}`;
  }

  /** Batch losses as they arrive; returns a finding the first time one shows. */
  addLosses(losses: ArrayLike<number>, batchesPerEpoch: number): Finding | null {
    this.batchesPerEpoch = batchesPerEpoch;
    for (let i = 0; i < losses.length; i++) this.losses.push(losses[i]!);
    const start = startLoss(this.losses);
    if (start === null) return null;
    if (!this.told.has('diverged')) {
      const worst = this.losses.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, v) : Infinity), 0);
      if (worst > SPIKE_FACTOR * start && worst > 10) {
        this.told.add('diverged');
        return {
          problem: 'diverged',
          title: 'Training diverged: the loss spiked',
          detail: `The loss jumped from ${fmt(start)} to ${fmt(worst)}; the weights were thrown off. ${this.lower()} (÷10).`,
        };
      }
    }
    if (!this.told.has('flat') && !this.told.has('diverged') && start > FLAT_MIN_START && this.enough()) {
      const recent = mean(this.losses.slice(-Math.min(20, Math.floor(this.losses.length / 3))));
      if (recent >= FLAT_FRACTION * start) {
        this.told.add('flat');
        const guess = Math.abs(recent - Math.LN2) < 0.02 ? ' (ln 2: what guessing between two classes scores)' : '';
        const { optimizer, learningRate } = this.settings();
        return {
          problem: 'flat',
          title: 'The loss is not falling',
          detail: `After ${this.losses.length} batches it is ${fmt(recent)}${guess}, where it started (${fmt(start)}). ${optimizer} at ${learningRate} does not move this model: try another learning rate (×3 or ÷3) or optimizer (SGD with momentum suits sigmoid layers).`,
        };
      }
    }
    return null;
  }

  /** A test-set evaluation (live or after an epoch). */
  addEvaluation(accuracy: number, classes: number): Finding | null {
    if (this.told.has('chance') || classes < 2 || !this.enough()) return null;
    if (accuracy > 1 / classes + CHANCE_MARGIN) return null;
    this.told.add('chance');
    // A loss that jumped means too large a step; one that barely moved, the wrong optimizer.
    const start = startLoss(this.losses) ?? 0;
    const jumped = this.losses.some((v) => !(v <= 3 * start));
    const { optimizer, learningRate } = this.settings();
    const what = jumped
      ? `${this.lower()}, then start over with New model`
      : `${optimizer} at ${learningRate} does not move this model: try another learning rate or optimizer (SGD with momentum suits sigmoid layers)`;
    return {
      problem: 'chance',
      title: 'Stuck at chance',
      detail: `Test accuracy is ${(accuracy * 100).toFixed(1)}%, what guessing among ${classes} classes gets (${(100 / classes).toFixed(0)}%). ${what}.`,
    };
  }
}

/** The run's starting loss: the median of its first three finite batch losses. */
function startLoss(losses: readonly number[]): number | null {
  const first = losses
    .slice(0, 3)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  return first.length === 3 ? first[1]! : null;
}

function mean(v: readonly number[]): number {
  const finite = v.filter(Number.isFinite);
  return finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : Infinity;
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e4 ? v.toExponential(1) : v.toFixed(3);
}
