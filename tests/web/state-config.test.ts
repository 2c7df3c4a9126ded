import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONFIG,
  checkNumberField,
  configFromSearch,
  configToSearch,
  type TrainConfig,
} from '../../web/src/state/config';

describe('URL config', () => {
  it('writes nothing for the defaults', () => {
    expect(configToSearch({ ...DEFAULT_CONFIG })).toBe('');
    expect(configFromSearch('').config).toEqual(DEFAULT_CONFIG);
  });

  it('round-trips every field', () => {
    const c: TrainConfig = {
      data: 'url',
      dataUrl: 'https://example.org/mnist/',
      model: 'conv 8 5x5 relu | maxpool 2 | flatten | dense 10 softmax',
      classes: [1, 7],
      optimizer: 'momentum',
      learningRate: 0.05,
      schedule: 'onecycle',
      batchSize: 128,
      epochs: 12,
      loss: 'mse',
      seed: 42,
      threads: 2,
      augment: true,
    };
    const search = configToSearch(c);
    expect(search.startsWith('?')).toBe(true);
    const back = configFromSearch(search);
    expect(back.warnings).toEqual([]);
    expect(back.config).toEqual(c);
  });

  it('reads each schedule, and names an unknown one', () => {
    for (const kind of ['constant', 'step', 'cosine', 'onecycle'] as const) {
      expect(configFromSearch(`?sched=${kind}`).config.schedule).toBe(kind);
    }
    const bad = configFromSearch('?sched=linear');
    expect(bad.config.schedule).toBe(DEFAULT_CONFIG.schedule);
    expect(bad.warnings).toEqual(['Ignored sched=linear: expected one of constant, step, cosine, onecycle']);
  });

  it('keeps descriptions with | and spaces intact through a real URL', () => {
    const c = { ...DEFAULT_CONFIG, model: 'dense 128 relu | dense 10 softmax | loss xent' };
    const url = new URL(`https://x.test/${configToSearch(c)}`);
    expect(configFromSearch(url.search).config.model).toBe(c.model);
  });

  it('ignores bad values with a warning and keeps defaults', () => {
    const { config, warnings } = configFromSearch(
      '?lr=abc&batch=0&epochs=2.5&opt=rmsprop&classes=3,3&aug=maybe&src=javascript:alert(1)&seed=7',
    );
    expect(config.learningRate).toBe(DEFAULT_CONFIG.learningRate);
    expect(config.batchSize).toBe(DEFAULT_CONFIG.batchSize);
    expect(config.epochs).toBe(DEFAULT_CONFIG.epochs);
    expect(config.optimizer).toBe(DEFAULT_CONFIG.optimizer);
    expect(config.classes).toEqual(DEFAULT_CONFIG.classes);
    expect(config.augment).toBe(DEFAULT_CONFIG.augment);
    expect(config.dataUrl).toBe('');
    expect(config.seed).toBe(7);
    expect(warnings).toHaveLength(7);
    expect(warnings.join('\n')).toMatch(/lr=abc: not a number/);
  });

  it('checks form fields', () => {
    expect(checkNumberField('batchSize', 64)).toBeNull();
    expect(checkNumberField('batchSize', 0)).toMatch(/Between/);
    expect(checkNumberField('epochs', 1.5)).toMatch(/whole/);
    expect(checkNumberField('learningRate', NaN)).toMatch(/number/);
  });
});
