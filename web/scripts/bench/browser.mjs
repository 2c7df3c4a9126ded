// wasm in headless Chromium (Debian's /usr/bin/chromium via playwright-core): prints JSON lines
// like node.mjs. node web/scripts/bench/browser.mjs THREADS SECONDS
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, executablePath } from '../chromium.mjs';
import { serve } from './serve.mjs';

const [threadArg = '2', secondsArg = '2', runs = ''] = process.argv.slice(2);
const server = await serve();
const { port } = server.address();
const profile = mkdtempSync(join(tmpdir(), 'sn-bench-chromium-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  args: CHROMIUM_ARGS,
});
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`http://127.0.0.1:${port}/bench/bench.html?threads=${threadArg}&seconds=${secondsArg}${runs ? `&runs=${runs}` : ''}`);
  const results = await page.evaluate(() => window.benchResult);
  for (const run of results) {
    if (!run.ok) {
      console.error(`chromium ${run.variant}: ${run.error}`);
      process.exitCode = 1;
      continue;
    }
    for (const r of run.results) console.log(JSON.stringify({ where: 'chromium', variant: run.variant, isolated: run.isolated, ...r }));
  }
} finally {
  await browser.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}
