// Test images as labelled tiles ("pred: 9, true: 7"), with the pixels fetched from the worker
// once per model and cached.
import type { Samples, TrainerApi } from '../worker/protocol';
import { h } from './dom';
import { imageCanvas } from './image';

export type SampleApi = Pick<TrainerApi, 'getTestSamples'>;

/** Caches test images by index; clear() when the test split changes (new data or classes). */
export class SampleCache {
  private images = new Map<number, Uint8Array>();
  private rows = 28;
  private cols = 28;
  constructor(private readonly api: SampleApi) {}

  clear(): void {
    this.images.clear();
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

export interface TileInfo {
  index: number;
  label: string;
  predicted: string;
  /** Probability of the predicted class, 0..1, if known. */
  confidence?: number;
}

export function predictionTile(pixels: Uint8Array | undefined, rows: number, cols: number, t: TileInfo): HTMLElement {
  const wrong = t.label !== t.predicted;
  const conf = t.confidence !== undefined ? ` (${Math.round(t.confidence * 100)}%)` : '';
  const text = `pred: ${t.predicted}, true: ${t.label}`;
  const canvas = pixels
    ? imageCanvas(pixels, 0, rows, cols, `Test image ${t.index}: ${text}${conf}${wrong ? ', wrong' : ''}`)
    : h('div', { class: 'digit missing' });
  // The ✓/✗ badge repeats what the border colour says, for readers who cannot tell the colours.
  return h(
    'figure',
    { class: `tile prediction${wrong ? ' wrong' : ''}`, role: 'listitem' },
    h('div', { class: 'tile-image' }, canvas,
      h('span', { class: `mark${wrong ? '' : ' ok'}`, 'aria-hidden': 'true' }, wrong ? '✗' : '✓')),
    h('figcaption', {},
      h('span', { class: 'pred' }, `pred: ${t.predicted}`),
      h('span', { class: 'true' }, `true: ${t.label}`),
      conf ? h('span', { class: 'conf' }, conf.trim()) : null),
  );
}
