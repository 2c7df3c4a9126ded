import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../web/src/state/config';
import {
  MemoryRunStore,
  csvField,
  downsample,
  newRunId,
  renameRun,
  runChain,
  runsToCsv,
  runsToJson,
  type RunRecord,
} from '../../web/src/state/runs';

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
  });

  it('makes distinct ids', () => {
    expect(newRunId(1)).not.toBe(newRunId(1));
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
  it('quotes CSV fields that need it and defuses formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvField(-1)).toBe('-1');
    expect(csvField(null)).toBe('');
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
