// "Inside the network": for a test image or the drawn digit, the filters and feature maps of
// each conv layer and the activations (and weights) of dense layers, as small canvases.
// Pixel logic lives in web/src/draw/heatmap.ts; this file is DOM only.
import '../draw/draw.css';
import { drawnDigit, onDrawnDigit } from '../draw/drawn-digit';
import {
  channelOf,
  convKernel,
  denseColumn,
  divergingColour,
  gridFor,
  packTiles,
  scaleFor,
  sequentialColour,
  toRgba,
  type ColourScale,
} from '../draw/heatmap';
import type { LayerVisual, TrainerApi, VisualInput, Visualization } from '../worker/protocol';

export type NetworkApi = Pick<TrainerApi, 'visualize' | 'modelInfo' | 'getTestSamples'>;

export interface NetworkView {
  /** Redraw for the current input (e.g. after an epoch or a new model). */
  refresh(): void;
  destroy(): void;
}

/** Caps that keep the view readable and cheap for big models. */
const MAX_MAPS = 32;
const MAX_FILTERS_OUT = 32;
const MAX_FILTERS_IN = 16;
const MAX_DENSE_TEMPLATES = 16;
const MAX_MATRIX_VALUES = 250_000;
const DRAWN_DEBOUNCE_MS = 400;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Pick<HTMLElement, 'className' | 'id' | 'textContent' | 'title'>> = {},
  ...children: Node[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children);
  return node;
}

/** A canvas showing `values` (width x height) with `scale`, enlarged `zoom` times by CSS. */
function heatCanvas(
  values: ArrayLike<number>,
  width: number,
  height: number,
  scale: ColourScale,
  zoom: number,
  label: string,
): HTMLCanvasElement {
  const canvas = el('canvas', { title: label });
  canvas.width = Math.max(1, width);
  canvas.height = Math.max(1, height);
  canvas.style.width = `${Math.max(1, Math.round(width * zoom))}px`;
  canvas.style.height = `${Math.max(1, Math.round(height * zoom))}px`;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  const ctx = canvas.getContext('2d');
  if (ctx && width > 0 && height > 0) ctx.putImageData(new ImageData(toRgba(values, width, height, scale), width, height), 0, 0);
  return canvas;
}

/** Zoom so a tile of `side` pixels is shown about `target` CSS pixels wide (at least 1x). */
const zoomFor = (side: number, target: number): number => Math.max(1, Math.floor(target / Math.max(1, side)));

function legend(scale: ColourScale, what: string): HTMLElement {
  const bar = el('canvas');
  bar.width = 60;
  bar.height = 1;
  const ctx = bar.getContext('2d');
  if (ctx) {
    const img = ctx.createImageData(60, 1);
    for (let i = 0; i < 60; i++) {
      const t = i / 59;
      const [r, g, b] =
        scale.kind === 'diverging'
          ? divergingColour((t * 2 - 1) * scale.maxAbs, scale.maxAbs)
          : sequentialColour(scale.min + t * (scale.max - scale.min), scale.min, scale.max);
      img.data.set([r, g, b, 255], i * 4);
    }
    ctx.putImageData(img, 0, 0);
  }
  bar.setAttribute('aria-hidden', 'true');
  const lo = scale.kind === 'diverging' ? -scale.maxAbs : scale.min;
  const hi = scale.kind === 'diverging' ? scale.maxAbs : scale.max;
  const text = (v: number): string => (Math.abs(v) >= 100 || v === 0 ? v.toFixed(0) : v.toPrecision(2));
  return el(
    'div',
    { className: 'sn-net-legend' },
    el('span', { textContent: `${what}: ${text(lo)}` }),
    bar,
    el('span', { textContent: text(hi) }),
  );
}

function block(title: string, note: string, ...content: Node[]): HTMLElement {
  return el('div', {}, el('h4', { textContent: title }), ...content, ...(note ? [el('p', { className: 'sn-net-note', textContent: note })] : []));
}

function featureMaps(layer: LayerVisual): HTMLElement {
  const [h, w, c] = layer.shape;
  const scale = scaleFor(layer.activations);
  const zoom = zoomFor(Math.max(h, w), 56);
  const tiles = el('div', { className: 'sn-net-tiles' });
  for (let ch = 0; ch < Math.min(c, MAX_MAPS); ch++) {
    tiles.append(heatCanvas(channelOf(layer.activations, layer.shape, ch), w, h, scale, zoom, `Feature map ${ch + 1} of ${c}`));
  }
  const more = c > MAX_MAPS ? `First ${MAX_MAPS} of ${c} channels.` : '';
  return block(`Feature maps (${h}×${w}, ${c} channel${c === 1 ? '' : 's'})`, more, tiles, legend(scale, 'activation'));
}

