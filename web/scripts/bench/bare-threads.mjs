// Two threads against one in a bare worker (learn-worker.mjs: the threads build, no page), the
// page bench's workload (lenet of WORKLOADS, Adam 0.002, batch 64, one-cycle, one epoch of
// Fashion-MNIST), PASSES times, 1 then 2 threads, each in a fresh browser context. For what the
// page's ratio could be on this machine today, and for trying what moves it:
//   WARM=150 WARM_WAIT=2000   first warm the engine up as the page does (warm-up.ts), wait 2 s
//   CHROMIUM_FLAGS='--js-flags=--no-wasm-dynamic-tiering'   Chromium switches
// node web/scripts/bench/bare-threads.mjs
import { extraFlags, launchChromium } from '../chromium.mjs';
import { runBareWorker } from './bare-worker.mjs';
import { WORKLOADS } from './measure.mjs';
import { serve } from './serve.mjs';

const flags = extraFlags();
const [passes, warm, warmWait] = [Number(process.env.PASSES ?? 2), Number(process.env.WARM ?? 0), Number(process.env.WARM_WAIT ?? 0)];
const browser = await launchChromium();
const bench = await serve();
const training = { optimizer: 'adam', learningRate: 0.002, batchSize: 64, seed: 1, schedule: { kind: 'onecycle', epochs: 1 } };
const what =
  [flags.join(' '), warm ? `warm-up ${warm} steps` : '', warmWait ? `${warmWait} ms wait` : ''].filter(Boolean).join(', ') || 'as it is';
try {
  for (let pass = 1; pass <= passes; pass++) {
    const rate = {};
    for (const threads of [1, 2]) {
      const message = { warm, warmWait, threads, seconds: 1e9, model: WORKLOADS.lenet, data: 'fashion', training };
      const r = await runBareWorker(browser, bench.address().port, message);
      rate[threads] = (r.steps * 64) / (r.trainMs / 1000);
    }
    const [one, two] = [rate[1], rate[2]].map(Math.round);
    console.log(`bare worker (${what}), pass ${pass}: 1 thread ${one}, 2 threads ${two} samples/s, ${(two / one).toFixed(2)}x`);
  }
} finally {
  await browser.close();
  bench.close();
}
