// The engine's training defaults, limits and preset settings for tests, read from the real wasm
// module the way the worker reads them (engineSettingsOf), and the page's default configuration
// built from them.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ScratchNetFactory } from '../../wasm/scratchnet';
import { defaultConfig, type EngineSettings, type TrainConfig } from '../../web/src/state/config';
import { engineSettingsOf } from '../../web/src/worker/settings';
import { root } from './wasm-module';

/** The built simd module: in this checkout, or (in Stryker's sandbox under build/, which has no
 * build of its own) in the checkout that holds the sandbox. */
function simdDir(): string {
  for (let dir = root; ; dir = dirname(dir)) {
    const candidate = join(dir, 'build/public/wasm/simd');
    if (existsSync(join(candidate, 'scratchnet.wasm'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`no built wasm module above ${root}: run npm run build:wasm (web/scripts/build-wasm.sh)`);
  }
}

async function load(): Promise<EngineSettings> {
  const dir = simdDir();
  const url = pathToFileURL(join(dir, 'scratchnet.mjs')).href;
  const factory = ((await import(/* @vite-ignore */ url)) as { default: ScratchNetFactory }).default;
  // Emscripten 3.1.6's web loader cannot read files in Node: hand it the bytes.
  const m = await factory({ wasmBinary: readFileSync(join(dir, 'scratchnet.wasm')), mainScriptUrlOrBlob: url });
  return engineSettingsOf(m.Network);
}

let cached: Promise<EngineSettings> | null = null;

export function engineSettings(): Promise<EngineSettings> {
  cached ??= load();
  return cached;
}

/** The page's configuration with nothing chosen: the engine's defaults. */
export async function engineDefaultConfig(): Promise<TrainConfig> {
  return defaultConfig(await engineSettings());
}

/** A preset's recommended settings (the engine's names) as the page's config fields that show them. */
export function recommendedFields(s: EngineSettings['presets'][string]) {
  return {
    optimizer: s.optimizer,
    learningRate: s.learningRate,
    schedule: s.schedule.kind,
    batchSize: s.batchSize,
    epochs: s.epochs,
    augment: s.augment.enabled,
  };
}
