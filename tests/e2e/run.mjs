#!/usr/bin/env node
// Browser tests: build the page, serve it with Vite's preview server (the real COOP/COEP + CSP
// headers from web/vite.config.ts), drive Debian's chromium with playwright-core, and check what
// a person would: the page loads cleanly and cross-origin isolated with the threads build, lenet
// trains to >= 95% test accuracy in one epoch, a digit drawn with the pointer is read, the
// network view draws, nothing is requested from another origin, and memory stays flat.
//
//   npm run test:e2e                      build (unless build/dist is newer than web/ and
//                                         build/public) + all tests
//   E2E_SKIP_BUILD=1 npm run test:e2e     reuse build/dist as it is
//   E2E_ONLY=draw npm run test:e2e        tests whose name matches (the setup tests still run)
//   E2E_HEADED=1 ...                      show the browser (needs a display)
// Prints "N passed, N failed" last and exits non-zero on any failure. Screenshots go to
// tests/e2e/artifacts/ (gitignored). Needs data and wasm built (npm run data, build:wasm).
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { tests } from './page-tests.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = join(root, 'tests/e2e/artifacts');
const viteConfig = join(root, 'web/vite.config.ts');
const chromiumPath = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
/** The whole suite must end in a few minutes on 2 shared cores. */
const SUITE_LIMIT_MS = Number(process.env.E2E_SUITE_LIMIT_MS || 9 * 60_000);

/** Newest modification time (ms) of the files under `dir` (0 when missing). */
function newest(dir) {
  let t = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (e.isFile()) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/** build/dist is up to date when it is newer than the page sources and what it copies. */
function distIsFresh() {
  const built = join(root, 'build/dist/index.html');
  if (!existsSync(built)) return false;
  const sources = Math.max(newest(join(root, 'web')), newest(join(root, 'build/public')));
  return statSync(built).mtimeMs > sources;
}

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, fail) => {
      timer = setTimeout(() => fail(new Error(`${what}: timed out after ${Math.round(ms / 1000)} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function main() {
  const started = Date.now();
  mkdirSync(artifacts, { recursive: true });
  for (const need of ['build/public/data/mnist/train-images-idx3-ubyte.gz', 'build/public/wasm']) {
    if (!existsSync(join(root, need))) {
      console.error(`missing ${need}: run "npm run data" and "npm run build:wasm" first`);
      console.log('0 passed, 1 failed');
      return 1;
    }
  }
  if (!existsSync(chromiumPath)) {
    console.error(`no chromium at ${chromiumPath} (apt-get install chromium, or set E2E_CHROMIUM)`);
    console.log('0 passed, 1 failed');
    return 1;
  }

  if (!process.env.E2E_SKIP_BUILD && !distIsFresh()) {
    console.log('building the page (vite build)…');
    await build({ configFile: viteConfig, logLevel: 'warn' });
  } else {
    console.log('build/dist is newer than web/ and build/public: not rebuilding');
  }
  const port = await freePort();
  const server = await preview({
    configFile: viteConfig,
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port, strictPort: true, open: false },
  });
  const origin = `http://127.0.0.1:${port}`;
  console.log(`serving build/dist at ${origin}`);

  // A fresh profile every run: no cached state, no IndexedDB from earlier runs.
  const profile = await mkdtemp(join(tmpdir(), 'scratchnet-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: !process.env.E2E_HEADED,
    viewport: { width: 1280, height: 1000 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-default-apps',
      '--disable-extensions',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-quic',
      '--metrics-recording-only',
      '--disable-features=Translate,OptimizationHints,MediaRouter',
      // Background tabs must not be throttled while a test waits on training.
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
      // gc() in the page and the trainer worker, so the memory test samples after collection.
      '--js-flags=--expose-gc',
    ],
  });

  const page = context.pages()[0] ?? (await context.newPage());
  const log = { console: [], errors: [], requests: [], allowErrors: false };
  // Every page of the context (the memory test opens a second one) is watched.
  const watch = (p) => {
    p.on('console', (m) => {
      // allowErrors: set by a test while it provokes errors on purpose (the worker crash).
      if (m.type() === 'error' && !log.allowErrors) log.errors.push(`console: ${m.text()}`);
      log.console.push(`${m.type()}: ${m.text()}`);
    });
    p.on('pageerror', (e) => {
      if (!log.allowErrors) log.errors.push(`page error: ${e.message}`);
    });
  };
  watch(page);
  context.on('page', watch);
  context.on('request', (r) => log.requests.push(r.url()));

  const env = { page, context, origin, artifacts, log };
  const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY, 'i') : null;
  let passed = 0;
  let failed = 0;
  let setupFailed = false;
  for (const t of tests) {
    if (only && !t.setup && !only.test(t.name)) continue;
    const left = SUITE_LIMIT_MS - (Date.now() - started);
    if (left <= 0 || (setupFailed && t.needsSetup)) {
      console.log(`FAIL ${t.name}: skipped (${left <= 0 ? 'suite time limit reached' : 'setup failed'})`);
      failed++;
      continue;
    }
    const t0 = Date.now();
    try {
      await withTimeout(t.run(env), Math.min(t.timeoutMs ?? 60_000, left), t.name);
      console.log(`ok   ${t.name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      passed++;
    } catch (err) {
      failed++;
      if (t.setup) setupFailed = true;
      console.log(`FAIL ${t.name} (${((Date.now() - t0) / 1000).toFixed(1)} s): ${err?.message ?? err}`);
      const shot = join(artifacts, `failed-${t.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
      await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
      const tail = log.console.slice(-15);
      if (tail.length) console.log(`  last console lines:\n    ${tail.join('\n    ')}`);
    }
  }

  await context.close().catch(() => undefined);
  await server.close().catch(() => undefined);
  rmSync(profile, { recursive: true, force: true });
  console.log(`(${((Date.now() - started) / 1000).toFixed(0)} s)`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err?.stack ?? err);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
