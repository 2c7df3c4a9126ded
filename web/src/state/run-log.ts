// The open run and the run log. A run lasts from Train (or New model) to finishing or stopping;
// a run on weights that trained before is recorded as a continuation (its epochs and steps
// counted on). Every run that trained at least one batch is stored with its model (see
// checkpoints.ts for when).
import type { InitInfo, ModelInfo } from '../worker/protocol';
import { Checkpoints } from './checkpoints';
import type { TrainConfig } from './config';
import { RunRecorder } from './run-recorder';
import { defaultRunName, newRunId, noResultsYet, type RunRecord, type RunStore } from './runs';

/** What a new run's record starts from. */
export interface RunStart {
  info: ModelInfo;
  config: TrainConfig;
  preset: string | null;
  dataLabel: string;
  engine: InitInfo | null;
  /** Set when the weights trained before. */
  continues: RunRecord['continues'] | null;
}

export class RunLog {
  /** The open run (null between runs). */
  run: RunRecorder | null = null;
  readonly checkpoints: Checkpoints;

  constructor(
    store: RunStore,
    saveModel: () => Promise<Uint8Array>,
    onModelSaved: (bytes: Uint8Array, run: RunRecord | null) => Promise<void>,
  ) {
    this.checkpoints = new Checkpoints(store, saveModel, onModelSaved);
  }

  /** Opens a run; the one open before must be closed first. */
  open(s: RunStart): RunRecorder {
    const { info, config, continues } = s;
    this.run = new RunRecorder({
      id: newRunId(),
      name: defaultRunName(s.preset, config, continues?.epoch),
      startedAt: Date.now(),
      status: 'stopped',
      dataLabel: s.dataLabel,
      description: info.summary.description,
      preset: s.preset,
      config: structuredClone(config),
      ...(continues ? { continues } : {}),
      params: info.summary.params,
      batchesPerEpoch: info.batchesPerEpoch,
      ...noResultsYet(),
      variant: s.engine?.variant ?? 'unknown',
      threads: s.engine?.threads ?? 1,
    });
    return this.run;
  }

  /** Ends the open run: stores it when it trained (`saved` then gets the record) and keeps its
   * model for the next visit. Returns the record kept, or null. Throws when the store fails. */
  async close(status: RunRecord['status'], threads: number | undefined, saved: (run: RunRecord) => void): Promise<RunRecord | null> {
    const recorder = this.run;
    this.run = null;
    if (!recorder || !recorder.worthKeeping) return null;
    const run = recorder.finish(status, threads ?? recorder.record.threads);
    await this.checkpoints.finish(run, saved);
    return run;
  }
}
