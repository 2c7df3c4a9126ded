// Browser tests on @playwright/test: Debian's chromium (never a downloaded browser), the built
// page served by serve.mjs (Vite preview with COOP/COEP), traces and screenshots on failure.
//   npm run test:e2e                          build the page if stale, then every spec
//   npm run test:e2e -- draw.spec.ts          one file;  -- -g "crash"  tests whose title matches
//   E2E_SKIP_BUILD=1 npm run test:e2e         serve build/dist as it is
//   E2E_CHROMIUM=/path/to/chrome              another browser binary
// Reports and failure artifacts (trace.zip, screenshots) go to tests/e2e/artifacts/ (gitignored):
// npx playwright show-trace tests/e2e/artifacts/<test>/trace.zip
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

export const chromiumPath = process.env.E2E_CHROMIUM || '/usr/bin/chromium';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: 'artifacts',
  // Two cores: the page already trains on two threads, so more workers only slow every test.
  workers: 2,
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Per test; long ones set their own (test.setTimeout). Generous for a busy machine.
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  webServer: {
    command: 'node tests/e2e/serve.mjs',
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    // The server prints its port; Playwright stores the named group as E2E_PORT for the workers.
    wait: { stdout: /serving build\/dist at http:\/\/127\.0\.0\.1:(?<e2e_port>\d+)\// },
    // vite build runs first when build/dist is stale.
    timeout: 300_000,
    stdout: 'pipe',
    reuseExistingServer: false,
  },
  use: {
    browserName: 'chromium',
    headless: !process.env.E2E_HEADED,
    viewport: { width: 1280, height: 1000 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 20_000,
    launchOptions: {
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-default-apps',
        '--disable-extensions',
        '--no-first-run',
        '--no-default-browser-check',
        '--disable-quic',
        '--metrics-recording-only',
        '--disable-features=Translate,OptimizationHints,MediaRouter',
        // Background tabs must not be throttled while a test waits on training.
        '--disable-background-timer-throttling',
        '--disable-renderer-backgrounding',
        // gc() in the page and the trainer worker, so the memory test samples after collection.
        '--js-flags=--expose-gc',
      ],
    },
  },
});
