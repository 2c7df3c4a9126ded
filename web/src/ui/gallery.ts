// The prediction gallery (a fixed grid of test images with predicted and true labels, refreshed
// each epoch) and the "worst mistakes" gallery (the most confidently wrong test images).
import type { TrainerApi } from '../worker/protocol';
import { button, clear, h } from './dom';
import { onScreen } from './on-screen';
import { predictionTile, type SampleCache } from './tiles';

export type GalleryApi = Pick<TrainerApi, 'predictTestSet' | 'worstMistakes'>;

export interface Gallery {
  /** Predict again with the current model; testCount = size of the (filtered) test split. */
  refresh(testCount: number, names: (label: number) => string): void;
  showEmpty(message: string): void;
}

const GRID = 24;

/** Calls `work` with at most one call in flight; a request during a call runs once after it. */
export function singleFlight(work: () => Promise<void>): () => void {
  let running = false;
  let again = false;
  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await work();
      } while (again);
    } finally {
      running = false;
    }
  };
  return () => void run();
}

export function mountPredictionGallery(container: HTMLElement, api: GalleryApi, cache: SampleCache): Gallery {
  const grid = h('div', { class: 'tile-grid', role: 'list', 'aria-label': 'Predictions on test images' });
  const pool = cache.pool();
  const note = h('p', { class: 'panel-note' }, 'Train or load a model to see its predictions.');
  let offset = 0;
  let testCount = 0;
  let names: (l: number) => string = String;
  const shuffle = button(
    'Other images',
    () => {
      offset = Math.floor(Math.random() * 1_000_000);
      refresh();
    },
    { class: 'small' },
  );
  shuffle.hidden = true;
  container.append(h('div', { class: 'panel-tools' }, note, shuffle), grid);

  const screen = onScreen(container);
  const fetchAndShow = singleFlight(async () => {
    if (testCount <= 0) return;
    const n = Math.min(GRID, testCount);
    const stride = Math.max(1, Math.floor(testCount / n));
    const indices = Array.from({ length: n }, (_, k) => (offset + k * stride) % testCount);
    try {
      const [pred, imgs] = await Promise.all([api.predictTestSet(indices), cache.get(indices)]);
      const classes = pred.probabilities.length / Math.max(1, pred.indices.length);
      let wrong = 0;
      const tiles: HTMLElement[] = [];
      for (let k = 0; k < pred.indices.length; k++) {
        const idx = pred.indices[k]!;
        const probs = pred.probabilities.subarray(k * classes, (k + 1) * classes);
        const confidence = Math.max(...probs);
        if (pred.predicted[k] !== pred.labels[k]) wrong++;
        tiles.push(
          predictionTile(
            imgs.image(idx),
            imgs.rows,
            imgs.cols,
            {
              index: idx,
              label: names(pred.labels[k]!),
              predicted: names(pred.predicted[k]!),
              confidence,
            },
            pool,
          ),
        );
      }
      grid.replaceChildren(...tiles);
      note.textContent = `${pred.indices.length - wrong} of ${pred.indices.length} right; mistakes are marked ✗.`;
    } catch (err) {
      note.textContent = `Could not predict: ${(err as Error).message}`;
    }
  });
  // Predicting asks the training worker: only for a gallery someone can see.
  const refresh = () => screen.run(fetchAndShow);

  return {
    refresh(count, n) {
      testCount = count;
      names = n;
      shuffle.hidden = count <= 0;
      refresh();
    },
    showEmpty(message) {
      screen.cancel();
      testCount = 0;
      shuffle.hidden = true;
      clear(grid);
      note.textContent = message;
    },
  };
}

export function mountMistakesGallery(container: HTMLElement, api: GalleryApi, cache: SampleCache): Gallery {
  const grid = h('div', { class: 'tile-grid', role: 'list', 'aria-label': 'Most confident mistakes' });
  const pool = cache.pool();
  const note = h('p', { class: 'panel-note' }, 'The test images the model is most confidently wrong about.');
  container.append(note, grid);
  let names: (l: number) => string = String;
  let active = false;
  const screen = onScreen(container);
  const fetchAndShow = singleFlight(async () => {
    if (!active) return;
    try {
      const mistakes = await api.worstMistakes(12);
      if (mistakes.length === 0) {
        grid.replaceChildren();
        note.textContent = 'No mistakes on the test set. Impressive.';
        return;
      }
      const imgs = await cache.get(mistakes.map((m) => m.index));
      grid.replaceChildren(
        ...mistakes.map((m) =>
          predictionTile(
            imgs.image(m.index),
            imgs.rows,
            imgs.cols,
            {
              index: m.index,
              label: names(m.label),
              predicted: names(m.predicted),
              confidence: m.confidence,
            },
            pool,
          ),
        ),
      );
      note.textContent = 'The test images the model is most confidently wrong about (its confidence in brackets).';
    } catch (err) {
      note.textContent = `Could not find mistakes: ${(err as Error).message}`;
    }
  });
  const refresh = () => screen.run(fetchAndShow);
  return {
    refresh(_count, n) {
      names = n;
      active = true;
      refresh();
    },
    showEmpty(message) {
      screen.cancel();
      active = false;
      clear(grid);
      note.textContent = message;
    },
  };
}
