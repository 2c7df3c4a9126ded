// Picking a preset puts its recommended training settings (the engine's, EngineSettings) into
// the page: every training field the page shows. A person can change them afterwards; a link
// that names a preset reads them in configFromSearch (its own values win).
import { presetTraining, type EngineSettings, type TrainConfig } from '../state/config';

export interface PresetChange {
  /** The fields that change (never empty). */
  patch: Partial<TrainConfig>;
  /** One line for a person: what is applied and why these. */
  title: string;
  why: string;
}

/** The settings to apply when `preset` is picked (null when unknown or already in place). */
export function presetPatch(preset: string | undefined, config: TrainConfig, engine: EngineSettings): PresetChange | null {
  const recommended = preset ? presetTraining(preset, engine) : null;
  if (!preset || !recommended) return null;
  const patch: Partial<TrainConfig> = {};
  for (const key of Object.keys(recommended) as (keyof TrainConfig)[]) {
    if (recommended[key] !== config[key]) Object.assign(patch, { [key]: recommended[key] });
  }
  if (Object.keys(patch).length === 0) return null;
  const r = { ...config, ...patch };
  const schedule = r.schedule === 'constant' ? 'constant rate' : `${r.schedule} schedule`;
  return {
    patch,
    title: `Training settings for ${preset}: ${r.optimizer} at ${r.learningRate}, ${schedule}, batch ${r.batchSize}, ${r.epochs} epochs${r.augment ? ', augmented' : ''}`,
    why: engine.presets[preset]!.why,
  };
}
