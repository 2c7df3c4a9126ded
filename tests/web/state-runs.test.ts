import { describe, expect, it, vi } from 'vitest';
import { engineDefaultConfig } from './engine-settings';
import {
  MemoryRunStore,
  csvField,
  defaultRunName,
  describeRates,
  downsample,
  newRunId,
  renameRun,
  runChain,
  runsToCsv,
  runsToJson,
  type RunRecord,
} from '../../web/src/state/runs';

/** The engine's defaults, as the page starts with them. */
const DEFAULT_CONFIG = await engineDefaultConfig();

function run(id: string, startedAt: number, over: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    name: `run ${id}`,
    startedAt,
    status: 'finished',
    dataLabel: 'MNIST digits (bundled)',
    description: 'dense 10 softmax',
    preset: null,
    config: { ...DEFAULT_CONFIG, classes: [3, 8] },
    params: 7850,
    lossCurve: [{ step: 1, loss: 2.3 }],
    epochs: [{ epoch: 1, trainLoss: 0.5, testLoss: 0.4, testAccuracy: 0.9 }],
    finalTrainLoss: 0.5,
    finalTestLoss: 0.4,
    finalTestAccuracy: 0.9,
    trainingMs: 1234,
    samplesPerSecond: 5000,
    variant: 'single',
    threads: 1,
    ...over,
  };
}

describe('run store', () => {
  it('stores, lists newest first, renames and deletes', async () => {
    const store = new MemoryRunStore();
    await store.put(run('a', 1));
    await store.put(run('b', 2));
    expect((await store.list()).map((r) => r.id)).toEqual(['b', 'a']);
    const renamed = await renameRun(store, 'a', '  baseline  ');
    expect(renamed.name).toBe('baseline');
    expect((await store.get('a'))?.name).toBe('baseline');
    await store.delete('b');
    expect((await store.list()).map((r) => r.id)).toEqual(['a']);
  });

  it('returns copies, so callers cannot change stored runs by accident', async () => {
    const store = new MemoryRunStore();
    const r = run('a', 1);
    await store.put(r);
    r.name = 'changed';
    const got = await store.get('a');
    expect(got?.name).toBe('run a');
    got!.name = 'again';
    expect((await store.get('a'))?.name).toBe('run a');
  });

  it('refuses empty names and unknown runs', async () => {
    const store = new MemoryRunStore();
    await store.put(run('a', 1));
    await expect(renameRun(store, 'a', '   ')).rejects.toThrow(/needs a name/);
    await expect(renameRun(store, 'zzz', 'x')).rejects.toThrow(/no longer exists/);
  });

  it("follows a model's runs back through their continuations, oldest first", async () => {
    const store = new MemoryRunStore();
    await store.put(run('a', 0));
    await store.put(run('b', 1, { continues: { runId: 'a', from: 'run a', epoch: 1, step: 10 } }));
    await store.put(run('c', 2, { continues: { runId: 'b', from: 'run b', epoch: 2, step: 20 } }));
    await store.put(run('d', 3, { continues: { runId: null, from: 'model.snmodel', epoch: 0, step: 0 } }));
    expect((await runChain(store, 'c')).map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect((await runChain(store, 'd')).map((r) => r.id)).toEqual(['d']);
    expect(await runChain(store, 'gone')).toEqual([]);
    expect(await runChain(store, undefined)).toEqual([]);
    await store.put(run('a', 0, { continues: { runId: 'c', from: 'run c', epoch: 3, step: 30 } })); // a loop
    expect((await runChain(store, 'c')).map((r) => r.id)).toEqual(['a', 'b', 'c']);
    // At most `max` runs: the newest ones.
    expect((await runChain(store, 'c', 2)).map((r) => r.id)).toEqual(['b', 'c']);
  });

  it('makes distinct ids, with six hex digits of chance', () => {
    expect(newRunId(1)).not.toBe(newRunId(1));
    const random = vi.spyOn(Math, 'random').mockReturnValue(0);
    expect(newRunId(36)).toBe('run-10-000000');
    random.mockRestore();
  });

  it('says which rates a run trained with, and from which step', () => {
    const config = { ...DEFAULT_CONFIG, learningRate: 0.002 };
    expect(describeRates({ config })).toBe('0.002');
    expect(
      describeRates({
        config,
        changes: [
          { step: 300, learningRate: 0.0005 },
          { step: 900, learningRate: 0.001 },
        ],
      }),
    ).toBe('0.002, 0.0005 from step 300, 0.001 from step 900');
  });
});

describe('downsample', () => {
  it('keeps short curves as they are', () => {
    expect(downsample([1, 2, 3], [3, 2, 1], 10)).toEqual([
      { step: 1, loss: 3 },
      { step: 2, loss: 2 },
      { step: 3, loss: 1 },
    ]);
  });

  it('averages buckets of long curves', () => {
    const steps = Array.from({ length: 1000 }, (_, i) => i + 1);
    const values = steps.map((s) => (s % 2 ? 1 : 3));
    const d = downsample(steps, values, 100);
    expect(d).toHaveLength(100);
    for (const p of d) expect(p.loss).toBeCloseTo(2);
    expect(d[d.length - 1]!.step).toBe(1000);
  });

  it('skips NaN values', () => {
    const d = downsample([1, 2, 3, 4], [1, NaN, 3, NaN], 2);
    expect(d).toEqual([
      { step: 2, loss: 1 },
      { step: 4, loss: 3 },
    ]);
  });
});

describe('export', () => {
  it('quotes CSV fields that need it and defuses formulas only in text cells', () => {
    const cells: [string | number | null, string][] = [
      ['plain', 'plain'],
      ['a,b', '"a,b"'],
      ['say "hi"', '"say ""hi"""'],
      ['=SUM(A1)', "'=SUM(A1)"],
      ['+1', "'+1"],
      ['a=b', 'a=b'],
      [-1, '-1'],
      [-3, '-3'],
      [null, ''],
    ];
    for (const [value, cell] of cells) expect(csvField(value), String(value)).toBe(cell);
  });

  it('writes one header and one line per run', () => {
    const csv = runsToCsv([run('a', 0, { description: 'conv 8 5x5 relu | dense 10 softmax' })]);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^name,started,status,data,description,/);
    expect(lines[1]).toContain('conv 8 5x5 relu | dense 10 softmax');
    expect(lines[1]).toContain('1970-01-01T00:00:00.000Z');
  });

  it('writes JSON that reads back', () => {
    const runs = [run('a', 0)];
    const back = JSON.parse(runsToJson(runs));
    expect(back.format).toBe('scratchnet-runs');
    expect(back.runs).toEqual(runs);
  });
});

