// A crash of the trainer worker: reported, history kept, training starts again without a reload.
import { expect, trainedTest as test } from './fixtures';
import { shownBatch, stopButton, trainButton, trainerWorker, trainingIdle, until } from './helpers';

test('a worker crash mid-epoch is reported and training can start again without a reload', async ({ trainedPage: page, guard }) => {
  test.setTimeout(240_000);
  const runs = page.locator('#runs-panel').getByRole('button', { name: /^delete /i });
  await expect(runs.first(), 'the finished lenet run is listed under Compare runs').toBeVisible();
  const runsBefore = await runs.count();
  await trainButton(page).click();
  // Mid-epoch: some batches done (an epoch of lenet at batch 16 is 532 batches).
  await until(async () => ((await shownBatch(page))?.[0] ?? 0) >= 5, { timeoutMs: 60_000, what: 'training to be under way' });
  // The trainer worker is the module worker the page started (not Emscripten's pthreads).
  const worker = trainerWorker(page);
  expect(
    worker,
    `a trainer worker among ${page
      .workers()
      .map((w) => w.url())
      .join(', ')}`,
  ).toBeTruthy();
  await guard.allowErrors(async () => {
    // An uncaught exception in the worker's global scope: what a real crash looks like to the
    // page (an "error" event on the Worker).
    await worker!.evaluate(() => {
      setTimeout(() => {
        throw new Error('simulated crash (e2e test)');
      }, 0);
    });
    await expect(page.locator('#messages')).toContainText(/crash|restart/i, { timeout: 30_000 });
    await trainingIdle(page, 90_000);
  });
  // Run history (IndexedDB) is intact: the runs listed before are still there.
  expect(await runs.count(), `runs listed: ${runsBefore} before the crash`).toBeGreaterThanOrEqual(runsBefore);
  // Start again, no reload: batches move.
  await trainButton(page).click();
  await until(async () => ((await shownBatch(page))?.[0] ?? 0) >= 5, {
    timeoutMs: 90_000,
    what: 'training to run again after the restart',
  });
  await stopButton(page).click();
  await trainingIdle(page, 90_000);
});
