// Inside the network: conv filters and feature maps of the trained lenet, numbered as the
// description is, live while it trains, and following the drawing pad.
import type { Page } from '@playwright/test';
import { expect, trainedTest as test } from './fixtures';
import { clearPad, pad, setSetting, stopButton, stopIfRunning, stroke, trainButton, until } from './helpers';

const view = (page: Page) => page.locator('#network-view');
const statusText = async (page: Page) => (await view(page).getByRole('status').textContent()) ?? '';

/** A fingerprint of the pixels of the first canvas in the view whose label matches `label`. */
function canvasPrint(page: Page, label: string): Promise<string> {
  return page.evaluate((label) => {
    const c = [...document.querySelectorAll<HTMLCanvasElement>('#network-view canvas')].find((x) =>
      new RegExp(label, 'i').test(x.getAttribute('aria-label') ?? ''),
    );
    if (!c) return '';
    const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let h = 2166136261;
    for (let i = 0; i < px.length; i++) h = Math.imul(h ^ px[i]!, 16777619);
    return `${c.width}x${c.height}:${h >>> 0}`;
  }, label);
}

test('inside the network shows the model by itself, numbered as its description, with filters large enough to see', async ({
  trainedPage: page,
}, testInfo) => {
  await view(page).scrollIntoViewIfNeeded();
  // No button to press: the restored model is shown for test image 0.
  await until(async () => /test image 0 .*it reads \d/.test(await statusText(page)), { what: 'the network view to show the model' });
  const filters = view(page).getByRole('img', { name: /filters of/i });
  expect(await filters.count(), 'filters of two conv layers').toBeGreaterThanOrEqual(2);
  expect(
    await view(page)
      .getByRole('img', { name: /feature map/i })
      .count(),
    'feature maps',
  ).toBeGreaterThanOrEqual(8);
  // The first layer's 5x5 filters: each at least ~40 CSS px wide (it was 25).
  const box = await filters.first().boundingBox();
  expect(box!.width / 8, 'CSS px per first-layer filter (8 filters of lenet)').toBeGreaterThanOrEqual(40);
  // Sections numbered 1..n in the description's order, the flatten included.
  const description = await page.locator('#model-panel').getByLabel('Description').inputValue();
  const segments = description
    .split('|')
    .map((s) => s.trim())
    .filter((s) => !/^loss\b/.test(s));
  const headings = await view(page).locator('.sn-net-layer h3').allTextContents();
  expect(headings.map((t) => t.split(' → ')[0])).toEqual(segments.map((s, i) => `${i + 1}. ${s}`));
  await view(page).screenshot({ path: testInfo.outputPath('network-view.png') });
});

test('inside the network updates while training runs, without pressing anything', async ({ trainedPage: page }) => {
  await view(page).scrollIntoViewIfNeeded();
  await until(async () => /it reads \d/.test(await statusText(page)), { what: 'the network view to show the model' });
  const prints = new Set([await canvasPrint(page, 'filters of')]);
  // A run long enough on any machine (the test stops it): one epoch lasts a few seconds on a
  // quiet machine, and a busy one can end it before the view has drawn twice.
  await setSetting(page, /^epochs$/i, 'epochs', '100');
  await trainButton(page).click();
  await until(() => stopButton(page).isEnabled(), { what: 'training to start' });
  // Clicking Train scrolled the view away (off screen it rightly waits): bring it back.
  await view(page).scrollIntoViewIfNeeded();
  // While the same run trains: the filters shown change again and again (live, up to 4 a second).
  await until(
    async () => {
      if (!(await stopButton(page).isEnabled())) throw new Error('training ended before the view changed twice');
      prints.add(await canvasPrint(page, 'filters of'));
      return prints.size >= 3;
    },
    { timeoutMs: 60_000, everyMs: 300, what: 'the filters to change twice during training' },
  );
  await stopIfRunning(page);
});

test('drawing drives the view: the stroke flows through the layers', async ({ trainedPage: page }) => {
  await view(page).scrollIntoViewIfNeeded();
  await until(async () => /test image 0 .*it reads \d/.test(await statusText(page)), { what: 'the network view to show the model' });
  const before = await canvasPrint(page, 'feature map 1 of');
  await pad(page).scrollIntoViewIfNeeded();
  await clearPad(page);
  await stroke(page, [
    [0.5, 0.15],
    [0.5, 0.85],
  ]);
  await view(page).scrollIntoViewIfNeeded();
  // The view switched to the drawing by itself, and what the first layer shows is the stroke's.
  await until(async () => /drawn digit: it reads \d/.test(await statusText(page)), { what: 'the network view for the drawn digit' });
  await expect(view(page).getByRole('radio', { name: /drawn digit/i })).toBeChecked();
  const vertical = await until(
    async () => {
      const p = await canvasPrint(page, 'feature map 1 of');
      return p !== before ? p : null;
    },
    { what: 'the feature maps to change with the drawing' },
  );
  // Another stroke, another picture.
  await pad(page).scrollIntoViewIfNeeded();
  await stroke(page, [
    [0.2, 0.5],
    [0.8, 0.5],
  ]);
  await view(page).scrollIntoViewIfNeeded();
  await until(
    async () => {
      const p = await canvasPrint(page, 'feature map 1 of');
      return p !== vertical && p !== before ? p : null;
    },
    { what: 'the feature maps to follow the second stroke' },
  );
});
