// The confusion matrix as a heat map (viridis, row-normalised so each row shows how a true
// class was predicted), updated after every epoch; each cell is a button that shows its images.
import type { Evaluation, TrainerApi } from '../worker/protocol';
import { clear, h } from './dom';
import { onScreen } from './on-screen';
import { rgb, textOn, viridis } from './palette';
import { predictionTile, type SampleCache } from './tiles';

export type ConfusionApi = Pick<TrainerApi, 'confusionCell'>;

export interface ConfusionView {
  show(e: Evaluation, names: (label: number) => string): void;
  showEmpty(message: string): void;
}

export function mountConfusion(container: HTMLElement, api: ConfusionApi, cache: SampleCache): ConfusionView {
  const note = h('p', { class: 'panel-note' }, 'Rows: the true class. Columns: what the model said. The diagonal is right.');
  const table = h('table', { class: 'confusion' });
  const wrap = h('div', { class: 'table-wrap confusion-wrap' }, table);
  wrap.addEventListener('scroll', () => wrap.classList.toggle('scrolled', wrap.scrollLeft > 0));
  const legend = h(
    'div',
    { class: 'heat-legend', 'aria-hidden': 'true' },
    h('span', {}, '0%'),
    h('span', { class: 'heat-bar' }),
    h('span', {}, '100% of the row (square-root scale)'),
  );
  const detailTitle = h('h3', { class: 'sub', 'aria-live': 'polite' });
  const detail = h('div', { class: 'tile-grid', role: 'list' });
  const pool = cache.pool();
  container.append(note, wrap, legend, detailTitle, detail);
  let names: (l: number) => string = String;
  let selected: [number, number] | null = null;
  let builtKey = '';
  let cells: HTMLButtonElement[] = [];
  let counts: number[] = [];
  const caption = h('caption', { class: 'visually-hidden' });

  function build(labels: number[]): void {
    const k = labels.length;
    clear(table);
    cells = [];
    counts = new Array<number>(k * k).fill(0);
    // Long class names (Fashion-MNIST) go in the row headers, whole; columns then show the
    // numbers before the names.
    const long = labels.some((l) => names(l).length > 2);
    const rowName = (l: number) => (long ? `${l} ${names(l)}` : names(l));
    table.classList.toggle('named', long);
    const head = h('tr', {}, h('th', { scope: 'col', class: 'corner' }, h('span', {}, 'said →'), h('span', {}, 'true ↓')));
    for (const l of labels) head.append(h('th', { scope: 'col', title: names(l), 'aria-label': names(l) }, long ? String(l) : names(l)));
    const body = h('tbody');
    for (let r = 0; r < k; r++) {
      const row = h('tr', {}, h('th', { scope: 'row', title: names(labels[r]!), class: long ? 'long' : '' }, rowName(labels[r]!)));
      for (let c = 0; c < k; c++) {
        // One tab stop for the whole grid (roving tabindex): arrows move, Enter opens.
        const btn = h('button', {
          type: 'button',
          class: `cell${r === c ? ' diag' : ''}`,
          'data-cell': `${labels[r]},${labels[c]}`,
          'aria-pressed': 'false',
          tabindex: r === 0 && c === 0 ? 0 : -1,
        });
        const i = r * k + c;
        btn.addEventListener('click', () => void openCell(labels[r]!, labels[c]!, counts[i]!));
        cells.push(btn);
        row.append(h('td', {}, btn));
      }
      body.append(row);
    }
    table.append(caption, h('thead', {}, head), body);
    table.onkeydown = (e) => moveFocus(e, k);
  }

  function moveFocus(e: KeyboardEvent, k: number): void {
    const from = cells.indexOf(e.target as HTMLButtonElement);
    if (from < 0) return;
    let r = Math.floor(from / k);
    let c = from % k;
    if (e.key === 'ArrowRight') c = Math.min(k - 1, c + 1);
    else if (e.key === 'ArrowLeft') c = Math.max(0, c - 1);
    else if (e.key === 'ArrowDown') r = Math.min(k - 1, r + 1);
    else if (e.key === 'ArrowUp') r = Math.max(0, r - 1);
    else if (e.key === 'Home') c = e.ctrlKey ? ((r = 0), 0) : 0;
    else if (e.key === 'End') c = e.ctrlKey ? ((r = k - 1), k - 1) : k - 1;
    else return;
    e.preventDefault();
    const to = cells[r * k + c]!;
    for (const b of cells) b.tabIndex = b === to ? 0 : -1;
    to.focus();
  }

  async function openCell(label: number, predicted: number, count: number): Promise<void> {
    selected = [label, predicted];
    for (const b of table.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.cell === `${label},${predicted}`));
    detailTitle.textContent = `True ${names(label)}, predicted ${names(predicted)}: ${count} image${count === 1 ? '' : 's'}${count > 24 ? ' (first 24)' : ''}`;
    clear(detail);
    if (count === 0) return;
    try {
      const indices = [...(await api.confusionCell(label, predicted, 24))];
      const imgs = await cache.get(indices);
      detail.replaceChildren(
        ...indices.map((i) =>
          predictionTile(imgs.image(i), imgs.rows, imgs.cols, { index: i, label: names(label), predicted: names(predicted) }, pool),
        ),
      );
    } catch (err) {
      detailTitle.textContent = `Could not fetch those images: ${(err as Error).message}`;
    }
  }

  const screen = onScreen(container);
  return {
    show: (e, n) => screen.run(() => render(e, n)),
    showEmpty(message) {
      screen.cancel();
      clear(table);
      builtKey = '';
      clear(detail);
      detailTitle.textContent = '';
      selected = null;
      note.textContent = message;
    },
  };

  function render(e: Evaluation, n: (label: number) => string): void {
    names = n;
    const k = e.classes;
    const labels = e.classLabels.length === k ? e.classLabels : Array.from({ length: k }, (_, i) => i);
    // The grid is built once per class set and then only recoloured: it updates every few
    // seconds during training, and rebuilding 100 buttons each time would churn the DOM.
    const key = labels.map((l) => `${l}:${names(l)}`).join('|');
    const rebuilt = key !== builtKey;
    if (rebuilt) build(labels);
    builtKey = key;
    caption.textContent = `Confusion matrix on ${e.count} test images, accuracy ${(e.accuracy * 100).toFixed(2)}%`;
    for (let r = 0; r < k; r++) {
      let rowTotal = 0;
      for (let c = 0; c < k; c++) rowTotal += e.confusion[r * k + c]!;
      for (let c = 0; c < k; c++) {
        const count = e.confusion[r * k + c]!;
        const frac = rowTotal > 0 ? count / rowTotal : 0;
        const btn = cells[r * k + c]!;
        // Repaint only the cells whose count changed (the row totals are fixed by the test set).
        if (!rebuilt && counts[r * k + c] === count) continue;
        counts[r * k + c] = count;
        btn.textContent = count > 0 ? String(count) : '';
        btn.setAttribute(
          'aria-label',
          `True ${names(labels[r]!)}, predicted ${names(labels[c]!)}: ${count} images (${Math.round(frac * 100)}% of the row)`,
        );
        // Empty cells stay neutral so the mistakes that exist stand out. Square-root scale:
        // one mistake in a row of 150 is still visibly different from ten.
        btn.classList.toggle('zero', count === 0);
        if (count > 0) {
          const color = viridis(Math.sqrt(frac));
          btn.style.background = rgb(color);
          btn.style.color = textOn(color);
        } else {
          btn.style.background = '';
          btn.style.color = '';
        }
      }
    }
    note.textContent = `${e.count.toLocaleString('en')} test images, ${(e.accuracy * 100).toFixed(2)}% right. Rows: true class; columns: prediction. Click a cell to see its images.`;
    if (selected) {
      const [l, p] = selected;
      const r = labels.indexOf(l);
      const c = labels.indexOf(p);
      if (r >= 0 && c >= 0) void openCell(l, p, e.confusion[r * k + c]!);
    }
  }
}
