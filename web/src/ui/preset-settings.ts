// Training settings each preset is trained with by default. A description says what the
// network is, not how to train it; until the engine's presets carry their recommended settings
// (the learning issue), this one table holds them and the page applies them whenever a preset
// is picked and when a link names a preset without saying how to train it.
import type { OptimizerName, TrainConfig } from '../state/config';

export interface PresetSettings {
  optimizer: OptimizerName;
  learningRate: number;
  /** One line for a person: why these. */
  why: string;
}

const ADAM = { optimizer: 'adam', learningRate: 0.002, why: 'Adam 0.002 is a safe start for it.' } as const;

/** Measured in the page on the bundled digits (1 epoch): see each line. */
export const PRESET_SETTINGS: Readonly<Record<string, PresetSettings>> = {
  'mlp-mse': { ...ADAM },
  // All-sigmoid: under Adam 0.002 its layers saturate and 3 vs 8 stays at chance (~52%);
  // SGD with momentum 0.05 learns 0 vs 1 to ~99% in one epoch.
  'cnn-binary': {
    optimizer: 'momentum',
    learningRate: 0.05,
    why: 'Its sigmoid layers saturate under Adam and it stays at chance; SGD with momentum 0.05 learns it in one epoch.',
  },
  'cnn-full': { ...ADAM },
  mlp: { ...ADAM },
  lenet: { ...ADAM },
  'cnn-deep': { optimizer: 'adam', learningRate: 0.001, why: 'A deeper network: Adam 0.001 keeps its first epochs stable.' },
};

/** The settings to apply for `preset` (null when unknown or already in place). */
export function presetPatch(preset: string | undefined, config: TrainConfig): Partial<TrainConfig> | null {
  const s = preset ? PRESET_SETTINGS[preset] : undefined;
  if (!s || (config.optimizer === s.optimizer && config.learningRate === s.learningRate)) return null;
  return { optimizer: s.optimizer, learningRate: s.learningRate };
}

/** On load: the preset's settings for what the link leaves out (opt, lr). */
export function presetPatchOnLoad(search: string, config: TrainConfig): Partial<TrainConfig> | null {
  const p = new URLSearchParams(search);
  const s = PRESET_SETTINGS[config.model];
  if (!s) return null;
  const patch: Partial<TrainConfig> = {};
  if (!p.has('opt') && config.optimizer !== s.optimizer) patch.optimizer = s.optimizer;
  if (!p.has('lr') && config.learningRate !== s.learningRate) patch.learningRate = s.learningRate;
  return Object.keys(patch).length ? patch : null;
}
