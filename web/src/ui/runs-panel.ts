// Compare runs (the report's Figures 1 and 2): the stored runs as a table with checkboxes; the
// checked runs' loss curves overlaid in one chart and their numbers side by side. Runs can be
// renamed, deleted and exported as JSON or CSV.
import { renameRun, runsToCsv, runsToJson, type RunRecord, type RunStore } from '../state/runs';
import { axisColors, frameThrottle, responsiveChart, uPlot, valueAxis } from './chart-base';
import { button, clear, download, formatDuration, formatLoss, formatNumber, formatPercent, h, uid } from './dom';
import { SERIES_COLORS } from './palette';

export interface RunsPanel {
  /** Reads the store again; `newRunId` is ticked for comparison (if there is room). */
  reload(newRunId?: string): Promise<void>;
  /** Compares exactly these runs (e.g. the report's three) and scrolls the chart into view. */
  compare(ids: readonly string[]): Promise<void>;
}

const MAX_COMPARE = SERIES_COLORS.length;

export function mountRunsPanel(container: HTMLElement, store: RunStore, persistent: boolean, onError: (err: unknown) => void): RunsPanel {
  let runs: RunRecord[] = [];
  const selected = new Set<string>();
  let autoSelected = false;

  const note = h(
    'p',
    { class: 'panel-note' },
    persistent
      ? 'Every finished or stopped run is kept in this browser. Tick runs to overlay their loss curves.'
      : 'This browser does not allow storage here: runs are kept until the page closes.',
  );
  const exportJson = button('Export JSON', () => exportRuns('json'), { class: 'small' });
  const exportCsv = button('Export CSV', () => exportRuns('csv'), { class: 'small' });
  const table = h('table', { class: 'runs-table' });
  const tableWrap = h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Stored runs' }, table);
  const chartBox = h('div', { class: 'chart', role: 'img', 'aria-label': 'Smoothed training loss of the selected runs, by epoch' });
  const compareTable = h('table', { class: 'compare-table' });
  const compareWrap = h(
    'div',
    { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Selected runs side by side' },
    compareTable,
  );
  const empty = h('p', { class: 'empty' }, 'No runs yet. Train a model, then train another with different settings to compare them.');
  const logInput = h('input', { type: 'checkbox', id: uid('runs-log'), checked: true });
  logInput.addEventListener('change', () => redraw());
  const compare = h(
    'div',
    { class: 'compare' },
    h(
      'figure',
      { class: 'chart-figure' },
      h(
        'figcaption',
        {},
        'Smoothed training loss, by epoch',
        h('span', { class: 'chart-option' }, logInput, h('label', { for: logInput.id }, 'log scale')),
      ),
      chartBox,
    ),
    compareWrap,
  );
  container.append(
    h('div', { class: 'panel-tools' }, note, h('span', { class: 'button-row' }, exportJson, exportCsv)),
    empty,
    tableWrap,
    compare,
  );

  const colors = axisColors();
  const chartOpts = (width: number): uPlot.Options => {
    const chosen = runs.filter((r) => selected.has(r.id));
    return {
      width,
      height: 260,
      // Log scale: one diverged run no longer flattens the others.
      scales: { x: { time: false }, y: logInput.checked ? { distr: 3 } : {} },
      series: [
        { label: 'epoch', value: (_u, v) => (v == null ? '—' : v.toFixed(2)) },
        ...chosen.map((r, i) => ({
          label: r.name,
          stroke: SERIES_COLORS[i % SERIES_COLORS.length]!,
          width: 2,
          dash: i % 2 === 1 ? [8, 4] : undefined,
          spanGaps: true,
          value: (_u: uPlot, v: number | null) => formatLoss(v),
        })),
      ],
      axes: [{ stroke: colors.stroke, grid: { stroke: colors.grid }, label: 'epoch' }, valueAxis(colors.stroke, colors.grid, 'loss')],
    };
  };
  const chart = responsiveChart(chartBox, 260, chartOpts, [[]]);
  const redraw = frameThrottle(() => chart.rebuild(chartData()));

  function chartData(): uPlot.AlignedData {
    const chosen = runs.filter((r) => selected.has(r.id));
    if (chosen.length === 0) return [[]];
    // x = epochs, so runs with different batch sizes line up.
    const tables = chosen.map((r) => {
      const perEpoch = batchesPerEpoch(r);
      const xs = r.lossCurve.map((p) => Number((p.step / perEpoch).toFixed(4)));
      return [xs, r.lossCurve.map((p) => p.loss)] as uPlot.AlignedData;
    });
    return uPlot.join(tables);
  }

  function exportRuns(kind: 'json' | 'csv'): void {
    const chosen = runs.filter((r) => selected.has(r.id));
    const list = chosen.length > 0 ? chosen : runs;
    if (list.length === 0) return;
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    if (kind === 'json') download(`scratchnet-runs-${stamp}.json`, runsToJson(list), 'application/json');
    else download(`scratchnet-runs-${stamp}.csv`, runsToCsv(list), 'text/csv');
  }

  function render(): void {
    empty.hidden = runs.length > 0;
    tableWrap.hidden = runs.length === 0;
    exportJson.disabled = exportCsv.disabled = runs.length === 0;
    clear(table);
    table.append(
      h('caption', { class: 'visually-hidden' }, 'Stored runs'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Compare')),
          h('th', { scope: 'col' }, 'Run'),
          h('th', { scope: 'col', class: 'num' }, 'Test acc.'),
          h('th', { scope: 'col', class: 'num' }, 'Test loss'),
          h('th', { scope: 'col', class: 'num' }, 'Time'),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')),
        ),
      ),
    );
    const body = h('tbody');
    runs.forEach((r) => {
      const colorIndex = [...runs.filter((x) => selected.has(x.id))].findIndex((x) => x.id === r.id);
      const check = h('input', { type: 'checkbox', 'aria-label': `Compare ${r.name}` });
      check.checked = selected.has(r.id);
      check.addEventListener('change', () => {
        if (check.checked) {
          if (selected.size >= MAX_COMPARE) {
            check.checked = false;
            onError(new Error(`Compare up to ${MAX_COMPARE} runs at a time.`));
            return;
          }
          selected.add(r.id);
        } else selected.delete(r.id);
        render();
        redraw();
      });
      const nameCell = h(
        'td',
        { class: 'run-name' },
        colorIndex >= 0 ? h('span', { class: 'swatch', 'aria-hidden': 'true' }) : null,
        h('span', { class: 'name' }, r.name),
        h(
          'small',
          {},
          `${r.status} · ${new Date(r.startedAt).toLocaleString()} · ${r.dataLabel}${r.continues ? ` · ${continuesText(r)}` : ''}`,
        ),
      );
      const swatch = nameCell.querySelector<HTMLElement>('.swatch');
      if (swatch) swatch.style.background = SERIES_COLORS[colorIndex % SERIES_COLORS.length]!;
      const renameBtn = button('Rename', () => startRename(r, nameCell), { class: 'small', 'aria-label': `Rename ${r.name}` });
      const deleteBtn = button('Delete', () => void remove(r), { class: 'small danger', 'aria-label': `Delete ${r.name}` });
      body.append(
        h(
          'tr',
          {},
          h('td', {}, check),
          nameCell,
          h('td', { class: 'num', 'data-label': 'test acc.' }, formatPercent(r.finalTestAccuracy, 2)),
          h('td', { class: 'num', 'data-label': 'test loss' }, formatLoss(r.finalTestLoss)),
          h('td', { class: 'num', 'data-label': 'time' }, formatDuration(r.trainingMs / 1000)),
          h('td', { class: 'actions' }, renameBtn, deleteBtn),
        ),
      );
    });
    table.append(body);
    renderCompare();
  }

  function renderCompare(): void {
    const chosen = runs.filter((r) => selected.has(r.id));
    clear(compareTable);
    compare.hidden = chosen.length === 0;
    if (chosen.length === 0) {
      compareTable.append(h('caption', {}, 'Tick runs above to compare them here.'));
      return;
    }
    const rows: [string, (r: RunRecord) => string | HTMLElement][] = [
      ['Model', (r) => h('code', {}, r.preset ?? 'custom')],
      ['Description', (r) => h('code', { class: 'wrap' }, r.description)],
      ['Data', (r) => r.dataLabel],
      ['Parameters', (r) => formatNumber(r.params)],
      ['Optimizer', (r) => `${r.config.optimizer}, lr ${r.config.learningRate}`],
      ['Batch size', (r) => String(r.config.batchSize)],
      ['Epochs', (r) => epochsText(r)],
      ['Starting point', (r) => (r.continues ? continuesText(r) : 'fresh weights')],
      ['Augmentation', (r) => (r.config.augment ? 'on' : 'off')],
      ['Seed', (r) => String(r.config.seed)],
      ['Final train loss', (r) => formatLoss(r.finalTrainLoss)],
      ['Final test loss', (r) => formatLoss(r.finalTestLoss)],
      ['Test accuracy', (r) => formatPercent(r.finalTestAccuracy, 2)],
      ['Training time', (r) => formatDuration(r.trainingMs / 1000)],
      ['Samples/s', (r) => formatNumber(Math.round(r.samplesPerSecond))],
      ['Engine', (r) => `${r.variant}, ${r.threads} thread${r.threads === 1 ? '' : 's'}`],
    ];
    const head = h('tr', {}, h('th', { scope: 'col' }, 'Run'));
    chosen.forEach((r, i) => {
      const sw = h('span', { class: 'swatch', 'aria-hidden': 'true' });
      sw.style.background = SERIES_COLORS[i % SERIES_COLORS.length]!;
      head.append(h('th', { scope: 'col' }, sw, r.name));
    });
    const body = h('tbody');
    for (const [label, get] of rows) {
      body.append(h('tr', {}, h('th', { scope: 'row' }, label), ...chosen.map((r) => h('td', {}, get(r)))));
    }
    compareTable.append(h('caption', { class: 'visually-hidden' }, 'Selected runs side by side'), h('thead', {}, head), body);
  }

  function startRename(r: RunRecord, cell: HTMLElement): void {
    const input = h('input', { type: 'text', value: r.name, 'aria-label': 'New name', maxlength: 80 });
    const save = async () => {
      try {
        await renameRun(store, r.id, input.value);
        await reload();
      } catch (err) {
        onError(err);
        input.focus();
      }
    };
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') void save();
      if (e.key === 'Escape') render();
    });
    input.addEventListener('blur', () => void save());
    cell.replaceChildren(input);
    input.focus();
    input.select();
  }

  async function remove(r: RunRecord): Promise<void> {
    if (!window.confirm(`Delete the run "${r.name}"? This cannot be undone.`)) return;
    try {
      await store.delete(r.id);
      selected.delete(r.id);
      await reload();
    } catch (err) {
      onError(err);
    }
  }

  async function reload(): Promise<void> {
    try {
      runs = await store.list();
    } catch (err) {
      onError(err);
      runs = [];
    }
    for (const id of [...selected]) if (!runs.some((r) => r.id === id)) selected.delete(id);
    // Start by comparing the two newest runs, so the view is not empty.
    if (!autoSelected && runs.length > 0) {
      autoSelected = true;
      runs.slice(0, 2).forEach((r) => selected.add(r.id));
    }
    render();
    redraw();
  }

  return {
    async reload(newRunId) {
      if (newRunId && selected.size < MAX_COMPARE) selected.add(newRunId);
      await reload();
    },
    async compare(ids) {
      selected.clear();
      ids.slice(0, MAX_COMPARE).forEach((id) => selected.add(id));
      autoSelected = true;
      await reload();
      compare.scrollIntoView({ block: 'nearest' });
    },
  };
}

