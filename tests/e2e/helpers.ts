// What the browser tests read from and do to the page. Locators use roles and accessible names
// where the page has them, so the tests follow what a person sees.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';

/** Test accuracy (percent) a lenet epoch must reach on the bundled digits. */
export const MIN_ACCURACY = 95;

/** One epoch of lenet: Adam 0.003 under one-cycle with batches of 16 (532 steps; 96.7-96.8%
 * natively for seeds 1 and 2). Lenet's recommended batch of 128 makes only 67 steps in an epoch
 * of 8,500 images. */
export const LENET_ONE_EPOCH = '/?data=mnist&model=lenet&epochs=1&lr=0.003&sched=onecycle&batch=16';

export const sleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

/** Types `value` into the training setting labelled `label` (e.g. /^epochs$/i) as a person does,
 * leaves the field and waits for the link to carry it as `key=value`. */
export async function setSetting(page: Page, label: RegExp, key: string, value: string): Promise<void> {
  const field = page.locator('#settings-panel').getByLabel(label);
  await field.fill(value);
  await field.press('Tab');
  await page.waitForURL(new RegExp(`[?&]${key}=${value}(&|$)`));
}

/** Polls `fn` until it returns a truthy value, and returns that value. */
export async function until<T>(
  fn: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  { timeoutMs = 30_000, everyMs = 250, what = 'condition' } = {},
): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await fn();
    if (v) return v;
    await sleep(everyMs);
  }
  throw new Error(`waited ${Math.round(timeoutMs / 1000)} s for ${what}`);
}

/** The "Draw a digit" card and its pad. */
export const drawCard = (page: Page) => page.locator('#draw-panel');
export const pad = (page: Page) => page.getByRole('img', { name: /drawing pad/i });

/** Strokes a polyline over the pad with mouse pointer events; points in 0..1 of the pad. */
export async function stroke(page: Page, points: [number, number][], steps = 8): Promise<void> {
  const box = await pad(page).boundingBox();
  if (!box) throw new Error('the drawing pad is not visible');
  const at = ([x, y]: [number, number]) => [box.x + x * box.width, box.y + y * box.height] as const;
  const [x0, y0] = at(points[0]);
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  for (let i = 1; i < points.length; i++) {
    const [x, y] = at(points[i]);
    await page.mouse.move(x, y, { steps });
  }
  await page.mouse.up();
}

/** Clears the pad and draws a "1" (one stroke down its middle, a little slanted); returns what
 * the panel then announces (`before`: the announcement to wait past, as in announcedDigit). */
export async function drawOne(page: Page, before = ''): Promise<{ digit: number; text: string }> {
  await pad(page).scrollIntoViewIfNeeded();
  await clearPad(page);
  await stroke(page, [
    [0.52, 0.15],
    [0.5, 0.5],
    [0.48, 0.85],
  ]);
  return announcedDigit(page, before);
}

export const clearPad = (page: Page) =>
  drawCard(page)
    .getByRole('button', { name: /^clear$/i })
    .click();

/** The digit the draw panel announces, once its announcement differs from `before` and has
 * settled (the same for ~0.75 s: a refresh that was in flight when the stroke ended may land). */
export async function announcedDigit(page: Page, before = ''): Promise<{ digit: number; text: string }> {
  const status = drawCard(page).getByRole('status');
  let last = '';
  let same = 0;
  const text = await until(
    async () => {
      const t = (await status.textContent()) ?? '';
      same = t === last ? same + 1 : 0;
      last = t;
      return /reads \d/.test(t) && t !== before && same >= 3 ? t : null;
    },
    { timeoutMs: 30_000, what: 'the draw panel to announce a prediction' },
  );
  return { digit: Number(/reads (\d)/.exec(text)![1]), text };
}

/** Ink pixels in the draw panel's 28x28 view of what the network sees. */
export const inkSeen = (page: Page) =>
  page.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>('.sn-seen')!;
    const px = c.getContext('2d')!.getImageData(0, 0, 28, 28).data;
    let ink = 0;
    for (let i = 0; i < px.length; i += 4) ink += px[i] > 0 ? 1 : 0;
    return ink;
  });

const stat = (page: Page, name: RegExp) => page.locator('#train-panel .stat', { hasText: name }).locator('.stat-value');

/** The "Test accuracy" figure of the Train card (percent), or null before the first epoch. */
export async function shownTestAccuracy(page: Page): Promise<number | null> {
  const value = stat(page, /test accuracy/i);
  if ((await value.count()) === 0) return null;
  const m = /(\d{1,3}(?:\.\d+)?)\s*%/.exec((await value.first().textContent()) ?? '');
  return m ? Number(m[1]) : null;
}

/** The "Epoch" figure of the Train card, e.g. "2 / 3", or "" before training. */
export async function shownEpoch(page: Page): Promise<string> {
  const value = stat(page, /^epoch/i);
  return (await value.count()) ? ((await value.first().textContent()) ?? '').trim() : '';
}

/** The "Batch" figure of the Train card as [done, per epoch], or null. */
export async function shownBatch(page: Page): Promise<[number, number] | null> {
  const value = stat(page, /^batch/i);
  if (!(await value.count())) return null;
  const m = /(\d+)\s*\/\s*(\d+)/.exec((await value.first().textContent()) ?? '');
  return m ? [Number(m[1]), Number(m[2])] : null;
}

