// Loading the wasm module and the bytes it eats. Shared by the worker and the Node tests: no
// DOM, no Worker globals beyond fetch / DecompressionStream (both in Node 20 too).
import type { ScratchNetFactory, ScratchNetModule, ScratchNetModuleOptions } from '../../../wasm/scratchnet';
import type { IdxFiles, Variant } from './protocol';

/** Threads need SharedArrayBuffer, which browsers only give crossOriginIsolated pages. */
export function pickVariant(): Variant {
  const g = globalThis as { crossOriginIsolated?: boolean };
  return g.crossOriginIsolated === true && typeof SharedArrayBuffer !== 'undefined' ? 'threads' : 'simd';
}

/** URL of a variant's module under the site's base ('/' by default). */
export function moduleUrl(variant: Variant, base: string): string {
  const root = new URL(base, (globalThis as { location?: { href: string } }).location?.href ?? 'file:///');
  return new URL(`wasm/${variant}/scratchnet.mjs`, root).href;
}

/**
 * Imports build/public/wasm/<variant>/scratchnet.mjs (not bundled: it lives in publicDir).
 * mainScriptUrlOrBlob is what Emscripten 3.1.6's pthread workers (scratchnet.worker.js) import;
 * since 3.1.58 the workers are started from the module's own import.meta.url and ignore it.
 */
export async function loadModule(url: string, options: ScratchNetModuleOptions = {}): Promise<ScratchNetModule> {
  const imported = (await import(/* @vite-ignore */ url)) as { default: ScratchNetFactory };
  return imported.default({ mainScriptUrlOrBlob: url, ...options });
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/** Inflates gzip bytes (detected by magic number); other bytes are returned as they are. */
export async function maybeGunzip(bytes: Uint8Array): Promise<Uint8Array> {
  if (bytes.length < 2 || bytes[0] !== GZIP_MAGIC_0 || bytes[1] !== GZIP_MAGIC_1) return bytes;
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw namedError('FormatError', `the file is not valid gzip data (${(e as Error).message})`);
  }
}

export async function fetchBytes(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw namedError('EngineError', `could not fetch ${url}: ${(e as Error).message}`);
  }
  if (!response.ok) throw namedError('EngineError', `could not fetch ${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

export async function gunzipAll(files: IdxFiles<Uint8Array>): Promise<IdxFiles<Uint8Array>> {
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all([
    maybeGunzip(files.trainImages),
    maybeGunzip(files.trainLabels),
    maybeGunzip(files.testImages),
    maybeGunzip(files.testLabels),
  ]);
  return { trainImages, trainLabels, testImages, testLabels };
}

export async function fetchAll(files: IdxFiles<string>): Promise<IdxFiles<Uint8Array>> {
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all([
    fetchBytes(files.trainImages),
    fetchBytes(files.trainLabels),
    fetchBytes(files.testImages),
    fetchBytes(files.testLabels),
  ]);
  return { trainImages, trainLabels, testImages, testLabels };
}

export function bundledFiles(id: string, base: string): IdxFiles<string> {
  const root = new URL(`data/${id}/`, new URL(base, (globalThis as { location?: { href: string } }).location?.href ?? 'file:///'));
  const at = (name: string) => new URL(name, root).href;
  return {
    trainImages: at('train-images-idx3-ubyte.gz'),
    trainLabels: at('train-labels-idx1-ubyte.gz'),
    testImages: at('t10k-images-idx3-ubyte.gz'),
    testLabels: at('t10k-labels-idx1-ubyte.gz'),
  };
}

export function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}
