// The page's painting while training runs: on a machine whose cores all train, every frame the
// page paints is time taken from a training thread, so between progress updates nothing on the
// page may animate (a spinner or an eased progress bar repaints every frame).
import { expect, test } from './fixtures';
import { shownBatch, stopButton, trainButton, trainReady, until } from './helpers';

test('while training runs, nothing on the page animates between progress updates', async ({ page }) => {
  await page.goto('/?data=mnist&model=mlp&epochs=100', { waitUntil: 'load' });
  await trainReady(page);
  await trainButton(page).click();
  await until(async () => ((await shownBatch(page))?.[0] ?? 0) > 0, { what: 'training to start' });
  // Sampled over ~2 s of training: a transition runs for part of each progress interval only.
  const running = new Set<string>();
  for (let i = 0; i < 20; i++) {
    const names = await page.evaluate(() =>
      document
        .getAnimations()
        .filter((a) => a.playState === 'running')
        .map((a) => {
          const target = (a.effect as KeyframeEffect | null)?.target;
          const where = target ? `${target.tagName.toLowerCase()}.${[...target.classList].join('.')}` : '?';
          const name = a instanceof CSSAnimation ? a.animationName : a instanceof CSSTransition ? a.transitionProperty : a.id;
          return `${where} ${name}`;
        }),
    );
    for (const n of names) running.add(n);
    await page.waitForTimeout(100);
  }
  await stopButton(page).click();
  await trainReady(page);
  expect([...running], 'animations running while training').toEqual([]);
});
