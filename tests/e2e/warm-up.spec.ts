// The engine's idle-time warm-up (web/src/worker/warm-up.ts): it runs once the first screen is
// shown, and a run started at once cuts it short. What it is for, a faster first run, is a
// speed figure and lives in the bench (web/scripts/bench/README.md).
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { clickTrainOnceEnabled, stopButton, stopIfRunning, trainerWorker, until } from './helpers';

interface WarmUp {
  steps: number;
  stopped: boolean;
}

/** What the trainer worker's warm-up did, once it has ended (null before). */
const warmUpResult = async (page: Page): Promise<WarmUp | null> =>
  (await trainerWorker(page)
    ?.evaluate(() => (self as unknown as { scratchnetWarmUp?: () => WarmUp }).scratchnetWarmUp?.() ?? null)
    .catch(() => null)) ?? null;

test('the engine warms up in full while the first screen is read', async ({ page }) => {
  await page.goto('/?data=mnist&model=lenet', { waitUntil: 'load' });
  const result = await until(() => warmUpResult(page), { timeoutMs: 60_000, what: 'the warm-up to end' });
  expect(result).toEqual({ steps: 150, stopped: false });
});

test('a run started the moment Train is enabled cuts the warm-up short', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/?data=mnist&model=lenet&epochs=50&batch=16', { waitUntil: 'load' });
  await clickTrainOnceEnabled(page);
  const result = await until(() => warmUpResult(page), { timeoutMs: 60_000, what: 'the warm-up to end' });
  // A slice is 5 steps; the run's request arrives within the first few slices.
  expect(result.stopped, `warm-up ${JSON.stringify(result)}`).toBe(true);
  expect(result.steps).toBeLessThan(150);
  await until(() => stopButton(page).isEnabled(), { timeoutMs: 60_000, what: 'the run to start' });
  await stopIfRunning(page);
});
