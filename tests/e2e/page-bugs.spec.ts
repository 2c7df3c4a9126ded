// Bugs found by using the page as a new user would (issue 11, "Bugs to fix"); each test failed
// on the page before its fix.
import { expect, test } from './fixtures';
import { engineSettings, recommendedFields } from '../web/engine-settings';
import { setSetting, shownBatch, stopButton, trainButton, trainReady, trainingIdle, until } from './helpers';

// The health findings are about how a plain network fails; the mlp preset has BatchNorm, which
// keeps SGD at 10 from diverging (it sits at chance instead).
const PLAIN_MLP = encodeURIComponent('dense 128 relu | dense 64 relu | dense 10 softmax');

test.use({ viewport: { width: 1400, height: 1000 } });

test('bug 1: presets carry all their recommended training settings, on load and on change', async ({ page }) => {
  // The engine's own table (what the worker gives the page), read from the wasm module.
  const engine = await engineSettings();
  const names = Object.keys(engine.presets);
  expect(names.length, 'presets with recommended settings').toBeGreaterThanOrEqual(7);
  const wanted = (name: string) => recommendedFields(engine.presets[name]!);
  const panel = page.locator('#settings-panel');
  const shown = async () => ({
    optimizer: await panel.getByLabel(/^optimizer$/i).inputValue(),
    learningRate: Number(await panel.getByLabel(/^learning rate$/i).inputValue()),
    schedule: await panel.getByLabel(/^schedule$/i).inputValue(),
    batchSize: Number(await panel.getByLabel(/^batch size$/i).inputValue()),
    epochs: Number(await panel.getByLabel(/^epochs$/i).inputValue()),
    augment: await panel.getByLabel(/^augment training images$/i).isChecked(),
  });

  await page.goto('/?data=mnist&model=cnn-binary', { waitUntil: 'load' });
  await trainReady(page);
  expect(await shown(), '?model=cnn-binary trains with').toEqual(wanted('cnn-binary'));
  // Each preset after the one before: nothing of the last preset's settings sticks.
  const model = page.locator('#model-panel').getByLabel(/^model$/i);
  for (const name of [...names, 'cnn-binary', 'lenet']) {
    await model.selectOption(name);
    await expect.poll(shown, { message: `the settings after picking ${name}` }).toEqual(wanted(name));
  }
  // The person changes one afterwards; the link keeps the change and the rest stays lenet's.
  await setSetting(page, /^epochs$/i, 'epochs', '2');
  await page.reload({ waitUntil: 'load' });
  await trainReady(page);
  expect(await shown(), 'lenet with 2 epochs after a reload').toEqual({ ...wanted('lenet'), epochs: 2 });

  // A value in the link wins over the preset's.
  await page.goto('/?data=mnist&model=cnn-deep&lr=0.002&sched=constant', { waitUntil: 'load' });
  await trainReady(page);
  expect(await shown(), '?model=cnn-deep&lr=0.002&sched=constant').toEqual({
    ...wanted('cnn-deep'),
    learningRate: 0.002,
    schedule: 'constant',
  });
});

test('bug 2: after a loss spike the loss chart keeps its y labels whole; Compare runs has a log scale', async ({ page, guard }) => {
  // A plain ReLU MLP with SGD at rate 10: the loss spikes to ~1e20 within the first batches
  // (softmax cross-entropy stays finite) and the epoch ends.
  await page.goto(`/?data=mnist&model=${PLAIN_MLP}&opt=sgd&lr=10&sched=constant&epochs=1&batch=64`, { waitUntil: 'load' });
  await trainReady(page);
  await guard.allowErrors(async () => {
    await trainButton(page).click();
    await until(async () => ((await shownBatch(page))?.[0] ?? 0) > 0, { timeoutMs: 60_000, what: 'training to start' });
    await trainingIdle(page, 120_000);
  });
  await expect(page.locator('#charts-panel .chart-summary')).toContainText(/training loss \d(\.\d+)?e\+\d+/i);
  // Labels cut at the chart's left edge leave ink in its first pixel columns.
  const ink = await page
    .locator('#charts-panel .chart')
    .first()
    .evaluate((chart) => {
      const c = chart.querySelector('canvas')!;
      const px = c.getContext('2d')!.getImageData(0, 0, 3, c.height).data;
      let n = 0;
      for (let i = 3; i < px.length; i += 4) n += px[i]! > 40 ? 1 : 0;
      return n;
    });
  expect(ink, "ink in the loss chart's 3 leftmost pixel columns (y labels cut at the edge)").toBe(0);
  await expect(page.locator('#runs-panel').getByLabel(/log scale/i), 'a log scale in Compare runs').toHaveCount(1);
});

