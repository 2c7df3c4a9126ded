// The worker's Session (what Comlink exposes) on the real wasm module in Node: data loading from
// gzipped bytes, build, the chunked training loop with its progress/epoch callbacks, pause /
// resume / stop latency, stepping, predictions for the gallery, visualisation, save/load, and
// errors that leave the session usable.
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../web/src/worker/session';
import type { EpochStats, ModelConfig, Progress } from '../../web/src/worker/protocol';
import { PROGRESS_MS } from '../../web/src/worker/train-loop';
import { countInflatedBytes, idxGzipBomb } from './bomb';
import { bundledGz, loadWasm } from './wasm-module';

let session: Session;
const config: ModelConfig = { description: 'mlp', seed: 1, optimizer: 'adam', learningRate: 0.002, batchSize: 64 };

beforeAll(async () => {
  const module = await loadWasm('simd');
  session = new Session(module, { variant: 'simd', threads: 1, maxThreads: 1 });
});
afterAll(() => session?.dispose());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until cond() holds, checking every 10 ms; fails after 60 s (a hang, not slowness:
 * on a busy machine the first chunks can take seconds). */
async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 60_000;
  while (!cond()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

async function caught(p: Promise<unknown> | (() => unknown)): Promise<Error> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('worker session', () => {
  it('refuses to build before data, with a StateError', async () => {
    const e = await caught(() => session.build(config));
    expect(e.name).toBe('StateError');
    expect(e.message).toMatch(/data set/);
  });

  it('loads gzipped IDX bytes (inflated with DecompressionStream)', async () => {
    const info = await session.loadDataset({ kind: 'files', name: 'digits', files: bundledGz() });
    expect(info).toMatchObject({ name: 'digits', rows: 28, cols: 28, classes: 10 });
    expect(info.trainCount).toBeGreaterThan(1000);
  });

  it('rejects a malformed data set and keeps the loaded one', async () => {
    const files = bundledGz();
    const e = await caught(session.loadDataset({ kind: 'files', name: 'bad', files: { ...files, trainLabels: files.testLabels } }));
    expect(e.name).toBe('FormatError');
    const e2 = await caught(
      session.loadDataset({ kind: 'files', name: 'bad', files: { ...files, testImages: new Uint8Array([0x1f, 0x8b, 1, 2, 3]) } }),
    );
    expect(e2.name).toBe('FormatError');
    expect(session.trainingConfig()).toBeNull();
    expect(session.getTrainSamples([0]).images.length).toBe(784); // the digits are still loaded
  });

  it("names the file the engine refuses, by the person's name for it", async () => {
    const files = bundledGz();
    const picked = (bytes: Uint8Array, name: string) => new File([bytes as BlobPart], name);
    // Swapped: labels where the training images belong.
    let e = await caught(
      session.loadDataset({
        kind: 'files',
        name: 'bad',
        files: { ...files, trainImages: picked(files.trainLabels, 'train-images-idx3-ubyte.gz') },
      }),
    );
    expect(e.message).toMatch(/^training images \(train-images-idx3-ubyte\.gz\): this is a label file/);
    // Mismatched counts: the test labels of another set.
    e = await caught(session.loadDataset({ kind: 'files', name: 'bad', files: { ...files, testLabels: files.trainLabels } }));
    expect(e.message).toMatch(/^test set: 1500 images but 8500 labels/);
    // A truncated raw file: the engine says so.
    const raw = new Uint8Array(gunzipSync(files.testImages));
    e = await caught(
      session.loadDataset({ kind: 'files', name: 'bad', files: { ...files, testImages: raw.subarray(0, raw.length - 10) } }),
    );
    expect(e.message).toMatch(/^test images: expected \d+ bytes from the header, got \d+ \(truncated\)/);
  });

  it('refuses a decompression bomb after a bounded part of it, and the loaded data set stays', async () => {
    const before = session.getTrainSamples([0, 1, 2]);
    // 4 MB of gzip whose header declares 60,000 28x28 images (47 MB) but that holds 4 GB.
    const bomb = idxGzipBomb(4);
    // Counts what the platform's inflater hands out on this path.
    const counter = countInflatedBytes();
    let e: Error;
    try {
      e = await caught(session.loadDataset({ kind: 'files', name: 'bomb', files: { ...bundledGz(), trainImages: bomb } }));
    } finally {
      counter.restore();
    }
    const inflated = counter.inflated();
    expect(e.name).toBe('FormatError');
    expect(e.message).toMatch(/^training images: holds more than the 47,040,016 bytes its header declares/);
    // The other three files (~1.4 MB inflated), the declared 47 MB, and the inflater's read-ahead
    // (one 16 KB source piece inflates to at most ~16 MB): far from the 4 GiB inside, and from
    // the 512 MB cap an unbounded reader would stop at.
    expect(inflated).toBeGreaterThan(47_040_016);
    expect(inflated).toBeLessThan(47_040_016 + 64 * 1048576);
    const after = session.getTrainSamples([0, 1, 2]);
    expect(Array.from(after.images)).toEqual(Array.from(before.images));
    expect(Array.from(after.labels)).toEqual(Array.from(before.labels));
  });

  it('validates descriptions without throwing', () => {
    const ok = session.validate('conv 4 3x3 relu | flatten | dense 10 softmax');
    expect(ok.ok).toBe(true);
    const bad = session.validate('conv 4 3y3');
    expect(bad).toMatchObject({ ok: false });
    expect(!bad.ok && bad.error).toMatch(/layer 1/);
    expect(session.presets().length).toBeGreaterThan(3);
  });

  it('builds, trains one epoch with progress at most every PROGRESS_MS and epoch stats', async () => {
    const info = session.build(config);
    expect(info.summary.description).toMatch(/dense 128/);
    expect(info.classLabels).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const progress: { p: Progress }[] = [];
    const epochs: EpochStats[] = [];
    const result = await session.train(
      { epochs: 1 },
      (p) => progress.push({ p }),
      (e) => epochs.push(e),
    );
    expect(result).toMatchObject({ reason: 'done', epoch: 1, step: info.batchesPerEpoch });
    expect(epochs.length).toBe(1);
    expect(epochs[0].test.accuracy).toBeGreaterThan(0.85);
    expect(epochs[0].test.confusion.length).toBe(100);
    expect(epochs[0].trainLoss).toBeGreaterThan(0);
    expect(epochs[0].trainAccuracy).toBeGreaterThan(0.7);
    // Every batch's loss arrives exactly once, in order, in the progress messages.
    const all = progress.flatMap(({ p }) => Array.from(p.losses));
    expect(all.length).toBe(info.batchesPerEpoch);
    const last = progress.at(-1)!.p;
    expect(last.batch).toBe(info.batchesPerEpoch);
    expect(last.samplesPerSecond).toBeGreaterThan(0);
    // Rate: intervals between messages are >= PROGRESS_MS except the final epoch-end one, on the
    // loop's own clock (elapsedSeconds is the time it decided to send). Arrival times here would
    // add the time each message takes to build, which varies on a busy machine.
    const sent = progress.map(({ p }) => p.elapsedSeconds * 1000);
    for (let i = 1; i < sent.length - 1; ++i) expect(sent[i] - sent[i - 1]).toBeGreaterThanOrEqual(PROGRESS_MS - 1e-6);
    expect(session.state()).toBe('idle');
  });

  it('pause and stop are answered before another chunk of training, and step and resume work', async () => {
    // The loop trains in chunks sized to ~40 ms (CHUNK_MS) and yields between them, so a request
    // waits at most for the chunk in flight. Asserted as "no step is trained between the request
    // and its answer" rather than in milliseconds: wall time on a busy machine says nothing.
    const { batchesPerEpoch } = session.build({ ...config, description: 'lenet' });
    let last: Progress | null = null;
    const training = session.train(
      { epochs: 50 },
      (p) => (last = p),
      () => undefined,
    );
    await until(() => session.modelInfo()!.step >= 3, 'training to start');
    let requested = session.modelInfo()!.step;
    // Chunks are small: a lenet step takes a few ms here, so ~40 ms holds several, and a busy
    // machine only makes them fewer. A loop that trained whole epochs between yields fails this.
    expect(requested).toBeLessThan(batchesPerEpoch);
    await session.pause();
    expect(session.modelInfo()!.step).toBe(requested);
    expect(session.state()).toBe('paused');
    const stepBefore = session.modelInfo()!.step;
    await sleep(150);
    expect(session.modelInfo()!.step).toBe(stepBefore); // really parked
    const stepped = session.step(3);
    expect(stepped.losses.length).toBe(3);
    expect(stepped.progress.step).toBe(stepBefore + 3);
    await session.resume();
    expect(session.state()).toBe('running');
    await until(() => session.modelInfo()!.step > stepBefore + 3, 'training to resume');
    requested = session.modelInfo()!.step;
    await session.stop();
    expect(session.modelInfo()!.step).toBe(requested);
    const result = await training;
    expect(result.reason).toBe('stopped');
    expect(last).not.toBeNull();
    expect(session.state()).toBe('idle');
  });

  it('stop while paused ends training', async () => {
    const training = session.train(
      { epochs: 5 },
      () => undefined,
      () => undefined,
    );
    await sleep(100);
    await session.pause();
    await session.stop();
    expect((await training).reason).toBe('stopped');
  });

  it('predicts, finds mistakes, confusion cells, samples and visualisation data', () => {
    const samples = session.getTestSamples([0, 1, 2]);
    expect(samples.images.length).toBe(3 * 784);
    expect(samples.labels.length).toBe(3);
    const image = Float32Array.from(samples.images.subarray(0, 784), (v) => v / 255);
    const p = session.predict(image);
    expect(p.probabilities.length).toBe(10);
    expect(p.label).toBeGreaterThanOrEqual(0);
    const batch = session.predictTestSet([0, 1, 2]);
    expect(batch.predicted[0]).toBe(p.label);
    expect(Array.from(batch.labels)).toEqual(Array.from(samples.labels));
    const mistakes = session.worstMistakes(5);
    expect(mistakes.length).toBeGreaterThan(0);
    for (const m of mistakes) expect(m.label).not.toBe(m.predicted);
    for (let i = 1; i < mistakes.length; ++i) expect(mistakes[i].confidence).toBeLessThanOrEqual(mistakes[i - 1].confidence);
    const { index, label, predicted } = mistakes[0];
    expect(Array.from(session.confusionCell(label, predicted, 1000))).toContain(index);
    const evaluation = session.evaluate();
    const cell = evaluation.confusion[label * 10 + predicted];
    expect(session.confusionCell(label, predicted, 1000).length).toBe(cell);

    const v = session.visualize({ testIndex: 0 });
    expect(v.label).toBe(p.label);
    const conv = v.layers.find((l) => l.kind === 'conv')!;
    expect(conv.shape).toEqual([28, 28, 6]);
    expect(conv.parameters!.map((x) => x.name)).toEqual(['weight', 'bias']);
    expect(v.layers.at(-1)!.activations.length).toBe(10);
  });

  it('saves and loads models; corrupt bytes are refused and the model stays', () => {
    const bytes = session.save();
    const image = new Float32Array(784).fill(0.2);
    const before = Array.from(session.predict(image).probabilities);
    session.build(config); // another model
    const info = session.load(bytes);
    expect(info.summary.description).toMatch(/^conv 6 5x5 same relu/);
    expect(Array.from(session.predict(image).probabilities)).toEqual(before);
    const broken = bytes.slice();
    broken[40] ^= 1;
    expect(() => session.load(broken)).toThrow(/checksum|corrupt/i);
    expect(Array.from(session.predict(image).probabilities)).toEqual(before);
  });

  it('two-class config: filtered splits and labels', () => {
    const info = session.build({ ...config, description: 'cnn-binary', classes: [3, 8] });
    expect(info.classLabels).toEqual([3, 8]);
    expect(info.testCount).toBeLessThan(500);
    session.step(5);
    const samples = session.getTestSamples([0, 1, 2, 3]);
    for (const l of samples.labels) expect([3, 8]).toContain(l);
    expect(session.evaluate().classes).toBe(2);
    const reloaded = session.load(session.save());
    expect(reloaded.classLabels).toEqual([3, 8]);
  });

  it("augments with the data set's own distortions: flips for clothes, warps for digits", async () => {
    const files = bundledGz();
    const withAugment = { ...config, augment: { enabled: true } };
    await session.loadDataset({ kind: 'files', name: 'digits', files });
    session.build(withAugment);
    expect(session.trainingAugment()).toMatchObject({ enabled: true, mirror: false, maxShift: 2 });
    expect(session.trainingAugment()!.maxRotateDeg).toBeGreaterThan(0);
    // The same pixels under a clothes name (Fashion-MNIST's bundled id is 'fashion'): loading
    // data re-attaches the model, which now trains on left-right flips and no warps.
    await session.loadDataset({ kind: 'files', name: 'Fashion-MNIST (60,000 / 10,000)', files });
    expect(session.trainingAugment()).toEqual({ enabled: true, mirror: true, maxShift: 0, maxScale: 0, maxRotateDeg: 0 });
    expect(session.step(3).losses.every(Number.isFinite)).toBe(true);
    // What the config says wins over the data set's own; off stays off.
    session.configure({ augment: { enabled: true, maxShift: 1 } });
    expect(session.trainingAugment()).toMatchObject({ mirror: true, maxShift: 1 });
    session.configure({ augment: { enabled: false } });
    expect(session.trainingAugment()!.enabled).toBe(false);
    await session.loadDataset({ kind: 'files', name: 'digits', files });
  });

  it('bad descriptions and divergence reach the caller; the session carries on', async () => {
    const e = await caught(() => session.build({ ...config, description: 'dense 10 softmax | conv 3x3' }));
    expect(e.name).toBe('DescriptionError');
    session.build({ ...config, optimizer: 'sgd', learningRate: 1e9 });
    const d = await caught(
      session.train(
        { epochs: 1 },
        () => undefined,
        () => undefined,
      ),
    );
    expect(d.name).toBe('DivergenceError');
    expect(session.state()).toBe('idle');
    session.build(config);
    expect(session.step(2).losses.every(Number.isFinite)).toBe(true);
  });
});
