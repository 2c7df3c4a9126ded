// Vitest for Stryker (npm run test:mutation): the unit tests of the pure TypeScript modules
// only, without the wasm global setup. Tests that need the built engine skip themselves when
// build/ is absent, as it is in Stryker's sandbox.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  root,
  test: {
    // MUTATION_TESTS narrows the files for a run over one group of modules (README in this
    // folder): Stryker's first run executes every included test, and the draw group's
    // preprocessing test is long.
    include: process.env.MUTATION_TESTS?.split(',') ?? [
      'tests/web/draw-*.test.ts',
      'tests/web/state-*.test.ts',
      'tests/web/data-*.test.ts',
      'tests/web/worker-thread-tuner.test.ts',
      'tests/web/worker-pure.test.ts',
    ],
    environment: 'node',
    pool: 'forks',
    // Tests that redraw many digits check fewer of them under mutation (draw-preprocess.test.ts).
    env: { SCRATCHNET_MUTATION: '1' },
    // Instrumented code on a busy 2-core machine runs many times slower than usual.
    testTimeout: 600_000,
  },
});
