// Run history: every finished or stopped training run, kept so runs can be compared
// (the report's Figures 1 and 2). Storage is behind RunStore so the logic is testable without
// a browser; the page uses the IndexedDB implementation in idb.ts.
import type { TrainConfig } from './config';

export interface EpochPoint {
  epoch: number; // 1-based
  trainLoss: number;
  testLoss: number;
  testAccuracy: number; // 0..1
}

export interface RunRecord {
  id: string;
  name: string;
  /** ms since epoch, when the run started. */
  startedAt: number;
  status: 'finished' | 'stopped' | 'failed';
  /** Data set label shown to people ("MNIST digits (bundled)"). */
  dataLabel: string;
  /** Canonical model description. */
  description: string;
  /** The preset the run started from, if any. */
  preset: string | null;
  config: TrainConfig;
  /** Set when the run trained weights that had trained before (an earlier run here, or a
   * loaded model file): its epochs and curve steps count on from `epoch` / `step`. */
  continues?: {
    /** The run that trained them (null: a loaded model). */
    runId: string | null;
    /** That run's name, or where the model came from ("model.snmodel"). */
    from: string;
    /** Epochs and steps the weights had trained when this run started. */
    epoch: number;
    step: number;
  };
  /** Learning-rate changes made while the run trained, in order (absent: none). */
  changes?: RateChange[];
  params: number;
  /** Batches in one epoch (to draw curves of different batch sizes against epochs). */
  batchesPerEpoch?: number;
  /** Smoothed per-batch training loss, downsampled to at most CURVE_POINTS points. */
  lossCurve: { step: number; loss: number }[];
  epochs: EpochPoint[];
  finalTrainLoss: number | null;
  finalTestLoss: number | null;
  finalTestAccuracy: number | null;
  /** Wall-clock training time (pauses excluded), ms. */
  trainingMs: number;
  samplesPerSecond: number;
  /** Which wasm build ran: "threads" or "single". */
  variant: string;
  threads: number;
}

/** The results part of a run record before its first batch. */
export function noResultsYet(): Pick<
  RunRecord,
  'lossCurve' | 'epochs' | 'finalTrainLoss' | 'finalTestLoss' | 'finalTestAccuracy' | 'trainingMs' | 'samplesPerSecond'
> {
  return {
    lossCurve: [],
    epochs: [],
    finalTrainLoss: null,
    finalTestLoss: null,
    finalTestAccuracy: null,
    trainingMs: 0,
    samplesPerSecond: 0,
  };
}

/** A learning rate set while a run trained: from step `step` on (the run's step count). */
export interface RateChange {
  step: number;
  learningRate: number;
}

export const CURVE_POINTS = 400;

export interface RunStore {
  list(): Promise<RunRecord[]>;
  get(id: string): Promise<RunRecord | undefined>;
  put(run: RunRecord): Promise<void>;
  delete(id: string): Promise<void>;
}

