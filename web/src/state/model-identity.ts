// A model's identity, as pure functions: when the settings describe the model in the engine,
// Train continues its weights; otherwise it builds fresh ones. Whether the optimizer restarts
// is the worker's trainingKey (worker/settings.ts), the one definition of that rule.
export { trainingKey } from '../worker/settings';

/** The model's identity: canonical description, the classes it tells apart, and the seed of its
 * initial weights. When the settings' identity differs, Train builds fresh weights. */
export function archKey(description: string, labels: readonly number[] | 'all', seed: number): string {
  return JSON.stringify([description, labels, seed]);
}

/** A model's labels as an archKey part: all classes of the data ("all") or the chosen ones. */
export function labelsPart(labels: readonly number[]): readonly number[] | 'all' {
  return labels.length > 2 && labels.every((l, i) => l === i) ? 'all' : labels;
}

export function isDivergence(err: unknown): boolean {
  return err instanceof Error && err.name === 'DivergenceError';
}
