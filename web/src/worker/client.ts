// The page's handle on the training worker: every method of the worker's API (worker/api.ts),
// typed from it, through one generic proxy that wraps callbacks for Comlink and, when the worker
// crashes, starts a new one with the same data set and the last model it saw, so the page keeps
// its data.
//
//   const trainer = createTrainer({ onRestart: (why) => showBanner(why) });
//   const { variant, threads } = await trainer.init();
//   await trainer.loadDataset({ kind: 'bundled' });
//   await trainer.build({ description: 'lenet', seed: 1, optimizer: 'adam', learningRate: 1e-3, batchSize: 64 });
//   await trainer.train({ epochs: 3 }, (p) => chart.add(p), (e) => showEpoch(e));
import * as Comlink from 'comlink';
import type { WorkerApi } from './api';
import type { DatasetSpec, ModelConfig, TrainerClientOptions } from './protocol';
import { takeWorker } from './start-worker';

/** The worker's API as the page calls it: each method returns a promise. */
export type TrainerApi = {
  [K in keyof WorkerApi]: WorkerApi[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};
export type Trainer = TrainerApi & { /** Ends the worker (the page is going away). */ terminate(): void };

type Method = keyof WorkerApi;
type AnyFn = (...args: unknown[]) => Promise<unknown>;

function restartedError(reason: string, detail: string): Error {
  const e = new Error(`The engine crashed (${reason}) and was restarted${detail}. Please try again.`);
  e.name = 'WorkerRestartedError';
  return e;
}

/** An error that means the wasm instance is no longer trustworthy (a trap or an abort). */
function isFatal(e: unknown): boolean {
  const name = (e as { name?: string })?.name ?? '';
  const message = (e as { message?: string })?.message ?? '';
  return name === 'RuntimeError' || /^Aborted\(|unreachable|memory access out of bounds/.test(message);
}

interface Instance {
  worker: Worker;
  remote: Comlink.Remote<WorkerApi>;
  /** Rejects when the worker dies (uncaught error / failed to load). */
  dead: Promise<never>;
}

/** What a restarted worker is given again: the data set, the model and its settings. */
class Restorable {
  dataset: DatasetSpec | null = null;
  config: ModelConfig | null = null;
  model: Uint8Array | null = null;
  modelConfig: Partial<ModelConfig> | undefined;

  /** After a call succeeded: remember what a restart needs. */
  note(method: Method, args: unknown[], result: unknown, sentModel: Uint8Array | null): void {
    if (method === 'loadDataset') this.dataset = args[0] as DatasetSpec;
    if (method === 'build') {
      this.config = { ...(args[0] as ModelConfig) };
      this.model = null;
    }
    if (method === 'configure') {
      const { description: _d, classes: _c, ...training } = args[0] as Partial<ModelConfig>;
      if (this.config) Object.assign(this.config, training);
      this.modelConfig = { ...this.modelConfig, ...training };
    }
    if (method === 'setLearningRate' && this.config) this.config.learningRate = args[0] as number;
    if (method === 'save') this.model = (result as Uint8Array).slice();
    if (method === 'load') {
      this.model = sentModel;
      this.modelConfig = args[1] as Partial<ModelConfig> | undefined;
    }
  }

  async replay(remote: Comlink.Remote<WorkerApi>): Promise<void> {
    await remote.init();
    if (this.dataset) await remote.loadDataset(this.dataset);
    if (this.config) await remote.build(this.config);
    if (this.model) await remote.load(this.model, this.modelConfig);
  }
}

class RestartingClient {
  private instance: Instance;
  private readonly kept = new Restorable();
  private restarting: Promise<void> | null = null;

  constructor(private readonly options: TrainerClientOptions) {
    this.instance = this.spawn();
  }

  terminate(): void {
    this.instance.remote[Comlink.releaseProxy]();
    this.instance.worker.terminate();
  }

  private spawn(): Instance {
    const { worker, error } = takeWorker();
    const remote = Comlink.wrap<WorkerApi>(worker);
    const dead = new Promise<never>((_, reject) => {
      const stopped = (event: ErrorEvent) => {
        event.preventDefault();
        reject(Object.assign(new Error(event.message || 'the worker stopped'), { name: 'RuntimeError' }));
      };
      if (error) stopped(error);
      worker.addEventListener('error', stopped);
    });
    dead.catch(() => undefined); // observed through call()
    return { worker, remote, dead };
  }

  /** Calls a worker method; on a crash restarts the worker and rethrows a clear error. */
  async call(method: Method, args: unknown[]): Promise<unknown> {
    if (this.restarting) await this.restarting;
    const instance = this.instance;
    const sent = this.prepare(method, args);
    // The worker may keep no copy of a model it loads; a restart needs one.
    const sentModel = method === 'load' ? (args[0] as Uint8Array).slice() : null;
    try {
      const fn = (instance.remote as unknown as Record<Method, AnyFn>)[method];
      const result = await Promise.race([fn(...sent), instance.dead]);
      this.kept.note(method, args, result, sentModel);
      return result;
    } catch (e) {
      if (!isFatal(e)) throw e;
      const reason = (e as Error).message;
      await this.restart(instance, reason);
      const detail = this.kept.model ? ' with your data and the last saved model' : this.kept.dataset ? ' with your data' : '';
      throw restartedError(reason, detail);
    }
  }

  /** Callbacks go over as Comlink proxies. */
  private prepare(method: Method, args: unknown[]): unknown[] {
    return args.map((a, i) => {
      if (typeof a !== 'function') return a;
      if (method === 'train' && i === 2) {
        // At each epoch end, keep the latest weights for a restart (model files are small).
        const onEpoch = a as (e: unknown) => void;
        return Comlink.proxy((e: unknown) => {
          onEpoch(e);
          void this.instance.remote.save().then(
            (bytes) => (this.kept.model = bytes),
            () => undefined,
          );
        });
      }
      return Comlink.proxy(a as (...x: unknown[]) => unknown);
    });
  }

  private restart(dead: Instance, reason: string): Promise<void> {
    if (this.instance !== dead) return this.restarting ?? Promise.resolve();
    this.restarting = (async () => {
      dead.remote[Comlink.releaseProxy]();
      dead.worker.terminate();
      this.instance = this.spawn();
      try {
        await this.kept.replay(this.instance.remote);
      } catch (e) {
        console.warn('scratchnet: restoring the worker after a crash failed', e);
      }
      this.options.onRestart?.(reason);
    })().finally(() => (this.restarting = null));
    return this.restarting;
  }
}

/** Starts the worker (it begins loading the wasm module at once). */
export function createTrainer(options: TrainerClientOptions = {}): Trainer {
  const client = new RestartingClient(options);
  return new Proxy({} as Trainer, {
    get: (_, key) => {
      if (key === 'terminate') return () => client.terminate();
      if (typeof key !== 'string' || key === 'then') return undefined;
      return (...args: unknown[]) => client.call(key as Method, args);
    },
  });
}
