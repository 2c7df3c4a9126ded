// The page-side client (web/src/worker/client.ts) against fake workers in this process: it
// forwards calls through Comlink, wraps callbacks, and when a worker crashes (a wasm trap
// coming back from a call, or the worker's 'error' event) it starts a new one, gives it the
// data set, the model config and the last model again, tells the page, and rejects the failed
// call with a WorkerRestartedError. The real worker is exercised by worker-session.test.ts.
import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { createTrainer } from '../../web/src/worker/client';
import type { DatasetSpec, EpochStats, ModelConfig } from '../../web/src/worker/protocol';

interface Log {
  calls: string[];
  crashPredict: boolean;
  hangTrain: boolean;
}

/** The worker side: enough of TrainerApi for the client's bookkeeping. */
function fakeApi(log: Log) {
  return {
    init: async () => (log.calls.push('init'), { variant: 'simd', threads: 1, maxThreads: 1 }),
    loadDataset: async (spec: DatasetSpec) => (log.calls.push(`loadDataset:${spec.kind}`), { name: 'x' }),
    build: async (c: ModelConfig) => (log.calls.push(`build:${c.description}`), { summary: {} }),
    load: async (bytes: Uint8Array) => (log.calls.push(`load:${Array.from(bytes).join(',')}`), { summary: {} }),
    save: async () => (log.calls.push('save'), new Uint8Array([7, 7, 7])),
    predict: async () => {
      log.calls.push('predict');
      if (log.crashPredict) {
        const e = new Error('unreachable executed');
        e.name = 'RuntimeError';
        throw e;
      }
      return { probabilities: new Float32Array(10), label: 3, classLabels: [] };
    },
    validate: async (d: string) => {
      const e = new Error(`layer 1 '${d}': bad`);
      e.name = 'DescriptionError';
      throw e;
    },
    train: async (_o: unknown, onProgress: (p: unknown) => void, onEpoch: (e: EpochStats) => void) => {
      log.calls.push('train');
      if (log.hangTrain) return new Promise(() => undefined);
      await onProgress({ loss: 1 });
      await onEpoch({ epoch: 0 } as EpochStats);
      return { reason: 'done', epoch: 1, step: 10 };
    },
  };
}

class FakeWorker extends EventTarget {
  static made: FakeWorker[] = [];
  static plan: Partial<Log>[] = [];
  readonly log: Log;
  private readonly port: MessagePort;
  terminated = false;
  constructor() {
    super();
    this.log = { calls: [], crashPredict: false, hangTrain: false, ...FakeWorker.plan.shift() };
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    Comlink.expose(fakeApi(this.log), port2);
    FakeWorker.made.push(this);
  }
  postMessage(message: unknown, transfer?: Transferable[]) {
    this.port.postMessage(message, transfer ?? []);
  }
  override addEventListener(type: string, fn: EventListenerOrEventListenerObject | null) {
    if (type === 'message') {
      this.port.addEventListener('message', fn as EventListener);
      this.port.start();
    } else super.addEventListener(type, fn);
  }
  override removeEventListener(type: string, fn: EventListenerOrEventListenerObject | null) {
    if (type === 'message') this.port.removeEventListener('message', fn as EventListener);
    else super.removeEventListener(type, fn);
  }
  terminate() {
    this.terminated = true;
    this.port.close();
  }
}
(globalThis as { Worker?: unknown }).Worker = FakeWorker;

afterEach(() => {
  FakeWorker.made = [];
  FakeWorker.plan = [];
});

const config: ModelConfig = { description: 'lenet', seed: 1, optimizer: 'adam', learningRate: 0.001, batchSize: 64 };
const spec: DatasetSpec = { kind: 'bundled' };

describe('worker client', () => {
  it('forwards calls and callbacks; engine errors pass through unchanged', async () => {
    const client = createTrainer();
    expect((await client.init()).variant).toBe('simd');
    const progress: unknown[] = [];
    const epochs: EpochStats[] = [];
    const result = await client.train(
      { epochs: 1 },
      (p) => progress.push(p),
      (e) => epochs.push(e),
    );
    expect(result.reason).toBe('done');
    expect(progress).toEqual([{ loss: 1 }]);
    expect(epochs).toEqual([{ epoch: 0 }]);
    const e = await client.validate('conv 3y3').catch((x: Error) => x);
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).name).toBe('DescriptionError');
    expect(FakeWorker.made.length).toBe(1); // not a crash: no restart
    client.terminate();
  });

  it('restarts after a wasm trap and re-sends data, model config and the last model', async () => {
    FakeWorker.plan = [{ crashPredict: true }];
    const restarts: string[] = [];
    const client = createTrainer({ onRestart: (why) => restarts.push(why) });
    await client.init();
    await client.loadDataset(spec);
    await client.build(config);
    await client.train(
      { epochs: 1 },
      () => undefined,
      () => undefined,
    ); // epoch end -> saved
    await new Promise((r) => setTimeout(r, 20));
    const e = (await client.predict(new Float32Array(784)).catch((x: Error) => x)) as Error;
    expect(e.name).toBe('WorkerRestartedError');
    expect(e.message).toMatch(/unreachable/);
    expect(e.message).toMatch(/last saved model/);
    expect(restarts).toEqual(['unreachable executed']);
    const [dead, fresh] = FakeWorker.made;
    expect(dead.terminated).toBe(true);
    expect(fresh.log.calls).toEqual(['init', 'loadDataset:bundled', 'build:lenet', 'load:7,7,7']);
    // The new worker answers.
    expect((await client.predict(new Float32Array(784))).label).toBe(3);
    client.terminate();
  });

  it("a worker 'error' event fails the pending call and restarts", async () => {
    FakeWorker.plan = [{ hangTrain: true }];
    const restarts: string[] = [];
    const client = createTrainer({ onRestart: (why) => restarts.push(why) });
    await client.loadDataset(spec);
    const training = client
      .train(
        { epochs: 1 },
        () => undefined,
        () => undefined,
      )
      .catch((x: Error) => x);
    await new Promise((r) => setTimeout(r, 20));
    FakeWorker.made[0].dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message: 'out of memory' }));
    const e = (await training) as Error;
    expect(e.name).toBe('WorkerRestartedError');
    expect(restarts).toEqual(['out of memory']);
    expect(FakeWorker.made[1].log.calls).toEqual(['init', 'loadDataset:bundled']);
    client.terminate();
  });
});
