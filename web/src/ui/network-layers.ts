// The layers of "Inside the network" as DOM that is built once per model layout and then only
// repainted: each canvas keeps the values it shows and repaints when they change, so live
// updates during training cost a few putImageData calls, not a rebuilt panel. Sections are
// numbered as the description's segments are (a flatten is shown as its own, small section).
// Pixel logic lives in web/src/draw/heatmap.ts.
import { channelOf, convKernel, denseColumn, gridFor, packTiles, scaleFor, type ColourScale } from '../draw/heatmap';
import type { LayerVisual, Visualization } from '../worker/protocol';
import { el } from './dom';
import { HeatTile, Legend } from './heat-tile';

/** Caps that keep the view readable and cheap for big models: feature maps, filters (output and
 * input channels), per-unit weight images, values of a weight matrix. */
const CAP = { maps: 32, filtersOut: 32, filtersIn: 16, denseTemplates: 16, matrixValues: 250_000 } as const;
/** CSS width of one first-layer filter: large enough to see its strokes. */
const FILTER_CSS_PX = 60;
/** Widest a packed filter image gets (several input channels), CSS px. */
const FILTERS_MAX_CSS = 480;

type Shape = readonly [number, number, number];

/** Zoom so a tile of `side` pixels is shown about `target` CSS pixels wide (at least 1x). */
const zoomFor = (side: number, target: number): number => Math.max(1, Math.floor(target / Math.max(1, side)));

/** One block of a section: its DOM and how to repaint it from the section's layers. */
interface Part {
  node: HTMLElement;
  update(group: readonly LayerVisual[]): void;
}

function block(title: string, note: string, ...content: Node[]): HTMLElement {
  return el(
    'div',
    {},
    el('h4', { textContent: title }),
    ...content,
    ...(note ? [el('p', { className: 'sn-net-note', textContent: note })] : []),
  );
}

const weightOf = (layer: LayerVisual | undefined) => layer?.parameters?.find((p) => p.name === 'weight');

/** A block repainted from the values of layer `at`: its weights (a scale centred on zero) or its
 * activations. `paint` draws them with the scale; the legend names the scale. */
function part(
  node: HTMLElement,
  legend: Legend,
  at: number,
  of: 'weights' | 'activations',
  paint: (values: ArrayLike<number>, scale: ColourScale) => void,
): Part {
  return {
    node,
    update(group) {
      const values = of === 'weights' ? weightOf(group[at])?.values : group[at]?.activations;
      if (!values) return;
      const scale = scaleFor(values, of === 'weights');
      paint(values, scale);
      legend.set(scale);
    },
  };
}

function featureMaps(shape: Shape, at: number): Part {
  const [h, w, c] = shape;
  const zoom = zoomFor(Math.max(h, w), 56);
  const tiles = Array.from({ length: Math.min(c, CAP.maps) }, (_, ch) => new HeatTile(w, h, zoom, `Feature map ${ch + 1} of ${c}`));
  const legend = new Legend('activation');
  const node = block(
    `Feature maps (${h}×${w}, ${c} channel${c === 1 ? '' : 's'})`,
    c > CAP.maps ? `First ${CAP.maps} of ${c} channels.` : '',
    el('div', { className: 'sn-net-tiles' }, ...tiles.map((t) => t.canvas)),
    legend.node,
  );
  return part(node, legend, at, 'activations', (values, scale) => tiles.forEach((t, ch) => t.paint(channelOf(values, shape, ch), scale)));
}

function convFilters(layer: LayerVisual, at: number): Part | null {
  const weight = weightOf(layer);
  if (!weight || weight.shape.length !== 4) return null;
  const [kh = 0, kw = 0, nIn = 0, nOut = 0] = weight.shape;
  const outs = Math.min(nOut, CAP.filtersOut);
  const ins = Math.min(nIn, CAP.filtersIn);
  // One row per output channel, one column per input channel (a single row when Cin = 1).
  const perRow = nIn === 1 ? outs : ins;
  const pack = (values: ArrayLike<number>) => {
    const kernels: Float32Array[] = [];
    for (let o = 0; o < outs; o++) for (let i = 0; i < ins; i++) kernels.push(convKernel(values, weight.shape, i, o));
    return packTiles(kernels, kw, kh, perRow);
  };
  const first = pack(weight.values);
  const zoom = Math.max(2, Math.min(zoomFor(kw, FILTER_CSS_PX), Math.floor(FILTERS_MAX_CSS / first.width)));
  const tile = new HeatTile(first.width, first.height, zoom, `${nOut} filters of ${kh}×${kw}×${nIn}`);
  tile.canvas.classList.add('sn-net-filters');
  const legend = new Legend('weight');
  const note =
    (nIn === 1 ? 'One tile per filter.' : 'Rows: output channels; columns: input channels.') +
    (nOut > outs || nIn > ins ? ` Showing ${outs}×${ins} of ${nOut}×${nIn}.` : '');
  const node = block(
    `Filters (${kh}×${kw}, ${nIn} in → ${nOut} out)`,
    note,
    el('div', { className: 'sn-net-tiles' }, tile.canvas),
    legend.node,
  );
  return part(node, legend, at, 'weights', (values, scale) => tile.paint(pack(values).values, scale));
}

