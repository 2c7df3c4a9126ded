// Offline: after one visit the service worker (web/vite.config.ts, vite-plugin-pwa) serves the
// page, both wasm builds and the digits from its cache with their COOP/COEP headers, so with the
// network gone a reload still runs the threaded engine, trains and reads a drawn digit.
import { expect, test } from './fixtures';
import { drawOne, inkSeen, shownBatch, stopIfRunning, trainButton, trainReady, trainingIdle, until } from './helpers';

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
