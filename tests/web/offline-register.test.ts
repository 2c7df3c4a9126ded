// When the service worker registers (web/src/offline.ts): after the first screen and a few
// quiet seconds, and never while training runs, since its install stores every precached file
// and takes CPU from the training threads.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('virtual:pwa-register', () => ({ registerSW: vi.fn() }));
const { whenQuiet, QUIET_MS } = await import('../../web/src/offline');

/** A first screen that settles when the test says. */
function screen() {
  let show!: () => void;
  const shown = new Promise<void>((resolve) => (show = resolve));
  return { shown, show };
}

describe('whenQuiet', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('registers once, QUIET_MS after the first screen is shown', async () => {
    const register = vi.fn();
    const { shown, show } = screen();
    const phase = whenQuiet(shown, register);
    phase('ready');
    await vi.advanceTimersByTimeAsync(2 * QUIET_MS);
    expect(register, 'before the first screen').not.toHaveBeenCalled();
    show();
    await vi.advanceTimersByTimeAsync(QUIET_MS - 1);
    expect(register, 'before the quiet time has passed').not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(register).toHaveBeenCalledTimes(1);
    phase('running');
    phase('ready');
    await vi.advanceTimersByTimeAsync(2 * QUIET_MS);
    expect(register, 'a second time').toHaveBeenCalledTimes(1);
  });

  it('a run started at once defers it until QUIET_MS after the run ends or pauses', async () => {
    const register = vi.fn();
    const { shown, show } = screen();
    const phase = whenQuiet(shown, register);
    show();
    await vi.advanceTimersByTimeAsync(QUIET_MS / 2);
    phase('building'); // the model Train asked for
    await vi.advanceTimersByTimeAsync(2 * QUIET_MS);
    expect(register, 'while the model builds').not.toHaveBeenCalled();
    phase('running');
    await vi.advanceTimersByTimeAsync(10 * QUIET_MS);
    expect(register, 'while training runs').not.toHaveBeenCalled();
    phase('paused');
    await vi.advanceTimersByTimeAsync(QUIET_MS / 2);
    phase('running'); // resumed before the quiet time passed
    phase('stepping');
    await vi.advanceTimersByTimeAsync(10 * QUIET_MS);
    expect(register, 'while training runs again').not.toHaveBeenCalled();
    phase('stopping');
    phase('ready');
    await vi.advanceTimersByTimeAsync(QUIET_MS);
    expect(register).toHaveBeenCalledTimes(1);
  });

  it('phases where nothing trains or builds do not postpone it', async () => {
    const register = vi.fn();
    const { shown, show } = screen();
    const phase = whenQuiet(shown, register);
    show();
    await vi.advanceTimersByTimeAsync(QUIET_MS / 2);
    phase('no-data');
    phase('ready');
    await vi.advanceTimersByTimeAsync(QUIET_MS / 2);
    expect(register).toHaveBeenCalledTimes(1);
  });

  it('registers even when the first screen fails', async () => {
    const register = vi.fn();
    whenQuiet(Promise.reject(new Error('no first screen')), register);
    await vi.advanceTimersByTimeAsync(QUIET_MS);
    expect(register).toHaveBeenCalledTimes(1);
  });
});
