#!/usr/bin/env node
// The browser tests' web server (started by playwright.config.ts's webServer): builds the page
// when build/dist is older than web/ or build/public (unless E2E_SKIP_BUILD=1), then serves
// build/dist with Vite's preview server on a free port, with the real COOP/COEP + CSP headers
// from web/vite.config.ts. Prints the address it serves; the config reads the port from it.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const viteConfig = join(root, 'web/vite.config.ts');

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
  return statSync(built).mtimeMs > Math.max(newest(join(root, 'web')), newest(join(root, 'build/public')));
}

for (const need of ['build/public/data/mnist/train-images-idx3-ubyte.gz', 'build/public/wasm']) {
  if (!existsSync(join(root, need))) {
    console.error(`missing ${need}: run "npm run data" and "npm run build:wasm" first`);
    process.exit(1);
  }
}
if (!process.env.E2E_SKIP_BUILD && !distIsFresh()) {
  console.log('building the page (vite build)…');
  await build({ configFile: viteConfig, logLevel: 'warn' });
}
const server = await preview({
  configFile: viteConfig,
  logLevel: 'warn',
  // Port 0: the system picks a free one, so runs in several checkouts at once do not collide.
  preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false },
});
const { port } = server.httpServer.address();
console.log(`e2e server: serving build/dist at http://127.0.0.1:${port}/`);
