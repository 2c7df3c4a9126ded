// Two training threads against one in the page itself (the built page, build/dist, in headless
// Chromium at 1400x1000 with COOP/COEP): the lenet workload (WORKLOADS in measure.mjs, fixed
// whatever the preset becomes), batch 64, one epoch of Fashion-MNIST (60,000 images), with 1
// then 2 threads, once with the page as it opens (top of the page) and once
// with "Inside the network" on screen (live updates while training). Reads each run's
// samples/s (training time only) from the page's run store, keeps the best of PAGE_REPEAT
// passes and prints the 2t / 1t ratio per view, beside a bare worker (learn-worker.mjs) that
// warms up as the page does and trains the same model, settings and data on the same build with
// nothing else running: the ratio the page could reach. After each run it prints the CPU seconds the browser's threads
// spent from Train to the run's end, by thread name (Linux /proc): what else took the cores.
// Train is pressed PAGE_THINK_MS (2000) after it is enabled. PAGE_SW=block opens the page with
// service workers blocked; CHROMIUM_FLAGS adds Chromium switches. Needs `vite build` (bench.sh).
// node web/scripts/bench/page.mjs
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../chromium.mjs';
import { preview } from 'vite';
import { runBareWorker } from './bare-worker.mjs';
import { WORKLOADS } from './measure.mjs';
import { serve } from './serve.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));
if (!existsSync(join(root, 'build/dist/index.html')))
  throw new Error('build/dist is missing: run "npx vite build --config web/vite.config.ts"');
const repeat = Number(process.env.PAGE_REPEAT ?? 2);
const thinkMs = Number(process.env.PAGE_THINK_MS ?? 2000);
const views = [...(process.env.PAGE_VIEWS ?? 'top,network').split(','), 'bare'];
const server = await preview({ configFile: join(root, 'web/vite.config.ts'), preview: { port: 0, host: '127.0.0.1' }, logLevel: 'silent' });
const origin = server.resolvedUrls.local[0].replace(/\/$/, '');
const profile = mkdtempSync(join(tmpdir(), 'sn-bench-page-'));
const bench = await serve();
const browser = await launchChromium();

/** CPU seconds so far of every thread of the browser's processes, by "process/thread" name (Linux
 * /proc): the trainer worker and the engine's pthreads are "renderer/DedicatedWorker", the
 * page's own work "renderer/chromium" (its main thread), painting "renderer/Compositor" and
 * "gpu-process/VizCompositorTh". Empty where there is no /proc. */
function cpuByThread() {
  const byName = new Map();
  if (!existsSync('/proc/self/task')) return byName;
  const tick = 100; // USER_HZ on Linux
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmdline.includes('chrom')) continue;
      // The process: "renderer", "gpu-process", a utility's service ("network", "storage") or "browser".
      const kind = /--utility-sub-type=([a-z_]+)/.exec(cmdline)?.[1] ?? /--type=([a-z-]+)/.exec(cmdline)?.[1] ?? 'browser';
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = `${kind}/${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}`;
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const seconds = (Number(fields[11]) + Number(fields[12])) / tick; // utime + stime
        byName.set(name, (byName.get(name) ?? 0) + seconds);
      }
    } catch {
      // gone meanwhile
    }
  }
  return byName;
}

/** CPU seconds by thread name between two cpuByThread() readings, largest first. */
function cpuSpent(before, after) {
  return [...after.entries()]
    .map(([name, s]) => [name, s - (before.get(name) ?? 0)])
    .filter(([, s]) => s >= 0.01)
    .sort((a, b) => b[1] - a[1]);
}

/** The newest run's samples/s in the page's IndexedDB (null until it is stored). */
const newestRun = (page) =>
  page.evaluate(
    () =>
      new Promise((resolve) => {
        const req = indexedDB.open('scratchnet');
        req.onerror = () => resolve(null);
        req.onsuccess = () => {
          const db = req.result;
          if (!db.objectStoreNames.contains('runs')) return resolve(null);
          const all = db.transaction('runs').objectStore('runs').getAll();
          all.onsuccess = () => {
            const runs = all.result.filter((r) => r.status === 'finished').sort((a, b) => b.startedAt - a.startedAt);
            resolve(runs[0] ? { sps: runs[0].samplesPerSecond, threads: runs[0].threads } : null);
          };
          all.onerror = () => resolve(null);
        };
      }),
  );

