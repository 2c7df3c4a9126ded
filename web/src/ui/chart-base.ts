// Shared uPlot plumbing: responsive width, animation-frame throttled updates, theme colours.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** Calls `draw` at most once per animation frame after `schedule()`. */
export function frameThrottle(draw: () => void): () => void {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      draw();
    });
  };
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

export { uPlot };
