// "Automatic" threads: which thread count trains fastest on this machine right now.
//
// All cores is the fastest when the tab has them, but a busy machine turns it around: with the
// other of two cores taken by another process, two wasm threads trained lenet at 0.74-0.94x of
// one (idle workers spin, and in wasm a spinning thread cannot give its core away). The engine's
// results do not depend on the thread count, so the count can change between any two chunks of
// training: the tuner times a few candidates now and then and keeps the fastest.
//
// Pure bookkeeping (no timers, no engine): the training loop asks current() before a chunk and
// reports the chunk with record(); tests drive it with made-up timings.

export interface TunerOptions {
  /** Training time each candidate gets when candidates are compared. */
  probeMs: number;
  /** How long a choice stands before the others are timed again. */
  holdMs: number;
  /** Another count must be this much faster (0.05 = 5%) to replace the current choice. */
  margin: number;
}

const DEFAULTS: TunerOptions = { probeMs: 400, holdMs: 15_000, margin: 0.05 };

interface Tally {
  samples: number;
  ms: number;
}

export class ThreadTuner {
  readonly candidates: number[];
  private readonly options: TunerOptions;
  private choice: number;
  /** Candidates still to time in this round, in order; empty while a choice stands. */
  private queue: number[];
  private tallies = new Map<number, Tally>();
  private holdFor = 0;
  /** The first chunk (and the first after a switch) pays for warm-up and starting threads. */
  private skipNext = true;

  constructor(maxThreads: number, options: Partial<TunerOptions> = {}) {
    const max = Math.max(1, Math.floor(maxThreads));
    this.candidates = [...new Set([max, Math.ceil(max / 2), 1])];
    this.options = { ...DEFAULTS, ...options };
    this.choice = max;
    this.queue = this.candidates.length > 1 ? [...this.candidates] : [];
  }

  /** The thread count to train the next chunk with. */
  current(): number {
    return this.queue.length > 0 ? this.queue[0] : this.choice;
  }

  /** A chunk of `samples` trained in `ms` with `threads` threads. */
  record(threads: number, samples: number, ms: number): void {
    if (threads !== this.current() || ms <= 0) return;
    if (this.skipNext) {
      this.skipNext = false;
      return;
    }
    if (this.queue.length === 0) {
      // A choice stands: keep its recent rate (the last probeMs of it) for the next round.
      this.add(threads, samples, ms, true);
      this.holdFor += ms;
      if (this.holdFor >= this.options.holdMs) this.startRound();
      return;
    }
    this.add(threads, samples, ms, false);
    if (this.tallies.get(threads)!.ms >= this.options.probeMs) {
      this.queue.shift();
      if (this.queue.length === 0) this.decide();
      this.skipNext = true;
    }
  }

  private add(threads: number, samples: number, ms: number, sliding: boolean): void {
    const t = this.tallies.get(threads) ?? { samples: 0, ms: 0 };
    t.samples += samples;
    t.ms += ms;
    if (sliding && t.ms > this.options.probeMs) {
      const keep = this.options.probeMs / t.ms;
      t.samples *= keep;
      t.ms *= keep;
    }
    this.tallies.set(threads, t);
  }

  private startRound(): void {
    // The standing choice already has a fresh rate; time the others.
    for (const [n] of this.tallies) if (n !== this.choice) this.tallies.delete(n);
    this.queue = this.candidates.filter((n) => n !== this.choice);
    this.holdFor = 0;
    this.skipNext = true;
  }

  private decide(): void {
    const rate = (n: number) => {
      const t = this.tallies.get(n);
      return t && t.ms > 0 ? t.samples / t.ms : 0;
    };
    let best = this.choice;
    for (const n of this.candidates) {
      if (rate(n) > rate(best) * (1 + this.options.margin)) best = n;
    }
    this.choice = best;
    this.holdFor = 0;
    for (const [n] of this.tallies) if (n !== best) this.tallies.delete(n);
  }
}

/** The engine's thread count: fixed, or automatic (a ThreadTuner picks it per chunk). */
export class EngineThreads {
  private tuner: ThreadTuner | null = null;
  private count: number;

  constructor(
    private readonly net: { setThreads(n: number): number },
    private readonly max: number,
    initial: number,
  ) {
    this.count = net.setThreads(initial);
  }

  /** Threads in use now. */
  get inUse(): number {
    return this.count;
  }

  /** n threads (clamped to 1..max), or 0: automatic. Returns the count now in use. */
  set(n: number): number {
    if (n === 0 && this.max > 1) {
      this.tuner = new ThreadTuner(this.max);
      this.count = this.net.setThreads(this.tuner.current());
      return this.count;
    }
    this.tuner = null;
    this.count = this.net.setThreads(Math.max(1, Math.min(this.max, Math.floor(n) || this.max)));
    return this.count;
  }

  /** The count to train the next chunk with (automatic threads may switch it). */
  forChunk(): number {
    if (this.tuner && this.tuner.current() !== this.count) this.count = this.net.setThreads(this.tuner.current());
    return this.count;
  }

  /** A chunk of `samples` took `ms` at `threads` (automatic threads learn from it). */
  timed(threads: number, samples: number, ms: number): void {
    this.tuner?.record(threads, samples, ms);
  }
}
