// A decompression bomb chosen as "Your own IDX files": a 4 MB .gz, made here, whose IDX header
// declares 60,000 28x28 images (47 MB) but that inflates to 4 GB. The page stops inflating at the
// declared size plus one byte, says what is wrong, and keeps the data already loaded.
import { BOMB_DECLARED_BYTES, countInflatedBytes, idxGzipBomb } from '../web/bomb';
import { expect, test } from './fixtures';
import { rendererMemoryMB, shownData, smallMnistFile, trainButton, trainReady, trainerWorker, until } from './helpers';

const gz = smallMnistFile;

test('a decompression bomb is refused after its declared size, memory stays bounded, the digits stay', async ({ page, guard }) => {
  const panel = page.locator('#data-panel');
  const error = panel.locator('.field-error');
  const shown = () => shownData(page);
  const bomb = idxGzipBomb(4);
  expect(bomb.length).toBeLessThan(6 << 20);

  await guard.allowErrors(async () => {
    await page.goto('/?data=mnist', { waitUntil: 'load' });
    await trainReady(page);
    const before = await shown();
    expect(before).toMatch(/MNIST digits/);
    // The trainer worker reads and inflates the files: count what its inflater hands out.
    const worker = trainerWorker(page);
    expect(worker, 'the trainer worker').toBeTruthy();
    await worker!.evaluate(countInflatedBytes);
    const baseMB = rendererMemoryMB();
    let peakMB = baseMB;
    await panel.getByRole('radio', { name: /your own idx files/i }).check();
    const started = Date.now();
    await panel
      .locator('input[type=file]')
      .setInputFiles([
        { name: 'train-images-idx3-ubyte.gz', mimeType: 'application/gzip', buffer: Buffer.from(bomb) },
        gz('train-labels-idx1-ubyte'),
        gz('t10k-images-idx3-ubyte'),
        gz('t10k-labels-idx1-ubyte'),
      ]);
    const text = await until(
      async () => {
        peakMB = Math.max(peakMB, rendererMemoryMB());
        if (await panel.evaluate((el) => el.classList.contains('is-busy'))) return null;
        const t = (await error.isVisible()) ? ((await error.textContent()) ?? '') : '';
        return t.trim() ? t : null;
      },
      { timeoutMs: 60_000, everyMs: 100, what: 'a message for the bomb' },
    );
    const inflated = await worker!.evaluate(() => (globalThis as unknown as { __inflated: number }).__inflated);
    // Figures only (a busy machine): no assertion on time.
    console.log(
      `     bomb: refused after ${Date.now() - started} ms, ${(inflated / 1048576).toFixed(1)} MB inflated, renderer +${(peakMB - baseMB).toFixed(0)} MB: ${text.replace(/\s+/g, ' ').slice(0, 160)}`,
    );
    expect(text).toMatch(/train-images-idx3-ubyte\.gz.*holds more than the 47,040,016 bytes its header declares/);
    expect(text).toMatch(/decompression bomb/);
    expect(text, 'the message says the digits are still in use').toMatch(/still using MNIST digits/i);
    // The declared 47 MB, the other three files (~10 MB) and the inflater's read-ahead (one
    // piece of source inflates to at most ~16 MB): far below the 4 GB inside.
    expect(inflated).toBeGreaterThan(BOMB_DECLARED_BYTES);
    expect(inflated).toBeLessThan(BOMB_DECLARED_BYTES + 64 * 1048576);
    // Resident memory of the renderers (page and workers) grows by the declared size and the
    // bytes in flight, not by gigabytes; 400 MB leaves room for the browser's own churn.
    expect(peakMB - baseMB).toBeLessThan(400);
    expect(await shown(), 'the data set shown after the bomb').toBe(before);
    expect(await trainButton(page).isEnabled(), 'Train is enabled after the bomb').toBe(true);
  });
});
