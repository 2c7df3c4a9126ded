// Every data set in its own words (issue 11): with Fashion-MNIST the draw panel, its
// probabilities and the confusion matrix use the class names, the augmentation hint speaks of
// flips, and the matrix fits its panel.
import { expect, test } from './fixtures';
import { trainButton, trainReady, trainingIdle, until } from './helpers';

test('Fashion-MNIST in its own words; the confusion matrix fits its panel with whole row names', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1400, height: 1000 });
  const model = encodeURIComponent('dense 32 relu | dense 10 softmax');
  await page.goto(`/?data=fashion&model=${model}&epochs=1&batch=64`, { waitUntil: 'load' });
  await trainReady(page);
  const draw = page.locator('#draw-panel');
  await expect(draw.getByRole('heading').first()).toHaveText(/draw something/i, { timeout: 30_000 });
  const names = await draw.locator('.sn-probs li').allTextContents();
  expect(names.join(' | '), 'the probability rows').toMatch(/Trouser.*Ankle boot/);
  // Augmentation speaks of clothes too: flips, not the digits' shifts and rotations.
  await expect(page.locator('#augment-hint')).toContainText(/flipped left to right/);
  await trainButton(page).click();
  await expect(page.locator('#confusion-panel button.cell')).toHaveCount(100, { timeout: 180_000 });
  await trainingIdle(page, 180_000);
  // The pad reads a test image in the data set's words.
  await draw.getByRole('button', { name: /use a test image/i }).click();
  const status = draw.getByRole('status');
  const said = await until(
    async () => {
      const t = (await status.textContent()) ?? '';
      return /reads [A-Za-z]/.test(t) ? t : null;
    },
    { timeoutMs: 30_000, what: 'the pad to read a test image by name' },
  );
  console.log(`     ${said}`);
  for (const [w, h] of [
    [1400, 1000],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.waitForFunction(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => ok(true)))));
    const fit = await page.locator('#confusion-panel').evaluate((panel) => {
      const wrap = panel.querySelector('.confusion-wrap')!;
      const heads = [...panel.querySelectorAll('tbody th')];
      return {
        scroll: wrap.scrollWidth,
        client: wrap.clientWidth,
        cut: heads.filter((th) => th.scrollWidth > th.clientWidth + 1).map((th) => th.textContent),
        names: heads.map((th) => th.textContent ?? ''),
      };
    });
    expect(fit.scroll, `at ${w}x${h} the matrix's width in its ${fit.client} px box`).toBeLessThanOrEqual(fit.client + 1);
    expect(fit.cut, `at ${w}x${h} row names cut`).toEqual([]);
    expect(fit.names.join(', '), 'row names').toMatch(/Ankle boot/);
    await page.locator('#confusion-panel').screenshot({ path: testInfo.outputPath(`confusion-${w}.png`) });
  }
});
