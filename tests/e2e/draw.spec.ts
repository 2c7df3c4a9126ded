// Drawing a digit: the trained network reads mouse strokes; a finger draws without scrolling.
import { expect, test, trainedTest } from './fixtures';
import { announcedDigit, clearPad, drawCard, drawOne, inkSeen, pad, sleep, stroke, trainReady, until } from './helpers';

trainedTest(
  'drawing a 1 and a 7 with pointer events shows live probabilities and the right digits',
  async ({ trainedPage: page }, testInfo) => {
    const one = await drawOne(page);
    // The bar chart lists one row per class, with the top one marked.
    await expect(drawCard(page).getByRole('list').getByRole('listitem'), 'rows of the probability chart').toHaveCount(10);
    expect(await inkSeen(page), 'ink in the 28x28 view').toBeGreaterThan(10);
    await clearPad(page);
    await stroke(page, [
      [0.22, 0.2],
      [0.78, 0.2],
      [0.62, 0.5],
      [0.45, 0.88],
    ]);
    const seven = await announcedDigit(page, one.text);
    await drawCard(page).screenshot({ path: testInfo.outputPath('draw-seven.png') });
    console.log(`     read "1" as ${one.digit}, "7" as ${seven.digit}`);
    expect(one.digit, `a vertical stroke was read as ${one.digit}: ${one.text}`).toBe(1);
    expect(seven.digit, `a 7 was read as ${seven.digit}: ${seven.text}`).toBe(7);
  },
);

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('drawing with a finger on a phone-sized page draws and does not scroll the page', async ({ page, context }, testInfo) => {
    await page.goto('/?data=mnist', { waitUntil: 'load' });
    // Wait until the page has laid itself out (data strip, presets) so nothing above the pad
    // moves it while we swipe.
    await trainReady(page);
    // Real touch input through the browser's input pipeline (so touch-action applies).
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 });
    const swipe = async (x: number, y0: number, y1: number) => {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y: y0 }] });
      for (let i = 1; i <= 12; i++) {
        const y = y0 + ((y1 - y0) * i) / 12;
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y }] });
      }
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      await sleep(400);
    };
    const scrollY = () => page.evaluate(() => window.scrollY);
    const padTop = () => pad(page).evaluate((el) => el.getBoundingClientRect().top);
    // A fling from the control swipe can go on after it ends: wait until scrolling stops.
    const settle = async () => {
      let last = await scrollY();
      for (let i = 0; i < 30; i++) {
        await sleep(100);
        const now = await scrollY();
        if (now === last) return;
        last = now;
      }
    };
    await pad(page).evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await sleep(200);
    // Control: the same swipe upwards on the page next to the pad scrolls it.
    const box = (await pad(page).boundingBox())!;
    const before = await scrollY();
    await swipe(Math.max(2, box.x - 4 < 2 ? box.x + box.width + 4 : box.x - 4), box.y + box.height * 0.8, box.y + box.height * 0.2);
    // On a busy machine the scroll can land after the swipe's last event: wait for it.
    const scrolled = await until(async () => (await scrollY()) !== before, {
      timeoutMs: 5_000,
      everyMs: 100,
      what: 'the control swipe to scroll',
    }).catch(() => false);
    await settle();
    await pad(page).evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await settle();
    const b = (await pad(page).boundingBox())!;
    const y = await scrollY();
    const top = await padTop();
    await swipe(b.x + b.width / 2, b.y + b.height * 0.85, b.y + b.height * 0.15);
    // A scroll the swipe caused may land late on a busy machine: measure once it has stopped.
    await settle();
    // Scrolled = the pad moved under the finger. (scrollY alone can also change when content
    // above grows and Chromium's scroll anchoring keeps the view still.)
    const moved = Math.abs((await padTop()) - top);
    expect(moved, `drawing on the pad scrolled the page from ${y} to ${await scrollY()} (pad moved ${moved.toFixed(0)} px)`).toBeLessThan(
      1,
    );
    expect(await inkSeen(page), 'a finger stroke left ink in the 28x28 view').toBeGreaterThan(10);
    expect(scrolled, 'control: a swipe beside the pad scrolls the page').toBe(true);
    await drawCard(page).screenshot({ path: testInfo.outputPath('draw-phone.png') });
  });
});
