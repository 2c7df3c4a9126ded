// A new deploy replaces the offline copy: the page is served from build A, its service worker
// caches it; then the same address serves build B (a changed entry script under a new name, a
// changed index.html, and the service worker that lists them). Reloading picks up B without a
// stale page (web/src/offline.ts takes the new worker at once while nothing was trained), and
// the precache holds B's files only: A's entry script is gone from it.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, expectClean, test, watchContext } from './fixtures';
import { trainReady, until } from './helpers';

const dist = fileURLToPath(new URL('../../build/dist', import.meta.url));
const types: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.gz': 'application/gzip',
};

/** A static server for whichever folder `root.dir` names at the time of each request, with the
 * page's cross-origin isolation headers (as the preview server sends them). */
function serve(root: { dir: string }): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = join(root.dir, normalize(path === '/' ? '/index.html' : path));
    let body: Buffer;
    try {
      body = readFileSync(file);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': types[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-cache',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
    res.end(body);
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => ok({ server, origin: `http://127.0.0.1:${(server.address() as { port: number }).port}` })),
  );
}

/** Build B from a copy of build A: the entry script under a new name with a marker that sets
 * `globalThis.__scratchnetBuild = 'B'`, index.html pointing at it (and naming the build), and
 * sw.js's precache list updated to both. A's entry script stays on the server, so only the
 * service worker's cleanup can take it out of the cache. */
function makeBuildB(a: string, b: string): { oldEntry: string; newEntry: string } {
  cpSync(a, b, { recursive: true });
  let html = readFileSync(join(b, 'index.html'), 'utf8');
  const oldEntry = /<script type="module"[^>]*src="\/(assets\/[^"]+\.js)"/.exec(html)![1]!;
  const newEntry = oldEntry.replace(/\.js$/, '-b.js');
  writeFileSync(join(b, newEntry), `globalThis.__scratchnetBuild = 'B';\n${readFileSync(join(a, oldEntry), 'utf8')}`);
  html = html.replace(`/${oldEntry}`, `/${newEntry}`).replace('<head>', '<head><meta name="scratchnet-build" content="B">');
  writeFileSync(join(b, 'index.html'), html);
  let sw = readFileSync(join(b, 'sw.js'), 'utf8');
  expect(sw, "sw.js lists A's entry script").toContain(`"${oldEntry}"`);
  const htmlEntry = /\{url:"index\.html",revision:"([0-9a-f]+)"\}/.exec(sw);
  expect(htmlEntry, 'sw.js lists index.html with a revision').not.toBeNull();
  sw = sw.replaceAll(`"${oldEntry}"`, `"${newEntry}"`).replace(htmlEntry![0], `{url:"index.html",revision:"${htmlEntry![1]}b"}`);
  writeFileSync(join(b, 'sw.js'), sw);
  return { oldEntry, newEntry };
}

test('a new deploy replaces the cached page and its old files on reload', async ({ browser }) => {
  test.setTimeout(240_000);
  const tmp = mkdtempSync(join(tmpdir(), 'sn-deploy-'));
  const a = join(tmp, 'a');
  cpSync(dist, a, { recursive: true });
  const { oldEntry, newEntry } = makeBuildB(a, join(tmp, 'b'));
  const root = { dir: a };
  const { server, origin } = await serve(root);
  const context = await browser.newContext();
  const guard = watchContext(context);
  try {
    const page = await context.newPage();
    const cached = () =>
      page.evaluate(async () => {
        const urls: string[] = [];
        for (const name of await caches.keys())
          for (const r of await (await caches.open(name)).keys()) urls.push(new URL(r.url).pathname.slice(1).replace(/\?.*/, ''));
        return urls;
      });
    const build = () => page.evaluate(() => (globalThis as unknown as { __scratchnetBuild?: string }).__scratchnetBuild ?? 'A');
    await page.goto(`${origin}/?data=mnist`, { waitUntil: 'load' });
    await trainReady(page);
    await until(() => page.evaluate(() => navigator.serviceWorker.controller !== null), {
      timeoutMs: 60_000,
      what: 'the service worker to control the page',
    });
    await until(async () => (await cached()).includes(oldEntry), { timeoutMs: 60_000, what: "A's entry script in the cache" });
    expect(await build()).toBe('A');

    // Deploy B. The reload checks for a new worker; it installs, takes over (nothing trained)
    // and the page reloads itself into B.
    root.dir = join(tmp, 'b');
    await page.reload({ waitUntil: 'load' });
    await until(async () => (await build().catch(() => null)) === 'B', { timeoutMs: 90_000, what: 'the page to run build B' });
    await trainReady(page);
    expect(await page.locator('meta[name=scratchnet-build]').getAttribute('content')).toBe('B');
    // The old precache entries go when B's worker activates.
    const urls = await until(
      async () => {
        const u = await cached();
        return u.includes(newEntry) && !u.includes(oldEntry) ? u : null;
      },
      { timeoutMs: 60_000, what: "B's entry script cached and A's gone" },
    );
    expect(urls).toContain('index.html');
    // One more reload stays on B (the cache serves B, not a stale A).
    await page.reload({ waitUntil: 'load' });
    await trainReady(page);
    expect(await build()).toBe('B');
    expectClean(guard, origin);
  } finally {
    await context.close();
    server.close();
    rmSync(tmp, { recursive: true, force: true });
  }
});
