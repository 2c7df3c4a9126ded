#!/usr/bin/env node
// Packs the engine package (wasm/package) with both wasm builds into build/package/ and runs
// `npm pack` there; prints the tarball's path. Needs `npm run build:wasm` first.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const stage = `${root}/build/package/scratchnet-engine`;
for (const v of ['simd', 'threads']) {
  if (!existsSync(`${root}/build/public/wasm/${v}/scratchnet.wasm`)) {
    console.error(`missing build/public/wasm/${v}: run "npm run build:wasm" first`);
    process.exit(1);
  }
}
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
for (const f of ['package.json', 'index.js', 'index.d.ts', 'README.md']) cpSync(`${here}/${f}`, `${stage}/${f}`);
cpSync(`${root}/wasm/scratchnet.d.ts`, `${stage}/scratchnet.d.ts`);
for (const v of ['simd', 'threads']) cpSync(`${root}/build/public/wasm/${v}`, `${stage}/${v}`, { recursive: true });
const out = execFileSync('npm', ['pack', '--json', '--pack-destination', `${root}/build/package`], { cwd: stage, encoding: 'utf8' });
const [{ filename }] = JSON.parse(out);
console.log(`${root}/build/package/${filename}`);
