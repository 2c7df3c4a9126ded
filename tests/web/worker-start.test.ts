// start-worker.ts: the page's first worker starts early, once; an error it raises before the
// client listens is kept for the client; after the hand-over only the client listens.
import { beforeEach, describe, expect, it, vi } from 'vitest';

class FakeWorker extends EventTarget {
  static made: FakeWorker[] = [];
  listeners = 0;
  constructor() {
    super();
    FakeWorker.made.push(this);
  }
  override addEventListener(...args: Parameters<EventTarget['addEventListener']>): void {
    this.listeners++;
    super.addEventListener(...args);
  }
  override removeEventListener(...args: Parameters<EventTarget['removeEventListener']>): void {
    this.listeners--;
    super.removeEventListener(...args);
  }
  fail(message: string): void {
    this.dispatchEvent(Object.assign(new Event('error'), { message }));
  }
}

let start: typeof import('../../web/src/worker/start-worker');

beforeEach(async () => {
  FakeWorker.made = [];
  vi.stubGlobal('Worker', FakeWorker);
  vi.resetModules();
  start = await import('../../web/src/worker/start-worker');
});

describe('starting the worker', () => {
  it('starts the first worker once and hands that one over', () => {
    start.startEarly();
    start.startEarly();
    expect(FakeWorker.made.length).toBe(1);
    const { worker, error } = start.takeWorker();
    expect(worker).toBe(FakeWorker.made[0]);
    expect(error).toBeNull();
  });

  it('keeps an error raised before the hand-over (the first one) for the client', () => {
    start.startEarly();
    FakeWorker.made[0]!.fail('script failed to load');
    FakeWorker.made[0]!.fail('a second error');
    const { error } = start.takeWorker();
    expect(error?.message).toBe('script failed to load');
  });

  it('stops listening at the hand-over: the client is then the only listener', () => {
    start.startEarly();
    const { worker } = start.takeWorker();
    expect((worker as unknown as FakeWorker).listeners).toBe(0);
  });

  it('starts a new worker for every later take (a restart)', () => {
    start.startEarly();
    const first = start.takeWorker().worker;
    const second = start.takeWorker().worker;
    expect(second).not.toBe(first);
    expect(FakeWorker.made.length).toBe(2);
    expect((second as unknown as FakeWorker).listeners).toBe(0);
  });
});
