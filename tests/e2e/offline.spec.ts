// Offline: after one visit the service worker (web/vite.config.ts, vite-plugin-pwa) serves the
// page, both wasm builds and the digits from its cache with their COOP/COEP headers, so with the
// network gone a reload still runs the threaded engine, trains and reads a drawn digit.
import { expect, test } from './fixtures';
import {
  clickTrainOnceEnabled,
  drawOne,
  inkSeen,
  shownBatch,
  stopButton,
  stopIfRunning,
  trainButton,
  trainReady,
  trainingIdle,
  until,
} from './helpers';

/** Trains until `batches` more batches are shown, then stops. */
async function trainBriefly(page: import('@playwright/test').Page, batches: number): Promise<void> {
  const start = (await shownBatch(page))?.[0] ?? 0;
  await trainButton(page).click();
  await until(async () => ((await shownBatch(page))?.[0] ?? 0) >= start + batches, {
    timeoutMs: 90_000,
    what: `${batches} batches of training`,
  });
  await stopIfRunning(page);
  await trainingIdle(page, 30_000);
}

test('after one visit the page reloads offline, runs the threaded engine, trains and reads a drawing', async ({ page, context, guard }) => {
  test.setTimeout(300_000);
  await page.goto('/?data=mnist&model=lenet&epochs=1&lr=0.002&sched=constant&batch=16', { waitUntil: 'load' });
  await trainReady(page);
  // The worker installs (precaching the page, wasm and digits) and takes control of the page.
  await until(() => page.evaluate(() => navigator.serviceWorker.controller !== null), {
    timeoutMs: 60_000,
    what: 'the service worker to control the page',
  });
  await trainBriefly(page, 30);

  await context.setOffline(true);
  // Offline, the browser logs the requests that fail: the one below, and the service worker's
  // own update check on reload.
  await guard.allowErrors(async () => {
    // The network really is gone: a request the worker does not cache fails.
    expect(
      await page.evaluate(() =>
        fetch('/not-cached.txt').then(
          () => 'ok',
          () => 'failed',
        ),
      ),
    ).toBe('failed');
    await page.reload({ waitUntil: 'load' });
    await trainReady(page);
  });
  expect(await page.evaluate(() => crossOriginIsolated), 'the cached page is cross-origin isolated').toBe(true);
  await expect(page.locator('#engine-badge')).toContainText(/threads/i);

  // Enough training that a drawn 1 is read as a 1.
  await trainBriefly(page, 300);
  const one = await drawOne(page);
  expect(await inkSeen(page), 'ink in the 28x28 view').toBeGreaterThan(10);
  expect(one.digit, `a vertical stroke was read as ${one.digit}: ${one.text}`).toBe(1);
  await context.setOffline(false);
});

test('the service worker does not install while a first run trains, and registers once it ends', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(`/?data=mnist&model=lenet&epochs=50&batch=16`, { waitUntil: 'load' });
  // Train the moment it is enabled, from inside the page: before the quiet seconds after the
  // first screen (web/src/offline.ts, QUIET_MS = 3 s) have passed, however busy the machine.
  await clickTrainOnceEnabled(page);
  const registered = () => page.evaluate(async () => (await navigator.serviceWorker.getRegistration()) !== undefined);
  expect(await registered(), 'registered when Train was clicked').toBe(false);
  // The model builds, then the run starts (seconds on a busy machine): no registration meanwhile.
  await until(
    async () => {
      expect(await registered(), 'registered while the run starts').toBe(false);
      return stopButton(page).isEnabled();
    },
    { timeoutMs: 60_000, what: 'the run to start' },
  );
  // Twice the quiet time and more of training: the install would have begun by now.
  const until10s = Date.now() + 10_000;
  while (Date.now() < until10s) {
    expect(await stopButton(page).isEnabled(), 'still training').toBe(true);
    expect(await registered(), 'registered while training runs').toBe(false);
    await page.waitForTimeout(500);
  }
  await stopIfRunning(page);
  await trainingIdle(page, 30_000);
  await until(registered, { timeoutMs: 30_000, what: 'the service worker to register after the run' });
});
