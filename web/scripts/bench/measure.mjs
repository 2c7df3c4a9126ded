// Training throughput of one wasm module: samples/s at batch 64 (Adam, bundled digits), the
// same code in Node and in the browser bench worker. Warm-up first (tier-up, buffers), then
// rounds of a few steps for `seconds`; the best round counts (like `nn bench`), because on a
// shared machine other processes only ever make a round slower.
// The two workloads by name, fixed here rather than taken from the presets (which change with
// their goals), so that figures stay comparable across runs; `nn bench` (core/cli/bench.cpp)
// and the TF.js worker (tfjs-worker.js) build the same networks.
export const WORKLOADS = {
  mlp: 'dense 128 relu | dense 64 relu | dense 10 softmax',
  lenet: 'conv 8 5x5 relu | maxpool 2 | conv 16 5x5 relu | maxpool 2 | flatten | dense 10 softmax',
};

export function measure(m, train, test, preset, threads, seconds = 2) {
  const net = new m.Network();
  try {
    net.setData(train, test, []);
    net.build(WORKLOADS[preset] ?? preset, 1);
    const used = net.setThreads(threads);
    net.setTraining({ optimizer: 'adam', learningRate: 0.001, batchSize: 64, seed: 1 });
    net.trainSteps(10);
    const rates = [];
    const start = performance.now();
    while (performance.now() - start < seconds * 1000) {
      const t0 = performance.now();
      let samples = 0;
      // Rounds of >= 100 ms so timer resolution (coarse in browsers) does not matter.
      while (performance.now() - t0 < 100) samples += net.trainSteps(2).length * 64;
      rates.push(samples / ((performance.now() - t0) / 1000));
    }
    rates.sort((a, b) => a - b);
    return { preset, threads: used, samplesPerSecond: rates.at(-1), median: rates[rates.length >> 1], rounds: rates.length };
  } finally {
    net.delete();
  }
}

export function loadData(m, files) {
  const train = new m.Dataset();
  const test = new m.Dataset();
  train.parse(files.trainImages, files.trainLabels);
  test.parse(files.testImages, files.testLabels);
  return { train, test };
}

// The ceiling the throughput above is read against: this module's single-thread SIMD peak (the
// register-only multiply-add loop `nn bench` times natively) and its GEMM on the shapes whose
// native rates `nn bench` also prints. Best of short rounds, like everything here.
export const gemmShapes = [
  { name: 'square 256^3', m: 256, n: 256, k: 256, transA: false, transB: false },
  { name: 'lenet conv2 forward', m: 4096, n: 16, k: 200, transA: false, transB: false },
];
export function measureCeiling(m, seconds = 0.5) {
  const out = [{ kind: 'peak', gflops: m.measurePeakGflops(seconds), simd: m.simdDescription() }];
  for (const s of gemmShapes)
    out.push({ kind: 'gemm', name: s.name, gflops: m.measureGemmGflops(s.m, s.n, s.k, s.transA, s.transB, seconds) });
  return out;
}
