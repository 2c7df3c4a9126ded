// Model files: what "Save model" writes, another page loads, and Train continues its weights.
import { join } from 'node:path';
import { expect, trainedTest as test } from './fixtures';
import { MIN_ACCURACY, shownLoss, shownTestAccuracy, stopIfRunning, trainButton, trainReady, trainingIdle, until } from './helpers';

test('a saved model file, loaded in another page, shows its accuracy and Train continues its weights', async ({
  trainedPage: page,
  context,
}, testInfo) => {
  test.setTimeout(240_000);
  // Save the trained lenet (one epoch, >= 95%).
  const saveButton = page.locator('#model-file-panel').getByRole('button', { name: /save model/i });
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), saveButton.click()]);
  const file = join(testInfo.outputDir, 'saved-lenet.snmodel');
  await download.saveAs(file);
  const other = await context.newPage();
  // Settings for another model (mlp): the page builds nothing until asked.
  await other.goto('/?data=mnist&model=mlp&epochs=1', { waitUntil: 'load' });
  await trainReady(other);
  const before = ((await trainButton(other).textContent()) ?? '').trim();
  expect(before, 'Train offers to continue before a model matching the settings is loaded').not.toMatch(/continue/i);
  await other.locator('#model-file-panel input[type=file]').setInputFiles(file);
  await expect(other.locator('#messages')).toContainText(/model loaded/i, { timeout: 30_000 });
  // The settings now describe the loaded model: Train says it continues.
  const label = await until(
    async () => {
      const t = ((await trainButton(other).textContent()) ?? '').trim();
      return /^continue training$/i.test(t) && (await trainButton(other).isEnabled()) ? t : null;
    },
    { timeoutMs: 30_000, what: 'the Train button to read "Continue training"' },
  );
  const loadedAcc = await until(() => shownTestAccuracy(other), { timeoutMs: 30_000, what: "the loaded model's test accuracy" });
  console.log(`     loaded model: ${loadedAcc}% shown, button "${label}"`);
  expect(loadedAcc, 'the loaded model shows its accuracy').toBeGreaterThanOrEqual(MIN_ACCURACY);
  await trainButton(other).click();
  // The first loss reported: a fresh lenet starts near ln 10 = 2.3.
  const firstLoss = await until(() => shownLoss(other), { timeoutMs: 60_000, everyMs: 20, what: 'a loss in the Train card' });
  // The first test accuracy reported after Train (a live evaluation or the epoch's end).
  const firstAcc = await until(() => shownTestAccuracy(other), {
    timeoutMs: 150_000,
    everyMs: 100,
    what: 'a test accuracy while training',
  });
  console.log(`     after Continue training: first loss ${firstLoss}, first test accuracy ${firstAcc}%`);
  expect(firstLoss, 'the first loss after Continue training (fresh weights?)').toBeLessThan(0.6);
  expect(firstAcc, 'the first test accuracy after Continue training').toBeGreaterThanOrEqual(MIN_ACCURACY - 1);
  await stopIfRunning(other);
  await trainingIdle(other, 30_000);
});
