// The live loss chart (every batch, raw and smoothed, with the learning rate each batch trained
// at on its own axis) and the per-epoch chart (train and test loss, test accuracy). Data arrive up to 4 times a second; the charts redraw once per frame.
import type { RunRecord } from '../state/runs';
import type { EpochStats } from '../worker/protocol';
import { axisColors, frameThrottle, responsiveChart, valueAxis, type uPlot } from './chart-base';
import { h, uid } from './dom';
import { OKABE_ITO } from './palette';

export interface Charts {
  /** Losses of consecutive batches from `firstStep`; `learningRate`: the rate they trained at. */
  addLosses(firstStep: number, losses: ArrayLike<number>, learningRate?: number): void;
  addEpoch(e: EpochStats): void;
  /** Shows the stored curves of a model's runs (oldest first): the smoothed loss and the
   * epoch results, as they were when it trained. */
  showRuns(runs: readonly RunRecord[]): void;
  clear(): void;
}

/** Same smoothing as the run store's curves (state/session.ts smooth()). */
const SMOOTH_ALPHA = 0.05;

export function mountCharts(container: HTMLElement): Charts {
  const lossBox = h('div', { class: 'chart', role: 'img', 'aria-label': 'Training loss for every batch' });
  const epochBox = h('div', { class: 'chart', role: 'img', 'aria-label': 'Loss and accuracy after each epoch' });
  const logInput = h('input', { type: 'checkbox', id: uid('log') });
  const summary = h('p', { class: 'chart-summary', 'aria-live': 'polite' }, 'Press Train and the curves start moving.');
  const lrNow = h('span', { class: 'legend-note lr-now' });
  container.append(
    h(
      'div',
      { class: 'chart-pair' },
      h(
        'figure',
        { class: 'chart-figure' },
        h(
          'figcaption',
          {},
          'Loss per batch ',
          h('span', { class: 'legend-note' }, '(thin: each batch, thick: smoothed)'),
          h('span', { class: 'chart-option' }, logInput, h('label', { for: logInput.id }, 'log scale')),
          lrNow,
        ),
        lossBox,
      ),
      h('figure', { class: 'chart-figure' }, h('figcaption', {}, 'After each epoch'), epochBox),
    ),
    summary,
  );

  // Per-batch data; smoothed values are kept incrementally (same EMA as session.smooth).
  const steps: number[] = [];
  const raw: number[] = [];
  const smoothed: number[] = [];
  const rates: number[] = [];
  let ema = 0;
  let emaWeight = 0;
  const epochs: number[] = [];
  const trainLoss: number[] = [];
  const testLoss: number[] = [];
  const testAcc: number[] = [];

  const colors = axisColors();
  const lossOpts = (width: number): uPlot.Options => ({
    width,
    height: 240,
    scales: { x: { time: false }, y: logInput.checked ? { distr: 3 } : {} },
    legend: { live: true },
    cursor: { drag: { x: true, y: false } },
    series: [
      { label: 'batch' },
      { label: 'loss', stroke: 'rgba(86, 180, 233, 0.4)', width: 1, value: (_u, v) => fmt(v) },
      { label: 'smoothed', stroke: OKABE_ITO.blue, width: 2.5, value: (_u, v) => fmt(v) },
      { label: 'learning rate', stroke: OKABE_ITO.vermillion, width: 1.5, dash: [4, 3], scale: 'lr', value: (_u, v) => fmtRate(v) },
    ],
    axes: [
      { stroke: colors.stroke, grid: { stroke: colors.grid }, label: 'batch' },
      valueAxis(colors.stroke, colors.grid),
      {
        stroke: colors.stroke,
        grid: { show: false },
        scale: 'lr',
        side: 1,
        size: 56,
        label: 'learning rate',
        values: (_u, ticks) => ticks.map((t) => fmtRate(t)),
      },
    ],
  });
  const epochOpts = (width: number): uPlot.Options => ({
    width,
    height: 240,
    // Accuracy zooms to where it is (90..100 late in training) so small gains show.
    scales: { x: { time: false }, acc: { range: (_u, min) => [Math.max(0, Math.floor((min ?? 0) / 5) * 5 - 5), 100] } },
    series: [
      { label: 'epoch' },
      { label: 'train loss', stroke: OKABE_ITO.blue, width: 2, points: { size: 7 }, value: (_u, v) => fmt(v) },
      { label: 'test loss', stroke: OKABE_ITO.orange, width: 2, dash: [6, 4], points: { size: 7 }, value: (_u, v) => fmt(v) },
      {
        label: 'test accuracy',
        stroke: OKABE_ITO.green,
        width: 2.5,
        scale: 'acc',
        points: { size: 8 },
        value: (_u, v) => (v == null ? '—' : `${v.toFixed(2)}%`),
      },
    ],
    axes: [
      { stroke: colors.stroke, grid: { stroke: colors.grid }, label: 'epoch', incrs: [1, 2, 5, 10, 20, 50] },
      valueAxis(colors.stroke, colors.grid, 'loss'),
      {
        stroke: colors.stroke,
        grid: { show: false },
        scale: 'acc',
        side: 1,
        size: 50,
        label: 'accuracy %',
        values: (_u, ticks) => ticks.map((t) => `${t}`),
      },
    ],
  });

  const lossChart = responsiveChart(lossBox, 240, lossOpts, [[], [], [], []]);
  const epochChart = responsiveChart(epochBox, 240, epochOpts, [[], [], [], []]);
  const lossData = (): uPlot.AlignedData => [steps, raw, smoothed, rates];
  logInput.addEventListener('change', () => lossChart.rebuild(lossData()));

  const redrawLoss = frameThrottle(() => {
    lossBox.classList.toggle('empty', steps.length === 0);
    lossChart.chart().setData(lossData());
  }, lossBox);
  const redrawEpochs = frameThrottle(() => {
    epochBox.classList.toggle('empty', epochs.length === 0);
    epochChart.chart().setData([epochs, trainLoss, testLoss, testAcc]);
  }, epochBox);
  lossBox.classList.add('empty');
  epochBox.classList.add('empty');
  lossBox.dataset.empty = 'The loss of every batch appears here as training runs.';
  epochBox.dataset.empty = 'Test loss and accuracy appear here after each epoch.';

  return {
    addLosses(firstStep, losses, learningRate) {
      const rate = learningRate ?? NaN;
      if (learningRate !== undefined) lrNow.textContent = `learning rate now ${fmtRate(learningRate)}`;
      for (let i = 0; i < losses.length; i++) {
        rates.push(rate);
        const v = losses[i]!;
        steps.push(firstStep + i);
        raw.push(Number.isFinite(v) ? v : NaN);
        if (Number.isFinite(v)) {
          ema = (1 - SMOOTH_ALPHA) * ema + SMOOTH_ALPHA * v;
          emaWeight = (1 - SMOOTH_ALPHA) * emaWeight + SMOOTH_ALPHA;
        }
        smoothed.push(emaWeight > 0 ? ema / emaWeight : NaN);
      }
      redrawLoss();
    },
    addEpoch(e) {
      epochs.push(e.epoch + 1);
      trainLoss.push(e.trainLoss);
      testLoss.push(e.test.loss);
      testAcc.push(e.test.accuracy * 100);
      summary.textContent = `After epoch ${e.epoch + 1}: training loss ${fmt(e.trainLoss)}, test loss ${fmt(e.test.loss)}, test accuracy ${(e.test.accuracy * 100).toFixed(2)}%.`;
      redrawEpochs();
    },
    showRuns(runs) {
      clearData();
      for (const run of runs) {
        // A run keeps its smoothed curve only (downsampled): the raw line stays empty.
        for (const p of run.lossCurve) {
          steps.push(p.step);
          rates.push(NaN);
          raw.push(NaN);
          smoothed.push(p.loss);
        }
        for (const e of run.epochs) {
          epochs.push(e.epoch);
          trainLoss.push(e.trainLoss);
          testLoss.push(e.testLoss);
          testAcc.push(e.testAccuracy * 100);
        }
      }
      const last = runs.at(-1)?.epochs.at(-1);
      summary.textContent = last
        ? `How this model learnt (${runs.length === 1 ? 'its run' : `its ${runs.length} runs`}, as stored): after epoch ${last.epoch}, training loss ${fmt(last.trainLoss)}, test loss ${fmt(last.testLoss)}, test accuracy ${(last.testAccuracy * 100).toFixed(2)}%.`
        : 'How this model learnt (as stored).';
      redrawLoss();
      redrawEpochs();
    },
    clear() {
      clearData();
      summary.textContent = 'New run: fresh weights.';
      redrawLoss();
      redrawEpochs();
    },
  };

  function clearData(): void {
    for (const a of [steps, raw, smoothed, rates, epochs, trainLoss, testLoss, testAcc]) a.length = 0;
    lrNow.textContent = '';
    ema = 0;
    emaWeight = 0;
  }
}

function fmtRate(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : String(Number(v.toPrecision(3)));
}

function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return Math.abs(v) < 0.001 || Math.abs(v) >= 1e5 ? v.toExponential(2) : v.toFixed(4);
}
