// Save -> load of a trained model in the wasm module: every tensor (biases included, which a
// fresh model has at 0) comes back bit for bit, so test-set predictions, the loss and the
// confusion matrix are bit-identical too.
import { describe, expect, it } from 'vitest';
import type { WasmNetwork } from '../../wasm/scratchnet';
import { m, test, train, useDigits } from './wasm-digits';

useDigits('simd');

const bits = (values: Float32Array): number[] => Array.from(new Uint32Array(values.buffer.slice(0)));

describe('trained model round trip (wasm)', () => {
  for (const [model, classes] of [
    ['lenet', []],
    ['cnn-binary', [3, 8]],
  ] as const) {
    it(`${model}: every tensor, prediction and the loss are bit-identical after save -> load`, () => {
      const fresh = new m.Network();
      const net = new m.Network();
      const loaded = new m.Network();
      const nets: WasmNetwork[] = [fresh, net, loaded];
      try {
        for (const n of nets) n.setData(train, test, [...classes]);
        fresh.build(model, 7);
        net.build(model, 7);
        net.setTraining({ optimizer: 'adam', learningRate: 0.002, batchSize: 32, seed: 3 });
        net.trainSteps(40);
        const initial = fresh.parameters();
        const trained = net.parameters();
        // Trained: every tensor, biases included, has moved from its initial values.
        trained.forEach((p, i) => expect(bits(p.values), `${p.kind} ${p.name} ${i}`).not.toEqual(bits(initial[i].values)));

        const bytes = net.save();
        const info = loaded.load(bytes);
        expect(info.summary.description).toBe(net.summary().description);
        expect(info.classLabels).toEqual(classes.length ? [...classes] : [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        const back = loaded.parameters();
        expect(back.length).toBe(trained.length);
        back.forEach((p, i) => {
          expect(p.name).toBe(trained[i].name);
          expect(bits(p.values), `${p.kind} ${p.name} ${i}`).toEqual(bits(trained[i].values));
        });

        const indices = Int32Array.from({ length: Math.min(200, test.info().count) }, (_, i) => i);
        expect(bits(loaded.predictTest(indices))).toEqual(bits(net.predictTest(indices)));
        const a = net.evaluate(false);
        const b = loaded.evaluate(false);
        expect(Object.is(b.loss, a.loss)).toBe(true);
        expect(b.accuracy).toBe(a.accuracy);
        expect(Array.from(b.confusion)).toEqual(Array.from(a.confusion));
        expect(Array.from(loaded.save())).toEqual(Array.from(bytes));
      } finally {
        for (const n of nets) n.delete();
      }
    });
  }
});
