// The page's configuration and its link format, over the engine's own defaults, limits and
// preset settings (read from the real wasm module, as the worker reads them).
import { describe, expect, it } from 'vitest';
import {
  checkNumberField,
  configFromSearch,
  dataFromSearch,
  isHttpUrl,
  configToSearch,
  defaultConfig,
  modelBaseline,
  type TrainConfig,
} from '../../web/src/state/config';
import { presetPatch } from '../../web/src/ui/preset-settings';
import { engineSettings, recommendedFields } from './engine-settings';

const engine = await engineSettings();
const presetNames = Object.keys(engine.presets);

describe('URL config', () => {
  it("starts from the engine's defaults and its default model's recommended settings; writes nothing for them", () => {
    const d = engine.defaults;
    expect(defaultConfig(engine)).toMatchObject({
      model: d.model,
      optimizer: d.optimizer,
      learningRate: d.learningRate,
      batchSize: d.batchSize,
      epochs: d.epochs,
      seed: d.seed,
      threads: d.threads,
      augment: d.augment,
      classes: d.twoClasses,
    });
    const lenet = engine.presets[d.model]!;
    const start = configFromSearch('', engine).config;
    expect(start).toMatchObject({
      model: d.model,
      optimizer: lenet.optimizer,
      learningRate: lenet.learningRate,
      schedule: lenet.schedule.kind,
      batchSize: lenet.batchSize,
      epochs: lenet.epochs,
      augment: lenet.augment.enabled,
    });
    expect(configToSearch(start, engine)).toBe('');
  });

  it("reads a preset's recommended settings for what the link leaves out, and the link's own values over them", () => {
    expect(presetNames.length).toBeGreaterThanOrEqual(7);
    for (const name of presetNames) {
      const s = engine.presets[name]!;
      const { config, warnings } = configFromSearch(`?model=${name}`, engine);
      expect(warnings).toEqual([]);
      expect(config, name).toMatchObject({ model: name, ...recommendedFields(s) });
      expect(configToSearch(config, engine), name).toBe(name === engine.defaults.model ? '' : `?model=${name}`);
    }
    const own = configFromSearch('?model=cnn-binary&opt=adam&lr=0.002&batch=16&sched=cosine&epochs=2&aug=1', engine).config;
    expect(own).toMatchObject({ optimizer: 'adam', learningRate: 0.002, batchSize: 16, schedule: 'cosine', epochs: 2, augment: true });
    // A description trains with the engine's defaults.
    const desc = configFromSearch('?model=dense%2010%20softmax', engine).config;
    expect(desc).toMatchObject({
      optimizer: engine.defaults.optimizer,
      learningRate: engine.defaults.learningRate,
      schedule: 'constant',
      batchSize: engine.defaults.batchSize,
    });
  });

  it('round-trips every field, for a description and for a preset with its settings changed', () => {
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
    for (const config of [c, { ...c, model: 'lenet' }, { ...modelBaseline('cnn-deep', engine), learningRate: 0.002, augment: false }]) {
      const search = configToSearch(config, engine);
      expect(search.startsWith('?')).toBe(true);
      const back = configFromSearch(search, engine);
      expect(back.warnings).toEqual([]);
      expect(back.config).toEqual(config);
    }
  });

  it('reads each schedule, and names an unknown one', () => {
    for (const kind of ['constant', 'step', 'cosine', 'onecycle'] as const) {
      expect(configFromSearch(`?sched=${kind}`, engine).config.schedule).toBe(kind);
    }
    const bad = configFromSearch('?model=mlp-mse&sched=linear', engine);
    expect(bad.config.schedule).toBe(engine.presets['mlp-mse']!.schedule.kind);
    expect(bad.warnings).toEqual(['Ignored sched=linear: expected one of constant, step, cosine, onecycle']);
  });

  it('keeps descriptions with | and spaces intact through a real URL', () => {
    const c = { ...defaultConfig(engine), model: 'dense 128 relu | dense 10 softmax | loss xent' };
    const url = new URL(`https://x.test/${configToSearch(c, engine)}`);
    expect(configFromSearch(url.search, engine).config.model).toBe(c.model);
  });

  it("ignores bad values and values outside the engine's limits with a warning, keeping the model's settings", () => {
    const base = modelBaseline('mlp', engine);
    const l = engine.limits;
    const { config, warnings } = configFromSearch(
      `?model=mlp&lr=abc&batch=${l.batchSize.max + 1}&epochs=2.5&opt=rmsprop&classes=3,3&aug=maybe&src=javascript:alert(1)&seed=7`,
      engine,
    );
    expect(config.learningRate).toBe(base.learningRate);
    expect(config.batchSize).toBe(base.batchSize);
    expect(config.epochs).toBe(base.epochs);
    expect(config.optimizer).toBe(base.optimizer);
    expect(config.classes).toEqual(base.classes);
    expect(config.augment).toBe(base.augment);
    expect(config.dataUrl).toBe('');
    expect(config.seed).toBe(7);
    expect(warnings).toHaveLength(7);
    expect(warnings.join('\n')).toMatch(/lr=abc: not a number/);
    expect(warnings.join('\n')).toContain(`batch=${l.batchSize.max + 1}: outside ${l.batchSize.min}..${l.batchSize.max}`);
    expect(configFromSearch(`?batch=${l.batchSize.max}&lr=${l.learningRate.min}`, engine).config).toMatchObject({
      batchSize: l.batchSize.max,
      learningRate: l.learningRate.min,
    });
  });

  it("checks form fields against the engine's limits", () => {
    const l = engine.limits;
    expect(checkNumberField('batchSize', 64, l)).toBeNull();
    expect(checkNumberField('batchSize', l.batchSize.max, l)).toBeNull();
    expect(checkNumberField('batchSize', l.batchSize.max + 1, l)).toMatch(/Between/);
    expect(checkNumberField('batchSize', 0, l)).toMatch(/Between/);
    expect(checkNumberField('epochs', 1.5, l)).toMatch(/whole/);
    expect(checkNumberField('learningRate', NaN, l)).toMatch(/number/);
    expect(checkNumberField('learningRate', l.learningRate.max * 2, l)).toMatch(/Between/);
  });
});

