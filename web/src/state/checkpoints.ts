// The run log's writes: at epoch ends (at most every `everyMs`) the run so far and its weights
// are stored, so closing the tab mid-run loses little; the finished run overwrites its
// checkpoint (same id) once the last checkpoint is written, and its model is kept for the next
// visit.
import type { RunRecorder } from './run-recorder';
import type { RunRecord, RunStore } from './runs';

export class Checkpoints {
  /** The last checkpoint; the final record waits for it so it is written last. */
  private written: Promise<void> = Promise.resolve();
  private last = 0;
  /** At most one checkpoint per this many ms (fast runs would otherwise write every epoch). */
  everyMs = 10_000;

  constructor(
    private readonly store: RunStore,
    private readonly saveModel: () => Promise<Uint8Array>,
    private readonly onModelSaved: (bytes: Uint8Array, run: RunRecord | null) => Promise<void>,
  ) {}

  /** Training starts: the first checkpoint comes `everyMs` from now. */
  started(): void {
    this.last = performance.now();
  }

  /** An epoch ended: a checkpoint when one is due. */
  epochEnded(run: RunRecorder, threads: number): void {
    const now = performance.now();
    if (!run.worthKeeping || now - this.last < this.everyMs) return;
    this.last = now;
    const snapshot = structuredClone(run.snapshot('stopped', threads));
    this.written = this.written.then(() => this.write(snapshot));
  }

  private async write(snapshot: RunRecord): Promise<void> {
    try {
      await this.store.put(snapshot);
      await this.onModelSaved(await this.saveModel(), snapshot);
    } catch (err) {
      console.warn('Could not checkpoint the run', err);
    }
  }

  /** Stores the finished run (after the last checkpoint; throws when the store fails), then
   * keeps its model (a failure there is only logged). */
  async finish(run: RunRecord, saved: (run: RunRecord) => void): Promise<void> {
    await this.written;
    let stored: unknown = null;
    try {
      await this.store.put(run);
      saved(run);
    } catch (err) {
      stored = err ?? new Error('the run could not be stored');
    }
    try {
      await this.onModelSaved(await this.saveModel(), run);
    } catch (err) {
      console.warn('Could not keep the last model', err);
    }
    if (stored) throw stored;
  }
}
