// The first screen (issue 11): at 1400x1000 Train, the live loss chart, the drawing pad with its
// class probabilities and the test accuracy are all in view without scrolling; on a phone
// (390x844) Train is in the first screen and the pad one tap away.
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { trainButton, trainReady, until } from './helpers';

interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** The element's box in the viewport, or null when it is not rendered. */
async function boxOf(locator: Locator): Promise<Box | null> {
  if ((await locator.count()) === 0) return null;
  return locator.first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 ? { top: r.top, bottom: r.bottom, left: r.left, right: r.right } : null;
  });
}

/** Asserts each named element lies wholly in the unscrolled width x height viewport. */
async function expectInFirstScreen(page: Page, parts: Record<string, Locator>, width: number, height: number): Promise<string> {
  expect(await page.evaluate(() => window.scrollY), 'the page is not scrolled').toBe(0);
  const report: string[] = [];
  for (const [name, locator] of Object.entries(parts)) {
    const b = await boxOf(locator);
    expect(b, `${name} is shown at ${width}x${height}`).not.toBeNull();
    report.push(`${name} ${Math.round(b!.top)}-${Math.round(b!.bottom)}`);
    const inside = b!.top >= 0 && b!.bottom <= height && b!.left >= 0 && b!.right <= width;
    expect(inside, `${name} lies in the first ${width}x${height} screen: ${JSON.stringify(b)}`).toBe(true);
  }
  return report.join(', ');
}

test.describe('on a desktop', () => {
  test.use({ viewport: { width: 1400, height: 1000 } });

  test('Train, the loss chart, the pad with its probabilities and the test accuracy are in the first screen', async ({
    page,
  }, testInfo) => {
    await page.goto('/?data=mnist', { waitUntil: 'load' });
    await trainReady(page);
    const report = await expectInFirstScreen(
      page,
      {
        'the Train button': trainButton(page),
        'the loss chart': page.locator('#charts-panel .chart').first(),
        'the drawing pad': page.getByRole('img', { name: /drawing pad/i }),
        'the class probabilities': page.locator('#draw-panel .sn-probs'),
        'the test accuracy': page.locator('#train-panel .stat', { hasText: /test accuracy/i }),
        'the data choice': page.locator('#data-panel').getByRole('radiogroup'),
        'the model choice': page.locator('#model-panel').getByLabel(/^model$/i),
      },
      1400,
      1000,
    );
    console.log(`     ${report}`);
    await page.screenshot({ path: testInfo.outputPath('first-screen-desktop.png') });
  });
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('Train is in the first screen and the pad one tap away', async ({ page }, testInfo) => {
    await page.goto('/?data=mnist', { waitUntil: 'load' });
    await trainReady(page);
    const report = await expectInFirstScreen(page, { 'the Train button': trainButton(page) }, 390, 844);
    const bar = page.getByRole('navigation', { name: /sections/i });
    await bar.getByRole('link', { name: /^draw$/i }).click();
    // Smooth scrolling: wait until the pad stops moving.
    const pad = page.getByRole('img', { name: /drawing pad/i });
    let last: Box | null = null;
    const b = await until(
      async () => {
        const now = await boxOf(pad);
        const settled = now && last && Math.abs(now.top - last.top) < 0.5;
        last = now;
        return settled ? now : null;
      },
      { timeoutMs: 10_000, what: 'the page to scroll to the pad' },
    );
    const barBox = (await boxOf(bar))!;
    console.log(`     ${report}; after one tap: pad ${Math.round(b.top)}-${Math.round(b.bottom)}, bar ends ${Math.round(barBox.bottom)}`);
    expect(
      b.top >= barBox.bottom - 0.5 && b.bottom <= 844,
      `after tapping Draw the pad (${Math.round(b.top)}-${Math.round(b.bottom)}) is below the bar (${Math.round(barBox.bottom)}) and in view`,
    ).toBe(true);
    await page.screenshot({ path: testInfo.outputPath('pad-one-tap-phone.png') });
  });
});
