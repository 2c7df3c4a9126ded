// The engine's one definition of training defaults, input ranges and each preset's recommended
// settings (core's defaults.h and preset_settings.cpp), as the bindings give them to the page.
import { describe, expect, it } from 'vitest';
import { isClothes } from '../../web/src/data/sources';
import { engineSettingsOf } from '../../web/src/worker/settings';
import { m, test, train, useDigits } from './wasm-digits';

useDigits('simd');

describe('engine settings', () => {
  it('defaults() and limits() are defaults.h, floats as their shortest decimal', () => {
    const d = m.Network.defaults();
    expect(d).toMatchObject({ model: 'lenet', optimizer: 'adam', learningRate: 0.002, batchSize: 16, epochs: 5, seed: 1 });
    expect(d.twoClasses).toEqual([0, 1]);
    expect(d.sgdLearningRate).toBe(0.05);
    const l = m.Network.limits();
    expect(l.batchSize).toEqual({ min: 1, max: 4096 });
    expect(l.seed).toEqual({ min: 0, max: 2 ** 31 - 1 });
    expect(l.learningRate.min).toBe(1e-6);
  });

  it('engineSettingsOf gives the page every preset with its settings, and the defaults and limits', () => {
    const e = engineSettingsOf(m.Network);
    expect(e.defaults).toEqual(m.Network.defaults());
    expect(e.limits).toEqual(m.Network.limits());
    const names = m.Network.presets().map((p) => p.name);
    expect(Object.keys(e.presets).sort()).toEqual([...names].sort());
    for (const name of names) expect(e.presets[name], name).toEqual(m.Network.presetSettings(name));
  });

  it('presetSettings(name) is the settings presets() carries; null for a description', () => {
    for (const p of m.Network.presets()) expect(m.Network.presetSettings(p.name), p.name).toEqual(p.settings);
    expect(m.Network.presetSettings(' LeNet ')).toEqual(m.Network.presetSettings('lenet'));
    expect(m.Network.presetSettings('dense 10 softmax')).toBeNull();
    const fast = m.Network.presetSettings('fast')!;
    expect(fast).toMatchObject({ optimizer: 'adam', learningRate: 0.01, beta1: 0.7, beta2: 0.9, epochs: 1 });
    expect(fast.schedule).toEqual({ kind: 'onecycle', epochs: 1, warmup: 0.25 });
  });

  it("augmentationFor(name) gives each data set distortions that keep its labels, as core's rule", () => {
    const digits = { enabled: true, maxShift: 2, maxScale: 0.1, maxRotateDeg: 10, mirror: false };
    for (const name of ['full-mnist', 'mnist', 'MNIST digits (bundled)', 'my digits', ''])
      expect(m.Network.augmentationFor(name), name).toEqual(digits);
    const clothes = { enabled: true, maxShift: 0, maxScale: 0, maxRotateDeg: 0, mirror: true };
    for (const name of ['fashion', 'Fashion-MNIST (60,000 / 10,000)']) expect(m.Network.augmentationFor(name), name).toEqual(clothes);
    // The page's rule for class names and its augmentation hint is the engine's rule.
    for (const name of [
      'fashion',
      'full-mnist',
      'mnist',
      'Fashion-MNIST (your files)',
      'Your IDX files',
      'EMNIST (your files)',
      'FASHION',
    ]) {
      expect(isClothes(name), name).toBe(m.Network.augmentationFor(name).mirror);
    }
    // The presets carry the digits' limits; the data set in use replaces them (worker/session.ts).
    expect(m.Network.presetSettings('cnn-deep')!.augment).toEqual(digits);
  });

  it("setTraining fills what it is not given with the engine's defaults", () => {
    const net = new m.Network();
    try {
      net.setData(train, test, []);
      net.build('dense 10 softmax', 1);
      const p = net.setTraining({} as never);
      expect(p.learningRate).toBe(Math.fround(0.002));
      expect(p.batchesPerEpoch).toBe(Math.ceil(train.info().count / 16));
      expect(net.setTraining({ optimizer: 'sgd' } as never).learningRate).toBe(Math.fround(0.05));
    } finally {
      net.delete();
    }
  });
});
