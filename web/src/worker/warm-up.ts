// Warming the engine's code up before the first run. Browsers compile wasm in two tiers: a quick
// baseline first, then, for each function that turns out hot, optimized code compiled on a
// background thread. Without a warm-up that happens during the first seconds of the first run,
// while every core trains: the compile threads wait for a core and the kernels run baseline code
// meanwhile, which costs two threads more than one (web/scripts/bench/README.md, "Warming the
// engine up before the first run"). So while the page is idle, the worker trains a throwaway
// network on made-up images for a moment, in short slices that a real request interrupts.
// It shares nothing with the session: its own data, network and seed, all deleted at the end.
import type { ScratchNetModule } from '../../../wasm/scratchnet';

/** Covers the kernels every preset trains with: convolutions ("same" and "valid"), BatchNorm,
 * ReLU, max-pooling, dense layers of two widths, dropout, softmax with cross-entropy, Adam. */
export const WARM_UP_MODEL =
  'conv 8 5x5 same | batchnorm relu | maxpool 2 | conv 16 3x3 | relu | maxpool 2 | flatten | dense 64 relu | dropout 0.2 | dense 10 softmax';
/** Steps in all: what one thread trains in about half a second, long enough for the optimizing
 * tier to compile the kernels (measured in the bench named above). */
export const WARM_UP_STEPS = 150;
/** Steps per slice: a request that arrives meanwhile waits for one slice (a few ms) at most. */
export const WARM_UP_SLICE = 5;
const IMAGES = 256;
const SIDE = 28;

/** IDX bytes of `count` noise images (28x28) and their labels 0-9, from a fixed seed. */
export function noiseIdx(count = IMAGES): { images: Uint8Array; labels: Uint8Array } {
  const images = new Uint8Array(16 + count * SIDE * SIDE);
  const labels = new Uint8Array(8 + count);
  const view = new DataView(images.buffer);
  view.setUint32(0, 0x803);
  view.setUint32(4, count);
  view.setUint32(8, SIDE);
  view.setUint32(12, SIDE);
  new DataView(labels.buffer).setUint32(0, 0x801);
  new DataView(labels.buffer).setUint32(4, count);
  let state = 1;
  for (let i = 16; i < images.length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    images[i] = state >>> 24;
  }
  for (let i = 0; i < count; i++) labels[8 + i] = i % 10;
  return { images, labels };
}

/** What a warm-up did: the steps it trained, and whether a request cut it short. */
export interface WarmUpResult {
  steps: number;
  stopped: boolean;
}

/**
 * Trains WARM_UP_MODEL on noise for `steps` steps on one thread, WARM_UP_SLICE at a time,
 * yielding to the worker's other messages between slices (through `yieldNow`), and stops early
 * once `stopped()` says so. Deletes everything it made, also when the engine throws.
 */
export async function warmUp(
  module: ScratchNetModule,
  stopped: () => boolean,
  steps = WARM_UP_STEPS,
  yieldNow: () => Promise<void> = () => new Promise((resolve) => setTimeout(resolve, 0)),
): Promise<WarmUpResult> {
  const noise = noiseIdx();
  const train = new module.Dataset();
  const net = new module.Network();
  let done = 0;
  try {
    train.parse(noise.images, noise.labels);
    net.setData(train, train, []);
    net.build(WARM_UP_MODEL, 1);
    net.setThreads(1);
    net.setTraining({ optimizer: 'adam', learningRate: 0.001, batchSize: 32, seed: 1 });
    while (done < steps) {
      await yieldNow();
      if (stopped()) break;
      const n = Math.min(WARM_UP_SLICE, steps - done);
      net.trainSteps(n);
      done += n;
    }
  } finally {
    net.delete();
    train.delete();
  }
  return { steps: done, stopped: done < steps };
}
