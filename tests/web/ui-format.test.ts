// The UI's pure helpers: colours, number formatting, single-flight refresh.
import { describe, expect, it } from 'vitest';
import { formatDuration, formatLoss, formatNumber, formatPercent } from '../../web/src/ui/dom';
import { singleFlight } from '../../web/src/ui/gallery';
import { OKABE_ITO, SERIES_COLORS, textOn, viridis } from '../../web/src/ui/palette';

describe('palette', () => {
  it('viridis runs from dark purple to yellow and clamps', () => {
    expect(viridis(0)).toEqual([68, 1, 84]);
    expect(viridis(1)).toEqual([253, 231, 37]);
    expect(viridis(-3)).toEqual(viridis(0));
    expect(viridis(7)).toEqual(viridis(1));
    expect(viridis(NaN)).toEqual(viridis(0));
  });

  it('viridis gets lighter monotonically (readable in greyscale)', () => {
    const lum = (t: number) => {
      const [r, g, b] = viridis(t);
      return 0.299 * r + 0.587 * g + 0.114 * b;
    };
    for (let t = 0; t < 1; t += 0.05) expect(lum(t + 0.05)).toBeGreaterThan(lum(t));
  });

  it('picks readable text colours', () => {
    expect(textOn(viridis(0))).toBe('#fff');
    expect(textOn(viridis(1))).toBe('#111');
  });

  it('overlays runs in Okabe-Ito colours, all distinct', () => {
    expect(SERIES_COLORS[0]).toBe(OKABE_ITO.blue);
    expect(new Set(SERIES_COLORS).size).toBe(SERIES_COLORS.length);
  });
});

describe('formatting', () => {
  it('durations', () => {
    expect(formatDuration(0.42)).toBe('0.4 s');
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(125)).toBe('2 min 05 s');
    expect(formatDuration(3 * 3600 + 60)).toBe('3 h 01 min');
    expect(formatDuration(NaN)).toBe('—');
  });
  it('numbers, percentages and losses', () => {
    expect(formatNumber(5994)).toBe('5,994');
    expect(formatNumber(109_386)).toBe('109.4 k');
    expect(formatNumber(2_500_000)).toBe('2.50 M');
    expect(formatPercent(0.9747, 2)).toBe('97.47%');
    expect(formatPercent(null)).toBe('—');
    expect(formatLoss(0.1234567)).toBe('0.1235');
    expect(formatLoss(2.19e38)).toBe('2.19e+38');
    expect(formatLoss(NaN)).toBe('NaN');
    expect(formatLoss(Infinity)).toBe('∞');
  });
});

describe('singleFlight', () => {
  it('runs at most one call at a time and one more for requests made meanwhile', async () => {
    let running = 0;
    let maxRunning = 0;
    let calls = 0;
    let release: () => void = () => {};
    const fire = singleFlight(async () => {
      calls++;
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise<void>((r) => (release = r));
      running--;
    });
    fire();
    fire();
    fire();
    await Promise.resolve();
    expect(calls).toBe(1);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toBe(2);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toBe(2);
    expect(maxRunning).toBe(1);
  });
});
