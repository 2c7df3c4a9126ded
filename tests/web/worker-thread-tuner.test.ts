// Automatic threads: the tuner times candidate thread counts during training and keeps the
// fastest; driven here by a simulated machine whose speed per thread count can change.
import { describe, expect, it } from 'vitest';
import { EngineThreads, ThreadTuner } from '../../web/src/worker/thread-tuner';

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

type Chunk = [threads: number, samples: number, ms: number];

/** A round from the start: two threads warm up (an untimed chunk), then do 2/ms over 100 ms; one
 * thread warms up, then does 1/ms. Two threads win. */
const TWO_BEAT_ONE: Chunk[] = [
  [2, 0, 50],
  [2, 200, 100],
  [1, 0, 50],
  [1, 100, 100],
];

/** Feeds chunks [threads, samples, ms] in order; returns current() after each. */
function feed(tuner: ThreadTuner, chunks: Chunk[]): number[] {
  return chunks.map(([n, samples, ms]) => (tuner.record(n, samples, ms), tuner.current()));
}

// Exact bookkeeping, chunk by chunk: the boundaries of each rule.
describe('ThreadTuner rules, chunk by chunk', () => {
  it('ends a probe when its timed chunks reach probeMs exactly, after the warm-up chunk', () => {
    const tuner = new ThreadTuner(2, { probeMs: 100, holdMs: 1e9 });
    expect(tuner.current()).toBe(2);
    // warm-up (not counted), 100 ms at 2 (ends its probe), warm-up at 1, 100 ms at 1 (decides).
    expect(
      feed(tuner, [
        [2, 1e6, 50],
        [2, 50, 100],
        [1, 1e6, 50],
        [1, 100, 100],
      ]),
    ).toEqual([2, 1, 1, 1]);
    // One thread did 1 sample/ms against 0.5: it is chosen.
  });

  it('ignores chunks of zero or negative time (they would be taken as the warm-up)', () => {
    const tuner = new ThreadTuner(2, { probeMs: 100, holdMs: 1e9 });
    expect(
      feed(tuner, [
        [2, 5, 0],
        [2, 5, -10],
      ]),
    ).toEqual([2, 2]);
    // Were either taken as the warm-up chunk, this huge chunk would count and keep 2 threads.
    feed(tuner, [
      [2, 1e6, 50],
      [2, 50, 100],
      [1, 0, 50],
      [1, 100, 100],
    ]);
    expect(tuner.current()).toBe(1);
  });

  it('needs more than the margin to switch: 4% faster stays, 6% faster switches', () => {
    for (const [faster, expected] of [
      [1.04, 2],
      [1.06, 1],
    ] as const) {
      const tuner = new ThreadTuner(2, { probeMs: 100, holdMs: 1e9, margin: 0.05 });
      feed(tuner, [
        [2, 0, 50],
        [2, 100, 100],
        [1, 0, 50],
        [1, 100 * faster, 100],
      ]);
      expect(tuner.current(), `one thread ${faster}x as fast`).toBe(expected);
    }
  });

  it('a standing choice is re-checked once holdMs of timed chunks have passed, not before', () => {
    const tuner = new ThreadTuner(2, { probeMs: 100, holdMs: 1000 });
    feed(tuner, TWO_BEAT_ONE);
    expect(tuner.current()).toBe(2);
    // The first chunk after a decision is not timed; then 500 + 499 ms hold, 1 more ms ends it.
    expect(
      feed(tuner, [
        [2, 0, 50],
        [2, 1000, 500],
        [2, 998, 499],
        [2, 2, 1],
      ]),
    ).toEqual([2, 2, 2, 1]);
  });

  it("a new round times the others afresh, against the choice's recent rate", () => {
    const tuner = new ThreadTuner(2, { probeMs: 100, holdMs: 1000 });
    feed(tuner, TWO_BEAT_ONE); // 2 threads: 2/ms, one: 1/ms
    expect(tuner.current()).toBe(2);
    // Two threads slow down to 1.5/ms while they stand; their rate is kept over about the last
    // 100 ms (1.58/ms here), not averaged over all their time (1.77/ms).
    feed(tuner, [
      [2, 0, 50],
      [2, 1000, 500],
      [2, 750, 500],
    ]);
    expect(tuner.current()).toBe(1);
    // One thread now does 1.7/ms: more than 5% above 1.58, not above 1.77.
    feed(tuner, [
      [1, 0, 50],
      [1, 170, 100],
    ]);
    expect(tuner.current()).toBe(1);
  });

  it("a losing candidate's old timing is forgotten after each decision", () => {
    const tuner = new ThreadTuner(2, { probeMs: 100, holdMs: 100 });
    feed(tuner, TWO_BEAT_ONE); // keeps 2 (2/ms against 1/ms)
    feed(tuner, [
      [2, 0, 50],
      [2, 200, 100],
    ]); // held 100 ms: a new round times one thread
    expect(tuner.current()).toBe(1);
    // One thread at 2.2/ms now: added to its old 100 ms at 1/ms it would average 1.6/ms and lose.
    feed(tuner, [
      [1, 0, 50],
      [1, 220, 100],
    ]);
    expect(tuner.current()).toBe(1);
  });

  it('keeps probing a count until its chunks add up to probeMs', () => {
    const tuner = new ThreadTuner(2, { probeMs: 100, holdMs: 1e9 });
    // warm-up, then 50 + 49 ms at two threads: still probing; 1 ms more ends it.
    expect(
      feed(tuner, [
        [2, 0, 50],
        [2, 50, 50],
        [2, 49, 49],
        [2, 1, 1],
      ]),
    ).toEqual([2, 2, 2, 1]);
  });

  it('compares samples per millisecond, whatever the probe lengths', () => {
    const tuner = new ThreadTuner(2, { probeMs: 100, holdMs: 1e9 });
    // Two threads: 200 samples in 100 ms (2/ms); one: 150 samples in one 200 ms chunk (0.75/ms).
    feed(tuner, [
      [2, 0, 50],
      [2, 200, 100],
      [1, 0, 50],
      [1, 150, 200],
    ]);
    expect(tuner.current()).toBe(2);
  });

  it('a count exactly at the margin does not replace the choice', () => {
    const tuner = new ThreadTuner(2, { probeMs: 100, holdMs: 1e9, margin: 0.05 });
    feed(tuner, [
      [2, 0, 50],
      [2, 100, 100],
      [1, 0, 50],
      [1, 105, 100],
    ]); // 1.05/ms = 1/ms * 1.05
    expect(tuner.current()).toBe(2);
  });

  it("the choice's rate in the next round includes its probe, not only the chunks since", () => {
    const tuner = new ThreadTuner(2, { probeMs: 100, holdMs: 100 });
    feed(tuner, TWO_BEAT_ONE); // keeps 2 at 2/ms
    // One held chunk at 1/ms: the kept rate is (200 + 100) / 200 ms = 1.5/ms (1/ms had the
    // probe been dropped); one thread at 1.2/ms does not beat 1.5 * 1.05.
    feed(tuner, [
      [2, 0, 50],
      [2, 100, 100],
    ]);
    expect(tuner.current()).toBe(1);
    feed(tuner, [
      [1, 0, 50],
      [1, 120, 100],
    ]);
    expect(tuner.current()).toBe(2);
  });

  it('makes its candidates from whole thread counts of at least one', () => {
    expect(new ThreadTuner(5).candidates).toEqual([5, 3, 1]);
    expect(new ThreadTuner(2.7).candidates).toEqual([2, 1]);
    expect(new ThreadTuner(0).candidates).toEqual([1]);
    expect(new ThreadTuner(-4).current()).toBe(1);
  });
});

