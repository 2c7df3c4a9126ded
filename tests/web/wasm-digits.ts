// The wasm module and the bundled digits one test file's tests share. `useDigits(variant)` at the
// top of a file loads them before its first test and deletes the digits after its last; `m`,
// `train` and `test` are set from then on. Vitest gives each test file its own copy of this
// module (pool: forks, isolated), so two files never share these bindings.
import { afterAll, beforeAll } from 'vitest';
import type { ScratchNetModule, WasmDataset } from '../../wasm/scratchnet';
import { deleteAll, loadModuleWithDigits } from './wasm-module';

export let m: ScratchNetModule;
export let train: WasmDataset;
export let test: WasmDataset;

export function useDigits(variant: 'simd' | 'threads' | 'debug' = 'simd'): void {
  beforeAll(async () => ({ m, train, test } = await loadModuleWithDigits(variant)));
  afterAll(() => deleteAll(train, test));
}
