// What the probability chart and the screen-reader announcement say. Pure: no DOM.

export interface ClassBar {
  label: number;
  probability: number;
  /** "93%" or "<1%". */
  percent: string;
  top: boolean;
}

export function formatPercent(p: number): string {
  if (!Number.isFinite(p)) return '–';
  const pct = p * 100;
  if (pct > 0 && pct < 1) return '<1%';
  return `${Math.round(pct)}%`;
}

/** One bar per class, labelled with the original data set label; the most probable marked. */
export function classBars(probabilities: ArrayLike<number>, classLabels: readonly number[]): ClassBar[] {
  let best = -1;
  let bestP = -Infinity;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i]!;
    if (p > bestP) {
      bestP = p;
      best = i;
    }
  }
  const bars: ClassBar[] = [];
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i]!;
    bars.push({ label: classLabels[i] ?? i, probability: p, percent: formatPercent(p), top: i === best });
  }
  return bars;
}

/** The sentence announced to screen readers after a stroke. */
export function announcement(bars: readonly (Omit<ClassBar, 'label'> & { label: number | string })[]): string {
  const top = bars.find((b) => b.top);
  if (!top) return 'No prediction.';
  const second = [...bars].filter((b) => !b.top).sort((a, b) => b.probability - a.probability)[0];
  const tail = second && second.probability >= 0.1 ? `, next ${second.label} at ${second.percent}` : '';
  return `The network reads ${top.label} (${top.percent} sure${tail}).`;
}
