// The engine's training defaults, limits and preset settings for tests, read from the real wasm
// module the way the worker reads them (engineSettingsOf), and the page's default configuration
// built from them.
import { defaultConfig, type EngineSettings, type TrainConfig } from '../../web/src/state/config';
import { engineSettingsOf } from '../../web/src/worker/settings';
import { loadWasm } from './wasm-module';

let cached: Promise<EngineSettings> | null = null;

export function engineSettings(): Promise<EngineSettings> {
  cached ??= loadWasm('simd').then((m) => engineSettingsOf(m.Network));
  return cached;
}

/** The page's configuration with nothing chosen: the engine's defaults. */
export async function engineDefaultConfig(): Promise<TrainConfig> {
  return defaultConfig(await engineSettings());
}
