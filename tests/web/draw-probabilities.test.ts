// The probability read-out of the draw panel (web/src/draw/probabilities.ts): the bars, the
// percentages and the sentence announced, with the boundaries of each.
import { describe, expect, it } from 'vitest';
import { announcement, classBars, formatPercent } from '../../web/src/draw/probabilities';

describe('probability read-out', () => {
  it('formats percentages', () => {
    expect(formatPercent(0.934)).toBe('93%');
    expect(formatPercent(0.001)).toBe('<1%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(NaN)).toBe('–');
  });

  it('marks the top class, labels two-class models with their digits, and announces it', () => {
    const bars = classBars([0.2, 0.8], [3, 8]);
    expect(bars.map((b) => [b.label, b.top])).toEqual([
      [3, false],
      [8, true],
    ]);
    expect(announcement(bars)).toBe('The network reads 8 (80% sure, next 3 at 20%).');
    const p = new Float32Array(10);
    p[7] = 0.97;
    p[1] = 0.03;
    expect(announcement(classBars(p, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]))).toBe('The network reads 7 (97% sure).');
  });
});

describe('probability read-out boundaries', () => {
  it('formatPercent: below 1% but not 0 reads "<1%", else rounded', () => {
    expect(formatPercent(0.01)).toBe('1%');
    expect(formatPercent(0.0099)).toBe('<1%');
    expect(formatPercent(0.995)).toBe('100%');
    expect(formatPercent(0.994)).toBe('99%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(Infinity)).toBe('–');
  });

  it('classBars: first of equal maxima is top; labels fall back to the index', () => {
    const bars = classBars([0.4, 0.4, 0.2], []);
    expect(bars).toEqual([
      { label: 0, probability: 0.4, percent: '40%', top: true },
      { label: 1, probability: 0.4, percent: '40%', top: false },
      { label: 2, probability: 0.2, percent: '20%', top: false },
    ]);
    expect(classBars([], [])).toEqual([]);
    expect(classBars([NaN, NaN], [3, 8]).some((b) => b.top)).toBe(false);
  });

  it('announcement: names the runner-up from 10% on, the larger of the rest', () => {
    expect(announcement([])).toBe('No prediction.');
    expect(announcement(classBars([0.5, 0.2, 0.3], [0, 1, 2]))).toBe('The network reads 0 (50% sure, next 2 at 30%).');
    expect(announcement(classBars([0.9, 0.1], [4, 9]))).toBe('The network reads 4 (90% sure, next 9 at 10%).');
    expect(announcement(classBars([0.91, 0.09], [4, 9]))).toBe('The network reads 4 (91% sure).');
    expect(announcement(classBars([1], [7]))).toBe('The network reads 7 (100% sure).');
  });
});