test('bug 3: Enter on Train moves focus to Pause, Space there pauses; an invalid learning rate on Resume is named', async ({ page }) => {
  await page.goto(`/?data=mnist&model=${encodeURIComponent('dense 32 relu | dense 10 softmax')}&epochs=200&batch=8`, { waitUntil: 'load' });
  await trainReady(page);
  const focused = () => page.evaluate(() => `${document.activeElement?.tagName} ${document.activeElement?.textContent ?? ''}`.trim());
  await trainButton(page).focus();
  await page.keyboard.press('Enter');
  const pause = page.locator('#train-panel').getByRole('button', { name: /^pause$/i });
  await expect(pause).toBeVisible({ timeout: 30_000 });
  await expect.poll(focused, { message: 'focus after Enter on Train', timeout: 20_000 }).toBe('BUTTON Pause');
  await page.keyboard.press('Space');
  const resume = page.locator('#train-panel').getByRole('button', { name: /^resume$/i });
  await expect(resume).toBeVisible({ timeout: 30_000 });
  await expect.poll(focused, { message: 'focus after Space on Pause', timeout: 20_000 }).toBe('BUTTON Resume');
  // Bug 12: an invalid learning rate is not silently ignored on Resume.
  await page
    .locator('#settings-panel')
    .getByLabel(/^learning rate$/i)
    .fill('-5');
  await resume.click();
  await expect(page.locator('#messages')).toContainText(/learning rate.*not used/is, { timeout: 30_000 });
  await expect(pause).toBeVisible({ timeout: 30_000 });
  await stopButton(page).click();
});

test('bug 4: the confusion matrix is one tab stop with arrow keys and Enter; "Load a model file…" is one', async ({ page }) => {
  await page.goto(`/?data=mnist&model=${encodeURIComponent('dense 32 relu | dense 10 softmax')}&epochs=1&batch=64`, { waitUntil: 'load' });
  await trainReady(page);
  await trainButton(page).click();
  const cells = page.locator('#confusion-panel button.cell');
  await expect(cells).toHaveCount(100, { timeout: 120_000 });
  await trainingIdle(page, 120_000);
  expect(
    await cells.evaluateAll((bs) => bs.filter((b) => (b as HTMLElement).tabIndex >= 0).length),
    'confusion cells in the tab order',
  ).toBe(1);
  await page.locator('#confusion-panel button.cell[tabindex="0"]').focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  expect(
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.cell),
    'the cell after ArrowRight, ArrowDown',
  ).toBe('1,1');
  await page.keyboard.press('Enter');
  await expect(page.locator('#confusion-panel h3')).toContainText(/true 1, predicted 1/i);
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => !document.activeElement?.closest('table.confusion')), 'Tab leaves the grid').toBe(true);
  const loadStops = await page
    .locator('#model-file-panel')
    .evaluate(
      (p) =>
        [...p.querySelectorAll<HTMLElement>('input[type=file], label, [tabindex]')].filter(
          (e) =>
            e.tabIndex >= 0 &&
            !(e as HTMLInputElement).disabled &&
            (e.matches('input[type=file]') || /load a model/i.test(e.textContent ?? '')),
        ).length,
    );
  expect(loadStops, '"Load a model file…" tab stops').toBe(1);
});

test('bug 5: messages stay few and narrow, Esc closes the newest, they fade', async ({ page }) => {
  // Five parts of the link that are not understood: five warnings.
  await page.goto('/?data=mnist&lr=abc&epochs=zzz&batch=-4&seed=q&opt=foo', { waitUntil: 'load' });
  // The warnings come all at once when the engine has loaded, and each lasts 15 s: they are
  // counted as they appear, since the rest of the start-up can take longer than that on a busy
  // machine.
  const messages = page.locator('#messages .message');
  await expect(messages.first(), 'the link warnings appear').toBeVisible({ timeout: 60_000 });
  const shown = await messages.count();
  expect(shown, 'messages shown at once (the link has 5 bad parts)').toBeGreaterThanOrEqual(2);
  expect(shown, 'messages shown at once (the link has 5 bad parts)').toBeLessThanOrEqual(3);
  const width = await page.locator('#messages').evaluate((el) => el.getBoundingClientRect().width);
  expect(width, 'width of the messages').toBeLessThanOrEqual(0.3 * 1400);
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('Escape');
  await expect(messages, 'Esc closes one message').toHaveCount(shown - 1, { timeout: 10_000 });
  // Warnings fade on their own (15 s each) while nothing holds them.
  await expect(messages, 'the warnings fade').toHaveCount(0, { timeout: 45_000 });
});

test('bug 6: after a failed load of your own files the loaded data set stays selected', async ({ page, guard }) => {
  await page.goto('/?data=mnist', { waitUntil: 'load' });
  await trainReady(page);
  const panel = page.locator('#data-panel');
  await guard.allowErrors(async () => {
    await panel.getByRole('radio', { name: /your own idx files/i }).check();
    await panel
      .locator('input[type=file]')
      .setInputFiles([{ name: 'train-images-idx3-ubyte', mimeType: 'application/octet-stream', buffer: Buffer.alloc(0) }]);
    await until(
      async () => (await panel.locator('.field-error').isVisible()) && !(await panel.evaluate((el) => el.classList.contains('is-busy'))),
      { timeoutMs: 30_000, what: 'the refusal' },
    );
  });
  await expect(panel.getByRole('radio', { name: /your own idx files/i }), '"Your own IDX files" after the failed load').not.toBeChecked();
  await expect(panel.getByRole('radio', { name: /^mnist digits/i }), 'the bundled digits, still loaded').toBeChecked();
  await expect(panel.locator('.drop-zone'), 'the drop zone stays open to try again').toBeVisible();
});

