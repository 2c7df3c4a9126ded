// "Download .onnx": the page's model as ONNX is the same file `nn export` writes from the
// page's saved model file (the engine is one code path), and onnxruntime runs it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { expect, trainedTest as test } from './fixtures';

const nn = fileURLToPath(new URL('../../build/native/core/cli/nn', import.meta.url));

test('Download .onnx gives the file nn export writes, and onnxruntime runs it', async ({ trainedPage: page, trainedModel }, testInfo) => {
  const button = page.locator('#model-file-panel').getByRole('button', { name: /download \.onnx/i });
  await expect(button).toBeEnabled();
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), button.click()]);
  expect(download.suggestedFilename()).toMatch(/\.onnx$/);
  const file = join(testInfo.outputDir, 'page.onnx');
  await download.saveAs(file);
  const fromPage = readFileSync(file);

  const cliFile = join(testInfo.outputDir, 'cli.onnx');
  execFileSync(nn, ['export', '--model-file', trainedModel.file, '--onnx', cliFile]);
  expect(Buffer.compare(fromPage, readFileSync(cliFile)), 'page and nn export wrote different bytes').toBe(0);

  const session = await ort.InferenceSession.create(fromPage);
  try {
    const image = new ort.Tensor('float32', new Float32Array(2 * 28 * 28).fill(0.25), [2, 1, 28, 28]);
    const out = (await session.run({ image })).probabilities;
    expect(out.dims).toEqual([2, 10]);
    const sum = Array.from((out.data as Float32Array).subarray(0, 10)).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 5);
  } finally {
    await session.release();
  }
});
