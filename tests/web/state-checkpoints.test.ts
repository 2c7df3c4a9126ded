// The run log's checkpoints (web/src/state/checkpoints.ts) and a model's identity
// (web/src/state/model-identity.ts), against a store and a clock written here.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Checkpoints } from '../../web/src/state/checkpoints';
import { archKey, isDivergence, labelsPart } from '../../web/src/state/model-identity';
import type { RunRecorder } from '../../web/src/state/run-recorder';
import type { RunRecord, RunStore } from '../../web/src/state/runs';

let now = 0;
afterEach(() => vi.restoreAllMocks());

/** A store that records what it is given (and can be made to fail), and a recorder whose
 * snapshots are numbered. */
function setup(options: { failPut?: boolean; failSave?: boolean } = {}) {
  vi.spyOn(performance, 'now').mockImplementation(() => now);
  const log: string[] = [];
  const store = {
    put: async (r: RunRecord) => {
      if (options.failPut) throw new Error('quota');
      log.push(`put ${r.status} ${r.epochs?.length ?? 0}`);
    },
  } as unknown as RunStore;
  const saveModel = async () => {
    if (options.failSave) throw new Error('engine gone');
    return new Uint8Array([1]);
  };
  const onModelSaved = async (_b: Uint8Array, run: RunRecord | null) => void log.push(`model ${run?.status}`);
  const checkpoints = new Checkpoints(store, saveModel, onModelSaved);
  let epochs = 0;
  const recorder = {
    worthKeeping: true,
    snapshot: (status: string) => ({ id: 'r', status, epochs: Array.from({ length: ++epochs }) }),
  } as unknown as RunRecorder & { worthKeeping: boolean };
  return { log, checkpoints, recorder };
}

describe('Checkpoints', () => {
  it('writes a checkpoint at the first epoch end everyMs after the start, then at most every everyMs', async () => {
    const { log, checkpoints, recorder } = setup();
    checkpoints.everyMs = 1000;
    now = 5000;
    checkpoints.started();
    now = 5999;
    checkpoints.epochEnded(recorder, 1); // 999 ms: not yet
    now = 6000;
    checkpoints.epochEnded(recorder, 1); // 1000 ms: due
    now = 6999;
    checkpoints.epochEnded(recorder, 1);
    now = 7000;
    checkpoints.epochEnded(recorder, 1);
    await checkpoints.finish({ id: 'r', status: 'finished', epochs: [] } as unknown as RunRecord, () => log.push('saved'));
    expect(log).toEqual(['put stopped 1', 'model stopped', 'put stopped 2', 'model stopped', 'put finished 0', 'saved', 'model finished']);
  });

  it('keeps nothing for a run not worth keeping', async () => {
    const { log, checkpoints, recorder } = setup();
    checkpoints.everyMs = 0;
    recorder.worthKeeping = false;
    checkpoints.epochEnded(recorder, 1);
    await checkpoints.finish({ id: 'r', status: 'finished' } as unknown as RunRecord, () => undefined);
    expect(log).toEqual(['put finished 0', 'model finished']);
  });

  it('a failed checkpoint is only logged; a failed final store throws after keeping the model', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    let s = setup({ failPut: true });
    s.checkpoints.everyMs = 0;
    s.checkpoints.epochEnded(s.recorder, 1);
    const saved = vi.fn();
    await expect(s.checkpoints.finish({ id: 'r', status: 'finished' } as unknown as RunRecord, saved)).rejects.toThrow('quota');
    expect(saved).not.toHaveBeenCalled();
    expect(s.log).toEqual(['model finished']);
    expect(warn).toHaveBeenCalledWith('Could not checkpoint the run', expect.any(Error));
    // The model cannot be saved: the run is still stored, the failure only logged.
    s = setup({ failSave: true });
    await s.checkpoints.finish({ id: 'r', status: 'finished' } as unknown as RunRecord, saved);
    expect(saved).toHaveBeenCalledTimes(1);
    expect(s.log).toEqual(['put finished 0']);
    expect(warn).toHaveBeenCalledWith('Could not keep the last model', expect.any(Error));
  });

  it('a store that fails with nothing still fails the finish', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { checkpoints } = setup();
    (checkpoints as unknown as { store: RunStore }).store.put = () => Promise.reject(undefined);
    await expect(checkpoints.finish({ id: 'r', status: 'finished' } as unknown as RunRecord, () => undefined)).rejects.toThrow(
      'the run could not be stored',
    );
  });
});

describe('model identity', () => {
  it('archKey tells descriptions, labels and seeds apart', () => {
    const k = archKey('mlp', 'all', 1);
    expect(archKey('mlp', 'all', 1)).toBe(k);
    expect(archKey('lenet', 'all', 1)).not.toBe(k);
    expect(archKey('mlp', [0, 1], 1)).not.toBe(k);
    expect(archKey('mlp', 'all', 2)).not.toBe(k);
  });

  it('labelsPart says "all" only for 0..n-1 with more than two classes', () => {
    expect(labelsPart([0, 1, 2])).toBe('all');
    expect(labelsPart([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toBe('all');
    expect(labelsPart([0, 1])).toEqual([0, 1]);
    expect(labelsPart([0, 2, 3])).toEqual([0, 2, 3]);
    expect(labelsPart([1, 2, 3])).toEqual([1, 2, 3]);
  });

  it("isDivergence recognises the engine's DivergenceError only", () => {
    const e = new Error('loss is NaN');
    expect(isDivergence(e)).toBe(false);
    e.name = 'DivergenceError';
    expect(isDivergence(e)).toBe(true);
    expect(isDivergence({ name: 'DivergenceError' })).toBe(false);
    expect(isDivergence(null)).toBe(false);
  });
});
