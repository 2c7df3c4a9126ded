// The worker's pure parts, without the engine: the prediction helpers behind the galleries,
// the confusion matrix and the network view (web/src/worker/predictions.ts), and how parsed
// data is cross-checked and named (web/src/worker/parse-data.ts), against fakes whose answers
// are written out by hand. The real engine's side is in worker-session.test.ts.
import { describe, expect, it } from 'vitest';
import type { ScratchNetModule, WasmActivation, WasmDatasetInfo, WasmNetwork, WasmParameter } from '../../wasm/scratchnet';
import { parseData } from '../../web/src/worker/parse-data';
import { argmax, confusionCell, describePredictions, TestSplit, visualLayers, worstMistakes } from '../../web/src/worker/predictions';
import { trainingKey } from '../../web/src/worker/settings';

const f32 = (...v: number[]) => Float32Array.from(v);
const i32 = (...v: number[]) => Int32Array.from(v);

describe('argmax', () => {
  it('finds the largest in a window, the first of equals', () => {
    expect(argmax([1, 5, 3])).toBe(1);
    expect(argmax([7, 1, 2])).toBe(0);
    expect(argmax([1, 2, 9])).toBe(2);
    expect(argmax([4, 4, 1])).toBe(0);
    // The window [2, 5) of [9, 9, 0, 3, 1, 9]: its largest (3) is at 1 within it.
    expect(argmax([9, 9, 0, 3, 1, 9], 2, 3)).toBe(1);
    expect(argmax([9, 9, 0, 3, 8, 9], 2, 3)).toBe(2);
  });
});

// Three classes whose original labels are 3, 5, 8 (a class filter); four test images.
const labels = [3, 5, 8];
// prettier-ignore
const probs = f32(
  0.7, 0.2, 0.1, // image 0: class 0 (3)
  0.1, 0.3, 0.6, // image 1: class 2 (8)
  0.2, 0.5, 0.3, // image 2: class 1 (5)
  0.05, 0.9, 0.05, // image 3: class 1 (5)
);
const truth = i32(0, 1, 1, 0); // 3, 5, 5, 3: images 1 and 3 are wrong

