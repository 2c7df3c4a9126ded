// The browser tests, in order; they share one page (training happens once and later tests use
// the trained model). Each: { name, run(env), timeoutMs?, setup? (later tests need it),
// needsSetup? }. env = { page, context, origin, artifacts, log }.
// Locators use roles and accessible names, so the tests follow what a person sees.
import { join } from 'node:path';

const MIN_ACCURACY = 95;

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** Poll `fn` until it returns a truthy value; returns it. */
async function until(fn, { timeoutMs = 30_000, everyMs = 250, what = 'condition' } = {}) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await sleep(everyMs);
  }
  throw new Error(`waited ${Math.round(timeoutMs / 1000)} s for ${what}`);
}

/** The "Draw a digit" card and its pad. */
const drawCard = (page) => page.locator('#draw-panel');
const pad = (page) => page.getByRole('img', { name: /drawing pad/i });

/** Stroke a polyline over the pad with mouse pointer events; points in 0..1 of the pad. */
async function stroke(page, points, steps = 8) {
  const box = await pad(page).boundingBox();
  assert(box, 'the drawing pad is not visible');
  const at = ([x, y]) => [box.x + x * box.width, box.y + y * box.height];
  const [x0, y0] = at(points[0]);
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  for (let i = 1; i < points.length; i++) {
    const [x, y] = at(points[i]);
    await page.mouse.move(x, y, { steps });
  }
  await page.mouse.up();
}

/** The digit the draw panel announces, once it announces one that differs from `before`. */
async function announcedDigit(page, before = '') {
  const status = drawCard(page).getByRole('status');
  const text = await until(
    async () => {
      const t = (await status.textContent()) ?? '';
      return /reads \d/.test(t) && t !== before ? t : null;
    },
    { timeoutMs: 20_000, what: 'the draw panel to announce a prediction' },
  );
  return { digit: Number(/reads (\d)/.exec(text)[1]), text };
}

/** Test accuracy (percent) the page shows after an epoch, or null. */
async function shownTestAccuracy(page) {
  const body = await page.locator('main').innerText();
  const m = /test accuracy[^\d%]{0,40}?(\d{1,3}(?:\.\d+)?)\s*%/i.exec(body);
  return m ? Number(m[1]) : null;
}

