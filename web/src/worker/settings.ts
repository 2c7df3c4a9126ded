// What the engine says about training (its defaults, limits and preset settings, which the page
// reads once through the worker's engineSettings), and the rule the page and the worker share
// for when the engine's trainer must be made again.
import type { ScratchNetModule } from '../../../wasm/scratchnet';
import type { ModelConfig } from './protocol';

/** The engine's one definition of the training defaults, the input limits and each preset's
 * recommended settings (by name), as the page's EngineSettings (state/config.ts). */
export function engineSettingsOf(net: ScratchNetModule['Network']) {
  const presets = Object.fromEntries(net.presets().flatMap((p) => (p.settings ? [[p.name, p.settings] as const] : [])));
  return { defaults: net.defaults(), limits: net.limits(), presets };
}

/** The settings that need a new trainer (and so fresh optimizer state) when they change; the
 * learning rate changes in place. */
export function trainingKey(c: Partial<ModelConfig>): string {
  return JSON.stringify([
    c.optimizer,
    c.momentum ?? null,
    c.weightDecay ?? null,
    c.beta1 ?? null,
    c.beta2 ?? null,
    c.labelSmoothing ?? null,
    c.batchSize,
    c.seed,
    c.augment?.enabled ? c.augment : false,
    c.schedule ?? null,
  ]);
}
