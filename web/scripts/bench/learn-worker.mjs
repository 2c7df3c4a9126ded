// The bare-worker half of page-learn.mjs and page.mjs: a module Worker that loads the threads
// build and a data set from the bench server and trains a model for `seconds` (or one epoch),
// with nothing else running: what the page's training could reach on the same build, data and
// machine. By default the fast preset on full MNIST with its recommended settings (Adam 0.01,
// beta1 0.7, beta2 0.9, one-cycle, batch 128); `model`, `data` (a folder under data/) and
// `training` (Network.setTraining's fields) replace them. With `target` (an accuracy) it trains
// a preset with the settings it recommends, over `epochs` (or the preset's own), evaluates
// after each epoch and stops at the first that reaches the target: `trainMs + evalMs` is then
// the time to that accuracy. With `warm` (steps) it first warms the engine up as the page's
// worker does (web/src/worker/warm-up.ts, that many steps), then waits `warmWait` ms.
const FAST = {
  model: 'fast',
  data: 'mnist-full',
  training: {
    optimizer: 'adam',
    learningRate: 0.01,
    batchSize: 128,
    seed: 1,
    beta1: 0.7,
    beta2: 0.9,
    schedule: { kind: 'onecycle', epochs: 1 },
  },
};
async function idx(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const raw = new Uint8Array(await response.arrayBuffer());
  if (raw[0] !== 0x1f || raw[1] !== 0x8b) return raw;
  return new Uint8Array(await new Response(new Blob([raw]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
}

/** A preset's recommended settings (Network.presets()) as Network.setTraining's fields, its
 * schedule over `epochs` (or the preset's own count), seed 1. */
function recommended(m, model, epochs) {
  const s = m.Network.presets().find((p) => p.name === model)?.settings;
  if (!s) throw new Error(`${model}: not a preset with recommended settings`);
  const { optimizer, learningRate, batchSize, beta1, beta2, momentum, weightDecay, labelSmoothing, augment } = s;
  const schedule = { kind: s.schedule.kind, epochs: epochs ?? s.epochs, warmup: s.schedule.warmup };
  return { optimizer, learningRate, batchSize, beta1, beta2, momentum, weightDecay, labelSmoothing, augment, seed: 1, schedule };
}

self.onmessage = async ({
  data: { warm = 0, warmWait = 0, threads, seconds, model = FAST.model, data = FAST.data, training = FAST.training, target, epochs },
}) => {
  try {
    const url = new URL('/wasm/threads/scratchnet.mjs', self.location.href).href;
    const { default: create } = await import(url);
    const m = await create({ mainScriptUrlOrBlob: url, scratchnetThreads: threads });
    const files = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];
    const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(files.map((f) => idx(`/data/${data}/${f}`)));
    const train = new m.Dataset();
    const test = new m.Dataset();
    train.parse(trainImages, trainLabels);
    test.parse(testImages, testLabels);
    let warmSteps = 0;
    if (warm > 0) {
      const { warmUp } = await import(new URL('/src/worker/warm-up.ts', self.location.href).href);
      warmSteps = (await warmUp(m, () => false, warm)).steps;
    }
    if (warmWait > 0) await new Promise((done) => setTimeout(done, warmWait));
    const net = new m.Network();
    net.setData(train, test, []);
    net.build(model, 1);
    const used = net.setThreads(threads);
    const settings = target === undefined ? training : recommended(m, model, epochs);
    net.setTraining(settings);
    const perEpoch = net.progress().batchesPerEpoch;
    // Without a target: one epoch, cut short at `seconds`. With one: epochs until an evaluation
    // reaches it, or the schedule's last.
    const last = target === undefined ? 1 : settings.schedule.epochs;
    let steps = 0,
      trainMs = 0,
      evalMs = 0,
      accuracy = 0;
    for (let epoch = 1; epoch <= last && !(accuracy >= target); epoch++) {
      const t0 = performance.now();
      let done = 0;
      while (done < perEpoch && performance.now() - t0 < seconds * 1000) done += net.trainSteps(Math.min(4, perEpoch - done)).length;
      trainMs += performance.now() - t0;
      steps += done;
      const e0 = performance.now();
      accuracy = net.evaluate(false).accuracy;
      evalMs += performance.now() - e0;
    }
    self.postMessage({ ok: true, threads: used, warmSteps, steps, trainMs, evalMs, accuracy });
    net.delete();
    train.delete();
    test.delete();
  } catch (e) {
    self.postMessage({ ok: false, error: String((e && e.stack) || e) });
  }
};