function denseWeights(layer: LayerVisual, at: number, inputShape: Shape): Part | null {
  const weight = weightOf(layer);
  if (!weight || weight.shape.length !== 2) return null;
  const [nIn = 0, nOut = 0] = weight.shape;
  const legend = new Legend('weight');
  // Units that see an image directly: show each unit's weights as an image ("what it looks for").
  if (inputShape[2] === 1 && inputShape[0] * inputShape[1] === nIn && inputShape[0] > 1) {
    const [h, w] = inputShape;
    const tiles = Array.from({ length: Math.min(nOut, CAP.denseTemplates) }, (_, u) => new HeatTile(w, h, 2, `Weights of unit ${u + 1}`));
    const note = `Each tile: the weights of one unit over the ${h}×${w} input${nOut > CAP.denseTemplates ? ` (first ${CAP.denseTemplates} of ${nOut} units)` : ''}.`;
    const node = block('Weights per unit', note, el('div', { className: 'sn-net-tiles' }, ...tiles.map((t) => t.canvas)), legend.node);
    return part(node, legend, at, 'weights', (values, scale) =>
      tiles.forEach((t, u) => t.paint(denseColumn(values, weight.shape, u), scale)),
    );
  }
  if (nIn * nOut > CAP.matrixValues) return null;
  const tile = new HeatTile(nIn, nOut, 1, `Weight matrix, ${nOut} units × ${nIn} inputs`);
  const cssW = Math.min(480, nIn * Math.max(1, Math.floor(480 / nIn)));
  const cssH = Math.max(nOut * 6, Math.round((nOut * cssW) / nIn)); // rows at least 6 px tall
  tile.canvas.style.width = `${cssW}px`;
  tile.canvas.style.height = `${Math.min(cssH, 480)}px`;
  const node = block(
    `Weights (${nIn} inputs × ${nOut} units)`,
    'Rows: units; columns: inputs.',
    el('div', { className: 'sn-net-tiles' }, tile.canvas),
    legend.node,
  );
  const t = new Float32Array(nIn * nOut);
  return part(node, legend, at, 'weights', (values, scale) => {
    // Transposed (one row per unit), so the usual many-inputs matrix lies wide, not tall.
    for (let i = 0; i < nIn; i++) for (let u = 0; u < nOut; u++) t[u * nIn + i] = values[i * nOut + u]!;
    tile.paint(t, scale);
  });
}

function vectorActivations(n: number, at: number): Part {
  // Short vectors (e.g. the 10 outputs) in one row; long ones in a near-square grid.
  const { cols, rows } = n <= 32 ? { cols: n, rows: 1 } : gridFor(n);
  const tile = new HeatTile(cols, rows, n <= 32 ? 14 : zoomFor(cols, 120), `Activations of ${n} units`);
  const legend = new Legend('activation');
  const node = block(`Activations (${n} units)`, '', el('div', { className: 'sn-net-tiles' }, tile.canvas), legend.node);
  return part(node, legend, at, 'activations', (values, scale) => tile.paint(values, scale));
}

/**
 * One description segment ("conv 8 5x5 relu") may come back as several layers (the conv, then
 * its activation). Show the segment once: its filters or weights, then what comes out of its
 * last layer (the feature maps after the non-linearity). A flatten gets its number and one line
 * (its values are the previous section's, in one row).
 */
function segmentSection(group: readonly LayerVisual[], inputShape: Shape): { node: HTMLElement; parts: Part[] } {
  const lastAt = group.length - 1;
  const [h, w, c] = group[lastAt]!.shape;
  const node = el('section', { className: 'sn-net-layer' });
  node.dataset.segment = String(group[0]!.segment);
  node.append(el('h3', { textContent: `${group[0]!.segment}. ${group[0]!.text} → ${h}×${w}×${c}` }));
  const parts: Part[] = [];
  if (group.every((l) => l.kind === 'flatten')) {
    node.append(el('p', { className: 'sn-net-note', textContent: `The ${h * w * c} values above, in one row for the next layer.` }));
    return { node, parts };
  }
  group.forEach((layer, at) => {
    const part = layer.kind === 'conv' ? convFilters(layer, at) : layer.kind === 'dense' ? denseWeights(layer, at, inputShape) : null;
    if (part) parts.push(part);
  });
  parts.push(h * w > 1 ? featureMaps([h, w, c], lastAt) : vectorActivations(h * w * c, lastAt));
  node.append(...parts.map((p) => p.node));
  return { node, parts };
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

/** What decides the DOM: segments, kinds and shapes of layers and parameters. */
export function layoutKey(vis: Visualization): string {
  return JSON.stringify(vis.layers.map((l) => [l.segment, l.kind, l.text, l.shape, l.parameters?.map((p) => p.shape)]));
}

/** The sections for one model layout; update() repaints them for another visualization of it. */
export interface LayerSections {
  readonly key: string;
  readonly nodes: HTMLElement[];
  update(vis: Visualization): void;
}

export function buildSections(vis: Visualization): LayerSections {
  const groups = bySegment(vis.layers);
  let inputShape: Shape = [28, 28, 1];
  const sections = groups.map((group) => {
    const s = segmentSection(group, inputShape);
    // A flatten keeps the image shape for the next dense layer's "weights per unit" tiles.
    if (!group.every((l) => l.kind === 'flatten')) inputShape = group[group.length - 1]!.shape;
    return s;
  });
  const update = (next: Visualization) => {
    bySegment(next.layers).forEach((group, i) => sections[i]?.parts.forEach((p) => p.update(group)));
  };
  update(vis);
  return { key: layoutKey(vis), nodes: sections.map((s) => s.node), update };
}
