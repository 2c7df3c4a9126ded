// Vitest for Stryker (npm run test:mutation): the unit tests of the pure TypeScript modules
// only, without the wasm global setup. Tests that need the built engine skip themselves when
// build/ is absent, as it is in Stryker's sandbox.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  root,
  test: {
    include: ['tests/web/draw-heatmap.test.ts', 'tests/web/draw-exact.test.ts', 'tests/web/draw-drawn-digit.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Instrumented code on a busy 2-core machine runs many times slower than usual.
    testTimeout: 120_000,
  },
});
