// Wrong data: every bad file or address gets a readable message and the bundled set stays.
import { expect, test } from './fixtures';
import { shownData, smallMnistFile, trainButton, trainReady, until } from './helpers';

const gz = smallMnistFile;

test('wrong files and bad addresses give readable messages; the bundled data stays loaded', async ({ page, guard, baseURL }) => {
  const origin = baseURL!;
  const panel = page.locator('#data-panel');
  const error = panel.locator('.field-error');
  const shown = () => shownData(page);
  const labelsGz = smallMnistFile('t10k-labels-idx1-ubyte').buffer;
  const png = Buffer.from([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0,
  ]);
  const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 3, 4, 20, 0, 0, 0, 8, 0]), Buffer.alloc(40)]);
  let before = '';
  // After each attempt: the data panel says what is wrong (and that the digits are still in
  // use), the data set shown is unchanged, and Train is enabled.
  const expectRefused = async (what: string, message: RegExp) => {
    const text = await until(
      async () => {
        if (await panel.evaluate((el) => el.classList.contains('is-busy'))) return null;
        const t = (await error.isVisible()) ? ((await error.textContent()) ?? '') : '';
        return message.test(t) ? t : null;
      },
      { timeoutMs: 30_000, what: `a message for ${what} matching ${message}` },
    );
    console.log(`     ${what}: ${text.replace(/\s+/g, ' ').slice(0, 150)}`);
    expect(text, `the message for ${what} says the digits are still in use`).toMatch(/still using MNIST digits/i);
    expect(await shown(), `the data set shown after ${what}`).toBe(before);
    expect(await trainButton(page).isEnabled(), `Train is enabled after ${what}`).toBe(true);
  };
  // 404s and refused loads are logged by the browser and the page.
  await guard.allowErrors(async () => {
    await page.goto('/?data=mnist', { waitUntil: 'load' });
    await trainReady(page);
    before = await shown();
    expect(before, 'the data shown at start').toMatch(/MNIST digits/);
    expect(before, 'the data shown at start').toMatch(/Training image \d+/);
    await panel.getByRole('radio', { name: /your own idx files/i }).check();
    const input = panel.locator('input[type=file]');
    const valid = [gz('train-labels-idx1-ubyte'), gz('t10k-images-idx3-ubyte'), gz('t10k-labels-idx1-ubyte')];

    await input.setInputFiles([{ name: 'train-images-idx3-ubyte', mimeType: 'image/png', buffer: png }, ...valid]);
    await expectRefused('a PNG named train-images-idx3-ubyte', /train-images-idx3-ubyte.*not an IDX file.*PNG image/);

    await input.setInputFiles([{ name: 'mnist.zip', mimeType: 'application/zip', buffer: zip }]);
    await expectRefused('a zip', /mnist\.zip.*zip archive.*unpack it/);

    await input.setInputFiles([
      gz('train-images-idx3-ubyte'),
      { name: 'train-labels-idx1-ubyte', mimeType: 'application/octet-stream', buffer: Buffer.alloc(0) },
      ...valid.slice(1),
    ]);
    await expectRefused('an empty file', /train-labels-idx1-ubyte.*is empty/);

    const cut = { name: 't10k-labels-idx1-ubyte.gz', mimeType: 'application/gzip', buffer: labelsGz.subarray(0, labelsGz.length >> 1) };
    await input.setInputFiles([gz('train-images-idx3-ubyte'), ...valid.slice(0, 2), cut]);
    await expectRefused('a truncated .gz', /t10k-labels-idx1-ubyte\.gz.*truncated/);

    await panel.getByRole('radio', { name: /from a web address/i }).check();
    const address = panel.getByLabel(/folder address/i);
    const load = panel.getByRole('button', { name: /^load$/i });
    // The preview server answers unknown paths with the page itself (status 200, HTML).
    await address.fill(`${origin}/no-such-folder/`);
    await load.click();
    await expectRefused('a folder the server answers with its HTML page', /no-such-folder\/.*answered with a web page/);
    // A static server's real 404, and a fetch the browser refuses (as for a missing CORS
    // header): the same origin, routed, so no request leaves it.
    await page.route(`${origin}/missing-folder/**`, (r) => r.fulfill({ status: 404, contentType: 'text/plain', body: 'Not Found' }));
    await address.fill(`${origin}/missing-folder/`);
    await load.click();
    await expectRefused('a folder that 404s', new RegExp(`HTTP 404 for ${origin.replace(/[.]/g, '\\.')}/missing-folder/`));
    await page.route(`${origin}/blocked-folder/**`, (r) => r.abort('accessdenied'));
    await address.fill(`${origin}/blocked-folder/`);
    await load.click();
    await expectRefused('a fetch that fails', /could not fetch .*blocked-folder.*same origin.*CORS/);
  });
});
