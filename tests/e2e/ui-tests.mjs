// Browser tests for the page as people use it (issue 11): the first screen at desktop and phone
// sizes, and the bugs found by using it. Same shape as page-tests.mjs: { name, run(env),
// timeoutMs? }; each opens its own page so it can run alone (E2E_ONLY=layout ...).
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

async function until(fn, { timeoutMs = 30_000, everyMs = 200, what = 'condition' } = {}) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await fn();
    if (v) return v;
    await sleep(everyMs);
  }
  throw new Error(`waited ${Math.round(timeoutMs / 1000)} s for ${what}`);
}

const trainButton = (page) =>
  page.locator('#train-panel').getByRole('button', { name: /^(train|continue training|train new model)$/i });

/** A fresh page at `width` x `height`, loaded at `path` with the Train button enabled. */
async function openPage(context, origin, path, width, height) {
  const page = await context.newPage();
  await page.setViewportSize({ width, height });
  await page.goto(`${origin}${path}`, { waitUntil: 'load' });
  await until(() => trainButton(page).isEnabled(), { timeoutMs: 60_000, what: 'the Train button' });
  return page;
}

/** The element's box in the viewport (getBoundingClientRect), or null when not rendered. */
async function box(locator) {
  if ((await locator.count()) === 0) return null;
  return locator.first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 ? { top: r.top, bottom: r.bottom, left: r.left, right: r.right } : null;
  });
}

/** Asserts each named element lies wholly inside the viewport (width x height), unscrolled. */
async function assertInFirstScreen(page, parts, width, height) {
  const scrolled = await page.evaluate(() => window.scrollY);
  assert(scrolled === 0, `the page is scrolled (${scrolled} px) before measuring`);
  const report = [];
  for (const [name, locator] of Object.entries(parts)) {
    const b = await box(locator);
    assert(b, `${name} is not shown at ${width}x${height}`);
    report.push(`${name} ${Math.round(b.top)}-${Math.round(b.bottom)}`);
    assert(b.top >= 0 && b.bottom <= height && b.left >= 0 && b.right <= width,
      `${name} is outside the first ${width}x${height} screen: top ${b.top}, bottom ${b.bottom}, left ${b.left}, right ${b.right}`);
  }
  return report.join(', ');
}

