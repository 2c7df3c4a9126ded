// The engine's entry point: loads one of the two wasm builds shipped beside this file. The
// threaded build (SIMD + pthreads) needs SharedArrayBuffer, which browsers give only to
// cross-origin-isolated pages (COOP/COEP headers); everywhere else, Node included, the
// single-thread SIMD build runs. The module's API is the one the ScratchNet page's worker uses
// (scratchnet.d.ts): Dataset.parse(IDX bytes), Network.build/setData/setTraining/trainSteps/
// evaluate/predict/save/load/exportOnnx.

const inNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

/** True where the threaded build can run: a browser page or worker that is cross-origin isolated. */
export function canUseThreads() {
  return !inNode && globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer !== 'undefined';
}

export async function loadScratchNet(options = {}) {
  const threads = options.threads ?? canUseThreads();
  if (threads && !canUseThreads()) {
    throw new Error('the threaded build needs a cross-origin-isolated browser page (COOP/COEP headers)');
  }
  const variant = threads ? 'threads' : 'simd';
  const url = new URL(`./${variant}/scratchnet.mjs`, import.meta.url).href;
  const factory = (await import(/* @vite-ignore */ url)).default;
  const moduleOptions = { mainScriptUrlOrBlob: url, locateFile: (file) => new URL(`./${variant}/${file}`, import.meta.url).href };
  if (options.threadCount) moduleOptions.scratchnetThreads = options.threadCount;
  if (inNode) {
    // Emscripten 3.1.6's web loader cannot read files in Node: hand it the bytes.
    const { readFile } = await import('node:fs/promises');
    moduleOptions.wasmBinary = await readFile(new URL(`./${variant}/scratchnet.wasm`, import.meta.url));
  }
  const engine = await factory(moduleOptions);
  engine.variant = variant;
  return engine;
}
