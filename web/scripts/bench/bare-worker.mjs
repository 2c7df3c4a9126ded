// Runs learn-worker.mjs (a bare worker: the engine with no page around it) once in a fresh
// browser context on the bench server (serve.mjs) and returns its answer: { threads, steps,
// warmSteps, trainMs, evalMs, accuracy }. `message` is what the worker gets (threads, seconds, and
// optionally model, data, training).
export async function runBareWorker(browser, benchPort, message) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${benchPort}/data/index.json`);
    const r = await page.evaluate(
      (message) =>
        new Promise((resolve) => {
          const worker = new Worker('/bench/learn-worker.mjs', { type: 'module' });
          worker.onmessage = ({ data }) => resolve(data);
          worker.onerror = (e) => resolve({ ok: false, error: e.message });
          worker.postMessage(message);
        }),
      message,
    );
    if (!r.ok) throw new Error(`bare worker: ${r.error}`);
    return r;
  } finally {
    await context.close();
  }
}