export const tests = [
  {
    name: 'layout: at 1400x1000 Train, the loss chart, the pad with its probabilities and the test accuracy are in the first screen',
    timeoutMs: 90_000,
    async run({ context, origin, artifacts }) {
      const page = await openPage(context, origin, '/', 1400, 1000);
      try {
        const report = await assertInFirstScreen(page, {
          'the Train button': trainButton(page),
          'the loss chart': page.locator('#charts-panel .chart').first(),
          'the drawing pad': page.getByRole('img', { name: /drawing pad/i }),
          'the class probabilities': page.locator('#draw-panel .sn-probs'),
          'the test accuracy': page.locator('#train-panel .stat', { hasText: /test accuracy/i }),
          'the data choice': page.locator('#data-panel'),
          'the model choice': page.getByLabel(/^model$/i),
        }, 1400, 1000);
        console.log(`     ${report}`);
        await page.screenshot({ path: `${artifacts}/layout-desktop.png` });
      } catch (err) {
        await page.screenshot({ path: `${artifacts}/failed-ui-${Date.now()}.png` }).catch(() => undefined);
        throw err;
      } finally {
        await page.close();
      }
    },
  },
  {
    name: 'layout: on a phone (390x844) Train is in the first screen and the pad one tap away',
    timeoutMs: 90_000,
    async run({ context, origin, artifacts }) {
      const page = await openPage(context, origin, '/', 390, 844);
      try {
        const report = await assertInFirstScreen(page, { 'the Train button': trainButton(page) }, 390, 844);
        await page.getByRole('navigation', { name: /sections/i }).getByRole('link', { name: /^draw$/i }).click();
        const pad = page.getByRole('img', { name: /drawing pad/i });
        // Smooth scrolling: wait until the pad stops moving.
        let last = null;
        const b = await until(async () => {
          const now = await box(pad);
          const settled = now && last && Math.abs(now.top - last.top) < 0.5;
          last = now;
          return settled ? now : null;
        }, { timeoutMs: 10_000, what: 'the page to scroll to the pad' });
        const bar = await box(page.getByRole('navigation', { name: /sections/i }));
        console.log(`     ${report}; after one tap: pad ${Math.round(b.top)}-${Math.round(b.bottom)}, bar ends ${Math.round(bar.bottom)}`);
        assert(b.top >= bar.bottom && b.bottom <= 844, `after tapping Draw the pad is at ${b.top}-${b.bottom} (bar ends at ${bar.bottom}), not wholly in view`);
        await page.screenshot({ path: `${artifacts}/layout-phone-draw.png` });
      } catch (err) {
        await page.screenshot({ path: `${artifacts}/failed-ui-${Date.now()}.png` }).catch(() => undefined);
        throw err;
      } finally {
        await page.close();
      }
    },
  },
  {
    name: 'bug 3: Enter on Train moves focus to Pause, and Space there pauses',
    timeoutMs: 90_000,
    async run({ context, origin, artifacts }) {
      const page = await openPage(context, origin, `/?model=${encodeURIComponent('dense 32 relu | dense 10 softmax')}&epochs=200&batch=8`, 1400, 1000);
      try {
        await trainButton(page).focus();
        await page.keyboard.press('Enter');
        const pause = page.locator('#train-panel').getByRole('button', { name: /^pause$/i });
        await pause.waitFor({ state: 'visible', timeout: 30_000 });
        const focused = async () => page.evaluate(() => `${document.activeElement?.tagName} ${document.activeElement?.textContent ?? ''}`.trim());
        await until(async () => /^BUTTON Pause$/.test(await focused()), { timeoutMs: 5_000, what: `focus on Pause (it is on ${await focused()})` });
        await page.keyboard.press('Space');
        const resume = page.locator('#train-panel').getByRole('button', { name: /^resume$/i });
        await resume.waitFor({ state: 'visible', timeout: 30_000 });
        await until(async () => /^BUTTON Resume$/.test(await focused()), { timeoutMs: 5_000, what: `focus on Resume (it is on ${await focused()})` });
        // Bug 12: an invalid learning rate is not silently ignored on Resume.
        await page.getByLabel(/learning rate/i).first().fill('-5');
        await resume.click();
        await until(async () => /learning rate.*not used/is.test((await page.locator('#messages').innerText()) ?? ''), {
          timeoutMs: 5_000, what: 'a message that the invalid learning rate was not used' });
        await pause.waitFor({ state: 'visible', timeout: 10_000 });
        await page.locator('#train-panel').getByRole('button', { name: /^stop$/i }).click();
      } catch (err) {
        await page.screenshot({ path: `${artifacts}/failed-ui-${Date.now()}.png` }).catch(() => undefined);
        throw err;
      } finally {
        await page.close();
      }
    },
  },
  {
    name: 'bug 5: messages stay few and small, Esc closes the newest, they fade',
    timeoutMs: 90_000,
    async run({ context, origin, artifacts }) {
      // Five parts of the link that are not understood: five warnings.
      const page = await openPage(context, origin, '/?lr=abc&epochs=zzz&batch=-4&seed=q&opt=foo', 1400, 1000);
      try {
        const messages = page.locator('#messages .message');
        const shown = await messages.count();
        assert(shown >= 2 && shown <= 3, `${shown} messages are shown at once (at most 3; the link has 5 bad parts)`);
        const area = await box(page.locator('#messages'));
        assert(area.right - area.left <= 0.3 * 1400, `the messages are ${Math.round(area.right - area.left)} px wide (more than 30% of the screen)`);
        await page.locator('body').click({ position: { x: 5, y: 300 } });
        await page.keyboard.press('Escape');
        await until(async () => (await messages.count()) === shown - 1, { timeoutMs: 3_000, what: `Esc to close one of ${shown} messages` });
        // Warnings fade on their own (15 s each); nothing is hovered.
        await until(async () => (await messages.count()) === 0, { timeoutMs: 40_000, everyMs: 500, what: 'the warnings to fade' });
      } catch (err) {
        await page.screenshot({ path: `${artifacts}/failed-ui-${Date.now()}.png` }).catch(() => undefined);
        throw err;
      } finally {
        await page.close();
      }
    },
  },
  {
    name: 'bug 6: after a failed load of your own files the loaded data set stays selected',
    timeoutMs: 90_000,
    async run({ context, origin, log, artifacts }) {
      const page = await openPage(context, origin, '/', 1400, 1000);
      log.allowErrors = true;
      try {
        const panel = page.locator('#data-panel');
        await panel.getByRole('radio', { name: /your own idx files/i }).check();
        await panel.locator('input[type=file]').setInputFiles([{ name: 'train-images-idx3-ubyte', mimeType: 'application/octet-stream', buffer: Buffer.alloc(0) }]);
        await until(async () => (await panel.locator('.field-error').isVisible()) && !(await panel.evaluate((el) => el.classList.contains('is-busy'))),
          { timeoutMs: 15_000, what: 'the refusal' });
        const own = await panel.getByRole('radio', { name: /your own idx files/i }).isChecked();
        const mnist = await panel.getByRole('radio', { name: /^mnist digits/i }).isChecked();
        assert(!own && mnist, `after the failed load: "Your own IDX files" checked ${own}, "MNIST digits" checked ${mnist}`);
        // The drop zone stays open to try again.
        assert(await panel.locator('.drop-zone').isVisible(), 'the drop zone closed after the failed load');
      } catch (err) {
        await page.screenshot({ path: `${artifacts}/failed-ui-${Date.now()}.png` }).catch(() => undefined);
        throw err;
      } finally {
        log.allowErrors = false;
        await page.close();
      }
    },
  },
  {
    name: 'bug 12: a dot on the pad is too small to read; the busy sign is no emoji; a single Step shows no samples/s',
    timeoutMs: 90_000,
    async run({ context, origin, artifacts }) {
      const page = await openPage(context, origin, '/?model=mlp', 1400, 1000);
      try {
        const pad = page.getByRole('img', { name: /drawing pad/i });
        const b = await pad.boundingBox();
        await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
        const status = page.locator('#draw-panel').getByRole('status');
        await until(async () => /too small/i.test((await status.textContent()) ?? ''), { timeoutMs: 10_000, what: `"too small" for a dot (status: ${await status.textContent()})` });
        const before = await page.locator('#data-panel').evaluate((el) => {
          el.classList.add('is-busy');
          const s = getComputedStyle(el.querySelector('.data-status'), '::before');
          const r = { content: s.content, animation: s.animationName };
          el.classList.remove('is-busy');
          return r;
        });
        assert(!/⏳/u.test(before.content) && before.animation === 'spin', `the busy sign: content ${before.content}, animation ${before.animation}`);
        await page.locator('#train-panel').getByRole('button', { name: /^step$/i }).click();
        const batch = page.locator('#train-panel .stat', { hasText: /^batch/i }).locator('.stat-value');
        await until(async () => /^1 \//.test(((await batch.textContent()) ?? '').trim()), { timeoutMs: 30_000, what: 'one step' });
        const speed = ((await page.locator('#train-panel .stat', { hasText: /samples\/s/i }).locator('.stat-value').textContent()) ?? '').trim();
        assert(speed === '—', `after a single Step samples/s reads "${speed}"`);
      } catch (err) {
        await page.screenshot({ path: `${artifacts}/failed-ui-${Date.now()}.png` }).catch(() => undefined);
        throw err;
      } finally {
        await page.close();
      }
    },
  },
  {
    name: 'Fashion-MNIST in its own words; the confusion matrix fits its panel and is one tab stop (bug 4)',
    timeoutMs: 180_000,
    async run({ context, origin, artifacts }) {
      const model = encodeURIComponent('dense 32 relu | dense 10 softmax');
      const page = await openPage(context, origin, `/?data=fashion&model=${model}&epochs=1&batch=64`, 1400, 1000);
      try {
        const draw = page.locator('#draw-panel');
        await until(async () => /draw something/i.test((await draw.getByRole('heading').first().textContent()) ?? ''), {
          timeoutMs: 30_000, what: 'the draw panel title "Draw something" for Fashion-MNIST' });
        const names = await draw.locator('.sn-probs li').allTextContents();
        assert(names.some((t) => /Trouser/.test(t)) && names.some((t) => /Ankle boot/.test(t)), `the probabilities read: ${names.join(' | ')}`);
        await trainButton(page).click();
        await until(async () => (await page.locator('#confusion-panel button.cell').count()) === 100 && (await trainButton(page).isEnabled()),
          { timeoutMs: 150_000, everyMs: 500, what: 'one epoch and a filled confusion matrix' });
        // The drawing pad reads a test image in the data set's words.
        await draw.getByRole('button', { name: /use a test image/i }).click();
        const status = draw.getByRole('status');
        const said = await until(async () => {
          const t = (await status.textContent()) ?? '';
          return /reads [A-Za-z]/.test(t) ? t : null;
        }, { timeoutMs: 20_000, what: 'the pad to read a test image by name' });
        console.log(`     ${said}`);
        // Fits its panel, row names whole, at both sizes.
        for (const [w, hgt] of [[1400, 1000], [390, 844]]) {
          await page.setViewportSize({ width: w, height: hgt });
          await sleep(300);
          const fit = await page.locator('#confusion-panel').evaluate((panel) => {
            const wrap = panel.querySelector('.confusion-wrap');
            const rows = [...panel.querySelectorAll('tbody th')].filter((th) => th.scrollWidth > th.clientWidth + 1).map((th) => th.textContent);
            return { scroll: wrap.scrollWidth, client: wrap.clientWidth, cut: rows, names: [...panel.querySelectorAll('tbody th')].map((th) => th.textContent) };
          });
          assert(fit.scroll <= fit.client + 1, `at ${w}x${hgt} the confusion matrix is ${fit.scroll} px wide in a ${fit.client} px box`);
          assert(fit.cut.length === 0, `at ${w}x${hgt} row names are cut: ${fit.cut.join(', ')}`);
          assert(fit.names.some((n) => /Ankle boot/.test(n)), `row names: ${fit.names.join(', ')}`);
          await page.locator('#confusion-panel').screenshot({ path: `${artifacts}/confusion-${w}.png` });
        }
        await page.setViewportSize({ width: 1400, height: 1000 });
        // One tab stop: Tab from the first cell leaves the grid.
        const cells = page.locator('#confusion-panel button.cell');
        const stops = await cells.evaluateAll((bs) => bs.filter((b) => b.tabIndex >= 0).length);
        assert(stops === 1, `${stops} confusion cells are in the tab order`);
        const first = page.locator('#confusion-panel button.cell[tabindex="0"]');
        await first.focus();
        await page.keyboard.press('ArrowRight');
        await page.keyboard.press('ArrowDown');
        const at = await page.evaluate(() => document.activeElement?.dataset?.cell ?? '');
        assert(at === '1,1', `after ArrowRight, ArrowDown focus is on cell "${at}" (want 1,1)`);
        await page.keyboard.press('Enter');
        await until(async () => /true trouser, predicted trouser/i.test((await page.locator('#confusion-panel h3').textContent()) ?? ''), {
          timeoutMs: 10_000, what: 'Enter to open the cell' });
        await page.keyboard.press('Tab');
        const out = await page.evaluate(() => !document.activeElement?.closest('table.confusion'));
        assert(out, 'Tab from a confusion cell stays in the grid');
        // "Load a model file…" is one tab stop.
        const fileStops = await page.locator('#model-file-panel').evaluate((p) =>
          [...p.querySelectorAll('input[type=file], label, [tabindex]')]
            .filter((e) => e.tabIndex >= 0 && !e.disabled && (e.matches('input[type=file]') || /load a model/i.test(e.textContent))).length);
        assert(fileStops === 1, `"Load a model file…" is ${fileStops} tab stops`);
      } catch (err) {
        await page.screenshot({ path: `${artifacts}/failed-ui-${Date.now()}.png` }).catch(() => undefined);
        throw err;
      } finally {
        await page.close();
      }
    },
  },
  {
    name: 'bug 1: presets carry their training settings, on load and on change',
    timeoutMs: 90_000,
    async run({ context, origin, artifacts }) {
      const page = await openPage(context, origin, '/?model=cnn-binary', 1400, 1000);
      try {
        const opt = page.locator('#settings-panel').getByLabel(/^optimizer$/i);
        const lr = page.locator('#settings-panel').getByLabel(/^learning rate$/i);
        const onLoad = [await opt.inputValue(), await lr.inputValue()];
        assert(onLoad[0] === 'momentum' && Number(onLoad[1]) === 0.05, `?model=cnn-binary trains with ${onLoad.join(' ')} (want momentum 0.05)`);
        await page.locator('#model-panel').getByLabel(/^model$/i).selectOption('lenet');
        await until(async () => (await opt.inputValue()) === 'adam' && Number(await lr.inputValue()) === 0.002, {
          timeoutMs: 5_000, what: `lenet's settings after cnn-binary (shown: ${await opt.inputValue()} ${await lr.inputValue()})` });
      } catch (err) {
        await page.screenshot({ path: `${artifacts}/failed-ui-${Date.now()}.png` }).catch(() => undefined);
        throw err;
      } finally {
        await page.close();
      }
    },
  },
  {
    name: 'bug 11: while the page starts, the model choice is never empty and no two-class box flashes',
    timeoutMs: 90_000,
    async run({ context, origin, artifacts }) {
      const page = await context.newPage();
      try {
        await page.setViewportSize({ width: 1400, height: 1000 });
        // Every animation frame from the first: what the model card shows.
        await page.addInitScript(() => {
          const seen = (window.__modelCardStates = []);
          const look = () => {
            const select = document.querySelector('#model-panel select');
            const box = document.querySelector('#model-panel fieldset.two-class');
            if (select) {
              const visible = !!box && box.getBoundingClientRect().height > 0;
              const state = `${select.options.length === 0 || select.value === '' ? 'empty' : 'named'}${visible ? ` two-class ${box.textContent}` : ''}`;
              if (seen.at(-1) !== state) seen.push(state);
            }
            if (seen.length < 50) requestAnimationFrame(look);
          };
          requestAnimationFrame(look);
        });
        await page.goto(`${origin}/`, { waitUntil: 'load' });
        await until(() => trainButton(page).isEnabled(), { timeoutMs: 60_000, what: 'the Train button' });
        const states = await page.evaluate(() => window.__modelCardStates);
        console.log(`     model card while starting: ${states.join(' -> ')}`);
        assert(states.length > 0 && states.every((s) => s === 'named'), `the model card showed: ${states.join(' -> ')}`);
      } catch (err) {
        await page.screenshot({ path: `${artifacts}/failed-ui-${Date.now()}.png` }).catch(() => undefined);
        throw err;
      } finally {
        await page.close();
      }
    },
  },
  {
    name: 'bug 2: after a loss spike the loss chart keeps its y labels whole; Compare runs has a log scale',
    timeoutMs: 90_000,
    async run({ context, origin, log, artifacts }) {
      // The mlp with plain SGD at rate 10: the loss spikes to millions (softmax cross-entropy
      // stays finite) within the first batches.
      const page = await openPage(context, origin, '/?model=mlp&opt=sgd&lr=10&epochs=1&batch=64', 1400, 1000);
      log.allowErrors = true;
      try {
        await trainButton(page).click();
        await until(async () => (await trainButton(page).isEnabled()), { timeoutMs: 60_000, what: 'the epoch to end' });
        await sleep(500);
        // Labels cut at the chart's left edge leave ink in its first pixel columns.
        const edge = await page.locator('#charts-panel .chart').first().evaluate((chart) => {
          const c = chart.querySelector('canvas');
          const px = c.getContext('2d').getImageData(0, 0, 3, c.height).data;
          let ink = 0;
          for (let i = 3; i < px.length; i += 4) ink += px[i] > 40 ? 1 : 0;
          return { ink, height: c.height };
        });
        const max = ((await page.locator('#train-panel .stat', { hasText: /^loss/i }).locator('.stat-value').textContent()) ?? '').trim();
        console.log(`     last loss shown ${max}; ink in the chart's 3 leftmost columns: ${edge.ink} px`);
        assert(edge.ink === 0, `the loss chart's y labels run off its left edge (${edge.ink} ink pixels in its first 3 columns)`);
        const logBox = page.locator('#runs-panel').getByLabel(/log scale/i);
        assert((await logBox.count()) === 1, 'Compare runs has no log scale option');
      } catch (err) {
        await page.screenshot({ path: `${artifacts}/failed-ui-${Date.now()}.png` }).catch(() => undefined);
        throw err;
      } finally {
        log.allowErrors = false;
        await page.close();
      }
    },
  },
];