describe('EngineThreads', () => {
  /** A network that records every setThreads call and clamps as the engine does not need to. */
  const fakeNet = () => {
    const calls: number[] = [];
    return { calls, setThreads: (n: number) => (calls.push(n), n) };
  };

  it('sets a fixed count clamped to 1..max (0 or nonsense means all)', () => {
    const net = fakeNet();
    const threads = new EngineThreads(net, 4, 2);
    expect(threads.inUse).toBe(2);
    expect([threads.set(3), threads.set(9), threads.set(-2), threads.set(2.9), threads.set(Number.NaN)]).toEqual([3, 4, 1, 2, 4]);
    expect(net.calls).toEqual([2, 3, 4, 1, 2, 4]);
    expect(threads.inUse).toBe(4);
    // Fixed: chunks keep the count, and timings change nothing.
    threads.timed(4, 1, 1000);
    expect(threads.forChunk()).toBe(4);
    expect(net.calls.length).toBe(6);
  });

  it('automatic (0) starts at all threads and switches per chunk as its tuner asks', () => {
    const net = fakeNet();
    const threads = new EngineThreads(net, 2, 1);
    expect(threads.set(0)).toBe(2);
    expect(threads.forChunk()).toBe(2);
    // Warm-up, then 400 ms at two threads ends their probe: the next chunk runs on one.
    threads.timed(2, 0, 50);
    threads.timed(2, 400, 400);
    expect(threads.forChunk()).toBe(1);
    expect(threads.inUse).toBe(1);
    expect(net.calls).toEqual([1, 2, 1]);
    // Asking again without a new timing does not call the engine again.
    expect(threads.forChunk()).toBe(1);
    expect(net.calls).toEqual([1, 2, 1]);
  });

  it('automatic with one thread available is just one thread', () => {
    const net = fakeNet();
    const threads = new EngineThreads(net, 1, 1);
    expect(threads.set(0)).toBe(1);
    threads.timed(1, 0, 50);
    threads.timed(1, 1, 1000);
    expect(threads.forChunk()).toBe(1);
  });
});
