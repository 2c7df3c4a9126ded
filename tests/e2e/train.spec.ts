// Training in the page: lenet learns the bundled digits; a diverging run stops with a message.
import { expect, test } from './fixtures';
import { MIN_ACCURACY, shownBatch, stopIfRunning, trainButton, trainReady, trainingIdle, until } from './helpers';

test(`lenet trains one epoch on the bundled digits to >= ${MIN_ACCURACY}% test accuracy in the page`, async ({ trainedModel }) => {
  // The trained-model fixture is this test's body: it opens LENET_ONE_EPOCH in a fresh browser
  // context, presses Train, waits for the epoch, reads the Train card's test accuracy and fails
  // on console errors; tests that need a trained model reuse it within their worker.
  test.setTimeout(700_000);
  console.log(`     test accuracy shown after 1 epoch: ${trainedModel.accuracy}%`);
  expect(trainedModel.accuracy).toBeGreaterThanOrEqual(MIN_ACCURACY);
});

test('a diverging run (linear MSE, learning rate 10) stops with a readable message; the page stays usable', async ({ page, guard }) => {
  // A linear layer with MSE at rate 10 blows up within a few steps (softmax cross-entropy
  // models only stall at such rates: their loss stays finite).
  const model = encodeURIComponent('dense 10 | loss mse');
  await page.goto(`/?data=mnist&model=${model}&opt=sgd&lr=10&sched=constant&epochs=3`, { waitUntil: 'load' });
  await trainReady(page);
  // The page may log the engine's error as well as showing it.
  await guard.allowErrors(async () => {
    await trainButton(page).click();
    const messages = page.locator('#messages');
    const text = await until(
      async () => {
        const t = (await messages.innerText()) ?? '';
        return /diverg|nan|inf/i.test(t) ? t : null;
      },
      { timeoutMs: 60_000, what: 'a message that training diverged' },
    );
    console.log(`     message: ${text.replace(/\s+/g, ' ').slice(0, 160)}`);
    await trainingIdle(page, 30_000);
    // Usable: a sane rate trains again.
    const lr = page.getByLabel(/learning rate/i).first();
    await lr.fill('0.01');
    await lr.press('Enter');
    await trainButton(page).click();
    // Past step 12, where rate 10 blew up, with a finite loss.
    await until(async () => ((await shownBatch(page))?.[0] ?? 0) >= 40, { timeoutMs: 60_000, what: 'training at rate 0.01 to run' });
    const loss = await page.locator('#train-panel .stat', { hasText: /^loss/i }).locator('.stat-value').first().textContent();
    expect(Number.isFinite(Number(loss)), `the loss at rate 0.01 reads "${loss}"`).toBe(true);
    // A linear model trains an epoch in milliseconds: the run may have ended already.
    await stopIfRunning(page);
    await trainingIdle(page, 30_000);
  });
});
