// Reference column: the same models (measure.mjs's WORKLOADS), batch, optimizer and data
// trained by TensorFlow.js's cpu backend (what a page would use instead), in a classic Worker
// like the wasm bench. tf.min.js comes from an npm install into build/bench-tfjs (bench.sh),
// served at /tfjs/.
/* global tf */
importScripts('/tfjs/tf.min.js');

async function bytes(url) {
  const response = await fetch(url);
  const stream = response.body.pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function model(preset) {
  const m = tf.sequential();
  if (preset === 'mlp') {
    m.add(tf.layers.flatten({ inputShape: [28, 28, 1] }));
    m.add(tf.layers.dense({ units: 128, activation: 'relu' }));
    m.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  } else {
    m.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 5, activation: 'relu' }));
    m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    m.add(tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }));
    m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    m.add(tf.layers.flatten());
  }
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  m.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy' });
  return m;
}

self.onmessage = async ({ data: { seconds, presets } }) => {
  try {
    await tf.setBackend('cpu');
    await tf.ready();
    const images = await bytes('/data/mnist/train-images-idx3-ubyte.gz');
    const labels = await bytes('/data/mnist/train-labels-idx1-ubyte.gz');
    const n = labels.length - 8;
    const xs = tf.tidy(() =>
      tf.tensor4d(
        Float32Array.from(images.subarray(16), (v) => v / 255),
        [n, 28, 28, 1],
      ),
    );
    const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from(labels.subarray(8)), 'int32'), 10));
    const batches = Math.floor(n / 64);
    const results = [];
    for (const preset of presets) {
      const m = model(preset);
      let b = 0;
      const stepOnce = async () => {
        const x = xs.slice([b * 64, 0, 0, 0], [64, 28, 28, 1]);
        const y = ys.slice([b * 64, 0], [64, 10]);
        await m.trainOnBatch(x, y);
        x.dispose();
        y.dispose();
        b = (b + 1) % batches;
      };
      for (let i = 0; i < 3; ++i) await stepOnce();
      const rates = [];
      const start = performance.now();
      while (performance.now() - start < seconds * 1000) {
        const t0 = performance.now();
        let samples = 0;
        while (performance.now() - t0 < 100) {
          await stepOnce();
          samples += 64;
        }
        rates.push(samples / ((performance.now() - t0) / 1000));
      }
      m.dispose();
      results.push({ preset, threads: 1, samplesPerSecond: Math.max(...rates), rounds: rates.length });
    }
    self.postMessage({ ok: true, results, isolated: self.crossOriginIsolated });
  } catch (e) {
    self.postMessage({ ok: false, error: String((e && e.stack) || e) });
  }
};
