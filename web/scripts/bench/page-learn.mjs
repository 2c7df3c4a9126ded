// The fast preset in the page against the same training in a bare worker, on one machine at one
// time: the built page (build/dist, headless Chromium, 1280x1000 like the browser tests) opens
// `?model=fast&threads=2` on full MNIST and trains for SECONDS from Train; then a bare module
// worker (learn-worker.mjs) trains the same model, settings and data on the same wasm build for
// SECONDS. Rounds alternate the two (and BASE_DIST, another build of the page, e.g. main's), so
// a busy machine slows each about alike. Prints batches trained, wall samples/s, the engine's
// own samples/s and how busy the page's main thread was (CDP TaskDuration / wall).
//   node web/scripts/bench/page-learn.mjs [SECONDS=25] [ROUNDS=2] [top|network]
//   BASE_DIST=/path/to/other/build/dist node web/scripts/bench/page-learn.mjs
//   EPOCH=1 node web/scripts/bench/page-learn.mjs   the whole epoch instead: seconds from Train
//                                                   to the evaluated epoch (bare: train + evaluate)
//   TARGET=0.9 MODEL=mlp DATA=fashion [EPOCHS=N] node web/scripts/bench/page-learn.mjs 0 2
//     time to an accuracy: the preset with its recommended settings (EPOCHS replaces its epoch
//     count); in the page, seconds from Train until the test accuracy shown reaches TARGET (the
//     page also evaluates during an epoch); in the bare worker, training and evaluation time
//     until the first epoch whose evaluation reaches it
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../chromium.mjs';
import { preview } from 'vite';
import { runBareWorker } from './bare-worker.mjs';
import { serve } from './serve.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const seconds = Number(process.argv[2] ?? 25);
const rounds = Number(process.argv[3] ?? 2);
const view = process.argv[4] ?? 'top';
const target = process.env.TARGET ? Number(process.env.TARGET) : undefined;
const epoch = process.env.EPOCH === '1' || target !== undefined;
const model = process.env.MODEL ?? 'fast';
const dataSet = process.env.DATA; // a page data id (e.g. fashion); full MNIST when unset
const epochs = process.env.EPOCHS ? Number(process.env.EPOCHS) : undefined;
const query = [`model=${model}`, dataSet && `data=${dataSet}`, epochs && `epochs=${epochs}`, 'threads=2'].filter(Boolean).join('&');
const BATCH = 128; // the fast preset's recommended batch
const dists = [['page', join(root, 'build/dist')], ...(process.env.BASE_DIST ? [['base page', process.env.BASE_DIST]] : [])];
for (const [, dir] of dists)
  if (!existsSync(join(dir, 'index.html'))) throw new Error(`${dir} is missing: run "npx vite build --config web/vite.config.ts"`);

const servers = [];
const origins = new Map();
for (const [name, outDir] of dists) {
  const s = await preview({
    configFile: join(root, 'web/vite.config.ts'),
    build: { outDir },
    preview: { port: 0, host: '127.0.0.1' },
    logLevel: 'silent',
  });
  servers.push(() => s.httpServer.close());
  origins.set(name, s.resolvedUrls.local[0].replace(/\/$/, ''));
}
const bench = await serve();
servers.push(() => bench.close());
const browser = await launchChromium();

