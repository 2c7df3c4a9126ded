// Helpers for the wasm tests: load a variant of the real module in Node, read the bundled data.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { ScratchNetFactory, ScratchNetModule, WasmDataset } from '../../wasm/scratchnet';
import type { IdxFiles } from '../../web/src/worker/protocol';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const dataDir = `${root}/build/public/data/mnist`;

/** The losses of the first `steps` batches of `nn train` (the native CLI at `binary`) on the bundled
 * digits: one epoch, one thread, seed 1, plus `flags`. */
export function nativeLosses(binary: string, model: string, steps: number, flags: string[]): number[] {
  const args = ['train', '--model', model, '--data', dataDir, '--epochs', '1', '--threads', '1', '--seed', '1'];
  const out = execFileSync(binary, [...args, '--print-losses', String(steps), ...flags], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return [...out.matchAll(/^step (\d+) loss (\S+)$/gm)].map((match) => Number(match[2]));
}

/** simd / threads: the served builds; debug: assertions + SAFE_HEAP (build/wasm-debug/out). */
export async function loadWasm(variant: 'simd' | 'threads' | 'debug' = 'simd', threads = 2): Promise<ScratchNetModule> {
  const dir = variant === 'debug' ? `${root}/build/wasm-debug/out` : `${root}/build/public/wasm/${variant}`;
  if (variant === 'threads') {
    // @ts-expect-error plain .mjs helper without types
    const shim = await import('../../web/scripts/bench/node-web-worker.mjs');
    shim.installWebWorker();
  }
  const url = pathToFileURL(`${dir}/scratchnet.mjs`).href;
  const factory = ((await import(/* @vite-ignore */ url)) as { default: ScratchNetFactory }).default;
  // Emscripten 3.1.6's web loader cannot read files in Node: hand it the bytes.
  const options = { wasmBinary: readFileSync(`${dir}/scratchnet.wasm`), mainScriptUrlOrBlob: url, scratchnetThreads: threads };
  if (variant !== 'debug') return factory(options);
  // With assertions the loader insists on a web or worker environment and refuses Node ("node
  // environment detected but not enabled at build time"). It looks only in the factory's
  // synchronous start, so pose as a window for exactly that moment.
  const g = globalThis as { window?: unknown };
  const versions = Object.getOwnPropertyDescriptor(process, 'versions')!;
  g.window = {};
  Object.defineProperty(process, 'versions', { value: undefined, configurable: true });
  let started: Promise<ScratchNetModule>;
  try {
    started = factory(options);
  } finally {
    Object.defineProperty(process, 'versions', versions);
    delete g.window;
  }
  return started;
}

/** The bundled digits, gzipped as shipped. */
export function bundledGz(): IdxFiles<Uint8Array> {
  const read = (name: string) => new Uint8Array(readFileSync(`${dataDir}/${name}`));
  return {
    trainImages: read('train-images-idx3-ubyte.gz'),
    trainLabels: read('train-labels-idx1-ubyte.gz'),
    testImages: read('t10k-images-idx3-ubyte.gz'),
    testLabels: read('t10k-labels-idx1-ubyte.gz'),
  };
}

/** The bundled digits, inflated. */
export function bundled(): IdxFiles<Uint8Array> {
  const gz = bundledGz();
  const inflate = (b: Uint8Array) => new Uint8Array(gunzipSync(b));
  return {
    trainImages: inflate(gz.trainImages),
    trainLabels: inflate(gz.trainLabels),
    testImages: inflate(gz.testImages),
    testLabels: inflate(gz.testLabels),
  };
}

export function loadSplits(m: ScratchNetModule, files = bundled()): { train: WasmDataset; test: WasmDataset } {
  const train = new m.Dataset();
  const test = new m.Dataset();
  train.parse(files.trainImages, files.trainLabels);
  test.parse(files.testImages, files.testLabels);
  return { train, test };
}

/** A module of `variant` with the bundled splits loaded into it; the caller deletes the splits. */
export async function loadModuleWithDigits(
  variant: 'simd' | 'threads' | 'debug' = 'simd',
): Promise<{ m: ScratchNetModule; train: WasmDataset; test: WasmDataset }> {
  const m = await loadWasm(variant);
  return { m, ...loadSplits(m) };
}

/** Deletes Embind objects, skipping those never made (a beforeAll that failed). */
export function deleteAll(...objects: Array<{ delete(): void } | undefined>): void {
  for (const o of objects) o?.delete();
}

export function mean(values: ArrayLike<number>, from = 0, to = values.length): number {
  let s = 0;
  for (let i = from; i < to; ++i) s += values[i];
  return s / (to - from);
}
