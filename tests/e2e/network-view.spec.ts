// Inside the network: conv filters and feature maps of the trained lenet.
import { expect, trainedTest as test } from './fixtures';
import { drawCard, pad, stroke, until } from './helpers';

test('inside the network shows conv filters and feature maps for a test image and the drawing', async ({ trainedPage: page }, testInfo) => {
  const view = page.locator('#network-view');
  await view.scrollIntoViewIfNeeded();
  await view.getByRole('radio', { name: /test image/i }).check();
  await view.getByRole('button', { name: /show inside the network/i }).click();
  await until(async () => /it reads \d/.test((await view.getByRole('status').textContent()) ?? ''), {
    what: 'the network view to finish',
  });
  const filters = await view.getByRole('img', { name: /filters of/i }).count();
  const maps = await view.getByRole('img', { name: /feature map/i }).count();
  expect(filters, 'filters of two conv layers').toBeGreaterThanOrEqual(2);
  expect(maps, 'feature maps').toBeGreaterThanOrEqual(8);
  await view.screenshot({ path: testInfo.outputPath('network-view.png') });
  // The drawn digit: draw one, then switch the input.
  await pad(page).scrollIntoViewIfNeeded();
  await drawCard(page).getByRole('button', { name: /^clear$/i }).click();
  await stroke(page, [
    [0.5, 0.15],
    [0.5, 0.85],
  ]);
  await view.scrollIntoViewIfNeeded();
  await view.getByRole('radio', { name: /drawn digit/i }).check();
  await until(async () => /drawn digit: it reads \d/.test((await view.getByRole('status').textContent()) ?? ''), {
    what: 'the network view for the drawn digit',
  });
  // The whole trained page, for a look (tests/e2e/artifacts/).
  await page.screenshot({ path: testInfo.outputPath('page.png'), fullPage: true });
});