/** Batches trained so far in this run, counted across epochs (the Batch figure restarts each
 * epoch): (epoch - 1) x batches per epoch + batch, read from the card in one go so that the two
 * figures belong together; 0 before training. */
export function shownStep(page: Page): Promise<number> {
  return page.evaluate(() => {
    const figure = (label: RegExp) => {
      const stat = [...document.querySelectorAll('#train-panel .stat')].find((s) =>
        label.test(s.querySelector('.stat-label')?.textContent ?? ''),
      );
      const m = /(\d+)\s*\/\s*(\d+)/.exec(stat?.querySelector('.stat-value')?.textContent ?? '');
      return m ? [Number(m[1]), Number(m[2])] : null;
    };
    const epoch = figure(/^epoch/i);
    const batch = figure(/^batch/i);
    return epoch && batch ? (epoch[0]! - 1) * batch[1]! + batch[0]! : 0;
  });
}

/** The "Loss" figure of the Train card as a number, or null. */
export async function shownLoss(page: Page): Promise<number | null> {
  const value = stat(page, /^loss/i);
  if (!(await value.count())) return null;
  const text = ((await value.first().textContent()) ?? '').trim();
  const n = Number(text);
  return text !== '' && Number.isFinite(n) ? n : null;
}

/** The Train button, whichever it says: "Train" (no model yet), "Continue training" (the current
 * weights go on) or "Train new model" (the settings describe another model). */
export const trainButton = (page: Page) =>
  page.locator('#train-panel').getByRole('button', { name: /^(train|continue training|train new model)$/i });

/** Clicks Train from inside the page in the first animation frame in which it is enabled: before
 * anything the page does once idle (the warm-up, the service worker), however busy the machine. */
export const clickTrainOnceEnabled = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const poll = () => {
          const train = [...document.querySelectorAll<HTMLButtonElement>('#train-panel button')].find(
            (b) => b.textContent?.trim() === 'Train',
          );
          if (train && !train.disabled && !train.hidden) {
            train.click();
            resolve();
          } else requestAnimationFrame(poll);
        };
        poll();
      }),
  );

export const stopButton = (page: Page) => page.locator('#train-panel').getByRole('button', { name: /^stop$/i });

/** Waits until the Train button is enabled: the data is loaded and nothing is training. */
export async function trainReady(page: Page, timeoutMs = 90_000): Promise<void> {
  await until(async () => (await trainButton(page).isVisible()) && (await trainButton(page).isEnabled()), {
    timeoutMs,
    everyMs: 250,
    what: 'the Train button to be enabled (data loaded, not training)',
  });
}

/** Waits until the Train button is back (training finished or stopped). */
export const trainingIdle = (page: Page, timeoutMs: number) => trainReady(page, timeoutMs);

/** Stops a run if it is still going (it may end on its own between the check and the click). */
export async function stopIfRunning(page: Page): Promise<void> {
  if (await stopButton(page).isEnabled())
    await stopButton(page)
      .click({ timeout: 2_000 })
      .catch(() => undefined);
}

/** The page's trainer worker (not one of Emscripten's pthread workers). */
export function trainerWorker(page: Page) {
  return page.workers().find((w) => /worker/.test(w.url()) && !/scratchnet\.worker\.js/.test(w.url()));
}

/** The trainer worker's wasm heap: bytes in use (malloc's count), live engine objects, and the
 * engine's thread count at that moment. */
export interface WasmMemory {
  heapSize: number;
  used: number;
  datasets: number;
  networks: number;
  threads: number;
}
export async function wasmMemory(page: Page): Promise<WasmMemory | null> {
  const trainer = trainerWorker(page);
  if (!trainer) return null;
  return Promise.race([
    trainer
      .evaluate(() => (self as unknown as { scratchnetMemoryStats?: () => WasmMemory }).scratchnetMemoryStats?.() ?? null)
      .catch(() => null),
    sleep(5_000).then(() => null),
  ]);
}

/** Processes below `root` (the test worker: playwright launched chromium as its child). */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid)!.push(Number(d));
    } catch {
      // the process ended while we looked
    }
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length) for (const c of children.get(stack.pop()!) ?? []) (out.push(c), stack.push(c));
  return out;
}

/** Anonymous resident memory (MB) of chromium's renderer processes (pages, workers, wasm). */
export function rendererMemoryMB(): number {
  let kb = 0;
  for (const pid of descendants(process.pid)) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      kb += Number(/RssAnon:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return kb / 1024;
}

const smallMnist = fileURLToPath(new URL('../../build/public/data/mnist', import.meta.url));

/** One of the small MNIST set's gzipped IDX files, as a file to hand to a file input. */
export const smallMnistFile = (name: string) => ({
  name: `${name}.gz`,
  mimeType: 'application/gzip',
  buffer: readFileSync(join(smallMnist, `${name}.gz`)),
});

/** What the data panel shows: its status line and the captions of its sample strip (compared
 * before and after a refused file to see that the loaded data stayed). */
export async function shownData(page: Page): Promise<string> {
  const panel = page.locator('#data-panel');
  const captions = await panel
    .locator('.sample-strip figure canvas')
    .evaluateAll((cs) => cs.map((c) => c.getAttribute('aria-label') ?? c.textContent));
  return `${await panel.locator('.data-status').textContent()} | ${captions.join(',')}`;
}
