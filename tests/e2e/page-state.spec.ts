// What the page shows of the model it holds (issue 11, bugs 7, 8 and 9); each test failed on the
// page before its fix. An mlp epoch on the small set (133 batches of 64) is the trained model.
import type { Page } from '@playwright/test';
import { expect, storedRunAndModel, test } from './fixtures';
import { shownBatch, shownStep, shownTestAccuracy, stopButton, trainButton, trainReady, trainingIdle, until } from './helpers';

test.use({ viewport: { width: 1400, height: 1000 } });

const MLP_ONE_EPOCH = '/?data=mnist&model=mlp&epochs=1&batch=64';

/** Trains the mlp of MLP_ONE_EPOCH; returns the test accuracy the Train card shows. */
async function trainMlp(page: Page): Promise<number> {
  await page.goto(MLP_ONE_EPOCH, { waitUntil: 'load' });
  await trainReady(page);
  await trainButton(page).click();
  await until(async () => ((await shownBatch(page))?.[0] ?? 0) > 0, { timeoutMs: 60_000, what: 'training to start' });
  await trainingIdle(page, 240_000);
  return until(() => shownTestAccuracy(page), { timeoutMs: 20_000, what: 'a test accuracy in the Train card' });
}

const modelSelect = (page: Page) => page.locator('#model-panel').getByLabel(/^model$/i);
const newModelButton = (page: Page) => page.locator('#train-panel').getByRole('button', { name: /^new model$/i });

test('bug 7: settings naming another model give one action, and no figures of the old model', async ({ page }) => {
  const accuracy = await trainMlp(page);
  await expect(trainButton(page)).toHaveText(/^continue training$/i);
  await expect(newModelButton(page), 'New model beside Continue training').toBeVisible();

  await modelSelect(page).selectOption('lenet');
  await expect(trainButton(page), 'Train, with lenet in the Model panel').toHaveText(/^train new model$/i);
  await expect(newModelButton(page), '"New model" beside "Train new model"').toBeHidden();
  expect(await shownTestAccuracy(page), "the accuracy tile while the Model panel names lenet (the mlp's figure)").toBeNull();

  // Back to the model the figures are of: they show again.
  await modelSelect(page).selectOption('mlp');
  await expect(trainButton(page)).toHaveText(/^continue training$/i);
  await expect(newModelButton(page)).toBeVisible();
  expect(await shownTestAccuracy(page), 'the accuracy tile with mlp in the Model panel again').toBe(accuracy);
});

test('bug 8: a reload restores the curves of the restored model', async ({ page }) => {
  await trainMlp(page);
  const summary = page.locator('#charts-panel .chart-summary');
  const before = (await summary.textContent()) ?? '';
  expect(before).toMatch(/after epoch 1/i);
  await storedRunAndModel(page);
  await page.reload({ waitUntil: 'load' });
  await expect(page.locator('#messages')).toContainText(/your last model is back/i, { timeout: 90_000 });
  await trainReady(page);
  const charts = page.locator('#charts-panel .chart');
  await expect(charts).toHaveCount(2);
  await expect(page.locator('#charts-panel .chart.empty'), '"Watching it learn" charts left empty after the reload').toHaveCount(0);
  // The figures the epoch chart ends on are the run's (test accuracy to two decimals).
  const accuracy = /test accuracy (\d+\.\d\d)%/.exec(before)![1];
  await expect(summary).toContainText(`test accuracy ${accuracy}%`);
});

test('bug 9: a learning rate changed mid-run shows in the run record', async ({ page }) => {
  // 200 epochs (the limit) of the mlp: far longer than the test runs, however slow the machine
  // makes the test's own steps, so the run is still going when it is stopped (3 epochs ended
  // before Stop on a busy machine).
  await page.goto('/?data=mnist&model=mlp&epochs=200&batch=16', { waitUntil: 'load' });
  await trainReady(page);
  const lr = page.locator('#settings-panel').getByLabel(/^learning rate$/i);
  const start = Number(await lr.inputValue());
  await trainButton(page).click();
  await until(async () => (await shownStep(page)) >= 20, { timeoutMs: 60_000, what: '20 batches' });
  await lr.fill('0.0005');
  await lr.press('Tab'); // commits the field (change event)
  // Counted across epochs: an epoch of this mlp is a few seconds, and the Batch figure restarts.
  const at = await shownStep(page);
  await until(async () => (await shownStep(page)) >= at + 20, { timeoutMs: 60_000, what: '20 batches at the new rate' });
  await stopButton(page).click();
  await trainingIdle(page, 60_000);
  const row = page.locator('#runs-panel tbody tr').first();
  await expect(row, 'the run under Compare runs names both rates').toContainText(`adam ${start} → 0.0005`, { timeout: 20_000 });
});