function convFilters(layer: LayerVisual): HTMLElement | null {
  const weight = layer.parameters?.find((p) => p.name === 'weight');
  if (!weight || weight.shape.length !== 4) return null;
  const [kh = 0, kw = 0, nIn = 0, nOut = 0] = weight.shape;
  const scale = scaleFor(weight.values, true);
  const outs = Math.min(nOut, MAX_FILTERS_OUT);
  const ins = Math.min(nIn, MAX_FILTERS_IN);
  const kernels: Float32Array[] = [];
  // One row per output channel, one column per input channel (a single row when Cin = 1).
  for (let o = 0; o < outs; o++) for (let i = 0; i < ins; i++) kernels.push(convKernel(weight.values, weight.shape, i, o));
  const packed = packTiles(kernels, kw, kh, nIn === 1 ? outs : ins);
  const zoom = zoomFor(kw, 28);
  const canvas = heatCanvas(
    packed.values,
    packed.width,
    packed.height,
    scale,
    zoom,
    `${nOut} filters of ${kh}×${kw}×${nIn}`,
  );
  canvas.classList.add('sn-net-filters');
  const note =
    (nIn === 1 ? 'One tile per filter.' : 'Rows: output channels; columns: input channels.') +
    (nOut > outs || nIn > ins ? ` Showing ${outs}×${ins} of ${nOut}×${nIn}.` : '');
  return block(`Filters (${kh}×${kw}, ${nIn} in → ${nOut} out)`, note, el('div', { className: 'sn-net-tiles' }, canvas), legend(scale, 'weight'));
}

function denseWeights(layer: LayerVisual, inputShape: readonly [number, number, number] | null): HTMLElement | null {
  const weight = layer.parameters?.find((p) => p.name === 'weight');
  if (!weight || weight.shape.length !== 2) return null;
  const [nIn = 0, nOut = 0] = weight.shape;
  const scale = scaleFor(weight.values, true);
  // Units that see an image directly: show each unit's weights as an image ("what it looks for").
  if (inputShape && inputShape[2] === 1 && inputShape[0] * inputShape[1] === nIn && inputShape[0] > 1) {
    const [h, w] = inputShape;
    const tiles = el('div', { className: 'sn-net-tiles' });
    for (let u = 0; u < Math.min(nOut, MAX_DENSE_TEMPLATES); u++) {
      tiles.append(heatCanvas(denseColumn(weight.values, weight.shape, u), w, h, scale, 2, `Weights of unit ${u + 1}`));
    }
    const note = `Each tile: the weights of one unit over the ${h}×${w} input${nOut > MAX_DENSE_TEMPLATES ? ` (first ${MAX_DENSE_TEMPLATES} of ${nOut} units)` : ''}.`;
    return block('Weights per unit', note, tiles, legend(scale, 'weight'));
  }
  if (nIn * nOut > MAX_MATRIX_VALUES) return null;
  // Transposed (one row per unit), so the usual many-inputs matrix lies wide, not tall.
  const t = new Float32Array(nIn * nOut);
  for (let i = 0; i < nIn; i++) for (let u = 0; u < nOut; u++) t[u * nIn + i] = weight.values[i * nOut + u]!;
  const canvas = heatCanvas(t, nIn, nOut, scale, 1, `Weight matrix, ${nOut} units × ${nIn} inputs`);
  const cssW = Math.min(480, nIn * Math.max(1, Math.floor(480 / nIn)));
  const cssH = Math.max(nOut * 6, Math.round((nOut * cssW) / nIn)); // rows at least 6 px tall
  canvas.style.width = `${cssW}px`;
  canvas.style.height = `${Math.min(cssH, 480)}px`;
  return block(`Weights (${nIn} inputs × ${nOut} units)`, 'Rows: units; columns: inputs.', el('div', { className: 'sn-net-tiles' }, canvas), legend(scale, 'weight'));
}

function vectorActivations(layer: LayerVisual): HTMLElement {
  const n = layer.activations.length;
  // Short vectors (e.g. the 10 outputs) in one row; long ones in a near-square grid.
  const { cols, rows } = n <= 32 ? { cols: n, rows: 1 } : gridFor(n);
  const scale = scaleFor(layer.activations);
  const zoom = n <= 32 ? 14 : zoomFor(cols, 120);
  const canvas = heatCanvas(layer.activations, cols, rows, scale, zoom, `Activations of ${n} units`);
  return block(`Activations (${n} units)`, '', el('div', { className: 'sn-net-tiles' }, canvas), legend(scale, 'activation'));
}

/**
 * One description segment ("conv 8 5x5 relu") may come back as several layers (the conv, then
 * its activation). Show the segment once: its filters or weights, then what comes out of its
 * last layer (the feature maps after the non-linearity).
 */
function renderSegment(group: readonly LayerVisual[], inputShape: readonly [number, number, number]): HTMLElement | null {
  const last = group[group.length - 1]!;
  if (group.every((l) => l.kind === 'flatten')) return null; // the same numbers as before
  const [h, w, c] = last.shape;
  const section = el('section', { className: 'sn-net-layer' });
  section.append(el('h3', { textContent: `${group[0]!.segment}. ${group[0]!.text} → ${h}×${w}×${c}` }));
  for (const layer of group) {
    const part = layer.kind === 'conv' ? convFilters(layer) : layer.kind === 'dense' ? denseWeights(layer, inputShape) : null;
    if (part) section.append(part);
  }
  section.append(h * w > 1 ? featureMaps(last) : vectorActivations(last));
  return section;
}