function batchesPerEpoch(r: RunRecord): number {
  if (r.batchesPerEpoch && r.batchesPerEpoch > 0) return r.batchesPerEpoch;
  // Older records: the last curve step divided by the epochs done.
  const last = r.lossCurve[r.lossCurve.length - 1]?.step ?? 1;
  return Math.max(1, r.epochs.length > 0 ? last / r.epochs.length : last);
}

/** "3 of 5", or for a continuation "6–8 (3 of 5 more)". */
function epochsText(r: RunRecord): string {
  if (!r.continues) return `${r.epochs.length} of ${r.config.epochs}`;
  const first = r.continues.epoch + 1;
  const last = r.continues.epoch + r.epochs.length;
  const span = r.epochs.length === 0 ? 'none' : first === last ? `${first}` : `${first}–${last}`;
  return `${span} (${r.epochs.length} of ${r.config.epochs} more)`;
}

/** "continues run X after 5 epochs" / "continues model.snmodel". */
function continuesText(r: RunRecord): string {
  const c = r.continues!;
  const from = c.from ? (c.runId ? `“${c.from}”` : c.from) : c.runId ? 'an earlier run' : 'a loaded model';
  return `continues ${from}${c.epoch > 0 ? ` after ${c.epoch} epoch${c.epoch === 1 ? '' : 's'}` : ''}`;
}