test('bug 11: while the page starts, the model choice is never empty and no two-class box flashes', async ({ page }) => {
  // Every animation frame from the first: what the model card shows.
  await page.addInitScript(() => {
    const seen: string[] = ((window as unknown as { modelCardStates: string[] }).modelCardStates = []);
    const look = () => {
      const select = document.querySelector<HTMLSelectElement>('#model-panel select');
      const box = document.querySelector('#model-panel fieldset.two-class');
      if (select) {
        const twoClass = !!box && box.getBoundingClientRect().height > 0;
        const state = `${select.options.length === 0 || select.value === '' ? 'empty' : 'named'}${twoClass ? ' + two-class box' : ''}`;
        if (seen.at(-1) !== state) seen.push(state);
      }
      if (seen.length < 50) requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  });
  await page.goto('/?data=mnist', { waitUntil: 'load' });
  await trainReady(page);
  const states = await page.evaluate(() => (window as unknown as { modelCardStates: string[] }).modelCardStates);
  console.log(`     model card while starting: ${states.join(' -> ')}`);
  expect(states, 'what the model card showed while the page started').toEqual(['named']);
});

test('bug 12: a dot on the pad is too small to read; the busy sign is no emoji; a single Step shows no samples/s', async ({ page }) => {
  await page.goto('/?data=mnist&model=mlp', { waitUntil: 'load' });
  await trainReady(page);
  const pad = page.getByRole('img', { name: /drawing pad/i });
  const b = (await pad.boundingBox())!;
  await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
  await expect(page.locator('#draw-panel').getByRole('status')).toContainText(/too small/i, { timeout: 30_000 });
  const busy = await page.locator('#data-panel').evaluate((el) => {
    el.classList.add('is-busy', 'is-loading');
    const s = getComputedStyle(el.querySelector('.data-status')!, '::before');
    const r = { content: s.content, animation: s.animationName };
    el.classList.remove('is-busy', 'is-loading');
    return r;
  });
  expect(busy.content, 'the busy sign').not.toMatch(/⏳/u);
  expect(busy.animation, 'the busy sign is a CSS spinner').toBe('spin');
  await page
    .locator('#train-panel')
    .getByRole('button', { name: /^step$/i })
    .click();
  await until(async () => (await shownBatch(page))?.[0] === 1, { timeoutMs: 30_000, what: 'one step' });
  const speed = page.locator('#train-panel .stat', { hasText: /samples\/s/i }).locator('.stat-value');
  await expect(speed, 'samples/s after a single Step').toHaveText('—');
});

test('bug 10: a failing run is named within its first epoch: diverged, stuck at chance, loss not falling', async ({ page, guard }) => {
  test.setTimeout(300_000);
  const warnings = page.locator('#messages');
  const cases: [string, RegExp][] = [
    // Adam at 10: the network answers one class whatever it sees.
    [`/?data=mnist&model=${PLAIN_MLP}&opt=adam&lr=10&sched=constant&epochs=1&batch=64`, /stuck at chance/i],
    // Plain SGD at 10: the loss spikes to ~1e20 in the first batches.
    [`/?data=mnist&model=${PLAIN_MLP}&opt=sgd&lr=10&sched=constant&epochs=1&batch=64`, /diverged/i],
    // The report's all-sigmoid binary CNN under Adam on 3 vs 8: the loss stays near ln 2 and
    // it answers one digit (either finding names it).
    ['/?data=mnist&model=cnn-binary&opt=adam&lr=0.002&classes=3,8&epochs=1&batch=16', /not falling|stuck at chance/i],
  ];
  for (const [url, problem] of cases) {
    await page.goto(url, { waitUntil: 'load' });
    await trainReady(page);
    await guard.allowErrors(async () => {
      await trainButton(page).click();
      await expect(warnings, `${url}: a warning naming the problem`).toContainText(problem, { timeout: 180_000 });
      await expect(warnings, `${url}: a suggestion`).toContainText(/try/i);
      await stopButton(page)
        .click({ timeout: 10_000 })
        .catch(() => undefined);
      await trainingIdle(page, 60_000);
    });
    // Each case from fresh weights: the page would continue the model this case leaves behind (a
    // run that starts at chance or at a huge loss has nothing to fall from or spike above). The
    // deletion waits for this page's connection to close, and the next page's open waits for it.
    await page.evaluate(() => void indexedDB.deleteDatabase('scratchnet'));
  }
});
