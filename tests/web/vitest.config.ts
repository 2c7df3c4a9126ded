// Vitest in Node for the web side: pure modules and the real wasm module (tests/web/wasm*,
// worker*). The global setup builds the wasm variants (incremental) and the native CLI the
// parity test compares against, so `npm run test:web` on a fresh clone tests fresh code.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  root,
  test: {
    include: ['tests/web/**/*.test.ts'],
    globalSetup: ['tests/web/wasm-global-setup.ts'],
    environment: 'node',
    // Two cores: run files one after another so timings (pause latency) mean something.
    fileParallelism: false,
    pool: 'forks',
    testTimeout: 180_000,
    hookTimeout: 600_000,
  },
});
