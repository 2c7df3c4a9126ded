// "Draw a digit": the pad, the 28x28 image the network sees, live class probabilities as an
// accessible bar chart, and the top prediction announced via aria-live.
// Logic lives in web/src/draw (preprocess, stroke, probabilities); this file is DOM only.
import '../draw/draw.css';
import { setDrawnDigit } from '../draw/drawn-digit';
import { DrawingPad, type PadChange } from '../draw/pad';
import { MNIST_SIZE, preprocessDigit } from '../draw/preprocess';
import { announcement, classBars } from '../draw/probabilities';
import type { TrainerApi } from '../worker/protocol';
import { el } from './dom';

/** The calls the panel makes; the worker client satisfies it. */
export type DrawApi = Pick<TrainerApi, 'predict' | 'getTestSamples' | 'modelInfo'>;

export interface DrawPanel {
  /** Predict again (e.g. after an epoch or when a model was built or loaded). */
  refresh(): void;
  clear(): void;
  /** The data set's words: a name per class label, and whether its classes are digits. */
  setClassNames(names: readonly string[], digits: boolean): void;
  destroy(): void;
}

/** Ink whose bounding box is smaller than this fraction of the pad is too small to read: a
 * dot scaled up to MNIST's 20x20 box looks like a thick blob, which the network reads as an
 * 8 with high confidence. */
export const MIN_INK_FRACTION = 0.12;

/** While the pad has ink, predictions are refreshed this often so they follow training. */
const REFRESH_MS = 1500;

let panels = 0;

