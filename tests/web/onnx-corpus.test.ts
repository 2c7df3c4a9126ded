// ONNX export of hostile model files: every input of the model-file fuzz corpus (the seeds in
// tests/fuzz/corpus, the regressions, and what local fuzzing found in build/fuzz/corpus) is fed
// to the engine and to `nn export`. A file the engine loads must export to a model onnxruntime
// accepts and that computes the engine's probabilities; a file it refuses must be a one-line
// error from `nn export`, with nothing written. (tests/fuzz/fuzz_model_file.cpp exports every
// network it loads, under ASan + UBSan.)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScratchNetModule } from '../../wasm/scratchnet';
import { loadWasm, root } from './wasm-module';

const nn = `${root}/build/native/core/cli/nn`;
// Local fuzzing can leave thousands of inputs; a sample of them keeps the test short.
const MAX_FOUND = 300;

function corpus(): Array<[string, Uint8Array]> {
  const dirs: Array<[string, number]> = [
    [`${root}/tests/fuzz/corpus/fuzz_model_file`, Infinity],
    [`${root}/tests/fuzz/regressions/fuzz_model_file`, Infinity],
    [`${root}/build/fuzz/corpus/fuzz_model_file`, MAX_FOUND],
  ];
  const out: Array<[string, Uint8Array]> = [];
  for (const [dir, limit] of dirs) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort().slice(0, limit)) {
      out.push([`${dir.slice(root.length)}/${name}`, new Uint8Array(readFileSync(`${dir}/${name}`))]);
    }
  }
  return out;
}

/** The model file a fuzz input stands for: byte 0 bit 0 asks for the right CRC-32 appended. */
function modelFile(input: Uint8Array): Uint8Array {
  if (input.length < 1) return input;
  const file = input.subarray(1);
  if (!(input[0] & 1)) return file;
  const out = new Uint8Array(file.length + 4);
  out.set(file);
  new DataView(out.buffer).setUint32(file.length, crc32(file) >>> 0, true);
  return out;
}

let m: ScratchNetModule;
let dir: string;
beforeAll(async () => {
  m = await loadWasm('simd');
  dir = mkdtempSync(join(tmpdir(), 'scratchnet-onnx-corpus-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('ONNX export of the model-file fuzz corpus', () => {
  const inputs = corpus();

  it('has inputs that load and inputs that do not', () => {
    expect(inputs.length).toBeGreaterThan(5);
  });

  let loaded = 0;
  for (const [name, input] of inputs) {
    it(name, async () => {
      const bytes = modelFile(input);
      const model = `${dir}/m.snmodel`;
      const onnxPath = `${dir}/m.onnx`;
      rmSync(onnxPath, { force: true });
      writeFileSync(model, bytes);
      const net = new m.Network();
      try {
        let input: { h: number; w: number; c: number } | undefined;
        try {
          net.load(bytes);
          // Header: magic (8), version, description length, then input h, w, c (u32 LE).
          const v = new DataView(bytes.buffer, bytes.byteOffset);
          input = { h: v.getUint32(16, true), w: v.getUint32(20, true), c: v.getUint32(24, true) };
        } catch {
          input = undefined;
        }
        const r = spawnSync(nn, ['export', '--model-file', model, '--onnx', onnxPath], { encoding: 'utf8' });
        expect(r.signal).toBeNull();
        if (!input) {
          expect(r.status).toBe(1);
          expect(r.stderr).toMatch(/^nn export: error: /);
          expect(r.stderr.trim().split('\n')).toHaveLength(1);
          expect(existsSync(onnxPath)).toBe(false);
          return;
        }
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        ++loaded;
        const { h, w, c } = input;
        const pixels = Float32Array.from({ length: h * w * c }, (_, i) => ((i * 37) % 101) / 100);
        const engine = net.predict(pixels);
        // The engine takes NHWC, the ONNX model NCHW.
        const nchw = new Float32Array(pixels.length);
        for (let y = 0; y < h; ++y)
          for (let x = 0; x < w; ++x) for (let k = 0; k < c; ++k) nchw[(k * h + y) * w + x] = pixels[(y * w + x) * c + k];
        const session = await ort.InferenceSession.create(readFileSync(onnxPath));
        try {
          const out = (await session.run({ image: new ort.Tensor('float32', nchw, [1, c, h, w]) })).probabilities;
          expect(out.dims).toEqual([1, engine.length]);
          const got = out.data as Float32Array;
          for (let i = 0; i < engine.length; ++i) {
            // Relative: corpus weights are arbitrary, outputs need not be probabilities.
            expect(Math.abs(got[i] - engine[i])).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(engine[i])));
          }
        } finally {
          await session.release();
        }
      } finally {
        net.delete();
      }
    });
  }

  it('exported at least one loadable file', () => {
    expect(loaded).toBeGreaterThan(0);
  });
});
