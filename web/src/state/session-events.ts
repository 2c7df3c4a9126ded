// What the page session tells the UI: its phases and the events panels listen to.
import type { LoadedDataSet } from '../data/sources';
import type { EpochStats, Evaluation, InitInfo, ModelInfo, Progress } from '../worker/protocol';
import type { RunRecord } from './runs';

export type Phase =
  | 'starting' // engine loading
  | 'no-data' // engine ready, no data set yet
  | 'ready' // can train
  | 'building' // building a model / loading data
  | 'running'
  | 'paused'
  | 'stepping'
  | 'stopping'
  | 'broken'; // engine could not start

export interface SessionListener {
  phase?(phase: Phase): void;
  /** The engine changed: with automatic threads, the count in use. */
  engine?(info: InitInfo): void;
  /** A model exists (built, restored, or trained a little more). */
  model?(info: ModelInfo | null): void;
  /** A new run starts: charts should clear. */
  runStart?(run: RunRecord): void;
  progress?(p: Progress): void;
  /** Per-batch losses of a step() call. */
  steps?(firstStep: number, losses: Float32Array): void;
  epoch?(e: EpochStats, run: RunRecord): void;
  /** The test-set evaluation of the current model (after each epoch, build or load; `live`
   * while an epoch is under way). */
  evaluation?(e: Evaluation, live: boolean): void;
  runSaved?(run: RunRecord): void;
  data?(data: LoadedDataSet): void;
  error?(err: unknown): void;
  /** Something worth telling (once per run), e.g. a loss that explodes. */
  warning?(title: string, detail: string): void;
}

/** What the next Train does: go on training the current weights, or build fresh ones. */
export type TrainPlan = 'continue' | 'fresh';

/** The session's listeners: each event goes to every listener; one that throws is logged. */
export class SessionEmitter {
  private listeners: SessionListener[] = [];

  on(listener: SessionListener): void {
    this.listeners.push(listener);
  }

  emit<K extends keyof SessionListener>(key: K, ...args: Parameters<NonNullable<SessionListener[K]>>): void {
    for (const l of this.listeners) {
      const fn = l[key] as ((...a: unknown[]) => void) | undefined;
      try {
        fn?.apply(l, args);
      } catch (err) {
        console.error(err);
      }
    }
  }

  /** Resolves when the phase becomes `phase` (at once when `current` is it). */
  waitFor(current: Phase, phase: Phase): Promise<void> {
    if (current === phase) return Promise.resolve();
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
}
