// Startup: what the first screen needs (the page's script, the worker, the wasm module, the data
// index and the bundled data files) starts at once, and every file is transferred once. The
// test prints the waterfall (ms after navigation) and when Train became enabled; it asserts
// the requests, not the times or their order (both move on a busy machine).
import type { Page, Request } from '@playwright/test';
import { expect, test } from './fixtures';
import { trainReady, until } from './helpers';

// The trace recorder snapshots the DOM on the page's main thread (~140 ms of it while the page
// starts, in a CPU profile): these tests time the page, so they run without it.
test.use({ trace: 'off' });

interface Row {
  path: string;
  start: number;
  end: number | null;
}

/** Records every request of the page and its worker(s), with the browser's own times (the
 * test process hears of a request later, the later the busier the machine). */
function record(page: Page): Row[] {
  const rows: Row[] = [];
  const byRequest = new Map<Request, Row>();
  page.on('request', (r) => {
    const row: Row = { path: new URL(r.url()).pathname, start: Date.now(), end: null };
    byRequest.set(r, row);
    rows.push(row);
  });
  const done = (r: Request) => {
    const row = byRequest.get(r);
    if (!row) return;
    const t = r.timing();
    if (t.startTime > 0) row.start = t.startTime;
    row.end = t.responseEnd >= 0 ? row.start + t.responseEnd : Date.now();
  };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return rows;
}

/** Marks (performance.now()) when the Train button first becomes enabled. */
async function markTrainEnabled(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { trainEnabledAt?: number };
    const check = () => {
      if (w.trainEnabledAt !== undefined) return;
      const button = [...document.querySelectorAll<HTMLButtonElement>('#train-panel button')].find((b) =>
        /^(train|continue training|train new model)$/i.test((b.textContent ?? '').trim()),
      );
      if (button && !button.disabled) w.trainEnabledAt = performance.now();
    };
    new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
  });
}

function waterfall(rows: Row[], origin: number, trainAt: number): string {
  const ms = (t: number | null) => (t === null ? '   …' : String(Math.round(t - origin)).padStart(5));
  return [
    ...rows.filter((r) => !r.path.startsWith('/@')).map((r) => `${ms(r.start)} → ${ms(r.end)}  ${r.path}`),
    `${String(Math.round(trainAt)).padStart(5)}          Train enabled`,
  ].join('\n');
}

const count = (rows: Row[], re: RegExp) => rows.filter((r) => re.test(r.path)).length;

/** Each of a data set's four files (under data/`dir`/) requested exactly once. */
function expectEachFileOnce(rows: Row[], dir: string, what: string): void {
  for (const file of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
    expect(count(rows, new RegExp(`/data/${dir}/${file}\\.gz$`)), `${what}${file}.gz requests`).toBe(1);
  }
}

/** Opens `url` until Train is enabled and prints the waterfall under `title`; the requests and
 * when Train became enabled (ms after navigation). */
async function startUp(page: Page, url: string, title: string): Promise<{ rows: Row[]; trainAt: number }> {
  await markTrainEnabled(page);
  const rows = record(page);
  await page.goto(url, { waitUntil: 'commit' });
  await trainReady(page);
  const trainAt = await page.evaluate(() => (window as unknown as { trainEnabledAt?: number }).trainEnabledAt ?? NaN);
  const origin = await page.evaluate(() => performance.timeOrigin);
  console.log(`${title} (ms after navigation; a busy machine stretches it):\n${waterfall(rows, origin, trainAt)}`);
  return { rows, trainAt };
}

test('startup loads the engine, the index and the bundled digits in parallel, each file once', async ({ page }) => {
  const { rows, trainAt } = await startUp(page, '/?data=mnist', 'startup waterfall');
  expect(Number.isFinite(trainAt), 'Train became enabled').toBe(true);
  expectEachFileOnce(rows, 'mnist', '');
  expect(count(rows, /\/scratchnet\.wasm$/), 'wasm module requests').toBe(1);
  expect(count(rows, /\/data\/index\.json$/), 'data index requests').toBe(1);
});

test('a plain load opens full MNIST (60,000 / 10,000), each file once', async ({ page }) => {
  const { rows } = await startUp(page, '/', 'startup with full MNIST');
  const panel = page.locator('#data-panel');
  await expect(panel.getByRole('radio', { name: /^MNIST \(60,000 \/ 10,000\)/ }), 'the data set chosen').toBeChecked();
  await expect(panel.locator('.data-status')).toContainText('60,000 training and 10,000 test images');
  expectEachFileOnce(rows, 'mnist-full', 'full MNIST ');
  expect(count(rows, /\/data\/mnist\//), 'requests for the small set').toBe(0);
  expect(new URL(page.url()).search, 'the default data set in the link').toBe('');
});

test('choosing Fashion-MNIST transfers each of its files exactly once', async ({ page }) => {
  const rows = record(page);
  await page.goto('/?data=mnist', { waitUntil: 'load' });
  await trainReady(page);
  const fashion = page.locator('#data-panel').getByRole('radio', { name: /^Fashion-MNIST/ });
  test.skip((await fashion.count()) === 0, 'Fashion-MNIST is not installed (/usr/share/datasets/fashion-mnist)');
  await fashion.check();
  const status = page.locator('#data-panel .data-status');
  await until(async () => /Fashion-MNIST: 60,000 training/.test((await status.textContent()) ?? ''), {
    timeoutMs: 120_000,
    what: 'Fashion-MNIST to be loaded',
  });
  const files = rows.filter((r) => /\/data\/fashion\//.test(r.path));
  console.log(`Fashion-MNIST requests:\n${files.map((r) => `  ${r.path} ${r.end === null ? '…' : `${r.end - r.start} ms`}`).join('\n')}`);
  expectEachFileOnce(rows, 'fashion', 'fashion ');
  await trainReady(page);
});
