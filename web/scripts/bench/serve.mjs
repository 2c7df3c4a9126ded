// A tiny static server for the browser bench: build/public at /, this folder at /bench/,
// TensorFlow.js's dist at /tfjs/ (if installed), the page's own TypeScript modules at /src/
// (web/src, types stripped: the bench workers run the page's code rather than copies), with
// the COOP/COEP headers that make the page crossOriginIsolated (SharedArrayBuffer -> threads).
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const here = fileURLToPath(new URL('.', import.meta.url));
const publicDir = fileURLToPath(new URL('../../../build/public/', import.meta.url));
/** URL prefix -> folder it serves; anything else comes from build/public. */
const mounts = [
  ['/bench/', here],
  ['/tfjs/', fileURLToPath(new URL('../../../build/bench-tfjs/node_modules/@tensorflow/tfjs/dist/', import.meta.url))],
  ['/src/', fileURLToPath(new URL('../../src/', import.meta.url))],
];
const types = {
  '.html': 'text/html; charset=utf-8',
  '.mjs': 'text/javascript',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.gz': 'application/octet-stream',
};

export function serve(port = 0) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const [prefix, base] = mounts.find(([p]) => path.startsWith(p)) ?? ['/', publicDir];
    const rel = path.slice(prefix.length);
    const file = normalize(join(base, rel));
    let ok = file.startsWith(base);
    try {
      ok = ok && statSync(file).isFile();
    } catch {
      ok = false;
    }
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    if (!ok) {
      res.writeHead(404).end('not found');
      return;
    }
    if (extname(file) === '.ts') {
      // Only type-level imports may leave such a module: the browser resolves no bare or
      // extensionless names.
      const js = ts.transpileModule(readFileSync(file, 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(js);
      return;
    }
    res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
