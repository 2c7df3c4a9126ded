// The training loop: runs the engine in chunks of ~40 ms and yields between them, so pause /
// resume / stop / step requests are answered within ~100 ms; builds every Progress (one
// builder, throttled to 4/s) and the per-epoch stats. No engine state of its own beyond the
// run in progress: the Session hands it the network and its counters.
import type { WasmNetwork, WasmProgress } from '../../../wasm/scratchnet';
import type { EpochCallback, EpochStats, Evaluation, Progress, ProgressCallback, TrainResult, TrainState } from './protocol';

/** Aim for chunks of this many ms between yields: pause/stop then answer well within 100 ms. */
const CHUNK_MS = 40;
/** At most one Progress per this many ms (4/s): each one repaints the page's stats and charts,
 * and on a machine whose cores all train, every repaint takes time from a training thread
 * (two threads against one in the page: web/scripts/bench/README.md). */
export const PROGRESS_MS = 250;
/** Most batches one step() call trains. */
const MAX_STEPS = 10_000;

const now = (): number => performance.now();

/** Lets queued messages (pause, stop, ...) run; a MessageChannel task is not clamped to 4 ms
 * like nested setTimeout(0). */
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Epochs finished, whether the engine advances its epoch counter eagerly or lazily. */
export function completedEpochs(p: { epoch: number; batch: number; batchesPerEpoch: number }): number {
  return p.epoch + (p.batch >= p.batchesPerEpoch && p.batchesPerEpoch > 0 ? 1 : 0);
}

/** What the loop needs from the session. */
export interface LoopHost {
  readonly net: WasmNetwork;
  readonly batchSize: number;
  /** Epochs and steps the weights trained before the engine's current trainer. */
  readonly base: { epoch: number; step: number };
  /** Threads to train the next chunk with (automatic threads may change it). */
  threadsForChunk(): number;
  /** A chunk of `samples` took `ms` at `threads` (for automatic threads). */
  timed(threads: number, samples: number, ms: number): void;
  /** The weights changed (cached predictions are stale). */
  trained(): void;
  evaluate(): Evaluation;
}

/** One Progress from the engine's counters after `losses` (the batches since the last one). */
function progressOf(
  host: LoopHost,
  at: WasmProgress,
  losses: ArrayLike<number>,
  o: { epochEnded: boolean; samplesPerSecond: number; threads: number; etaSeconds: number; elapsedSeconds: number },
): Progress {
  let sum = 0;
  for (let i = 0; i < losses.length; i++) sum += losses[i]!;
  return {
    epoch: host.base.epoch + (o.epochEnded ? completedEpochs(at) - 1 : at.epoch),
    batch: o.epochEnded ? at.batchesPerEpoch : at.batch,
    batchesPerEpoch: at.batchesPerEpoch,
    step: host.base.step + at.step,
    loss: losses[losses.length - 1]!,
    meanLoss: sum / losses.length,
    runningAccuracy: at.runningAccuracy,
    samplesPerSecond: o.samplesPerSecond,
    threads: o.threads,
    etaSeconds: o.etaSeconds,
    elapsedSeconds: o.elapsedSeconds,
    losses: Float32Array.from(losses),
    learningRate: at.learningRate,
  };
}

/** The state of training (idle / running / paused) and the requests that change it. */
export class TrainLoop {
  private trainState: TrainState = 'idle';
  private stopRequested = false;
  private resumeWaiter: (() => void) | null = null;
  private pauseWaiters: (() => void)[] = [];
  private stopWaiters: (() => void)[] = [];

  constructor(private readonly host: LoopHost) {}

  state(): TrainState {
    return this.trainState;
  }