export const tests = [
  {
    name: 'page loads cross-origin isolated with the threads build and no console errors',
    setup: true,
    timeoutMs: 90_000,
    async run({ page, origin, log }) {
      // One epoch of lenet, the report's setup; the rest are the defaults.
      await page.goto(`${origin}/?model=lenet&epochs=1`, { waitUntil: 'load' });
      assert(await page.evaluate(() => self.crossOriginIsolated), 'crossOriginIsolated is false (COOP/COEP missing)');
      const badge = page.locator('#engine-badge');
      const text = await until(
        async () => {
          const t = (await badge.textContent()) ?? '';
          return /thread/i.test(t) && !/starting/i.test(t) ? t : null;
        },
        { timeoutMs: 60_000, what: 'the engine badge to name the threads build' },
      );
      assert(!/single|simd only/i.test(text), `badge shows the single-thread build: "${text}"`);
      await pad(page).waitFor({ state: 'visible', timeout: 10_000 });
      assert(log.errors.length === 0, `console errors:\n  ${log.errors.join('\n  ')}`);
    },
  },
  {
    name: `lenet trains one epoch on the bundled digits to >= ${MIN_ACCURACY}% test accuracy in the page`,
    setup: true,
    needsSetup: true,
    timeoutMs: 300_000,
    async run({ page, log }) {
      await page.getByRole('button', { name: /^train$/i }).click();
      const acc = await until(() => shownTestAccuracy(page), {
        timeoutMs: 280_000,
        everyMs: 1000,
        what: 'a test accuracy in the page',
      });
      console.log(`     test accuracy shown after 1 epoch: ${acc}%`);
      assert(acc >= MIN_ACCURACY, `test accuracy ${acc}% < ${MIN_ACCURACY}%`);
      assert(log.errors.length === 0, `console errors:\n  ${log.errors.join('\n  ')}`);
    },
  },
  {
    name: 'drawing a 1 and a 7 with pointer events shows live probabilities and the right digits',
    needsSetup: true,
    timeoutMs: 60_000,
    async run({ page, artifacts }) {
      await pad(page).scrollIntoViewIfNeeded();
      await drawCard(page).getByRole('button', { name: /^clear$/i }).click();
      await stroke(page, [
        [0.52, 0.15],
        [0.5, 0.5],
        [0.48, 0.85],
      ]);
      const one = await announcedDigit(page);
      // The bar chart lists one row per class, with the top one marked.
      const rows = drawCard(page).getByRole('list').getByRole('listitem');
      assert((await rows.count()) === 10, 'the probability chart does not have 10 rows');
      const seen = await page.evaluate(() => {
        const c = document.querySelector('.sn-seen');
        const px = c.getContext('2d').getImageData(0, 0, 28, 28).data;
        let ink = 0;
        for (let i = 0; i < px.length; i += 4) ink += px[i] > 0 ? 1 : 0;
        return ink;
      });
      assert(seen > 10, 'the 28x28 view shows no ink');
      await drawCard(page).getByRole('button', { name: /^clear$/i }).click();
      await stroke(page, [
        [0.22, 0.2],
        [0.78, 0.2],
        [0.62, 0.5],
        [0.45, 0.88],
      ]);
      const seven = await announcedDigit(page, one.text);
      await drawCard(page).screenshot({ path: join(artifacts, 'draw-seven.png') });
      console.log(`     read "1" as ${one.digit}, "7" as ${seven.digit}`);
      assert(one.digit === 1, `a vertical stroke was read as ${one.digit}: ${one.text}`);
      assert(seven.digit === 7, `a 7 was read as ${seven.digit}: ${seven.text}`);
    },
  },
  {
    name: 'inside the network shows conv filters and feature maps for a test image and the drawing',
    needsSetup: true,
    timeoutMs: 60_000,
    async run({ page }) {
      const view = page.locator('#network-view');
      await view.scrollIntoViewIfNeeded();
      await view.getByRole('radio', { name: /test image/i }).check();
      await view.getByRole('button', { name: /show inside the network/i }).click();
      await until(async () => /it reads \d/.test((await view.getByRole('status').textContent()) ?? ''), {
        what: 'the network view to finish',
      });
      const filters = await view.getByRole('img', { name: /filters of/i }).count();
      const maps = await view.getByRole('img', { name: /feature map/i }).count();
      assert(filters >= 2, `expected filters of two conv layers, found ${filters}`);
      assert(maps >= 8, `expected feature maps, found ${maps}`);
      await view.getByRole('radio', { name: /drawn digit/i }).check();
      await until(
        async () => /drawn digit: it reads \d/.test((await view.getByRole('status').textContent()) ?? ''),
        { what: 'the network view for the drawn digit' },
      );
    },
  },
  {
    name: 'memory stays flat over epochs (page + worker)',
    needsSetup: true,
    timeoutMs: 240_000,
    async run({ page }) {
      const measure = () =>
        page.evaluate(async () => {
          // Counts the page and its workers (needs crossOriginIsolated); falls back to the page.
          if (typeof performance.measureUserAgentSpecificMemory === 'function') {
            const r = await performance.measureUserAgentSpecificMemory();
            return r.bytes;
          }
          return performance.memory?.usedJSHeapSize ?? 0;
        });
      const train = page.getByRole('button', { name: /^train$/i });
      const epochs = [];
      for (let i = 0; i < 4; i++) {
        const before = await shownTestAccuracy(page);
        await train.click();
        await until(async () => (await train.isEnabled()) && (await shownTestAccuracy(page)) !== null, {
          timeoutMs: 100_000,
          everyMs: 500,
          what: 'an epoch to finish',
        });
        void before;
        epochs.push(await measure());
      }
      const mb = epochs.map((b) => (b / 2 ** 20).toFixed(1));
      console.log(`     memory after each epoch (MB): ${mb.join(', ')}`);
      const growth = epochs[epochs.length - 1] - epochs[0];
      assert(growth < 16 * 2 ** 20, `memory grew by ${(growth / 2 ** 20).toFixed(1)} MB after the first epoch`);
    },
  },
  {
    name: 'full-page screenshot saved',
    timeoutMs: 30_000,
    async run({ page, artifacts }) {
      await page.screenshot({ path: join(artifacts, 'page.png'), fullPage: true });
    },
  },
  {
    name: 'the page made no network requests outside its own origin',
    timeoutMs: 10_000,
    async run({ origin, log }) {
      const outside = log.requests.filter(
        (u) => !(u.startsWith(`${origin}/`) || u === origin || u.startsWith('data:') || u.startsWith('blob:')),
      );
      assert(log.requests.length > 0, 'no requests were seen at all (is the listener attached?)');
      assert(outside.length === 0, `requests outside ${origin}:\n  ${[...new Set(outside)].join('\n  ')}`);
    },
  },
  {
    name: 'no console errors during the whole run',
    timeoutMs: 5_000,
    async run({ log }) {
      assert(log.errors.length === 0, `console errors:\n  ${log.errors.join('\n  ')}`);
    },
  },
];
