// Types of the engine package: loadScratchNet() resolves to the module scratchnet.d.ts describes.
import type { ScratchNetModule } from './scratchnet.js';

export type * from './scratchnet.js';

export interface LoadOptions {
  /** Force the build: true needs a cross-origin-isolated browser page. Default: threads where possible. */
  threads?: boolean;
  /** Threaded build: size of its thread pool (default: the device's cores). */
  threadCount?: number;
}

/** True where the threaded build can run (a cross-origin-isolated browser context). */
export function canUseThreads(): boolean;

/** Loads the engine; `variant` says which build runs. */
export function loadScratchNet(options?: LoadOptions): Promise<ScratchNetModule & { variant: 'simd' | 'threads' }>;
