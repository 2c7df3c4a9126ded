// "Inside the network": for a test image or the drawn digit, the filters and feature maps of
// each conv layer and the activations (and weights) of dense layers. It follows the model by
// itself: shown as soon as a model exists, updated live while training runs (at most
// LIVE_MS apart, only while the panel is on screen, painted once per animation frame), and
// driven by the pad whenever the person draws. DOM per layer: network-layers.ts.
import '../draw/draw.css';
import { drawnDigit, onDrawnDigit } from '../draw/drawn-digit';
import type { TrainerApi, VisualInput, Visualization } from '../worker/protocol';
import { setText } from './heat-tile';
import { buildSections, layoutKey, type LayerSections } from './network-layers';
import { onScreen } from './on-screen';
import { el } from './dom';

export type NetworkApi = Pick<TrainerApi, 'visualize' | 'modelInfo' | 'getTestSamples'>;

export interface NetworkView {
  /** The model changed (built, loaded, an epoch ended): show it for the current input. */
  refresh(): void;
  /** Training moved on: update when the last update is LIVE_MS old and the panel is on screen. */
  trainingTick(): void;
  destroy(): void;
}

/** Shortest gap between two live requests: each costs the worker one forward pass between two
 * training chunks and the page one repaint of the canvases that changed. Training progress
 * comes 4 times a second (PROGRESS_MS), and the view follows each. */
export const LIVE_MS = 240;

let views = 0;

