// README's screenshot (web/docs/screenshot.png): the built page's first screen at 1400x1000 in
// headless Chromium, as a person sees it after training the fast preset for one epoch on the
// default data (full MNIST) and drawing a 7 on the pad. Needs `vite build` and `npm run data`.
// node web/scripts/screenshot.mjs [OUT]
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { preview } from 'vite';

const root = fileURLToPath(new URL('../..', import.meta.url));
const out = process.argv[2] ?? join(root, 'web/docs/screenshot.png');
if (!existsSync(join(root, 'build/dist/index.html')))
  throw new Error('build/dist is missing: run "npx vite build --config web/vite.config.ts"');

const server = await preview({ configFile: join(root, 'web/vite.config.ts'), preview: { port: 0, host: '127.0.0.1' }, logLevel: 'silent' });
const origin = server.resolvedUrls.local[0].replace(/\/$/, '');
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`${origin}/?model=fast&epochs=1`);
  const train = page.locator('#train-panel').getByRole('button', { name: /^train$/i });
  // The data set (60,000 images) and the engine load before Train is enabled.
  await train.waitFor({ state: 'visible', timeout: 300_000 });
  await page.waitForFunction((b) => b && !b.disabled, await train.elementHandle(), { timeout: 300_000 });
  await train.click();
  // Training is over when the Train card offers to continue.
  await page
    .locator('#train-panel')
    .getByRole('button', { name: /^continue training$/i })
    .waitFor({ state: 'visible', timeout: 1_800_000 });

  // A 7 on the pad, drawn with the mouse as a person would.
  const pad = page.getByRole('img', { name: /drawing pad/i });
  const box = await pad.boundingBox();
  if (!box) throw new Error('the drawing pad is not on the first screen');
  const at = ([x, y]) => [box.x + x * box.width, box.y + y * box.height];
  const strokePoints = [
    [0.22, 0.2],
    [0.78, 0.2],
    [0.62, 0.5],
    [0.45, 0.88],
  ];
  await page.mouse.move(...at(strokePoints[0]));
  await page.mouse.down();
  for (const p of strokePoints.slice(1)) await page.mouse.move(...at(p), { steps: 8 });
  await page.mouse.up();
  await page
    .locator('#draw-panel')
    .getByRole('status')
    .filter({ hasText: /reads \d/ })
    .waitFor({ timeout: 30_000 });
  await page.waitForTimeout(1_000);
  await page.screenshot({ path: out });
  console.log(`screenshot: ${out}`);
} finally {
  await browser.close();
  server.httpServer.close();
}
