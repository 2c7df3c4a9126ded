// Whether Train continues the weights in the engine or builds fresh ones, and whether the
// optimizer restarts: the identity of the model in the engine (archKey) against the settings',
// tracked as models are built, loaded, trained and reconfigured. No DOM; the session asks it.
import type { TrainerApi } from '../worker/protocol';
import { archKey } from './model-identity';
import type { TrainPlan } from './session-events';

/** What the settings describe: the model's identity before it is canonicalised. */
export interface ArchSettings {
  /** The description the engine builds (preset resolved, loss applied). */
  description: string;
  /** The classes it tells apart: 'all', or the two chosen. */
  labels: readonly number[] | 'all';
  seed: number;
}

export class ModelPlan {
  /** archKey of the model in the engine (null: none). */
  arch: string | null = null;
  /** Training diverged: the weights blew up, so Train starts over instead of continuing. */
  diverged = false;
  /** trainingKey of the settings the engine's trainer was made with. */
  trainedWith = '';
  /** Where the current weights came from, for a continuation's record (runId null: a file). */
  source: { runId: string | null; from: string } | null = null;
  /** The settings' archKey, by the settings it was computed for (validate is async). */
  private configArch: { input: string; arch: string | null } | null = null;

  constructor(private readonly validate: TrainerApi['validate']) {}

  /** What Train would do now, from the last check of the settings (see check()). */
  next(hasModel: boolean, settings: ArchSettings, runOpen: boolean): TrainPlan {
    if (!hasModel || this.arch === null || this.diverged) return 'fresh';
    if (this.configArch?.input !== inputKey(settings)) return runOpen ? 'continue' : 'fresh';
    return this.configArch.arch === this.arch ? 'continue' : 'fresh';
  }

  /** Whether Train continues the current weights: their architecture is the settings'. */
  async check(hasModel: boolean, settings: ArchSettings): Promise<TrainPlan> {
    if (!hasModel || this.arch === null || this.diverged) return 'fresh';
    const input = inputKey(settings);
    if (this.configArch?.input !== input) {
      let arch: string | null = null;
      try {
        const r = await this.validate(settings.description);
        if (r.ok) arch = archKey(r.summary.description, settings.labels, settings.seed);
      } catch {
        arch = null; // the build reports it
      }
      this.configArch = { input, arch };
    }
    return this.configArch.arch === this.arch ? 'continue' : 'fresh';
  }

  /** Fresh weights were built from `settings` (canonical description `built`) for run `runId`. */
  built(built: string, settings: ArchSettings, trainingKey: string, runId: string): void {
    this.arch = archKey(built, settings.labels, settings.seed);
    this.trainedWith = trainingKey;
    this.source = { runId, from: '' };
    this.configArch = { input: inputKey(settings), arch: this.arch };
    this.diverged = false;
  }

  /** Weights came from a file (or this browser's store), named `from`. */
  loaded(arch: string, trainingKey: string, from: string): void {
    this.arch = arch;
    this.trainedWith = trainingKey;
    this.source = { runId: null, from };
    this.diverged = false;
  }
}

function inputKey(s: ArchSettings): string {
  return JSON.stringify([s.description, s.labels, s.seed]);
}