  /** Trains until `epochs` more epochs are done or stop(). */
  async run(epochs: number, onProgress: ProgressCallback, onEpoch: EpochCallback): Promise<TrainResult> {
    const { host } = this;
    const { net, batchSize } = host;
    const targetEpochs = completedEpochs(net.progress()) + Math.max(1, epochs);
    this.trainState = 'running';
    this.stopRequested = false;
    const started = now();
    let chunk = 1;
    let lastEmit = started - PROGRESS_MS;
    let pending: number[] = [];
    let epochLosses = { sum: 0, count: 0 };
    let epochStarted = started;
    let trainedMs = 0; // excludes evaluation and pauses, for samples/s
    let trainedSamples = 0;
    try {
      for (;;) {
        await yieldToEvents();
        if (this.stopRequested) break;
        if (this.isPaused()) {
          this.pauseWaiters.splice(0).forEach((w) => w());
          await new Promise<void>((resolve) => (this.resumeWaiter = resolve));
          continue;
        }
        const before = net.progress();
        const done = completedEpochs(before);
        if (done >= targetEpochs) break;
        const left = before.batch >= before.batchesPerEpoch ? before.batchesPerEpoch : before.batchesPerEpoch - before.batch;
        const threads = host.threadsForChunk();
        const t0 = now();
        const losses = net.trainSteps(Math.max(1, Math.min(chunk, left)));
        const dt = Math.max(0.01, now() - t0);
        host.timed(threads, losses.length * batchSize, dt);
        host.trained();
        trainedMs += dt;
        trainedSamples += losses.length * batchSize;
        chunk = Math.max(1, Math.min(4096, Math.round((losses.length * CHUNK_MS) / dt)));
        for (const l of losses) {
          pending.push(l);
          epochLosses.sum += l;
          epochLosses.count++;
        }
        const after = net.progress();
        const epochEnded = completedEpochs(after) > done;
        const t = now();
        if (pending.length > 0 && (epochEnded || t - lastEmit >= PROGRESS_MS)) {
          const sps = (trainedSamples * 1000) / trainedMs;
          const stepsLeft = (targetEpochs - completedEpochs(after)) * after.batchesPerEpoch - (epochEnded ? 0 : after.batch);
          onProgress(
            progressOf(host, after, pending, {
              epochEnded,
              samplesPerSecond: sps,
              threads,
              etaSeconds: Math.max(0, (stepsLeft * batchSize) / sps),
              elapsedSeconds: (t - started) / 1000,
            }),
          );
          pending = [];
          lastEmit = t;
        }
        if (epochEnded) {
          const stats: EpochStats = {
            epoch: host.base.epoch + done,
            trainLoss: epochLosses.count ? epochLosses.sum / epochLosses.count : NaN,
            // The engine starts the next epoch eagerly but keeps the finished epoch's running
            // accuracy until the next batch: exactly the epoch's training accuracy.
            trainAccuracy: after.runningAccuracy,
            test: host.evaluate(),
            seconds: (now() - epochStarted) / 1000,
          };
          epochLosses = { sum: 0, count: 0 };
          epochStarted = now();
          onEpoch(stats);
        }
      }
    } finally {
      this.trainState = 'idle';
      this.pauseWaiters.splice(0).forEach((w) => w());
      this.stopWaiters.splice(0).forEach((w) => w());
    }
    const end = net.progress();
    return {
      reason: this.stopRequested ? 'stopped' : 'done',
      epoch: host.base.epoch + completedEpochs(end),
      step: host.base.step + end.step,
    };
  }

  /** When not running: trains n batches at once. */
  step(n: number): { losses: Float32Array; progress: Progress } {
    const { host } = this;
    const threads = host.threadsForChunk();
    const t0 = now();
    const losses = host.net.trainSteps(Math.max(1, Math.min(MAX_STEPS, Math.floor(n))));
    const seconds = Math.max(1e-6, (now() - t0) / 1000);
    host.trained();
    const progress = progressOf(host, host.net.progress(), losses, {
      epochEnded: false,
      samplesPerSecond: (losses.length * host.batchSize) / seconds,
      threads,
      etaSeconds: 0,
      elapsedSeconds: seconds,
    });
    return { losses, progress };
  }

  pause(): Promise<void> {
    if (this.trainState !== 'running') return Promise.resolve();
    this.trainState = 'paused';
    return new Promise((resolve) => this.pauseWaiters.push(resolve));
  }

  resume(): Promise<void> {
    if (this.trainState === 'paused') {
      this.trainState = 'running';
      this.wake();
    }
    return Promise.resolve();
  }

  stop(): Promise<void> {
    if (this.trainState === 'idle') return Promise.resolve();
    this.stopRequested = true;
    const stopped = new Promise<void>((resolve) => this.stopWaiters.push(resolve));
    if (this.trainState === 'paused') {
      this.trainState = 'running';
      this.wake();
    }
    return stopped;
  }

  /** pause() can change the state while run() awaits: read it through a call. */
  private isPaused(): boolean {
    return this.trainState === 'paused';
  }

  private wake(): void {
    const w = this.resumeWaiter;
    this.resumeWaiter = null;
    w?.();
  }
}
