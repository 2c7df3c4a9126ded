// The browser half of the bench: a module Worker (like the page's) that loads one wasm variant
// from /wasm/<variant>/, the bundled digits from /data/mnist/, and measures each preset.
import { loadData, measure, measureCeiling } from './measure.mjs';

async function bytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const stream = response.body.pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

self.onmessage = async ({ data: { variant, threads, seconds, presets } }) => {
  try {
    const url = new URL(`/wasm/${variant}/scratchnet.mjs`, self.location.href).href;
    const { default: create } = await import(url);
    const m = await create({ mainScriptUrlOrBlob: url, scratchnetThreads: threads });
    const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
      ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'].map((name) =>
        bytes(`/data/mnist/${name}`),
      ),
    );
    const { train, test } = loadData(m, { trainImages, trainLabels, testImages, testLabels });
    const results = presets.map((preset) => measure(m, train, test, preset, threads, seconds));
    if (variant === 'simd') results.push(...measureCeiling(m));
    self.postMessage({ ok: true, results, isolated: self.crossOriginIsolated });
  } catch (e) {
    self.postMessage({ ok: false, error: String((e && e.stack) || e) });
  }
};
