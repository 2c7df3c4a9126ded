// The drawing pad against full MNIST: a model trained on the 60,000 training digits reads the
// 10,000 test digits as they are and redrawn onto the pad the way people draw (a random size and
// place; MNIST's stroke width, thicker, thinner), each brought back through the pad's own
// preprocessing (web/src/draw/preprocess.ts) and classified by the wasm module in Node. The goal
// (issue 9): every redrawn accuracy within 1 point of the clean one.
//
//   npm run bench:pad                   trains the fast preset natively (nn train, 1 epoch)
//   PAD_MODEL=file.snmodel npm run bench:pad     a model file of your own instead
//   PAD_PRESET=lenet PAD_EPOCHS=3 npm run bench:pad   another preset; PAD_COUNT=2000 fewer digits
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { preprocessDigit } from '../../src/draw/preprocess';
import { loadModule } from '../../src/worker/engine';
import { Session } from '../../src/worker/session';
import { rng } from '../seeded-random.mjs';
import { randomRedraw, restroke } from '../../../tests/web/redraw';
import { root } from '../../../tests/web/wasm-module';

const dataDir = join(root, 'build/public/data/mnist-full');
const nn = join(root, 'build/native/core/cli/nn');
const wasmDir = join(root, 'build/public/wasm/simd');

/** The model under test: PAD_MODEL, or the preset trained natively now. */
function modelFile(): { path: string; what: string } {
  if (process.env.PAD_MODEL) return { path: process.env.PAD_MODEL, what: process.env.PAD_MODEL };
  const preset = process.env.PAD_PRESET ?? 'fast';
  const epochs = process.env.PAD_EPOCHS ?? '1';
  const path = join(mkdtempSync(join(tmpdir(), 'pad-redraw-')), `${preset}.snmodel`);
  const args = ['train', '--model', preset, '--data', dataDir, '--epochs', epochs, '--seed', '1', '--save', path];
  execFileSync(nn, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  return { path, what: `${preset}, ${epochs} epoch(s) of nn train with its recommended settings, seed 1` };
}

/** Stroke changes in MNIST pixels per side (times the enlargement k on the pad). */
const VARIANTS: { name: string; perSide: number }[] = [
  { name: 'redrawn, MNIST strokes', perSide: 0 },
  { name: 'redrawn, thicker (+1 px)', perSide: 0.5 },
  { name: 'redrawn, much thicker (+2 px)', perSide: 1 },
  { name: 'redrawn, thinner (-1 px)', perSide: -0.5 },
];

it('reads digits redrawn on the pad about as well as the originals', async () => {
  for (const need of [join(dataDir, 't10k-images-idx3-ubyte.gz'), nn, join(wasmDir, 'scratchnet.wasm')]) {
    if (!existsSync(need)) throw new Error(`${need} is missing: run npm run data, build-native.sh and build-wasm.sh`);
  }
  const read = (name: string) => new Uint8Array(gunzipSync(readFileSync(join(dataDir, name))));
  const testImages = read('t10k-images-idx3-ubyte.gz');
  const testLabels = read('t10k-labels-idx1-ubyte.gz');
  const model = modelFile();
  const module = await loadModule(`file://${wasmDir}/scratchnet.mjs`, { wasmBinary: readFileSync(join(wasmDir, 'scratchnet.wasm')) });
  const session = new Session(module, { variant: 'simd', threads: 1, maxThreads: 1 });
  try {
    // The session wants a data set before a model; the test split serves as both here.
    session.loadBytes('mnist-full', { trainImages: testImages, trainLabels: testLabels, testImages, testLabels });
    session.load(new Uint8Array(readFileSync(model.path)));
    const count = Math.min(Number(process.env.PAD_COUNT ?? 10_000), (testImages.length - 16) / 784);
    const right = new Array<number>(VARIANTS.length + 1).fill(0);
    const random = rng(2026);
    for (let i = 0; i < count; i++) {
      // Hand the event loop back now and then: Vitest's worker must answer its own messages.
      if (i % 50 === 0) await new Promise((resume) => setImmediate(resume));
      const image = Float32Array.from(testImages.subarray(16 + i * 784, 16 + (i + 1) * 784), (v) => v / 255);
      const label = testLabels[8 + i]!;
      if (session.predict(image).label === label) right[0]!++;
      // One size and place per digit, the same for every stroke width.
      const drawn = randomRedraw(image, random);
      VARIANTS.forEach((v, j) => {
        const pixels = preprocessDigit(restroke(drawn.image, v.perSide * drawn.k)).pixels;
        if (session.predict(pixels).label === label) right[j + 1]!++;
      });
    }
    const pct = (n: number) => (100 * n) / count;
    const clean = pct(right[0]!);
    const rows = [`| test digits (${count}) | accuracy | gap |`, '|---|---:|---:|', `| as they are | ${clean.toFixed(2)}% | |`];
    VARIANTS.forEach((v, j) => {
      const acc = pct(right[j + 1]!);
      rows.push(`| ${v.name} | ${acc.toFixed(2)}% | ${(acc - clean).toFixed(2)} |`);
    });
    console.log(`\nModel: ${model.what}\n\n${rows.join('\n')}\n`);
    expect(clean).toBeGreaterThan(90); // a model that learnt: otherwise the gaps mean nothing
  } finally {
    session.dispose();
  }
}, 3_600_000);
