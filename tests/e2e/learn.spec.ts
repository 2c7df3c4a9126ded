// Learning in the page on the real data set: the fast preset, with the recommended settings the
// engine gives it, trains one epoch on full MNIST (60,000 / 10,000, the page's default data) and
// passes the floor of issue 9. The training seconds are printed for the learning bench's table
// (time to 99% in Chromium); they are never asserted.
import { expect, test } from './fixtures';
import { shownEpoch, shownTestAccuracy, stopButton, trainButton, trainingIdle, trainReady, until } from './helpers';

// The floor, not the goal: natively the fast preset reaches 99.08–99.18% after one epoch over
// seeds 1–5 (`nn bench-learn --models fast`), and the page trains the same float operations.
const FAST_FLOOR = 98.5;

test(`the fast preset trains one epoch on full MNIST to >= ${FAST_FLOOR}% in the page`, async ({ page }) => {
  test.setTimeout(1_200_000);
  await page.goto('/?model=fast&threads=2', { waitUntil: 'load' });
  await trainReady(page, 300_000);
  await expect(page.locator('#data-panel .data-status')).toContainText('60,000 training and 10,000 test images');
  const started = Date.now();
  await trainButton(page).click();
  // The Train card shows a running test accuracy while it trains: read it once the run is over.
  await until(() => stopButton(page).isVisible(), { what: 'training to start (the Stop button)' });
  await trainingIdle(page, 1_100_000);
  const accuracy = await shownTestAccuracy(page);
  expect(await shownEpoch(page), 'the one epoch ran to its end').toMatch(/^1 \/ 1/);
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `     fast preset, full MNIST, 1 epoch, 2 threads: ${accuracy}% test accuracy, ${seconds.toFixed(1)} s from Train to the end of the epoch and its evaluation`,
  );
  expect(accuracy).not.toBeNull();
  expect(accuracy!).toBeGreaterThanOrEqual(FAST_FLOOR);
});
