// Pure helpers over model outputs for the gallery, the confusion matrix and the network view:
// no engine calls beyond TestSplit's cache, so the Session stays about state.
import type { WasmActivation, WasmNetwork, WasmParameter } from '../../../wasm/scratchnet';
import type { BatchPrediction, LayerSummary, LayerVisual, Mistake, ParameterData } from './protocol';

/** Index of the largest of values[from .. from + count). */
export function argmax(values: ArrayLike<number>, from = 0, count = values.length): number {
  let best = 0;
  for (let i = 1; i < count; ++i) if (values[from + i] > values[from + best]) best = i;
  return best;
}

/** probs: n x classes; truth: true class per image; labels[class] = original label. */
export function describePredictions(idx: Int32Array, probabilities: Float32Array, truth: Int32Array, labels: number[]): BatchPrediction {
  const classes = labels.length || 1;
  const predicted = new Int32Array(idx.length);
  const trueLabels = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; ++i) {
    predicted[i] = labels[argmax(probabilities, i * classes, classes)];
    trueLabels[i] = labels[truth[idx[i]]];
  }
  return { indices: idx, probabilities, predicted, labels: trueLabels };
}

/** The k wrong predictions with the highest probability on the wrong class. */
export function worstMistakes(probs: Float32Array, truth: Int32Array, labels: number[], k: number): Mistake[] {
  const classes = labels.length || 1;
  const mistakes: Mistake[] = [];
  for (let i = 0; i < truth.length; ++i) {
    const p = argmax(probs, i * classes, classes);
    if (p !== truth[i]) {
      mistakes.push({ index: i, label: labels[truth[i]], predicted: labels[p], confidence: probs[i * classes + p] });
    }
  }
  mistakes.sort((a, b) => b.confidence - a.confidence);
  return mistakes.slice(0, Math.max(0, k));
}

/** Indices of images of original label `label` predicted as `predicted` (at most limit). */
export function confusionCell(
  probs: Float32Array,
  truth: Int32Array,
  labels: number[],
  label: number,
  predicted: number,
  limit: number,
): Int32Array {
  const classes = labels.length || 1;
  const t = labels.indexOf(label);
  const p = labels.indexOf(predicted);
  const out: number[] = [];
  for (let i = 0; i < truth.length && out.length < limit; ++i) {
    if (truth[i] === t && argmax(probs, i * classes, classes) === p) out.push(i);
  }
  return Int32Array.from(out);
}

/** Each layer's activations with its own weights and biases (conv/dense) attached. */
export function visualLayers(acts: WasmActivation[], params: WasmParameter[], summary: LayerSummary[]): LayerVisual[] {
  return acts.map((a) => {
    const own = params.filter((p) => p.segment === a.segment && p.kind === a.kind);
    const layer: LayerVisual = {
      segment: a.segment,
      kind: a.kind,
      text: summary.find((l) => l.segment === a.segment)?.text ?? a.kind,
      shape: a.shape,
      activations: a.values,
    };
    if (own.length > 0) {
      layer.parameters = own.map((p): ParameterData => ({ name: p.name, shape: p.shape, values: p.values }));
    }
    return layer;
  });
}

/** The (class-filtered) test split's true classes, and the model's predictions for all of it,
 * computed once per weights (`key`) for the galleries and the confusion matrix. */
export class TestSplit {
  private classes: Int32Array | null = null;
  private cached: { key: number; probs: Float32Array } | null = null;

  constructor(private readonly net: WasmNetwork) {}

  /** Other data or another class filter. */
  dataChanged(): void {
    this.classes = null;
    this.cached = null;
  }

  weightsChanged(): void {
    this.cached = null;
  }

  truth(): Int32Array {
    if (!this.classes) this.classes = this.net.testClasses();
    return this.classes;
  }

  all(key: number): { probs: Float32Array; truth: Int32Array } {
    const truth = this.truth();
    if (!this.cached || this.cached.key !== key) {
      const every = new Int32Array(truth.length);
      for (let i = 0; i < every.length; ++i) every[i] = i;
      this.cached = { key, probs: this.net.predictTest(every) };
    }
    return { probs: this.cached.probs, truth };
  }
}
