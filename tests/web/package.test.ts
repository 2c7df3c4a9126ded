// The engine as an npm package: `npm pack` of wasm/package with both wasm builds, installed into
// an empty folder, runs its README's example in Node: lenet, 200 steps on the bundled digits,
// above 90% test accuracy, a save -> load round trip, and predictions.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataDir, root } from './wasm-module';

const dir = mkdtempSync(join(tmpdir(), 'scratchnet-package-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scratchnet-engine package', () => {
  it("installs from its tarball and runs the README's example: lenet above 90% after 200 steps", () => {
    const tarball = execFileSync('node', ['wasm/package/pack.mjs'], { cwd: root, encoding: 'utf8' }).trim().split('\n').at(-1)!;
    writeFileSync(`${dir}/package.json`, JSON.stringify({ name: 'example', private: true, type: 'module' }));
    // No dependencies: installing the tarball needs no network.
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: dir, stdio: 'pipe' });
    const installed = JSON.parse(readFileSync(`${dir}/node_modules/scratchnet-engine/package.json`, 'utf8'));
    expect(installed.exports['.'].types).toBe('./index.d.ts');
    for (const f of [
      'index.d.ts',
      'scratchnet.d.ts',
      'simd/scratchnet.wasm',
      'simd/scratchnet.mjs',
      'threads/scratchnet.wasm',
      'threads/scratchnet.mjs',
      'threads/scratchnet.worker.js',
    ]) {
      expect(() => readFileSync(`${dir}/node_modules/scratchnet-engine/${f}`), f).not.toThrow();
    }
    // The types resolve for a TypeScript consumer (Node's ESM resolution).
    writeFileSync(
      `${dir}/check.ts`,
      "import { loadScratchNet } from 'scratchnet-engine';\nconst e = await loadScratchNet();\nexport const n: number = e.Network.presets().length;\nexport const v: 'simd' | 'threads' = e.variant;\n",
    );
    execFileSync(
      `${root}/node_modules/.bin/tsc`,
      ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', 'check.ts'],
      { cwd: dir, stdio: 'pipe' },
    );
    // The example exactly as the README shows it.
    const readme = readFileSync(`${root}/wasm/package/README.md`, 'utf8');
    const example = /```js\n([\s\S]*?)```/.exec(readme)![1];
    // The issue asks for a 15-line example; every line counts, blank or not.
    expect(example.trimEnd().split('\n').length).toBeLessThanOrEqual(15);
    writeFileSync(`${dir}/example.mjs`, example);
    const out = execFileSync('node', ['example.mjs', dataDir], { cwd: dir, encoding: 'utf8' });
    console.log(`     ${out.trim().split('\n')[0]}`);
    const m = /^simd: test accuracy ([\d.]+)/.exec(out);
    expect(m, out).not.toBeNull();
    // lenet passes 90% on the bundled digits after 200 batches of 64 (12,800 samples; about
    // 95% typical): the bar the issue sets for the example.
    expect(Number(m![1])).toBeGreaterThan(0.9);
    // predictTest([0]) printed ten probabilities.
    expect((out.match(/\d\.\d+e?-?\d*/g) ?? []).length).toBeGreaterThanOrEqual(10);
  });
});