describe('preset patch', () => {
  it("applies every shown setting of the picked preset, whatever the last preset's were", () => {
    for (const from of presetNames) {
      for (const to of presetNames) {
        const config = { ...modelBaseline(from, engine), model: to };
        const change = presetPatch(to, config, engine);
        const s = engine.presets[to]!;
        const after = { ...config, ...change?.patch };
        expect(after, `${from} then ${to}`).toEqual(modelBaseline(to, engine));
        expect(after).toMatchObject(recommendedFields(s));
        if (change) {
          expect(Object.keys(change.patch).length).toBeGreaterThan(0);
          expect(change.why).toBe(s.why);
          expect(change.title).toContain(`${s.optimizer} at ${s.learningRate}`);
        } else {
          expect(
            from === to || JSON.stringify(modelBaseline(from, engine)) === JSON.stringify({ ...modelBaseline(to, engine), model: from }),
          ).toBe(true);
        }
      }
    }
  });

  it('changes nothing for a description or an unknown name, and only what differs', () => {
    const c = defaultConfig(engine);
    expect(presetPatch(undefined, c, engine)).toBeNull();
    expect(presetPatch('dense 10 softmax', c, engine)).toBeNull();
    expect(presetPatch('toString', c, engine)).toBeNull();
    const lenet = engine.presets.lenet!;
    const change = presetPatch('lenet', { ...modelBaseline('lenet', engine), epochs: 1 }, engine);
    expect(change?.patch).toEqual({ epochs: lenet.epochs });
  });
});

