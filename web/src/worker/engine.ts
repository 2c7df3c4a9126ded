// Loading the wasm module. Shared by the worker and the Node tests: no DOM, no Worker globals.
import type { ScratchNetFactory, ScratchNetModule, ScratchNetModuleOptions } from '../../../wasm/scratchnet';
import type { Variant } from './protocol';

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
