// wasm in Node: node web/scripts/bench/node.mjs simd|threads THREADS SECONDS -> JSON lines.
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { installWebWorker } from './node-web-worker.mjs';
import { loadData, measure, measureCeiling } from './measure.mjs';

const [variant = 'simd', threadArg = '1', secondsArg = '2'] = process.argv.slice(2);
const root = fileURLToPath(new URL('../../..', import.meta.url));
const dir = `${root}/build/public/wasm/${variant}`;
const threads = Number(threadArg);
if (variant === 'threads') installWebWorker();
const url = pathToFileURL(`${dir}/scratchnet.mjs`).href;
const { default: create } = await import(url);
const m = await create({
  wasmBinary: readFileSync(`${dir}/scratchnet.wasm`),
  mainScriptUrlOrBlob: url,
  scratchnetThreads: threads,
  // Node counts as a "main browser thread" for 3.1.6, which warns about blocking; a bench may.
  printErr: (text) => {
    if (!/Blocking on the main thread/.test(text)) console.error(text);
  },
});
const read = (name) => new Uint8Array(gunzipSync(readFileSync(`${root}/build/public/data/mnist/${name}`)));
const { train, test } = loadData(m, {
  trainImages: read('train-images-idx3-ubyte.gz'),
  trainLabels: read('train-labels-idx1-ubyte.gz'),
  testImages: read('t10k-images-idx3-ubyte.gz'),
  testLabels: read('t10k-labels-idx1-ubyte.gz'),
});
// Peak and GEMM only single-threaded (the simd build), the training ratios' ceiling.
if (variant === 'simd') for (const r of measureCeiling(m)) console.log(JSON.stringify({ where: 'node', variant, ...r }));
for (const preset of ['mlp', 'lenet']) {
  console.log(JSON.stringify({ where: 'node', variant, ...measure(m, train, test, preset, threads, Number(secondsArg)) }));
}
process.exit(0);