export function mountDrawPanel(container: HTMLElement, api: DrawApi): DrawPanel {
  const uid = `sn-draw-${++panels}`;
  let classNames: readonly string[] = [];
  let digits = true;
  const nameOf = (label: number) => classNames[label] ?? String(label);
  const emptyText = () => (digits ? 'Draw a digit in the box.' : 'Draw something in the box.');
  const TOO_SMALL = 'Too small to read: draw larger, filling most of the box.';

  const padCanvas = el('canvas', { className: 'sn-pad' });
  padCanvas.setAttribute('role', 'img');
  padCanvas.setAttribute(
    'aria-label',
    'Drawing pad: draw a digit here with a mouse, finger or pen. Keyboard users can load a test digit with the button below.',
  );
  const clearButton = el('button', { textContent: 'Clear' });
  clearButton.type = 'button';
  const sampleButton = el('button', { textContent: 'Use a test digit' });
  sampleButton.type = 'button';
  sampleButton.title = 'Put a random image from the test set on the pad';

  const seen = el('canvas', { className: 'sn-seen' });
  seen.width = MNIST_SIZE;
  seen.height = MNIST_SIZE;
  seen.setAttribute('role', 'img');
  seen.setAttribute('aria-label', 'The 28 by 28 pixel image the network sees');
  const seenCaption = el('figcaption', { textContent: 'What the network sees (28×28)' });

  const chartTitle = el('figcaption', { id: `${uid}-chart`, textContent: 'Class probabilities' });
  const list = el('ol', { className: 'sn-probs' });
  list.setAttribute('aria-labelledby', chartTitle.id);

  const readout = el('output', { className: 'sn-readout', textContent: '–' });
  readout.setAttribute('aria-hidden', 'true');
  const live = el('p', { className: 'sn-draw-status', textContent: emptyText() });
  live.setAttribute('aria-live', 'polite');
  live.setAttribute('role', 'status');

  const root = el(
    'div',
    { className: 'sn-draw' },
    el('div', { className: 'sn-draw-pad' }, padCanvas, el('div', { className: 'sn-draw-buttons' }, clearButton, sampleButton)),
    el('figure', { className: 'sn-draw-seen' }, seen, seenCaption, readout),
    el('figure', { className: 'sn-draw-chart' }, chartTitle, list),
    live,
  );
  container.querySelectorAll('.placeholder').forEach((n) => n.remove());
  container.append(root);

  // --- probability chart -------------------------------------------------------------------
  let rows: { li: HTMLLIElement; fill: HTMLSpanElement; pct: HTMLSpanElement; name: HTMLSpanElement }[] = [];
  let rowLabels = '';

  function renderBars(probabilities: ArrayLike<number> | null, classLabels: readonly number[]): void {
    const key = classLabels.join(',');
    if (key !== rowLabels) {
      rowLabels = key;
      list.replaceChildren();
      rows = classLabels.map(() => {
        const name = el('span', { className: 'sn-prob-label' });
        const fill = el('span', { className: 'sn-prob-fill' });
        const track = el('span', { className: 'sn-prob-track' }, fill);
        track.setAttribute('aria-hidden', 'true');
        const pct = el('span', { className: 'sn-prob-pct' });
        const li = el('li', {}, name, track, pct);
        list.append(li);
        return { li, fill, pct, name };
      });
    }
    const zeros = new Float32Array(classLabels.length);
    const bars = classBars(probabilities ?? zeros, classLabels);
    bars.forEach((bar, i) => {
      const row = rows[i]!;
      const shown = probabilities !== null;
      const name = nameOf(bar.label);
      row.name.textContent = name;
      row.name.title = name;
      row.pct.textContent = shown ? bar.percent : '–';
      row.fill.style.width = `${shown ? Math.max(0, Math.min(1, bar.probability)) * 100 : 0}%`;
      row.li.classList.toggle('sn-top', shown && bar.top);
      row.li.setAttribute('aria-label', shown ? `${name}: ${bar.percent}` : `${name}: no prediction`);
    });
    const top = bars.find((b) => b.top);
    readout.textContent = probabilities && top ? nameOf(top.label) : '–';
    readout.classList.toggle('sn-long', !digits);
  }
  renderBars(null, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

  // --- the 28x28 view -------------------------------------------------------------------------
  const seenCtx = seen.getContext('2d');
  function renderSeen(pixels: Float32Array): void {
    if (!seenCtx) return;
    const img = seenCtx.createImageData(MNIST_SIZE, MNIST_SIZE);
    for (let i = 0; i < pixels.length; i++) {
      const v = Math.round(pixels[i]! * 255);
      img.data[i * 4] = v;
      img.data[i * 4 + 1] = v;
      img.data[i * 4 + 2] = v;
      img.data[i * 4 + 3] = 255;
    }
    seenCtx.putImageData(img, 0, 0);
  }

  // --- prediction loop: at most one request in flight, at most one per animation frame ---------
  let frame = 0;
  let inFlight = false;
  let again = false;
  let announce = false;
  let destroyed = false;

  function schedule(change?: PadChange): void {
    if (change === 'stroke-end' || change === 'image' || change === 'clear') announce = true;
    if (destroyed || frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      void predictNow();
    });
  }

  async function predictNow(): Promise<void> {
    if (inFlight) {
      again = true;
      return;
    }
    const grey = pad.grey();
    const result = preprocessDigit(grey);
    renderSeen(result.pixels);
    const tooSmall =
      result.box !== null && Math.max(result.box.width, result.box.height) < MIN_INK_FRACTION * Math.max(grey.width, grey.height);
    if (result.empty || tooSmall) {
      setDrawnDigit(null);
      renderBars(null, rows.length ? rowLabels.split(',').map(Number) : [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const text = tooSmall ? TOO_SMALL : emptyText();
      // A dot is answered at once (pointer down and up), an empty pad after a stroke or Clear.
      if ((announce || tooSmall) && !pad.isDrawing() && live.textContent !== text) live.textContent = text;
      live.dataset['state'] = tooSmall ? 'small' : 'empty';
      announce = false;
      return;
    }
    setDrawnDigit(result.pixels);
    inFlight = true;
    const speak = announce;
    announce = false;
    try {
      const prediction = await api.predict(result.pixels.slice());
      if (destroyed) return;
      const bars = classBars(prediction.probabilities, prediction.classLabels);
      renderBars(prediction.probabilities, prediction.classLabels);
      root.classList.remove('sn-no-model');
      // Announce finished strokes only (a half-drawn digit is not worth reading out), and the
      // first prediction after there was none (a model appeared while the pad had ink).
      // Unchanged text is not set again (refreshes after each epoch would repeat it).
      const text = announcement(bars.map((b) => ({ ...b, label: nameOf(b.label) })));
      if ((speak || (live.dataset['state'] !== 'ok' && !pad.isDrawing())) && live.textContent !== text) {
        live.textContent = text;
      }
      live.dataset['state'] = 'ok';
    } catch (err) {
      if (destroyed) return;
      const e = err as Error;
      root.classList.add('sn-no-model');
      renderBars(null, rowLabels.split(',').map(Number));
      const text =
        e.name === 'StateError'
          ? 'No model yet: train one (or load a saved model) to see what it reads.'
          : `Could not predict: ${e.message}`;
      if (live.textContent !== text) live.textContent = text;
      live.dataset['state'] = 'error';
    } finally {
      inFlight = false;
      if (again && !destroyed) {
        again = false;
        schedule();
      }
    }
  }

  const pad = new DrawingPad(padCanvas, { onChange: schedule });

  clearButton.addEventListener('click', () => pad.clear());
  sampleButton.addEventListener('click', () => {
    void (async () => {
      try {
        const info = await api.modelInfo();
        const count = info?.testCount ?? 1000;
        const index = Math.floor(Math.random() * count);
        const s = await api.getTestSamples([index]);
        pad.showImage(s.images.subarray(0, s.rows * s.cols), s.rows, s.cols);
        padCanvas.setAttribute('aria-label', `Drawing pad showing test image ${index} (label ${s.labels[0]}).`);
      } catch (err) {
        live.textContent = `Could not load a test digit: ${(err as Error).message}`;
      }
    })();
  });

  const timer = window.setInterval(() => {
    if (!pad.isEmpty() && !inFlight && document.visibilityState === 'visible') schedule();
  }, REFRESH_MS);

  return {
    refresh: () => schedule('image'),
    setClassNames(names, isDigits) {
      classNames = names;
      digits = isDigits;
      padCanvas.setAttribute(
        'aria-label',
        `Drawing pad: draw ${digits ? 'a digit' : 'something'} here with a mouse, finger or pen. Keyboard users can load a test image with the button below.`,
      );
      sampleButton.textContent = digits ? 'Use a test digit' : 'Use a test image';
      list.classList.toggle('sn-named', !digits);
      const heading = container.closest('section')?.querySelector('h2');
      if (heading) heading.textContent = digits ? 'Draw a digit' : 'Draw something';
      if (pad.isEmpty()) live.textContent = emptyText();
      schedule('image');
    },
    clear: () => pad.clear(),
    destroy: () => {
      destroyed = true;
      if (frame) cancelAnimationFrame(frame);
      window.clearInterval(timer);
      pad.destroy();
      root.remove();
    },
  };
}
