// A heat-map canvas that repaints only when its values or scale change, and the colour bar that
// names a scale's two ends: the pieces "Inside the network" is built of (pixel logic lives in
// web/src/draw/heatmap.ts).
import { divergingColour, sequentialColour, toRgba, type ColourScale } from '../draw/heatmap';
import { el } from './dom';

const sameScale = (a: ColourScale | null, b: ColourScale): boolean =>
  a !== null &&
  (a.kind === 'diverging' && b.kind === 'diverging'
    ? a.maxAbs === b.maxAbs
    : a.kind === 'sequential' && b.kind === 'sequential' && a.min === b.min && a.max === b.max);

function sameValues(a: Float32Array | null, b: ArrayLike<number>): boolean {
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}

/** A canvas of width x height values, enlarged `zoom` times by CSS; repaints only on change. */
export class HeatTile {
  readonly canvas: HTMLCanvasElement;
  private shown: Float32Array | null = null;
  private scale: ColourScale | null = null;

  constructor(
    private readonly width: number,
    private readonly height: number,
    zoom: number,
    label: string,
  ) {
    this.canvas = el('canvas', { title: label });
    this.canvas.width = Math.max(1, width);
    this.canvas.height = Math.max(1, height);
    this.canvas.style.width = `${Math.max(1, Math.round(width * zoom))}px`;
    this.canvas.style.height = `${Math.max(1, Math.round(height * zoom))}px`;
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', label);
  }

  paint(values: ArrayLike<number>, scale: ColourScale): void {
    if (sameScale(this.scale, scale) && sameValues(this.shown, values)) return;
    this.shown = Float32Array.from(values);
    this.scale = scale;
    const ctx = this.canvas.getContext('2d');
    if (!ctx || this.width <= 0 || this.height <= 0) return;
    ctx.putImageData(new ImageData(toRgba(values, this.width, this.height, scale), this.width, this.height), 0, 0);
  }
}

const legendText = (v: number): string => (Math.abs(v) >= 100 || v === 0 ? v.toFixed(0) : v.toPrecision(2));

/** The colour bar under a block, with its two end values. The bar itself depends only on the
 * scale's kind (colours are relative to the range), so live updates change at most two texts,
 * and only when their shown digits change. */
export class Legend {
  readonly node: HTMLElement;
  private readonly lo = el('span');
  private readonly hi = el('span');
  private readonly bar = el('canvas');
  private kind: ColourScale['kind'] | null = null;

  constructor(private readonly what: string) {
    this.bar.width = 60;
    this.bar.height = 1;
    this.bar.setAttribute('aria-hidden', 'true');
    this.node = el('div', { className: 'sn-net-legend' }, this.lo, this.bar, this.hi);
  }

  set(scale: ColourScale): void {
    const diverging = scale.kind === 'diverging';
    setText(this.lo, `${this.what}: ${legendText(diverging ? -scale.maxAbs : scale.min)}`);
    setText(this.hi, legendText(diverging ? scale.maxAbs : scale.max));
    if (this.kind === scale.kind) return;
    this.kind = scale.kind;
    const ctx = this.bar.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(60, 1);
    for (let i = 0; i < 60; i++) {
      const t = i / 59;
      const [r, g, b] = diverging ? divergingColour(t * 2 - 1, 1) : sequentialColour(t, 0, 1);
      img.data.set([r, g, b, 255], i * 4);
    }
    ctx.putImageData(img, 0, 0);
  }
}

/** Sets a text only when it differs (an unchanged text then costs no layout). */
export function setText(node: HTMLElement, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}
