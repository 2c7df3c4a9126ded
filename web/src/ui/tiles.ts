// Test images as labelled tiles ("pred: 9, true: 7"), with the pixels fetched from the worker
// once per model and cached.
import type { Samples, TrainerApi } from '../worker/protocol';
import { h } from './dom';
import { imageCanvas } from './image';

export type SampleApi = Pick<TrainerApi, 'getTestSamples'>;

/** Caches test images by index; clear() when the test split changes (new data or classes). */
export class SampleCache {
  private images = new Map<number, Uint8Array>();
  private pools: CanvasPool[] = [];
  private rows = 28;
  private cols = 28;
  constructor(private readonly api: SampleApi) {}

  clear(): void {
    this.images.clear();
    for (const p of this.pools) p.clear();
  }

  /** A canvas pool for one view, emptied together with the cache. */
  pool(): CanvasPool {
    const p = new CanvasPool();
    this.pools.push(p);
    return p;
  }

  async get(indices: readonly number[]): Promise<{ rows: number; cols: number; image: (i: number) => Uint8Array | undefined }> {
    const missing = indices.filter((i) => !this.images.has(i));
    if (missing.length > 0) {
      const s: Samples = await this.api.getTestSamples(Int32Array.from(missing));
      this.rows = s.rows;
      this.cols = s.cols;
      const size = s.rows * s.cols;
      for (let k = 0; k < s.indices.length; k++) {
        this.images.set(s.indices[k]!, s.images.slice(k * size, (k + 1) * size));
      }
    }
    return { rows: this.rows, cols: this.cols, image: (i) => this.images.get(i) };
  }
}

/**
 * One canvas per test image and view, reused each time the view refreshes (galleries redraw
 * every epoch; new canvases each time would churn memory on long runs).
 */
export class CanvasPool {
  private canvases = new Map<number, HTMLCanvasElement>();
  private static readonly MAX = 256;

  get(index: number, pixels: Uint8Array, rows: number, cols: number, label: string): HTMLCanvasElement {
    let c = this.canvases.get(index);
    if (c) {
      c.setAttribute('aria-label', label);
      return c;
    }
    c = imageCanvas(pixels, 0, rows, cols, label);
    if (this.canvases.size >= CanvasPool.MAX) {
      // Drop one that is not on screen.
      for (const [k, v] of this.canvases) {
        if (!v.isConnected) {
          this.canvases.delete(k);
          break;
        }
      }
    }
    this.canvases.set(index, c);
    return c;
  }

  clear(): void {
    this.canvases.clear();
  }
}

export interface TileInfo {
  index: number;
  label: string;
  predicted: string;
  /** Probability of the predicted class, 0..1, if known. */
  confidence?: number;
}

export function predictionTile(pixels: Uint8Array | undefined, rows: number, cols: number, t: TileInfo, pool: CanvasPool): HTMLElement {
  const wrong = t.label !== t.predicted;
  const conf = t.confidence !== undefined ? ` (${Math.round(t.confidence * 100)}%)` : '';
  const text = `pred: ${t.predicted}, true: ${t.label}`;
  const canvas = pixels
    ? pool.get(t.index, pixels, rows, cols, `Test image ${t.index}: ${text}${conf}${wrong ? ', wrong' : ''}`)
    : h('div', { class: 'digit missing' });
  // The ✓/✗ badge repeats what the border colour says, for readers who cannot tell the colours.
  return h(
    'figure',
    { class: `tile prediction${wrong ? ' wrong' : ''}`, role: 'listitem' },
    h('div', { class: 'tile-image' }, canvas, h('span', { class: `mark${wrong ? '' : ' ok'}`, 'aria-hidden': 'true' }, wrong ? '✗' : '✓')),
    h(
      'figcaption',
      {},
      h('span', { class: 'pred' }, `pred: ${t.predicted}`),
      h('span', { class: 'true' }, `true: ${t.label}`),
      conf ? h('span', { class: 'conf' }, conf.trim()) : null,
    ),
  );
}
