// Learning-rate schedules in the page (issue 9): a person picks one, the link carries it, the
// settings sketch the planned rate, and the loss chart plots the rate each batch trained at.
import { expect, test } from './fixtures';
import { shownBatch, trainButton, trainReady, trainingIdle, until } from './helpers';

test('the schedule is picked, carried by the link, sketched, and followed while training', async ({ page }) => {
  await page.goto('/?data=mnist&model=mlp-mse&epochs=3&batch=64&lr=0.002', { waitUntil: 'load' });
  await trainReady(page);
  const schedule = page.locator('#settings-panel').getByLabel(/^schedule$/i);
  const plan = page.locator('#settings-panel').getByRole('img', { name: /planned learning rate/i });
  // The engine's rates are 32-bit floats: six significant digits.
  const read = async (name: string) => Number(Number(await plan.getAttribute(name)).toPrecision(6));
  const planned = async () => ({ peak: await read('data-peak'), last: await read('data-last') });
  await expect(schedule).toHaveValue('constant');
  await expect.poll(planned, { message: 'the constant plan' }).toEqual({ peak: 0.002, last: 0.002 });

  // Every schedule but the constant one ends at half its peak or lower (step halves twice in
  // three epochs; cosine and one-cycle anneal to near zero): the engine's own curve.
  for (const kind of ['step', 'cosine', 'onecycle']) {
    await schedule.selectOption(kind);
    await expect(page, `the link with ${kind}`).toHaveURL(new RegExp(`[?&]sched=${kind}(&|$)`));
    await expect
      .poll(
        async () => {
          const p = await planned();
          return p.peak > 0 && p.last <= p.peak / 2;
        },
        { message: `the ${kind} plan ends at half its peak or lower` },
      )
      .toBe(true);
  }

  await schedule.selectOption('cosine');
  await page.reload({ waitUntil: 'load' });
  await trainReady(page);
  await expect(schedule, 'the schedule after a reload (URL state)').toHaveValue('cosine');
  const epochs = page.locator('#settings-panel').getByLabel(/^epochs$/i);
  await epochs.fill('1');
  await epochs.press('Tab');

  const lrNow = page.locator('#charts-panel .lr-now');
  const rateNow = async () => Number(/learning rate now ([\d.e-]+)/.exec((await lrNow.textContent()) ?? '')?.[1] ?? NaN);
  await trainButton(page).click();
  await until(async () => ((await shownBatch(page))?.[0] ?? 0) > 0, { timeoutMs: 60_000, what: 'training to start' });
  await trainingIdle(page, 240_000);
  // Cosine over the one epoch: the last batches train at a rate near zero.
  const last = await rateNow();
  expect(last, 'the learning rate shown after the run (cosine over its one epoch)').toBeLessThan(0.002 / 10);
  expect(last).toBeGreaterThanOrEqual(0);
});