/** The same run in a bare worker: the lenet workload, Adam 0.002, batch 64, one-cycle, one epoch
 * of Fashion-MNIST, after the page's warm-up (150 steps on one thread) and the same wait. */
async function measureBare(threads) {
  const cpuBefore = cpuByThread();
  const training = { optimizer: 'adam', learningRate: 0.002, batchSize: 64, seed: 1, schedule: { kind: 'onecycle', epochs: 1 } };
  const r = await runBareWorker(browser, bench.address().port, {
    threads,
    seconds: 1e9,
    model: WORKLOADS.lenet,
    data: 'fashion',
    training,
    warm: 150,
    warmWait: thinkMs,
  });
  return { sps: (r.steps * 64) / (r.trainMs / 1000), threads: r.threads, cpu: cpuSpent(cpuBefore, cpuByThread()) };
}

async function measure(threads, view) {
  if (view === 'bare') return measureBare(threads);
  const context = await browser.newContext({
    viewport: { width: 1400, height: 1000 },
    serviceWorkers: process.env.PAGE_SW === 'block' ? 'block' : 'allow',
  });
  try {
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    const model = encodeURIComponent(WORKLOADS.lenet);
    await page.goto(`${origin}/?data=fashion&model=${model}&opt=adam&lr=0.002&sched=onecycle&batch=64&epochs=1&threads=${threads}`);
    const train = page.locator('#train-panel').getByRole('button', { name: /^train$/i });
    await train.waitFor({ state: 'visible', timeout: 180_000 });
    await page.waitForFunction(
      () => {
        const b = [...document.querySelectorAll('#train-panel button')].find((x) => x.textContent?.trim() === 'Train');
        return b && !b.disabled && /Fashion/i.test(document.querySelector('#data-panel')?.textContent ?? '');
      },
      null,
      { timeout: 180_000 },
    );
    if (view === 'network') await page.locator('#network-view').scrollIntoViewIfNeeded();
    // A person reads the first screen before pressing Train; the page uses that moment
    // (the engine's warm-up, web/src/worker/warm-up.ts).
    await page.waitForTimeout(thinkMs);
    const cpuBefore = cpuByThread();
    await train.click();
    // Checked once a second while it trains (each check is a task on the page's main thread,
    // which with two threads competes with training), then the stored run is read.
    await page.waitForFunction(() => document.querySelector('#train-panel')?.classList.contains('is-running'), null, {
      polling: 50,
      timeout: 60_000,
    });
    await page.waitForFunction(() => !document.querySelector('#train-panel')?.classList.contains('is-running'), null, {
      polling: 1000,
      timeout: 300_000,
    });
    const cpu = cpuSpent(cpuBefore, cpuByThread());
    for (let i = 0; i < 600; i++) {
      const run = await newestRun(page);
      if (run) return { ...run, cpu };
      await page.waitForTimeout(500);
    }
    throw new Error('no finished run after 5 minutes');
  } finally {
    await context.close();
  }
}

const best = new Map();
try {
  for (let pass = 1; pass <= repeat; pass++) {
    for (const view of views) {
      for (const threads of [1, 2]) {
        const { sps, threads: used, cpu } = await measure(threads, view);
        process.stderr.write(`bench page: pass ${pass}, ${view}, ${threads} thread(s): ${Math.round(sps)} samples/s (${used} in use)\n`);
        // Where the CPU went from Train to the run's end, by thread: what the page takes from training.
        if (cpu) process.stderr.write(`  CPU s: ${cpu.map(([name, s]) => `${name} ${s.toFixed(2)}`).join(', ')}\n`);
        const key = `${view}/${threads}`;
        if (!(best.get(key) >= sps)) best.set(key, sps);
      }
    }
  }
} finally {
  await browser.close();
  server.httpServer.close();
  bench.close();
  rmSync(profile, { recursive: true, force: true });
}
const fmt = (v) => Math.round(v).toLocaleString('en-US');
console.log(`\nIn the page: lenet, batch 64, 1 epoch of Fashion-MNIST, samples/s (best of ${repeat} passes)\n`);
console.log('| view | 1 thread | 2 threads | 2t / 1t |');
console.log('|---|---:|---:|---:|');
for (const view of views) {
  const one = best.get(`${view}/1`),
    two = best.get(`${view}/2`);
  console.log(
    `| ${{ top: 'page, top', network: 'page, "Inside the network" on screen', bare: 'bare worker (no page)' }[view] ?? view} | ${fmt(one)} | ${fmt(two)} | ${(two / one).toFixed(2)}x |`,
  );
}