export function mountNetworkView(container: HTMLElement, api: NetworkApi): NetworkView {
  const uid = `sn-net-${++views}`;
  type Source = 'drawn' | 'test';

  const radio = (value: Source, text: string) => {
    const input = el('input', { id: `${uid}-${value}` });
    input.type = 'radio';
    input.name = `${uid}-source`;
    input.value = value;
    const label = el('label', { textContent: text });
    label.htmlFor = input.id;
    return { input, label };
  };
  const drawn = radio('drawn', 'Drawn digit');
  const test = radio('test', 'Test image');
  test.input.checked = true;
  const indexInput = el('input', { id: `${uid}-index` });
  indexInput.type = 'number';
  indexInput.min = '0';
  indexInput.value = '0';
  indexInput.setAttribute('aria-label', 'Test image number');
  const randomButton = el('button', { textContent: 'Random test image' });
  randomButton.type = 'button';

  const group = el('fieldset', { className: 'sn-net-controls' });
  group.append(el('legend', { textContent: 'Input' }), drawn.input, drawn.label, test.input, test.label, indexInput, randomButton);

  const status = el('p', { className: 'sn-net-note', textContent: 'Build, train or load a model to look inside it.' });
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  const inputCanvas = el('canvas', { className: 'sn-net-input' });
  inputCanvas.width = 28;
  inputCanvas.height = 28;
  inputCanvas.style.width = '84px';
  inputCanvas.style.height = '84px';
  inputCanvas.setAttribute('role', 'img');
  inputCanvas.setAttribute('aria-label', 'The input image');
  const layers = el('div', { className: 'sn-net-layers' });
  const root = el('div', { className: 'sn-net' }, group, status, el('div', { className: 'sn-net-tiles' }, inputCanvas), layers);
  container.querySelectorAll('.placeholder').forEach((n) => n.remove());
  container.append(root);

  // Live updates repeat up to 4 times a second: only while some of the view is really on screen.
  const screen = onScreen(root, 0);
  const source = (): Source => (drawn.input.checked ? 'drawn' : 'test');
  let hasModel = false;
  let inFlight = false;
  let again = false;
  let lastRequest = -Infinity;
  let destroyed = false;
  /** The test image in use, cached: the test set does not change under a model. */
  let testImage: { index: number; pixels: Uint8Array; label: number } | null = null;
  let sections: LayerSections | null = null;
  /** What the next animation frame paints (the newest answer wins). */
  let toPaint: { vis: Visualization; what: string; pixels: ArrayLike<number>; maxValue: number } | null = null;
  let frame = 0;
  let shownInput: ArrayLike<number> | null = null;

  function drawInput(pixels: ArrayLike<number>, maxValue: number): void {
    const ctx = inputCanvas.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(28, 28);
    for (let i = 0; i < 784; i++) {
      const v = Math.round(((pixels[i] ?? 0) / maxValue) * 255);
      img.data.set([v, v, v, 255], i * 4);
    }
    ctx.putImageData(img, 0, 0);
  }

  function paint(): void {
    frame = 0;
    const next = toPaint;
    toPaint = null;
    if (!next || destroyed) return;
    // The input changes only with another image or drawing, not as training goes on.
    if (next.pixels !== shownInput) drawInput(next.pixels, next.maxValue);
    shownInput = next.pixels;
    if (sections && sections.key === layoutKey(next.vis)) sections.update(next.vis);
    else {
      sections = buildSections(next.vis);
      layers.replaceChildren(...sections.nodes);
    }
    setText(status, `Inside the network for ${next.what}: it reads ${next.vis.label}.`);
  }

  function showProblem(text: string): void {
    toPaint = null;
    sections = null;
    layers.replaceChildren();
    status.textContent = text;
  }

  /** Asks the worker for the current input's insides; one request at a time. */
  async function request(): Promise<void> {
    if (destroyed || !hasModel) return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    lastRequest = performance.now();
    try {
      let input: VisualInput;
      let what: string;
      let pixels: ArrayLike<number>;
      let maxValue: number;
      if (source() === 'drawn') {
        const digit = drawnDigit();
        if (!digit) return showProblem('The drawing pad is empty: draw a digit first, or pick a test image.');
        pixels = digit; // a new array per drawing (drawn-digit.ts), so identity tells a new one
        input = digit.slice();
        maxValue = 1;
        what = 'the drawn digit';
      } else {
        const index = Math.max(0, Math.floor(Number(indexInput.value) || 0));
        if (testImage?.index !== index) {
          const samples = await api.getTestSamples([index]);
          testImage = { index, pixels: samples.images, label: samples.labels[0]! };
        }
        pixels = testImage.pixels;
        maxValue = 255;
        input = { testIndex: index };
        what = `test image ${index} (label ${testImage.label})`;
      }
      const vis = await api.visualize(input);
      if (destroyed) return;
      toPaint = { vis, what, pixels, maxValue };
      if (!frame) frame = requestAnimationFrame(paint);
    } catch (err) {
      const e = err as Error;
      showProblem(e.name === 'StateError' ? 'No model yet: build or train one first.' : `Could not look inside: ${e.message}`);
    } finally {
      inFlight = false;
      if (again && !destroyed) {
        again = false;
        schedule();
      }
    }
  }

  /** Updates now when on screen, else once it comes into view. */
  const schedule = () => screen.run(() => void request());

  randomButton.addEventListener('click', () => {
    void (async () => {
      const info = await api.modelInfo().catch(() => null);
      indexInput.value = String(Math.floor(Math.random() * (info?.testCount ?? 1000)));
      test.input.checked = true;
      schedule();
    })();
  });
  indexInput.addEventListener('change', () => {
    test.input.checked = true;
    schedule();
  });
  drawn.input.addEventListener('change', schedule);
  test.input.addEventListener('change', schedule);

  // Drawing drives the view: the stroke flows through the layers as it is drawn (LIVE_MS
  // apart, and once more when the stroke ends so the last state is shown).
  let trailing = 0;
  const unsubscribe = onDrawnDigit((pixels) => {
    if (!pixels) {
      if (source() === 'drawn') schedule();
      return;
    }
    drawn.input.checked = true;
    window.clearTimeout(trailing);
    const wait = LIVE_MS - (performance.now() - lastRequest);
    if (wait <= 0 && !inFlight) schedule();
    else trailing = window.setTimeout(schedule, Math.max(0, wait));
  });

  return {
    refresh: () => {
      hasModel = true;
      testImage = null; // a new model may test on another (class-filtered) split
      schedule();
    },
    trainingTick: () => {
      hasModel = true;
      if (inFlight || !screen.visible() || performance.now() - lastRequest < LIVE_MS) return;
      void request();
    },
    destroy: () => {
      destroyed = true;
      window.clearTimeout(trailing);
      if (frame) cancelAnimationFrame(frame);
      screen.cancel();
      unsubscribe();
      root.remove();
    },
  };
}
