// The page starts as a person opens it: cross-origin isolated, the threads build, nothing from
// another origin (the guard fixture checks requests and console errors in every test).
import { expect, test } from './fixtures';
import { LENET_ONE_EPOCH, pad, until } from './helpers';

test('page loads cross-origin isolated with the threads build and no console errors', async ({ page, guard }) => {
  await page.goto(LENET_ONE_EPOCH, { waitUntil: 'load' });
  expect(await page.evaluate(() => self.crossOriginIsolated), 'crossOriginIsolated (COOP/COEP)').toBe(true);
  const badge = page.locator('#engine-badge');
  const text = await until(
    async () => {
      const t = (await badge.textContent()) ?? '';
      return /thread/i.test(t) && !/starting/i.test(t) ? t : null;
    },
    { timeoutMs: 60_000, what: 'the engine badge to name the threads build' },
  );
  expect(text, 'the badge names the single-thread build').not.toMatch(/single|simd only/i);
  await pad(page).waitFor({ state: 'visible', timeout: 30_000 });
  expect(guard.errors, 'console errors').toEqual([]);
  // The guard fails the test on any request outside the origin; this shows it sees requests.
  expect(guard.requests.length, 'requests seen (is the listener attached?)').toBeGreaterThan(0);
});
