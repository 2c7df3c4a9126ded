// "Reproduce the report": one button that trains the report's three programs in turn (see
// state/report.ts), then shows the report's comparison: their loss curves together in Compare
// runs, and a table of final loss, test accuracy, a few predictions and training time per
// program beside what the report found. `?reportEpochs=N` caps every program at N epochs (a
// quick look; the browser test).
import { reproduceReport, type ReportDriver, type ReportRow } from '../state/report';
import type { TrainConfig } from '../state/config';
import { button, clear, formatDuration, formatLoss, formatPercent, h } from './dom';

export interface ReportPanel {
  /** Enables the button when the page can train. */
  setReady(ready: boolean): void;
}

export interface ReportHost extends ReportDriver {
  config(): TrainConfig;
  /** Ticks exactly these runs in Compare runs and scrolls there. */
  compare(ids: string[]): Promise<void>;
  error(err: unknown): void;
}

/** The epoch cap from the page's link, if any. */
export function reportEpochsFrom(search: string): number | undefined {
  const n = Number(new URLSearchParams(search).get('reportEpochs'));
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}

export function mountReportPanel(container: HTMLElement, host: ReportHost): ReportPanel {
  const maxEpochs = reportEpochsFrom(location.search);
  let running = false;
  let ready = false;
  const status = h(
    'p',
    { class: 'panel-note', role: 'status', 'aria-live': 'polite' },
    'Trains the report’s three programs one after another (mlp-mse, cnn-binary, cnn-full) with their settings' +
      `${maxEpochs ? `, at most ${maxEpochs} epoch${maxEpochs === 1 ? '' : 's'} each` : ''}, then compares them as the report did.`,
  );
  const table = h('table', { class: 'compare-table report-table' });
  const wrap = h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'The report reproduced' }, table);
  wrap.hidden = true;
  const go = button('Reproduce the report', () => void run());
  container.append(h('div', { class: 'panel-tools' }, status, h('span', { class: 'button-row' }, go)), wrap);

  const update = () => (go.disabled = running || !ready);

  async function run(): Promise<void> {
    if (running) return;
    running = true;
    update();
    try {
      const rows = await reproduceReport({ ...host, status: (t) => (status.textContent = t) }, host.config(), maxEpochs);
      show(rows);
      status.textContent =
        rows.length === 3
          ? 'Done: the three loss curves are together under Compare runs; the table compares them with the report.'
          : `Stopped after ${rows.length} of 3 programs.`;
      if (rows.length) await host.compare(rows.map((r) => r.run.id));
    } catch (err) {
      status.textContent = `Could not reproduce the report: ${(err as Error).message}`;
      host.error(err);
    } finally {
      running = false;
      update();
    }
  }

  function show(rows: ReportRow[]): void {
    clear(table);
    wrap.hidden = rows.length === 0;
    table.append(
      h('caption', {}, 'The report’s comparison (its Figure 2), reproduced here'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Program', 'Final loss', 'Test accuracy', 'Predictions', 'Training time', 'The report found'].map((t) =>
            h('th', { scope: 'col' }, t),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...rows.map((r) =>
          h(
            'tr',
            {},
            h(
              'th',
              { scope: 'row' },
              r.program,
              h('br'),
              h('code', {}, r.preset),
              h('small', {}, ` ${r.run.epochs.length} ep · ${r.run.config.optimizer} ${r.run.config.learningRate}`),
            ),
            h('td', { class: 'num' }, formatLoss(r.run.finalTrainLoss)),
            h('td', { class: 'num' }, formatPercent(r.run.finalTestAccuracy, 1)),
            h(
              'td',
              {},
              ...r.examples.map((e) =>
                h('div', { class: e.predicted === e.label ? 'ok' : 'wrong' }, `pred: ${e.predicted}, true: ${e.label}`),
              ),
            ),
            h('td', { class: 'num' }, formatDuration(r.run.trainingMs / 1000)),
            h('td', { class: 'report-found' }, r.found),
          ),
        ),
      ),
    );
  }

  return {
    setReady(next) {
      ready = next;
      update();
    },
  };
}