async function pageRun(origin) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  try {
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(`${origin}/?${query}`);
    await page.waitForFunction(
      () => {
        const b = [...document.querySelectorAll('#train-panel button')].find((x) => x.textContent?.trim() === 'Train');
        return b && !b.disabled && /60,000 training/.test(document.querySelector('#data-panel')?.textContent ?? '');
      },
      null,
      { timeout: 300_000 },
    );
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const busy = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
    const busy0 = await busy();
    await page
      .locator('#train-panel')
      .getByRole('button', { name: /^train$/i })
      .click();
    const t0 = Date.now();
    // Clicking Train scrolls the Train card into view: bring the network view back.
    if (view === 'network') await page.locator('#network-view').scrollIntoViewIfNeeded();
    const stat = (name) => page.locator('#train-panel .stat', { hasText: name }).locator('.stat-value').textContent();
    if (epoch) {
      // Over when the run has ended (Stop disabled again, an accuracy shown) or, with TARGET,
      // as soon as the test accuracy shown reaches it.
      await page.waitForFunction(
        (target) => {
          const panel = document.querySelector('#train-panel');
          const stop = [...(panel?.querySelectorAll('button') ?? [])].find((x) => x.textContent?.trim() === 'Stop');
          const ended = stop && (stop.disabled || stop.offsetParent === null) && /\d%/.test(panel?.textContent ?? '');
          const tile = [...(panel?.querySelectorAll('.stat') ?? [])].find((x) => /Test accuracy/i.test(x.textContent ?? ''));
          return ended || (target !== null && parseFloat(tile?.querySelector('.stat-value')?.textContent ?? '') >= target * 100);
        },
        target ?? null,
        { timeout: 1_200_000, polling: target === undefined ? 200 : 100 },
      );
    } else await page.waitForTimeout(seconds * 1000);
    const batches = parseInt((await stat(/^Batch/)) ?? '', 10) || 0;
    const wall = (Date.now() - t0) / 1000;
    if (epoch) return { batches, seconds: wall, accuracy: await stat(/Test accuracy/i) };
    return {
      batches,
      wallSps: (batches * BATCH) / wall,
      engineSps: Number(((await stat(/Samples/)) ?? '').replace(/,/g, '')) || NaN,
      mainBusy: ((await busy()) - busy0) / wall,
    };
  } finally {
    await context.close();
  }
}

async function bareRun() {
  const r = await runBareWorker(
    browser,
    bench.address().port,
    target !== undefined
      ? { threads: 2, seconds: 1e9, model, data: dataSet ?? 'mnist-full', target, epochs }
      : { threads: 2, seconds: epoch ? 1e9 : seconds },
  );
  if (epoch) return { batches: r.steps, seconds: (r.trainMs + r.evalMs) / 1000, accuracy: `${(r.accuracy * 100).toFixed(2)}%` };
  return {
    batches: r.steps,
    wallSps: (r.steps * BATCH) / (r.trainMs / 1000),
    engineSps: (r.steps * BATCH) / (r.trainMs / 1000),
    mainBusy: NaN,
  };
}

const row = (round, name, r) =>
  epoch
    ? `| ${round} | ${name} | ${r.batches} | ${r.seconds.toFixed(1)} | ${r.accuracy} |`
    : `| ${round} | ${name} | ${r.batches} | ${fmt(r.wallSps)} | ${fmt(r.engineSps)} | ${Number.isFinite(r.mainBusy) ? `${Math.round(r.mainBusy * 100)}%` : '—'} |`;
const fmt = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '—');
const what =
  target !== undefined
    ? `time to ${target * 100}% test accuracy`
    : epoch
      ? 'one epoch, Train to its evaluation'
      : `the first ${seconds} s after Train`;
console.log(
  `${model} preset, ${dataSet ?? 'full MNIST'}, 2 threads: ${what} (${view === 'network' ? '"Inside the network" on screen' : 'page as it opens'})\n`,
);
console.log(
  epoch
    ? '| round | where | batches | seconds | test accuracy |'
    : '| round | where | batches | wall samples/s | engine samples/s | main thread busy |',
);
console.log(epoch ? '|---|---|---:|---:|---:|' : '|---|---|---:|---:|---:|---:|');
try {
  for (let round = 1; round <= rounds; round++) {
    for (const [name] of dists) {
      console.log(row(round, name, await pageRun(origins.get(name))));
    }
    console.log(row(round, 'bare worker', await bareRun()));
  }
} finally {
  await browser.close();
  for (const close of servers) close();
}