describe('run export and names, field by field', () => {
  it('writes every CSV column under its header, in order', () => {
    const r = run('a', Date.UTC(2026, 0, 2, 3, 4, 5), {
      name: 'lenet, try 2',
      preset: 'lenet',
      config: { ...DEFAULT_CONFIG, optimizer: 'momentum', learningRate: 0.05, batchSize: 32, epochs: 3, seed: 7, augment: true },
      changes: [
        { step: 300, learningRate: 0.01 },
        { step: 500, learningRate: 0.005 },
      ],
      trainingMs: 12_345.6789,
      samplesPerSecond: 4321.6,
      continues: { runId: null, from: 'model.snmodel', epoch: 5, step: 100 },
      variant: 'threads',
      threads: 2,
    } as Partial<RunRecord>);
    const [header, line, end] = runsToCsv([r]).split('\r\n');
    expect(header).toBe(
      'name,started,status,data,description,optimizer,learning_rate,learning_rate_changes,batch_size,epochs_planned,epochs_done,seed,augment,params,final_train_loss,final_test_loss,test_accuracy,training_seconds,samples_per_second,variant,threads,continues,continues_from_epoch',
    );
    expect(line).toBe(
      '"lenet, try 2",2026-01-02T03:04:05.000Z,finished,MNIST digits (bundled),dense 10 softmax,momentum,0.05,0.01 from step 300; 0.005 from step 500,32,3,1,7,1,7850,0.5,0.4,0.9,12.346,4322,threads,2,model.snmodel,5',
    );
    expect(end).toBe('');
    // Without changes, augmentation or a continuation those cells are empty or 0.
    const plain = runsToCsv([run('b', 0)])
      .split('\r\n')[1]!
      .split(',');
    expect([plain[7], plain[12], plain[21], plain[22]]).toEqual(['', '0', '', '']);
  });

  it('names a run by its model, epochs, optimizer and rates', () => {
    const c = { ...DEFAULT_CONFIG, epochs: 3, optimizer: 'adam' as const, learningRate: 0.001 };
    expect(defaultRunName('lenet', c)).toBe('lenet · 3 ep · adam 0.001');
    expect(defaultRunName(null, c)).toBe('custom · 3 ep · adam 0.001');
    expect(defaultRunName('mlp', c, 5)).toBe('mlp · +3 ep from 5 · adam 0.001');
    expect(defaultRunName('mlp', c, 0, [{ step: 10, learningRate: 0.0005 }])).toBe('mlp · +3 ep from 0 · adam 0.001 → 0.0005');
  });

  it('trims a new name to 80 characters', async () => {
    const store = new MemoryRunStore();
    await store.put(run('a', 1));
    expect((await renameRun(store, 'a', `  ${'x'.repeat(100)}  `)).name).toBe('x'.repeat(80));
  });

  it('downsamples to exactly max points, averaging each bucket and stepping at its end', () => {
    const steps = Array.from({ length: 10 }, (_, i) => i + 1);
    const values = steps.map((s) => s * 10);
    expect(downsample(steps, values, 5)).toEqual([
      { step: 2, loss: 15 },
      { step: 4, loss: 35 },
      { step: 6, loss: 55 },
      { step: 8, loss: 75 },
      { step: 10, loss: 95 },
    ]);
    // Exactly max points are kept as they are; mismatched lengths use the shorter.
    expect(downsample([1, 2, 3], [5, 6, 7], 3)).toEqual([
      { step: 1, loss: 5 },
      { step: 2, loss: 6 },
      { step: 3, loss: 7 },
    ]);
    expect(downsample([1, 2, 3], [5, 6], 3)).toEqual([
      { step: 1, loss: 5 },
      { step: 2, loss: 6 },
    ]);
    // A bucket of only NaN is left out.
    expect(downsample([1, 2, 3, 4], [NaN, NaN, 1, 3], 2)).toEqual([{ step: 4, loss: 2 }]);
  });
});