describe('prediction helpers', () => {
  it('describePredictions gives original labels for the chosen images', () => {
    const idx = i32(3, 1);
    const batch = f32(0.05, 0.9, 0.05, 0.1, 0.3, 0.6);
    const d = describePredictions(idx, batch, truth, labels);
    expect(Array.from(d.predicted)).toEqual([5, 8]);
    expect(Array.from(d.labels)).toEqual([3, 5]);
    expect(d.indices).toBe(idx);
    expect(d.probabilities).toBe(batch);
  });

  it('worstMistakes lists the wrong ones, most confident first, at most k', () => {
    expect(worstMistakes(probs, truth, labels, 5)).toEqual([
      { index: 3, label: 3, predicted: 5, confidence: f32(0.9)[0] },
      { index: 1, label: 5, predicted: 8, confidence: f32(0.6)[0] },
    ]);
    expect(worstMistakes(probs, truth, labels, 1).map((m) => m.index)).toEqual([3]);
    expect(worstMistakes(probs, truth, labels, 0)).toEqual([]);
    expect(worstMistakes(probs, truth, labels, -1)).toEqual([]);
  });

  it('confusionCell finds the images of one true label predicted as another, up to a limit', () => {
    expect(Array.from(confusionCell(probs, truth, labels, 3, 3, 10))).toEqual([0]);
    expect(Array.from(confusionCell(probs, truth, labels, 3, 5, 10))).toEqual([3]);
    expect(Array.from(confusionCell(probs, truth, labels, 5, 5, 10))).toEqual([2]);
    expect(Array.from(confusionCell(probs, truth, labels, 5, 8, 10))).toEqual([1]);
    expect(Array.from(confusionCell(probs, truth, labels, 8, 8, 10))).toEqual([]);
    // Rows are true labels, columns predictions: (5 -> 3) is empty, (3 -> 5) is not.
    expect(Array.from(confusionCell(probs, truth, labels, 5, 3, 10))).toEqual([]);
    const many = f32(...Array.from({ length: 5 }, () => [0.9, 0.05, 0.05]).flat());
    expect(Array.from(confusionCell(many, i32(0, 0, 0, 0, 0), labels, 3, 3, 2))).toEqual([0, 1]);
    expect(Array.from(confusionCell(many, i32(0, 0, 0, 0, 0), labels, 3, 3, 0))).toEqual([]);
  });

  it("visualLayers attaches each conv/dense layer its own parameters and its segment's text", () => {
    const act = (segment: number, kind: string): WasmActivation => ({ segment, kind, shape: [1, 1, 2], values: f32(segment, 0) });
    const param = (segment: number, kind: string, name: 'weight' | 'bias'): WasmParameter => ({
      segment,
      kind,
      name,
      shape: [2],
      values: f32(segment),
    });
    const params = [param(1, 'conv', 'weight'), param(1, 'conv', 'bias'), param(3, 'dense', 'weight'), param(4, 'dense', 'weight')];
    const summary = [
      { segment: 1, text: 'conv 2 3x3 relu', kind: 'conv', shape: [1, 1, 2] as [number, number, number], params: 0 },
      { segment: 3, text: 'dense 2 softmax', kind: 'dense', shape: [1, 1, 2] as [number, number, number], params: 0 },
    ];
    const layers = visualLayers([act(1, 'conv'), act(1, 'relu'), act(2, 'maxpool'), act(3, 'dense')], params, summary as never);
    expect(layers.map((l) => [l.segment, l.kind, l.text])).toEqual([
      [1, 'conv', 'conv 2 3x3 relu'],
      [1, 'relu', 'conv 2 3x3 relu'],
      [2, 'maxpool', 'maxpool'],
      [3, 'dense', 'dense 2 softmax'],
    ]);
    expect(layers[0]!.parameters!.map((p) => p.name)).toEqual(['weight', 'bias']);
    expect(layers[0]!.activations).toEqual(f32(1, 0));
    expect(layers[0]!.shape).toEqual([1, 1, 2]);
    expect(layers[1]!.parameters).toBeUndefined();
    expect(layers[2]!.parameters).toBeUndefined();
    // Its own segment's only: the next dense layer's weights (segment 4) are not this one's.
    expect(layers[3]!.parameters).toEqual([{ name: 'weight', shape: [2], values: f32(3) }]);
  });

  it('TestSplit asks the engine once per data set and once per weights key', () => {
    const calls = { classes: 0, predict: [] as number[][] };
    const net = {
      testClasses: () => (calls.classes++, i32(1, 0, 1)),
      predictTest: (idx: Int32Array) => (calls.predict.push(Array.from(idx)), f32(...Array.from(idx, (i) => i))),
    } as unknown as WasmNetwork;
    const split = new TestSplit(net);
    expect(Array.from(split.truth())).toEqual([1, 0, 1]);
    const a = split.all(1);
    expect(Array.from(a.probs)).toEqual([0, 1, 2]);
    expect(split.all(1).probs).toBe(a.probs);
    expect(calls).toEqual({ classes: 1, predict: [[0, 1, 2]] });
    split.all(2); // new weights
    expect(calls.predict.length).toBe(2);
    split.weightsChanged();
    split.all(2);
    expect(calls.predict.length).toBe(3);
    expect(calls.classes).toBe(1);
    split.dataChanged();
    split.all(2);
    expect(calls).toMatchObject({ classes: 2 });
    expect(calls.predict.length).toBe(4);
  });
});

describe('settings', () => {
  it('trainingKey changes with what needs a new trainer, not with the learning rate', () => {
    const base = { description: 'mlp', optimizer: 'adam' as const, learningRate: 0.002, batchSize: 16, seed: 1 };
    const key = trainingKey(base);
    expect(trainingKey({ ...base, learningRate: 0.01 })).toBe(key);
    expect(trainingKey({ ...base, description: 'lenet' })).toBe(key);
    for (const change of [
      { optimizer: 'sgd' as const },
      { momentum: 0.9 },
      { weightDecay: 1e-4 },
      { beta1: 0.7 },
      { beta2: 0.9 },
      { labelSmoothing: 0.1 },
      { batchSize: 32 },
      { seed: 2 },
    ]) {
      expect(trainingKey({ ...base, ...change }), JSON.stringify(change)).not.toBe(key);
    }
    // Augmentation counts only when on.
    const aug = { enabled: true, maxShift: 2 } as never;
    expect(trainingKey({ ...base, augment: { ...(aug as object), enabled: false } as never })).toBe(key);
    expect(trainingKey({ ...base, augment: aug })).not.toBe(key);
    expect(trainingKey({ ...base, momentum: 0 })).not.toBe(key);
    // A schedule restarts the trainer (its rate depends on the step from the start).
    expect(trainingKey({ ...base, schedule: { kind: 'cosine', epochs: 5 } })).not.toBe(key);
    expect(trainingKey({ ...base, schedule: { kind: 'cosine', epochs: 6 } })).not.toBe(
      trainingKey({ ...base, schedule: { kind: 'cosine', epochs: 5 } }),
    );
  });
});

