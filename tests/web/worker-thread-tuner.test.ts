// Automatic threads: the tuner times candidate thread counts during training and keeps the
// fastest; driven here by a simulated machine whose speed per thread count can change.
import { describe, expect, it } from 'vitest';
import { ThreadTuner } from '../../web/src/worker/thread-tuner';

/** Trains `totalMs` of 50 ms chunks; rate(threads, t) is samples per ms at time t. Returns the
 * thread count of every chunk. */
function drive(tuner: ThreadTuner, rate: (threads: number, t: number) => number, totalMs: number, startMs = 0): number[] {
  const used: number[] = [];
  for (let t = startMs; t < startMs + totalMs; t += 50) {
    const threads = tuner.current();
    used.push(threads);
    tuner.record(threads, rate(threads, t) * 50, 50);
  }
  return used;
}

const share = (used: number[], n: number) => used.filter((u) => u === n).length / used.length;

describe('ThreadTuner', () => {
  it('keeps all threads on a quiet machine, re-checking the others only briefly', () => {
    const tuner = new ThreadTuner(2, { probeMs: 400, holdMs: 15_000 });
    expect(tuner.candidates).toEqual([2, 1]);
    const used = drive(tuner, (n) => (n === 2 ? 1.8 : 1.0), 60_000);
    expect(tuner.current()).toBe(2);
    // Probing one thread costs ~450 ms per 15 s round.
    expect(share(used, 2)).toBeGreaterThan(0.95);
  });

  it('falls back to one thread when two are slower (the other core is busy)', () => {
    const tuner = new ThreadTuner(2);
    const used = drive(tuner, (n) => (n === 2 ? 0.8 : 1.0), 30_000);
    expect(tuner.current()).toBe(1);
    expect(share(used.slice(40), 1)).toBeGreaterThan(0.9);
  });

  it('follows the machine when the load changes, within a round', () => {
    const tuner = new ThreadTuner(2, { probeMs: 400, holdMs: 10_000 });
    const busyAfter = 20_000;
    const rate = (n: number, t: number) => (t < busyAfter ? (n === 2 ? 1.8 : 1.0) : n === 2 ? 0.7 : 1.0);
    drive(tuner, rate, busyAfter);
    expect(tuner.current()).toBe(2);
    drive(tuner, rate, 25_000, busyAfter);
    expect(tuner.current()).toBe(1);
    // And back once the machine is quiet again.
    drive(tuner, (n) => (n === 2 ? 1.8 : 1.0), 25_000, busyAfter + 25_000);
    expect(tuner.current()).toBe(2);
  });

  it('does not switch for a difference inside the margin', () => {
    const tuner = new ThreadTuner(2, { margin: 0.05 });
    drive(tuner, (n) => (n === 2 ? 1.0 : 1.03), 40_000);
    expect(tuner.current()).toBe(2);
  });

  it('does not count the chunk that starts the threads', () => {
    const tuner = new ThreadTuner(2, { probeMs: 200 });
    // Switching to two threads starts them: that chunk takes 1 s instead of 50 ms. Counted, it
    // would make two threads look 3x slower than one; the steady rates favour two.
    let last = 1;
    for (let i = 0; i < 200; i++) {
      const n = tuner.current();
      const starting = n === 2 && last !== 2;
      last = n;
      tuner.record(n, (n === 2 ? 1.8 : 1.0) * 50, starting ? 1000 : 50);
    }
    expect(tuner.current()).toBe(2);
  });

  it('tries all, half and one of many cores, and only one of one', () => {
    expect(new ThreadTuner(8).candidates).toEqual([8, 4, 1]);
    expect(new ThreadTuner(3).candidates).toEqual([3, 2, 1]);
    const single = new ThreadTuner(1);
    expect(single.candidates).toEqual([1]);
    expect(drive(single, () => 1, 20_000).every((n) => n === 1)).toBe(true);
  });

  it('picks the middle count when it is the fastest', () => {
    const tuner = new ThreadTuner(8);
    drive(tuner, (n) => ({ 8: 2.0, 4: 3.0, 1: 1.0 })[n] ?? 0, 20_000);
    expect(tuner.current()).toBe(4);
  });

  it('ignores a report for a count it did not ask for', () => {
    const tuner = new ThreadTuner(2, { probeMs: 100 });
    tuner.record(2, 1, 50); // the warm-up chunk
    tuner.record(1, 1e9, 1000); // stale: the tuner asked for 2
    drive(tuner, (n) => (n === 2 ? 1.8 : 1.0), 5_000);
    expect(tuner.current()).toBe(2);
  });
});

describe('automatic threads in the worker session (threads build, 2 threads)', () => {
  it('switches thread counts during training and gives the same numbers as one fixed thread', async () => {
    const { Session } = await import('../../web/src/worker/session');
    const { bundledGz, loadWasm } = await import('./wasm-module');
    const module = await loadWasm('threads', 2);
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
        await session.train({ epochs: 30 }, (p) => used.add(p.threads), (e) => epochs.push(e.trainLoss, e.test.loss));
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
  }, 60_000);
});
