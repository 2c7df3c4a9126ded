// Benchmarks that need the page's TypeScript modules in Node (npm run bench:pad): Vitest runs
// them like tests, but they are not part of npm test.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  test: { include: ['web/scripts/bench/*.measure.ts'], environment: 'node', testTimeout: 3_600_000 },
});