/** A RunStore in memory: for tests and when IndexedDB is unavailable (private windows). */
export class MemoryRunStore implements RunStore {
  private readonly runs = new Map<string, RunRecord>();
  async list(): Promise<RunRecord[]> {
    return sortRuns([...this.runs.values()].map(clone));
  }
  async get(id: string): Promise<RunRecord | undefined> {
    const r = this.runs.get(id);
    return r ? clone(r) : undefined;
  }
  async put(run: RunRecord): Promise<void> {
    this.runs.set(run.id, clone(run));
  }
  async delete(id: string): Promise<void> {
    this.runs.delete(id);
  }
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

/** Newest first. */
export function sortRuns(runs: RunRecord[]): RunRecord[] {
  return runs.sort((a, b) => b.startedAt - a.startedAt);
}

/** The run `id` and the runs it continues, oldest first (at most `max`): the whole history
 * of one model's weights, whose steps and epochs count on from run to run. */
export async function runChain(store: RunStore, id: string | undefined, max = 100): Promise<RunRecord[]> {
  const chain: RunRecord[] = [];
  const seen = new Set<string>();
  for (let next = id; next && !seen.has(next) && chain.length < max;) {
    seen.add(next);
    const run = await store.get(next);
    if (!run) break;
    chain.unshift(run);
    next = run.continues?.runId ?? undefined;
  }
  return chain;
}

export async function renameRun(store: RunStore, id: string, name: string): Promise<RunRecord> {
  const run = await store.get(id);
  if (!run) throw new Error('That run no longer exists.');
  const trimmed = name.trim().slice(0, 80);
  if (!trimmed) throw new Error('A run needs a name.');
  run.name = trimmed;
  await store.put(run);
  return run;
}

/**
 * Reduces a long per-batch curve to at most `max` points by averaging equal buckets, which
 * keeps the shape (unlike taking every n-th point, which aliases noisy curves).
 */
export function downsample(steps: ArrayLike<number>, values: ArrayLike<number>, max = CURVE_POINTS): { step: number; loss: number }[] {
  const n = Math.min(steps.length, values.length);
  if (n <= max) {
    const out: { step: number; loss: number }[] = [];
    for (let i = 0; i < n; i++) out.push({ step: steps[i]!, loss: values[i]! });
    return out;
  }
  const out: { step: number; loss: number }[] = [];
  for (let b = 0; b < max; b++) {
    const lo = Math.floor((b * n) / max);
    const hi = Math.floor(((b + 1) * n) / max);
    let sum = 0;
    let count = 0;
    for (let i = lo; i < hi; i++) {
      if (Number.isFinite(values[i]!)) {
        sum += values[i]!;
        count++;
      }
    }
    if (count > 0) out.push({ step: steps[hi - 1]!, loss: sum / count });
  }
  return out;
}

/** A default run name: "lenet · 3 ep · adam 0.001"; a continuation after `fromEpoch` epochs:
 * "lenet · +3 ep from 5 · adam 0.001". */
export function defaultRunName(
  preset: string | null,
  config: TrainConfig,
  fromEpoch?: number,
  changes: readonly RateChange[] = [],
): string {
  const model = preset ?? 'custom';
  const epochs = fromEpoch !== undefined ? `+${config.epochs} ep from ${fromEpoch}` : `${config.epochs} ep`;
  return `${model} · ${epochs} · ${config.optimizer} ${[config.learningRate, ...changes.map((c) => c.learningRate)].join(' → ')}`;
}

/** "0.002, 0.0005 from step 300": the rates a run trained with, for a person. */
export function describeRates(run: Pick<RunRecord, 'config' | 'changes'>): string {
  return [String(run.config.learningRate), ...(run.changes ?? []).map((c) => `${c.learningRate} from step ${c.step}`)].join(', ');
}

export function newRunId(now: number = Date.now()): string {
  const rand = Math.floor(Math.random() * 0xffffff)
    .toString(16)
    .padStart(6, '0');
  return `run-${now.toString(36)}-${rand}`;
}

// ---- export -------------------------------------------------------------------------------

export function runsToJson(runs: readonly RunRecord[]): string {
  return JSON.stringify({ format: 'scratchnet-runs', version: 1, runs }, null, 2);
}

const CSV_COLUMNS: [string, (r: RunRecord) => string | number | null][] = [
  ['name', (r) => r.name],
  ['started', (r) => new Date(r.startedAt).toISOString()],
  ['status', (r) => r.status],
  ['data', (r) => r.dataLabel],
  ['description', (r) => r.description],
  ['optimizer', (r) => r.config.optimizer],
  ['learning_rate', (r) => r.config.learningRate],
  // Rates set while the run trained ("0.0005 from step 300; ...").
  ['learning_rate_changes', (r) => (r.changes ?? []).map((c) => `${c.learningRate} from step ${c.step}`).join('; ') || null],
  ['batch_size', (r) => r.config.batchSize],
  ['epochs_planned', (r) => r.config.epochs],
  ['epochs_done', (r) => r.epochs.length],
  ['seed', (r) => r.config.seed],
  ['augment', (r) => (r.config.augment ? 1 : 0)],
  ['params', (r) => r.params],
  ['final_train_loss', (r) => r.finalTrainLoss],
  ['final_test_loss', (r) => r.finalTestLoss],
  ['test_accuracy', (r) => r.finalTestAccuracy],
  ['training_seconds', (r) => round(r.trainingMs / 1000, 3)],
  ['samples_per_second', (r) => Math.round(r.samplesPerSecond)],
  ['variant', (r) => r.variant],
  ['threads', (r) => r.threads],
  // Continuations (runs on weights that trained before): where from, after how many epochs.
  ['continues', (r) => r.continues?.from ?? null],
  ['continues_from_epoch', (r) => r.continues?.epoch ?? null],
];

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** RFC 4180 quoting: fields with comma, quote or newline are quoted, quotes doubled. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const s = String(value);
  // A leading =, +, - or @ would be read as a formula by spreadsheets; prefix a quote mark.
  const safe = /^[=+\-@]/.test(s) && typeof value === 'string' ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function runsToCsv(runs: readonly RunRecord[]): string {
  const lines = [CSV_COLUMNS.map(([h]) => h).join(',')];
  for (const r of runs) lines.push(CSV_COLUMNS.map(([, get]) => csvField(get(r))).join(','));
  return lines.join('\r\n') + '\r\n';
}
