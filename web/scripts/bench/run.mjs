// The training benchmark: samples/s at batch 64 (Adam, bundled digits) for mlp and lenet,
// natively (`nn bench`), as wasm in Node and as wasm in headless Chromium, 1 thread and all
// threads, printed as one table with ratios. Run by web/scripts/bench.sh after the builds.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const threads = Number(process.env.BENCH_THREADS ?? availableParallelism());
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const presets = ['mlp', 'lenet'];
const repeat = Number(process.env.BENCH_REPEAT ?? 2);
// `${column}/${preset}` -> samples/s, the best over BENCH_REPEAT passes: on a shared machine a
// burst of other work only ever lowers a measurement.
const results = new Map();
const record = (key, value) => {
  if (value !== undefined && !(results.get(key) >= value)) results.set(key, value);
};

function jsonLines(text) {
  return text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}

// Native: `nn bench` (best of many short rounds of training steps at batch 64, like measure.mjs),
// one row per preset with the 1-thread and N-thread rates.
function nativeBench(dir = 'native', prefix = 'native', n = threads) {
  const out = execFileSync(`${root}/build/${dir}/core/cli/nn`, ['bench', '--threads', String(n)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for (const m of out.matchAll(/^(\w[\w-]*)\s+64 \|\s+(\d+)\s.*\|\s+(\d+)\s/gm)) {
    record(`${prefix}1/${m[1]}`, Number(m[2]));
    if (n > 1) record(`${prefix}N/${m[1]}`, Number(m[3]));
  }
}
// The portable native build (SSE2: 4 lanes, multiply + add, like wasm SIMD128) when present:
// the like-for-like baseline for the wasm columns.
const portable = existsSync(`${root}/build/h4/core/cli/nn`);

function step(label, fn) {
  process.stderr.write(`bench: ${label}...\n`);
  try {
    fn();
  } catch (e) {
    process.stderr.write(`bench: ${label} failed: ${e.message}\n`);
  }
}

const tfjs = existsSync(`${root}/build/bench-tfjs/node_modules/@tensorflow/tfjs/dist/tf.min.js`);
const keys = { simd: 'chromeSimd', threads: 'chromeThreads', tfjs: 'chromeTfjs' };
for (let pass = 1; pass <= repeat; ++pass) {
  process.stderr.write(`bench: pass ${pass} of ${repeat}\n`);
  step(`native (nn bench, 1 and ${threads} threads)`, () => nativeBench());
  if (portable) step('native SSE2 build (nn bench, 1 thread)', () => nativeBench('h4', 'sse2', 1));
  step('wasm simd in Node', () => {
    for (const r of jsonLines(execFileSync('node', [`${here}/node.mjs`, 'simd', '1', String(seconds)], { encoding: 'utf8' })))
      record(`nodeSimd/${r.preset}`, r.samplesPerSecond);
  });
  step(`wasm threads in Node (${threads})`, () => {
    for (const r of jsonLines(execFileSync('node', [`${here}/node.mjs`, 'threads', String(threads), String(seconds)], { encoding: 'utf8' })))
      record(`nodeThreads/${r.preset}`, r.samplesPerSecond);
  });
  step(`wasm${tfjs ? ' and TensorFlow.js (cpu)' : ''} in headless Chromium`, () => {
    const runs = `simd:1,threads:${threads}${tfjs ? ',tfjs:1' : ''}`;
    const out = execFileSync('node', [`${here}/browser.mjs`, String(threads), String(seconds), runs], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    for (const r of jsonLines(out)) record(`${keys[r.variant]}/${r.preset}`, r.samplesPerSecond);
  });
}

const columns = [
  ['native1', 'native 1t'],
  ['nativeN', `native ${threads}t`],
  ...(portable ? [['sse21', 'native sse2 1t']] : []),
  ['nodeSimd', 'node simd'],
  ['nodeThreads', `node thr ${threads}t`],
  ['chromeSimd', 'chrome simd'],
  ['chromeThreads', `chrome thr ${threads}t`],
  ...(tfjs ? [['chromeTfjs', 'chrome tfjs-cpu']] : []),
];
const ratios = [
  ['node simd / native 1t', 'nodeSimd', 'native1'],
  ['chrome simd / native 1t', 'chromeSimd', 'native1'],
  ...(portable ? [['chrome simd / native sse2 1t', 'chromeSimd', 'sse21']] : []),
  ['node thr / node simd', 'nodeThreads', 'nodeSimd'],
  ['chrome thr / chrome simd', 'chromeThreads', 'chromeSimd'],
  [`native ${threads}t / 1t`, 'nativeN', 'native1'],
  ...(tfjs ? [['chrome simd / tfjs-cpu', 'chromeSimd', 'chromeTfjs'], ['chrome thr / tfjs-cpu', 'chromeThreads', 'chromeTfjs']] : []),
];
const fmt = (v) => (v === undefined ? '-' : Math.round(v).toLocaleString('en-US'));
const ratio = (a, b) => (a === undefined || b === undefined ? '-' : `${(a / b).toFixed(2)}x`);
const pad = (s, n) => String(s).padStart(n);

console.log(`\nTraining samples/s (best round of ${repeat} passes), batch 64, Adam, bundled digits; "${threads}t" = ${threads} threads\n`);
console.log(`| model | ${columns.map(([, h]) => h).join(' | ')} |`);
console.log(`|---|${columns.map(() => '---:').join('|')}|`);
for (const p of presets) console.log(`| ${p} | ${columns.map(([k]) => pad(fmt(results.get(`${k}/${p}`)), 6)).join(' | ')} |`);
console.log(`\n| ratio | ${presets.join(' | ')} |`);
console.log(`|---|${presets.map(() => '---:').join('|')}|`);
for (const [label, a, b] of ratios) console.log(`| ${label} | ${presets.map((p) => ratio(results.get(`${a}/${p}`), results.get(`${b}/${p}`))).join(' | ')} |`);
