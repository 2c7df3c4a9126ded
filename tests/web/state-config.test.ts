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

// Every rule of the link format at its boundaries, one parameter at a time, with the message a
// person sees.
describe('URL config, parameter by parameter', () => {
  const read = (search: string) => configFromSearch(search);
  const ok = (search: string) => {
    const r = read(search);
    expect(r.warnings, search).toEqual([]);
    return r.config;
  };
  const refused = (search: string, message: string) => {
    const r = read(search);
    expect(r.warnings, search).toEqual([message]);
    return r.config;
  };

  it('writes exactly the fields that differ, under their short names', () => {
    const one = (change: Partial<TrainConfig>) => configToSearch({ ...DEFAULT_CONFIG, ...change });
    expect(one({ data: 'fashion' })).toBe('?data=fashion');
    expect(one({ model: 'mlp' })).toBe('?model=mlp');
    expect(one({ classes: [0, 7] })).toBe('?classes=0%2C7');
    expect(one({ classes: [3, 1] })).toBe('?classes=3%2C1');
    expect(one({ optimizer: 'sgd' })).toBe('?opt=sgd');
    expect(one({ learningRate: 0.01 })).toBe('?lr=0.01');
    expect(one({ batchSize: 32 })).toBe('?batch=32');
    expect(one({ epochs: 3 })).toBe('?epochs=3');
    expect(one({ loss: 'bce' })).toBe('?loss=bce');
    expect(one({ seed: 9 })).toBe('?seed=9');
    expect(one({ threads: 1 })).toBe('?threads=1');
    expect(one({ augment: true })).toBe('?aug=1');
    // The folder address only with data=url, and only when there is one.
    expect(one({ dataUrl: 'https://a.test/' })).toBe('');
    expect(one({ data: 'url', dataUrl: '' })).toBe('?data=url');
    expect(one({ data: 'url', dataUrl: 'https://a.test/' })).toBe('?data=url&src=https%3A%2F%2Fa.test%2F');
  });

  it('reads each number at its limits and refuses just outside them', () => {
    expect(ok('?lr=0.000001').learningRate).toBe(1e-6);
    expect(ok('?lr=10').learningRate).toBe(10);
    expect(ok('?lr=0.5').learningRate).toBe(0.5);
    refused('?lr=0.0000009', 'Ignored lr=0.0000009: outside 0.000001..10');
    refused('?lr=10.5', 'Ignored lr=10.5: outside 0.000001..10');
    expect(ok('?batch=1').batchSize).toBe(1);
    expect(ok('?batch=4096').batchSize).toBe(4096);
    refused('?batch=4097', 'Ignored batch=4097: outside 1..4096');
    refused('?batch=12.5', 'Ignored batch=12.5: not a whole number');
    expect(ok('?epochs=1').epochs).toBe(1);
    expect(ok('?epochs=200').epochs).toBe(200);
    refused('?epochs=201', 'Ignored epochs=201: outside 1..200');
    refused('?epochs=0', 'Ignored epochs=0: outside 1..200');
    expect(ok('?seed=0').seed).toBe(0);
    expect(ok('?seed=2147483647').seed).toBe(2147483647);
    refused('?seed=2147483648', 'Ignored seed=2147483648: outside 0..2147483647');
    refused('?seed=-1', 'Ignored seed=-1: outside 0..2147483647');
    expect(ok('?threads=0').threads).toBe(0);
    expect(ok('?threads=64').threads).toBe(64);
    refused('?threads=65', 'Ignored threads=65: outside 0..64');
    refused('?threads=', 'Ignored threads=: not a number');
    refused('?threads=%20', 'Ignored threads= : not a number');
    refused('?seed=Infinity', 'Ignored seed=Infinity: not a number');
    // A refused number leaves the default.
    expect(refused('?batch=0', 'Ignored batch=0: outside 1..4096').batchSize).toBe(DEFAULT_CONFIG.batchSize);
  });

  it('reads names, choices, classes and the folder address, refusing with the reason', () => {
    expect(ok('?data=fashion').data).toBe('fashion');
    expect(ok('?data=My_set-2').data).toBe('My_set-2');
    expect(ok(`?data=a${'b'.repeat(39)}`).data).toHaveLength(40);
    refused(`?data=a${'b'.repeat(40)}`, `Ignored data=a${'b'.repeat(40)}: not a data set name`);
    refused('?data=-x', 'Ignored data=-x: not a data set name');
    refused('?data=x.y', 'Ignored data=x.y: not a data set name');
    refused('?data=x%20', 'Ignored data=x : not a data set name');
    expect(ok('?src=http://a.test/d/').dataUrl).toBe('http://a.test/d/');
    refused('?src=ftp://a.test/', 'Ignored src=ftp://a.test/: not an http(s) address');
    refused('?src=nonsense', 'Ignored src=nonsense: not an http(s) address');
    expect(ok('?model=%20mlp%20').model).toBe('mlp');
    expect(ok(`?model=${'x'.repeat(2000)}`).model).toHaveLength(2000);
    refused(`?model=${'x'.repeat(2001)}`, `Ignored model=${'x'.repeat(40)}: empty or too long`);
    refused('?model=%20', 'Ignored model= : empty or too long');
    expect(ok('?classes=3,8').classes).toEqual([3, 8]);
    expect(ok('?classes=255,0').classes).toEqual([255, 0]);
    const why = 'expected two different class numbers like 3,8';
    refused('?classes=256,1', `Ignored classes=256,1: ${why}`);
    refused('?classes=1,256', `Ignored classes=1,256: ${why}`);
    refused('?classes=4,4', `Ignored classes=4,4: ${why}`);
    refused('?classes=1,2,3', `Ignored classes=1,2,3: ${why}`);
    refused('?classes=x1,2', `Ignored classes=x1,2: ${why}`);
    expect(ok('?opt=adam&loss=xent').optimizer).toBe('adam');
    expect(ok('?opt=momentum').optimizer).toBe('momentum');
    refused('?opt=adamw', 'Ignored opt=adamw: expected one of sgd, momentum, adam');
    expect(ok('?loss=mse').loss).toBe('mse');
    refused('?loss=hinge', 'Ignored loss=hinge: expected one of auto, mse, bce, xent');
    expect(ok('?aug=true').augment).toBe(true);
    expect(ok('?aug=1').augment).toBe(true);
    expect(ok('?aug=false').augment).toBe(false);
    expect(ok('?aug=0').augment).toBe(false);
    refused('?aug=yes', 'Ignored aug=yes: expected 1 or 0');
  });

  it('does not let one link change the defaults of the next', () => {
    const c = ok('?classes=2,9');
    c.classes[0] = 5;
    expect(DEFAULT_CONFIG.classes).toEqual([0, 1]);
    expect(ok('').classes).toEqual([0, 1]);
  });

  it('checks each form field against its own limits', () => {
    expect(checkNumberField('learningRate', 0.5)).toBeNull();
    expect(checkNumberField('learningRate', 1e-6)).toBeNull();
    expect(checkNumberField('learningRate', 11)).toBe('Between 0.000001 and 10.');
    expect(checkNumberField('batchSize', 4096)).toBeNull();
    expect(checkNumberField('batchSize', 4097)).toBe('Between 1 and 4096.');
    expect(checkNumberField('epochs', 200)).toBeNull();
    expect(checkNumberField('epochs', 0)).toBe('Between 1 and 200.');
    expect(checkNumberField('seed', 0)).toBeNull();
    expect(checkNumberField('seed', 2.5)).toBe('Enter a whole number.');
    expect(checkNumberField('threads', 64)).toBeNull();
    expect(checkNumberField('threads', 65)).toBe('Between 0 and 64.');
    expect(checkNumberField('threads', Infinity)).toBe('Enter a number.');
  });
});
