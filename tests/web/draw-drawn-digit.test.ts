// The drawn-digit observable shared by the draw panel and "Inside the network".
import { describe, expect, it } from 'vitest';
import { drawnDigit, onDrawnDigit, setDrawnDigit } from '../../web/src/draw/drawn-digit';

describe('drawn digit', () => {
  it('keeps the last digit and tells every listener until it unsubscribes', () => {
    const seenA: Array<Float32Array | null> = [];
    const seenB: Array<Float32Array | null> = [];
    const stopA = onDrawnDigit((p) => seenA.push(p));
    const stopB = onDrawnDigit((p) => seenB.push(p));
    const first = new Float32Array(784).fill(0.5);
    setDrawnDigit(first);
    expect(drawnDigit()).toBe(first);
    stopA();
    setDrawnDigit(null);
    expect(drawnDigit()).toBeNull();
    expect(seenA).toEqual([first]);
    expect(seenB).toEqual([first, null]);
    stopB();
    setDrawnDigit(first);
    expect(seenB).toEqual([first, null]);
    setDrawnDigit(null);
  });
});