/** Consecutive layers of the same description segment. */
function bySegment(layers: readonly LayerVisual[]): LayerVisual[][] {
  const groups: LayerVisual[][] = [];
  for (const layer of layers) {
    const current = groups[groups.length - 1];
    if (current && current[0]!.segment === layer.segment) current.push(layer);
    else groups.push([layer]);
  }
  return groups;
}

let views = 0;

export function mountNetworkView(container: HTMLElement, api: NetworkApi): NetworkView {
  const uid = `sn-net-${++views}`;
  type Source = 'drawn' | 'test';

  const drawnRadio = el('input', { id: `${uid}-drawn` });
  drawnRadio.type = 'radio';
  drawnRadio.name = `${uid}-source`;
  drawnRadio.value = 'drawn';
  const testRadio = el('input', { id: `${uid}-test` });
  testRadio.type = 'radio';
  testRadio.name = `${uid}-source`;
  testRadio.value = 'test';
  testRadio.checked = true;
  const drawnLabel = el('label', { textContent: 'Drawn digit' });
  drawnLabel.htmlFor = drawnRadio.id;
  const testLabel = el('label', { textContent: 'Test image' });
  testLabel.htmlFor = testRadio.id;
  const indexInput = el('input', { id: `${uid}-index` });
  indexInput.type = 'number';
  indexInput.min = '0';
  indexInput.value = '0';
  indexInput.setAttribute('aria-label', 'Test image number');
  const randomButton = el('button', { textContent: 'Random test image' });
  randomButton.type = 'button';
  const showButton = el('button', { textContent: 'Show inside the network' });
  showButton.type = 'button';

  const group = el('fieldset', { className: 'sn-net-controls' });
  group.append(el('legend', { textContent: 'Input' }), drawnRadio, drawnLabel, testRadio, testLabel, indexInput, randomButton, showButton);

  const status = el('p', { className: 'sn-net-note', textContent: 'Pick an input and press “Show inside the network”.' });
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

  const source = (): Source => (drawnRadio.checked ? 'drawn' : 'test');
  let shown = false; // redraw automatically only after the user asked once
  let running = false;
  let again = false;
  let destroyed = false;

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

  function render(vis: Visualization): void {
    let prevShape: [number, number, number] = [28, 28, 1];
    const sections: HTMLElement[] = [];
    for (const group of bySegment(vis.layers)) {
      const section = renderSegment(group, prevShape);
      if (section) sections.push(section);
      // A flatten keeps the image shape for the next dense layer's "weights per unit" tiles.
      if (!group.every((l) => l.kind === 'flatten')) prevShape = group[group.length - 1]!.shape;
    }
    layers.replaceChildren(...sections);
  }

  async function show(): Promise<void> {
    if (running) {
      again = true;
      return;
    }
    running = true;
    shown = true;
    try {
      let input: VisualInput;
      let what: string;
      if (source() === 'drawn') {
        const pixels = drawnDigit();
        if (!pixels) {
          status.textContent = 'The drawing pad is empty: draw a digit first, or pick a test image.';
          layers.replaceChildren();
          return;
        }
        drawInput(pixels, 1);
        input = pixels.slice();
        what = 'the drawn digit';
      } else {
        const index = Math.max(0, Math.floor(Number(indexInput.value) || 0));
        const samples = await api.getTestSamples([index]);
        drawInput(samples.images, 255);
        input = { testIndex: index };
        what = `test image ${index} (label ${samples.labels[0]})`;
      }
      status.textContent = `Working on ${what}…`;
      const vis = await api.visualize(input);
      if (destroyed) return;
      render(vis);
      status.textContent = `Inside the network for ${what}: it reads ${vis.label}.`;
    } catch (err) {
      const e = err as Error;
      status.textContent =
        e.name === 'StateError' ? 'No model yet: build or train one first.' : `Could not look inside: ${e.message}`;
      layers.replaceChildren();
    } finally {
      running = false;
      if (again && !destroyed) {
        again = false;
        void show();
      }
    }
  }

  showButton.addEventListener('click', () => void show());
  randomButton.addEventListener('click', () => {
    void (async () => {
      const info = await api.modelInfo().catch(() => null);
      indexInput.value = String(Math.floor(Math.random() * (info?.testCount ?? 1000)));
      testRadio.checked = true;
      void show();
    })();
  });
  indexInput.addEventListener('change', () => {
    testRadio.checked = true;
    if (shown) void show();
  });
  drawnRadio.addEventListener('change', () => {
    if (shown) void show();
  });
  testRadio.addEventListener('change', () => {
    if (shown) void show();
  });

  let debounce = 0;
  const unsubscribe = onDrawnDigit(() => {
    if (!shown || source() !== 'drawn') return;
    window.clearTimeout(debounce);
    debounce = window.setTimeout(() => void show(), DRAWN_DEBOUNCE_MS);
  });

  return {
    refresh: () => {
      if (shown) void show();
    },
    destroy: () => {
      destroyed = true;
      window.clearTimeout(debounce);
      unsubscribe();
      root.remove();
    },
  };
}