// Every rule of the link format at its boundaries, one parameter at a time, with the message a
// person sees.
describe('URL config, parameter by parameter', () => {
  const read = (search: string) => configFromSearch(search, engine);
  /** The page with nothing in its link: the default model with its recommended settings (read
   * in each test: a throw while Vitest collects the file would not fail any test). */
  const start = () => configFromSearch('', engine).config;
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
    const one = (change: Partial<TrainConfig>) => configToSearch({ ...start(), ...change }, engine);
    expect(one({ data: 'fashion' })).toBe('?data=fashion');
    expect(configToSearch(modelBaseline('mlp', engine), engine)).toBe('?model=mlp');
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

  /** Each link reads as the fields given (and no warning); each refusal warns exactly so. */
  const expectReads = (accepted: [string, Partial<TrainConfig>][], refusals: [string, string][]) => {
    for (const [search, fields] of accepted) expect(ok(search), search).toMatchObject(fields);
    for (const [search, message] of refusals) refused(search, message);
  };

  it('reads each number at its limits and refuses just outside them', () => {
    expectReads(
      [
        ['?lr=0.000001', { learningRate: 1e-6 }],
        ['?lr=10', { learningRate: 10 }],
        ['?lr=0.5', { learningRate: 0.5 }],
        ['?batch=1', { batchSize: 1 }],
        ['?batch=4096', { batchSize: 4096 }],
        ['?epochs=1', { epochs: 1 }],
        ['?epochs=200', { epochs: 200 }],
        ['?seed=0', { seed: 0 }],
        ['?seed=2147483647', { seed: 2147483647 }],
        ['?threads=0', { threads: 0 }],
        ['?threads=64', { threads: 64 }],
      ],
      [
        ['?lr=0.0000009', 'Ignored lr=0.0000009: outside 0.000001..10'],
        ['?lr=10.5', 'Ignored lr=10.5: outside 0.000001..10'],
        ['?batch=4097', 'Ignored batch=4097: outside 1..4096'],
        ['?batch=12.5', 'Ignored batch=12.5: not a whole number'],
        ['?epochs=201', 'Ignored epochs=201: outside 1..200'],
        ['?epochs=0', 'Ignored epochs=0: outside 1..200'],
        ['?seed=2147483648', 'Ignored seed=2147483648: outside 0..2147483647'],
        ['?seed=-1', 'Ignored seed=-1: outside 0..2147483647'],
        ['?threads=65', 'Ignored threads=65: outside 0..64'],
        ['?threads=', 'Ignored threads=: not a number'],
        ['?threads=%20', 'Ignored threads= : not a number'],
        ['?seed=Infinity', 'Ignored seed=Infinity: not a number'],
      ],
    );
    // A refused number leaves the default.
    expect(refused('?batch=0', 'Ignored batch=0: outside 1..4096').batchSize).toBe(start().batchSize);
  });

  it('reads names, choices, classes and the folder address, refusing with the reason', () => {
    const why = 'expected two different class numbers like 3,8';
    expectReads(
      [
        ['?data=fashion', { data: 'fashion' }],
        ['?data=My_set-2', { data: 'My_set-2' }],
        [`?data=a${'b'.repeat(39)}`, { data: `a${'b'.repeat(39)}` }],
        ['?src=http://a.test/d/', { dataUrl: 'http://a.test/d/' }],
        ['?model=%20mlp%20', { model: 'mlp' }],
        [`?model=${'x'.repeat(2000)}`, { model: 'x'.repeat(2000) }],
        ['?classes=3,8', { classes: [3, 8] }],
        ['?classes=255,0', { classes: [255, 0] }],
        ['?classes=3,12', { classes: [3, 12] }],
        ['?classes=0,255', { classes: [0, 255] }],
        ['?opt=adam&loss=xent', { optimizer: 'adam' }],
        ['?opt=momentum', { optimizer: 'momentum' }],
        ['?loss=mse', { loss: 'mse' }],
        ['?aug=true', { augment: true }],
        ['?aug=1', { augment: true }],
        ['?aug=false', { augment: false }],
        ['?aug=0', { augment: false }],
      ],
      [
        [`?data=a${'b'.repeat(40)}`, `Ignored data=a${'b'.repeat(40)}: not a data set name`],
        ['?data=-x', 'Ignored data=-x: not a data set name'],
        ['?data=x.y', 'Ignored data=x.y: not a data set name'],
        ['?data=x%20', 'Ignored data=x : not a data set name'],
        ['?src=ftp://a.test/', 'Ignored src=ftp://a.test/: not an http(s) address'],
        ['?src=nonsense', 'Ignored src=nonsense: not an http(s) address'],
        [`?model=${'x'.repeat(2001)}`, `Ignored model=${'x'.repeat(40)}: empty or too long`],
        ['?model=%20', 'Ignored model= : empty or too long'],
        ['?classes=256,1', `Ignored classes=256,1: ${why}`],
        ['?classes=1,256', `Ignored classes=1,256: ${why}`],
        ['?classes=4,4', `Ignored classes=4,4: ${why}`],
        ['?classes=1,2,3', `Ignored classes=1,2,3: ${why}`],
        ['?classes=x1,2', `Ignored classes=x1,2: ${why}`],
        ['?seed=1.5', 'Ignored seed=1.5: not a whole number'],
        ['?threads=1.5', 'Ignored threads=1.5: not a whole number'],
        ['?opt=adamw', 'Ignored opt=adamw: expected one of sgd, momentum, adam'],
        ['?loss=hinge', 'Ignored loss=hinge: expected one of auto, mse, bce, xent'],
        ['?aug=yes', 'Ignored aug=yes: expected 1 or 0'],
      ],
    );
  });

  it("opens the index's default data set when the link names none", () => {
    expect(dataFromSearch('')).toEqual({ data: 'default', dataUrl: '' });
    expect(isHttpUrl('not an address')).toBe(false);
  });

  it("shows a preset's AdamW as Adam (the page offers sgd, momentum and adam)", () => {
    const withAdamW = { ...engine, presets: { ...engine.presets, mlp: { ...engine.presets.mlp!, optimizer: 'adamw' } } };
    expect(modelBaseline('mlp', withAdamW).optimizer).toBe('adam');
  });

  it('does not let one link change the defaults of the next', () => {
    const c = ok('?classes=2,9');
    c.classes[0] = 5;
    expect(engine.defaults.twoClasses).toEqual([0, 1]);
    expect(start().classes).toEqual([0, 1]);
    expect(ok('').classes).toEqual([0, 1]);
  });

  it('checks each form field against its own limits', () => {
    expect(checkNumberField('learningRate', 0.5, engine.limits)).toBeNull();
    expect(checkNumberField('learningRate', 1e-6, engine.limits)).toBeNull();
    expect(checkNumberField('learningRate', 11, engine.limits)).toBe('Between 0.000001 and 10.');
    expect(checkNumberField('batchSize', 4096, engine.limits)).toBeNull();
    expect(checkNumberField('batchSize', 4097, engine.limits)).toBe('Between 1 and 4096.');
    expect(checkNumberField('epochs', 200, engine.limits)).toBeNull();
    expect(checkNumberField('epochs', 0, engine.limits)).toBe('Between 1 and 200.');
    expect(checkNumberField('seed', 0, engine.limits)).toBeNull();
    expect(checkNumberField('seed', 2.5, engine.limits)).toBe('Enter a whole number.');
    expect(checkNumberField('threads', 64, engine.limits)).toBeNull();
    expect(checkNumberField('threads', 65, engine.limits)).toBe('Between 0 and 64.');
    expect(checkNumberField('threads', Infinity, engine.limits)).toBe('Enter a number.');
  });
});
