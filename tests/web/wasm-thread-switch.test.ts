// Switching the engine's thread count between chunks of training, as the page's Automatic
// threads does under load: each switch replaces the thread pool, and a pool thread's stack and
// buffers must go with it, so at one count the heap in use is the same after any number of
// switches (the browser memory test pins the count; this covers the switches).
import { expect, it } from 'vitest';
import { m, test, train, useDigits } from './wasm-digits';

useDigits('threads');

it('switching between one and two threads 30 times leaves the heap in use at each count flat', () => {
  const net = new m.Network();
  try {
    net.setData(train, test, []);
    net.build('mlp', 1);
    net.setTraining({ optimizer: 'adam', learningRate: 0.001, batchSize: 64, seed: 1 });
    // Twenty rounds first: in them the heap in use at one thread steps up once (by 213 KB with
    // the mlp preset, near the first epoch's end) and then stays flat through 160 more switches
    // (measured); a leak grows round after round.
    for (let round = 0; round < 20; ++round) {
      for (const n of [1, 2]) {
        net.setThreads(n);
        net.trainSteps(4);
      }
    }
    const used = new Map<number, number[]>([
      [1, []],
      [2, []],
    ]);
    for (let round = 0; round < 30; ++round) {
      for (const n of [1, 2]) {
        expect(net.setThreads(n)).toBe(n);
        net.trainSteps(4);
        used.get(n)!.push(m.memoryStats().used);
      }
    }
    for (const [n, values] of used) {
      // A new pool thread sizes its buffers by the tasks it happens to claim, so a round can
      // end below the full figure, never above it. A leak lifts the full figure round after
      // round: compare the highest of the last ten rounds with the highest of the first ten (a
      // leak of 400 bytes per switch, two switches a round, rises 16 KB over those 20 rounds).
      const first = Math.max(...values.slice(0, 10));
      const last = Math.max(...values.slice(-10));
      console.log(`${n} thread(s): heap in use ${values.map((v) => v - values[0]).join(' ')} B from the first round`);
      expect(last - first, `heap in use at ${n} thread(s), last ten rounds against the first ten (bytes)`).toBeLessThan(16 * 1024);
    }
    expect(m.memoryStats().networks).toBe(1);
  } finally {
    net.delete();
  }
});
