// Shared uPlot plumbing: responsive width, animation-frame throttled updates, theme colours.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { onScreen } from './on-screen';

/** Calls `draw` at most once per animation frame after `schedule()`; with `el`, only while
 * `el` is on screen (once more when it comes back into view). */
export function frameThrottle(draw: () => void, el?: Element): () => void {
  let pending = false;
  const screen = el ? onScreen(el) : null;
  const frame = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      draw();
    });
  };
  return screen ? () => screen.run(frame) : frame;
}

export function axisColors(): { stroke: string; grid: string } {
  const dark = window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
  return dark ? { stroke: '#c9d1d9', grid: 'rgba(255,255,255,0.08)' } : { stroke: '#3a4250', grid: 'rgba(0,0,0,0.07)' };
}

/** Creates a chart that follows its container's width. */
export function responsiveChart(
  container: HTMLElement,
  height: number,
  makeOpts: (width: number) => uPlot.Options,
  data: uPlot.AlignedData,
): { chart: () => uPlot; rebuild: (data: uPlot.AlignedData) => void } {
  const width = () => Math.max(240, Math.floor(container.clientWidth));
  let chart = new uPlot({ ...makeOpts(width()), height }, data, container);
  let lastWidth = width();
  new ResizeObserver(() => {
    const w = width();
    if (w !== lastWidth) {
      lastWidth = w;
      chart.setSize({ width: w, height });
    }
  }).observe(container);
  return {
    chart: () => chart,
    rebuild(next) {
      chart.destroy();
      chart = new uPlot({ ...makeOpts(width()), height }, next, container);
    },
  };
}

/** A tick label short enough for any loss: 0.25, 1.5, 120, 12k, 3.4e+6, 1e-4. */
export function tickLabel(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1).replace('.0e', 'e');
  if (a >= 1e4) return `${Number((v / 1e3).toPrecision(3))}k`;
  return String(Number(v.toPrecision(4)));
}

const TICK_FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
let measurer: CanvasRenderingContext2D | null = null;
function textWidth(text: string): number {
  measurer ??= document.createElement('canvas').getContext('2d');
  if (!measurer) return text.length * 7;
  measurer.font = TICK_FONT;
  return measurer.measureText(text).width;
}

/**
 * A y axis whose width follows its widest tick label (a fixed width cut the first digits off
 * "100,000" after a loss spike), with room for its title beside the labels when it has one.
 */
export function valueAxis(stroke: string, grid: string, label?: string, side?: 1): uPlot.Axis {
  return {
    stroke,
    grid: { stroke: grid },
    ...(side ? { side, grid: { show: false } } : {}),
    label,
    labelSize: label ? 18 : 0,
    labelGap: 0,
    gap: 5,
    values: (_u, ticks) => ticks.map(tickLabel),
    size: (_u, values) => {
      const widest = Math.max(0, ...(values ?? []).map((t) => textWidth(String(t))));
      // tick marks (10) + gap (5) + the widest label + a margin at the edge (6)
      return Math.ceil(widest) + 21 + (label ? 20 : 0);
    },
  };
}

export { uPlot };
