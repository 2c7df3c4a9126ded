// The fixtures every spec imports instead of @playwright/test's own:
//   test, expect      page, context and baseURL as usual, plus an automatic guard: a test fails
//                     when any page of its context logs a console error or a page error, or
//                     requests anything outside the page's origin.
//   guard             guard.allowErrors(fn): run fn while errors are provoked on purpose.
//   trainedModel      (worker) lenet trained one epoch on the bundled digits (>= MIN_ACCURACY),
//                     once per test worker: its test accuracy, its saved model file, and the
//                     browser storage (IndexedDB: the finished run and the last model).
//   trainedTest       test with trainedPage:
//   trainedPage       a page at LENET_ONE_EPOCH whose browser holds trainedModel's storage: the
//                     page has restored the trained lenet, and its run is listed.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { LENET_ONE_EPOCH, MIN_ACCURACY, shownTestAccuracy, trainButton, trainReady, trainingIdle, until } from './helpers';

export { expect };

/** The served page's origin (serve.mjs prints its port; the config exports it as E2E_PORT). */
export function origin(): string {
  const port = process.env.E2E_PORT;
  if (!port) throw new Error('E2E_PORT is not set: run the tests through playwright.config.ts (npm run test:e2e)');
  return `http://127.0.0.1:${port}`;
}

export interface Guard {
  /** Console and page errors seen so far (outside allowErrors). */
  errors: string[];
  /** Every URL the context requested. */
  requests: string[];
  /** Runs `fn` while the page may log errors (a provoked crash, refused files). */
  allowErrors<T>(fn: () => Promise<T>): Promise<T>;
}

/** Watches every page of `context` (and those it opens later) for errors and requests. */
export function watchContext(context: BrowserContext): Guard {
  let allowed = 0;
  const guard: Guard = {
    errors: [],
    requests: [],
    async allowErrors(fn) {
      allowed++;
      try {
        return await fn();
      } finally {
        allowed--;
      }
    },
  };
  const watch = (p: Page) => {
    p.on('console', (m) => {
      if (m.type() === 'error' && !allowed) guard.errors.push(`console: ${m.text()}`);
    });
    p.on('pageerror', (e) => {
      if (!allowed) guard.errors.push(`page error: ${e.message}`);
    });
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  context.on('request', (r) => guard.requests.push(r.url()));
  return guard;
}

/** Fails when `guard` saw errors, or requests outside `at` (data: and blob: URLs are local). */
export function expectClean(guard: Guard, at: string): void {
  expect(guard.errors, `console errors:\n  ${guard.errors.join('\n  ')}`).toEqual([]);
  const outside = guard.requests.filter((u) => !(u.startsWith(`${at}/`) || u === at || u.startsWith('data:') || u.startsWith('blob:')));
  expect([...new Set(outside)], `requests outside ${at}`).toEqual([]);
}

export interface TrainedModel {
  /** Test accuracy (percent) the Train card showed after the epoch. */
  accuracy: number;
  /** The model file the page's "Save model" button wrote. */
  file: string;
  /** The browser storage after training, IndexedDB included (runs, last model). */
  storageState: Awaited<ReturnType<BrowserContext['storageState']>>;
}

/** Waits until the page's IndexedDB holds a finished run and the last model (the page writes
 * them after the Train button is back). */
export async function storedRunAndModel(page: Page): Promise<void> {
  await until(
    () =>
      page.evaluate(
        () =>
          new Promise<boolean>((resolve) => {
            const req = indexedDB.open('scratchnet');
            req.onerror = () => resolve(false);
            req.onsuccess = () => {
              const db = req.result;
              if (!db.objectStoreNames.contains('runs') || !db.objectStoreNames.contains('models')) return resolve(false);
              const tx = db.transaction(['runs', 'models'], 'readonly');
              const runs = tx.objectStore('runs').count();
              const models = tx.objectStore('models').count();
              tx.oncomplete = () => {
                db.close();
                resolve(runs.result >= 1 && models.result >= 1);
              };
              tx.onerror = () => resolve(false);
            };
          }),
      ),
    { timeoutMs: 30_000, what: 'the finished run and the model in IndexedDB' },
  );
}

async function trainLenet(browser: Browser, outDir: string, viewport: { width: number; height: number }): Promise<TrainedModel> {
  const context = await browser.newContext({ viewport });
  const guard = watchContext(context);
  try {
    const page = await context.newPage();
    await page.goto(`${origin()}${LENET_ONE_EPOCH}`, { waitUntil: 'load' });
    await trainReady(page);
    await trainButton(page).click();
    await trainingIdle(page, 600_000);
    const accuracy = await until(() => shownTestAccuracy(page), { timeoutMs: 20_000, what: 'a test accuracy in the Train card' });
    expect(accuracy, 'the trained-model fixture: lenet after one epoch').toBeGreaterThanOrEqual(MIN_ACCURACY);
    const save = page.locator('#model-file-panel').getByRole('button', { name: /save model/i });
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), save.click()]);
    mkdirSync(outDir, { recursive: true });
    const file = join(outDir, `trained-lenet-${process.pid}.snmodel`);
    await download.saveAs(file);
    await storedRunAndModel(page);
    const storageState = await context.storageState({ indexedDB: true });
    expectClean(guard, origin());
    return { accuracy, file, storageState };
  } finally {
    await context.close();
  }
}

export const test = base.extend<{ guard: Guard }, { trainedModel: TrainedModel }>({
  baseURL: async ({}, use) => use(origin()),
  guard: [
    async ({ context }, use) => {
      const guard = watchContext(context);
      await use(guard);
      expectClean(guard, origin());
    },
    { auto: true },
  ],
  trainedModel: [
    async ({ browser }, use, workerInfo) => {
      await use(await trainLenet(browser, join(workerInfo.project.outputDir, 'fixtures'), { width: 1280, height: 1000 }));
    },
    // Training lenet takes minutes on a busy machine; it runs once per test worker.
    { scope: 'worker', timeout: 660_000 },
  ],
});

/** `test` whose browser starts with trainedModel's storage (tests that need a trained page). */
export const trainedTest = test.extend<{ trainedPage: Page }>({
  storageState: async ({ trainedModel }, use) => use(trainedModel.storageState),
  trainedPage: async ({ page }, use) => {
    await page.goto(LENET_ONE_EPOCH, { waitUntil: 'load' });
    await expect(page.locator('#messages')).toContainText(/your last model is back/i, { timeout: 90_000 });
    await trainReady(page);
    await use(page);
  },
});
