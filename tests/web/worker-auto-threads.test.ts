// Automatic threads in the worker session with the real engine (threads build, 2 threads):
// the tuner switches counts during training and the numbers stay those of one fixed thread.
// Kept apart from the tuner's pure tests, which Stryker runs without the wasm build.
import { describe, expect, it } from 'vitest';

describe('automatic threads in the worker session (threads build, 2 threads)', () => {
  it('switches thread counts during training and gives the same numbers as one fixed thread', async () => {
    const { Session } = await import('../../web/src/worker/session');
    const { bundledGz, loadWasm } = await import('./wasm-module');
    // A pool of one worker for two threads, as the page has on two cores (api.ts).
    const module = await loadWasm('threads', 1);
    const config = { description: 'mlp', seed: 1, optimizer: 'adam' as const, learningRate: 0.002, batchSize: 64 };
    const run = async (threads: number) => {
      const session = new Session(module, { variant: 'threads', threads: 2, maxThreads: 2 });
      try {
        await session.loadDataset({ kind: 'files', name: 'digits', files: bundledGz() });
        session.build(config);
        session.setThreads(threads);
        const used = new Set<number>();
        const epochs: number[] = [];
        // ~2 s at two threads: long enough for a round of timing both counts (400 ms each).
        await session.train(
          { epochs: 30 },
          (p) => used.add(p.threads),
          (e) => epochs.push(e.trainLoss, e.test.loss),
        );
        return { used, epochs };
      } finally {
        session.dispose();
      }
    };
    const auto = await run(0);
    const fixed = await run(1);
    expect([...auto.used].sort()).toEqual([1, 2]);
    expect([...fixed.used]).toEqual([1]);
    expect(auto.epochs).toEqual(fixed.epochs);
  });
});