/** A fake engine whose Dataset.parse answers from `infos` in order (or throws a message). */
function fakeModule(answers: (WasmDatasetInfo | string)[]) {
  const deleted: number[] = [];
  let made = 0;
  class Dataset {
    readonly id = made++;
    parse(): WasmDatasetInfo {
      const a = answers[this.id]!;
      if (typeof a === 'string') throw new Error(a);
      return a;
    }
    delete() {
      deleted.push(this.id);
    }
  }
  return { module: { Dataset } as unknown as ScratchNetModule, deleted, made: () => made };
}

const bytes = {
  trainImages: new Uint8Array(1),
  trainLabels: new Uint8Array(1),
  testImages: new Uint8Array(1),
  testLabels: new Uint8Array(1),
};
const names = { trainImages: 'a-images.gz', trainLabels: 'a-labels.gz', testImages: 'b-images.gz', testLabels: 'b-labels.gz' };
const info = (count: number, classes: number, rows = 28, cols = 28): WasmDatasetInfo => ({ count, rows, cols, classes });

describe('parseData', () => {
  it('returns both splits with their counts and the larger class count', () => {
    const { module, deleted } = fakeModule([info(100, 7), info(20, 10)]);
    const p = parseData(module, bytes, names);
    expect({ ...p, train: undefined, test: undefined }).toEqual({
      train: undefined,
      test: undefined,
      rows: 28,
      cols: 28,
      trainCount: 100,
      testCount: 20,
      classes: 10,
    });
    expect([(p.train as unknown as { id: number }).id, (p.test as unknown as { id: number }).id]).toEqual([0, 1]);
    expect(deleted).toEqual([]);
    expect(parseData(fakeModule([info(1, 10), info(1, 3)]).module, bytes, names).classes).toBe(10);
  });

  it('names the refused file as the person knows it, and frees what it made', () => {
    let f = fakeModule(['images: expected 784 pixels per image']);
    expect(() => parseData(f.module, bytes, names)).toThrow(/^a-images\.gz: expected 784 pixels per image$/);
    expect(f.deleted).toEqual([0]);
    f = fakeModule([info(1, 10), 'labels file is empty']);
    expect(() => parseData(f.module, bytes, names)).toThrow(/^b-labels\.gz file is empty$/);
    expect(f.deleted).toEqual([1, 0]);
    f = fakeModule([info(1, 10), 'counts differ']);
    expect(() => parseData(f.module, bytes, names)).toThrow(/^test set: counts differ$/);
    f = fakeModule(['label 12 out of range']);
    expect(() => parseData(f.module, bytes, names)).toThrow(/^training set: label 12 out of range$/);
    // "images" only at the start and followed by ":" or " file" names a file.
    f = fakeModule(['imagesx: odd']);
    expect(() => parseData(f.module, bytes, names)).toThrow(/^training set: imagesx: odd$/);
    f = fakeModule(['too few images: 3']);
    expect(() => parseData(f.module, bytes, names)).toThrow(/^training set: too few images: 3$/);
  });

  it('refuses splits of different image sizes, naming both, and frees both', () => {
    const { module, deleted } = fakeModule([info(10, 10, 28, 28), info(10, 10, 28, 32)]);
    let error: Error | undefined;
    try {
      parseData(module, bytes, names);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe('FormatError');
    expect(error?.message).toBe('training images are 28x28 but test images are 28x32');
    expect(deleted.sort()).toEqual([0, 1]);
    expect(() => parseData(fakeModule([info(10, 10, 28, 28), info(10, 10, 20, 28)]).module, bytes, names)).toThrow(
      /28x28 but test images are 20x28/,
    );
  });
});
