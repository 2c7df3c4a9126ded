// Glue between the model picker and the engine's description language (core/description.h).
// The engine parses; this only edits the optional trailing "loss X" segment and recognises
// presets, so there is still one parser.
import type { LossChoice } from './config';

export interface PresetLike {
  name: string;
  description: string;
}

/** Normalises spacing and case for comparing descriptions ("Dense 10  softmax" = "dense 10 softmax"). */
export function normalizeDescription(text: string): string {
  return text
    .split('|')
    .map((s) => s.trim().replace(/\s+/g, ' ').toLowerCase())
    .filter((s) => s.length > 0)
    .join(' | ');
}

/** Removes a final "loss X" segment, if any. */
export function stripLoss(description: string): string {
  const segments = description.split('|');
  const last = segments[segments.length - 1]?.trim().toLowerCase() ?? '';
  if (segments.length > 1 && /^loss\s+\S+$/.test(last)) segments.pop();
  return segments.join('|').trim();
}

/** The description with the chosen loss: "auto" keeps what the text says. */
export function applyLoss(description: string, loss: LossChoice): string {
  if (loss === 'auto') return description.trim();
  return `${stripLoss(description)} | loss ${loss}`;
}

/** The preset whose name or description the text is, if any. */
export function matchPreset<P extends PresetLike>(text: string, presets: readonly P[]): P | undefined {
  const t = normalizeDescription(text);
  return presets.find((p) => p.name === t || normalizeDescription(p.description) === t);
}

/** The report's three models first (they reproduce shared/seed-report.md), then the rest. */
export const REPORT_PRESETS = ['mlp-mse', 'cnn-binary', 'cnn-full'];

export function orderPresets<P extends PresetLike>(presets: readonly P[]): P[] {
  const rank = (p: P) => {
    const i = REPORT_PRESETS.indexOf(p.name);
    return i >= 0 ? i : REPORT_PRESETS.length;
  };
  return [...presets].sort((a, b) => rank(a) - rank(b));
}
