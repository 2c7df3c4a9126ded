// ONNX export round trip: a model trained by the engine (wasm in Node), saved, exported by the
// native `nn export`, then run by onnxruntime-node gives the engine's own probabilities on 100
// test digits. Covers every preset and descriptions that stress the NHWC -> NCHW layout
// (reshape between spatial layers, dense straight after conv, softmax over a feature map,
// strided and "same"-padded convolutions). When Debian's python3-onnx is installed, each file
// also passes onnx.checker.check_model(full_check=True).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from './wasm-module';
import { m, test, train, useDigits } from './wasm-digits';

const nn = `${root}/build/native/core/cli/nn`;
const IMAGES = 100;
// float32 through different summation orders and exp implementations: differences are ~1e-7;
// 1e-4 is the contract the README states.
const TOLERANCE = 1e-4;

// The first Python that has the onnx package (pyenv's python3 may come before Debian's).
const python = ['python3', '/usr/bin/python3'].find((p) => spawnSync(p, ['-c', 'import onnx'], { stdio: 'ignore' }).status === 0);

let dir: string;

useDigits('simd');
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scratchnet-onnx-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Exported {
  onnx: Uint8Array;
  path: string;
  engine: Float32Array; // IMAGES x classes
  pixels: Float32Array; // IMAGES x 28 x 28, 0..1
  classes: number;
}

/** Trains `description` briefly (so the outputs are not near-uniform), exports it through the CLI. */
function trainAndExport(name: string, description: string, classes: number[], steps: number, learningRate = 0.002): Exported {
  const net = new m.Network();
  try {
    net.setData(train, test, classes);
    const summary = net.build(description, 7);
    net.setTraining({ optimizer: 'adam', learningRate, batchSize: 32, seed: 7 });
    net.trainSteps(steps);
    const model = `${dir}/${name}.snmodel`;
    const path = `${dir}/${name}.onnx`;
    writeFileSync(model, net.save());
    execFileSync(nn, ['export', '--model-file', model, '--onnx', path], { stdio: 'pipe' });
    // The page's "Download .onnx" (the binding) writes exactly what the CLI writes.
    expect(Buffer.compare(Buffer.from(net.exportOnnx()), readFileSync(path))).toBe(0);
    const indices = Int32Array.from({ length: IMAGES }, (_, i) => i);
    const pixels = Float32Array.from(net.testImages(indices), (p) => p / 255);
    return { onnx: new Uint8Array(readFileSync(path)), path, engine: net.predictTest(indices), pixels, classes: summary.classes };
  } finally {
    net.delete();
  }
}

async function runOnnx(e: Exported): Promise<ort.Tensor> {
  const session = await ort.InferenceSession.create(e.onnx);
  try {
    expect(session.inputNames).toEqual(['image']);
    expect(session.outputNames).toEqual(['probabilities']);
    const image = new ort.Tensor('float32', e.pixels, [IMAGES, 1, 28, 28]);
    return (await session.run({ image })).probabilities;
  } finally {
    await session.release();
  }
}

function argmax(v: ArrayLike<number>, from: number, count: number): number {
  let best = 0;
  for (let j = 1; j < count; ++j) best = v[from + j] > v[from + best] ? j : best;
  return best;
}

async function expectSameAsEngine(e: Exported): Promise<void> {
  const out = await runOnnx(e);
  expect(out.dims).toEqual([IMAGES, e.classes]);
  const got = out.data as Float32Array;
  let worst = 0;
  for (let i = 0; i < got.length; ++i) worst = Math.max(worst, Math.abs(got[i] - e.engine[i]));
  expect(worst).toBeLessThan(TOLERANCE);
  const predicted = new Set<number>();
  for (let s = 0; s < IMAGES; ++s) {
    expect(argmax(got, s * e.classes, e.classes), `image ${s}`).toBe(argmax(e.engine, s * e.classes, e.classes));
    predicted.add(argmax(e.engine, s * e.classes, e.classes));
  }
  // A trained model tells digits apart: agreement on a constant answer would prove little.
  expect(predicted.size).toBeGreaterThan(1);
  if (python) {
    const check = spawnSync(python, ['-c', 'import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)', e.path], {
      encoding: 'utf8',
    });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  }
}

describe('ONNX export', () => {
  if (!python) it.skip('onnx.checker: python3-onnx is not installed (apt-get install python3-onnx)', () => {});

  // Steps and Adam rate per preset: enough to move every model off its initial guesses (the
  // test checks the predictions vary). cnn-binary's 100 sigmoid units on 3,380 inputs saturate
  // at 0.002 and stay at chance; cnn-deep costs ~40x lenet per step.
  const presets: Array<[string, number, number]> = [
    ['mlp-mse', 150, 0.002],
    ['cnn-binary', 60, 0.0005],
    ['cnn-full', 80, 0.002],
    ['mlp', 80, 0.002],
    ['lenet', 80, 0.002],
    ['cnn-deep', 12, 0.002],
    ['fast', 30, 0.002],
  ];
  for (const [preset, steps, rate] of presets) {
    it(`${preset}: onnxruntime gives the engine's probabilities on ${IMAGES} test digits`, async () => {
      const twoClass = m.Network.presets().find((p) => p.name === preset)!.twoClass;
      await expectSameAsEngine(trainAndExport(preset, preset, twoClass ? [0, 1] : [], steps, rate));
    });
  }

  it('every preset is covered', () => {
    expect(
      m.Network.presets()
        .map((p) => p.name)
        .sort(),
    ).toEqual(presets.map(([p]) => p).sort());
  });

  // Layouts the presets do not reach: each line exercises one path of the NHWC -> NCHW mapping.
  const layouts: Array<[string, string]> = [
    ['strided-same', 'conv 6 3x3 stride 2 same relu | conv 5 4x4 same tanh | maxpool 3 stride 2 | dense 10 softmax'],
    ['reshape-spatial', 'conv 3 5x5 sigmoid | reshape 12x24x6 | conv 5 3x3 relu | flatten | dropout 0.2 | dense 10 softmax'],
    ['dense-to-conv', 'dense 72 relu | reshape 6x6x2 | conv 4 3x3 relu | maxpool 2 | tanh | dense 10 softmax'],
    ['spatial-output', 'conv 4 5x5 stride 3 relu | maxpool 2 | softmax | loss mse'],
    // BatchNorm per channel on NCHW, per unit after flatten (channel-major values back in the
    // engine's order) and after dense.
    ['batchnorm-flat', 'conv 4 3x3 stride 2 | batchnorm relu | flatten | batchnorm | dense 16 | batchnorm tanh | dense 10 softmax'],
  ];
  for (const [name, description] of layouts) {
    it(`${name}: ${description}`, async () => {
      await expectSameAsEngine(trainAndExport(name, description, [], 40));
    });
  }
});

describe('nn export errors', () => {
  it('a corrupt model file is a one-line error and writes nothing', () => {
    const bad = `${dir}/bad.snmodel`;
    writeFileSync(bad, 'SNMODEL\0 not really');
    const r = spawnSync(nn, ['export', '--model-file', bad, '--onnx', `${dir}/bad.onnx`], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^nn export: error: .*bad\.snmodel: /);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(spawnSync('test', ['-e', `${dir}/bad.onnx`]).status).not.toBe(0);
  });

  it('a missing --onnx is a usage error', () => {
    const r = spawnSync(nn, ['export', '--model-file', 'x.snmodel'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--onnx');
  });
});
