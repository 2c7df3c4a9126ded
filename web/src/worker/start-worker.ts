// Starting the engine's worker. The page's first worker starts before the page's own modules
// have run (boot.ts is main.ts's first import): the worker then fetches and compiles the wasm
// module while the rest of the page's script is evaluated, startup's longest wait.

interface Started {
  worker: Worker;
  /** An error the worker raised before the client listened (its script failed to load). */
  error: ErrorEvent | null;
}

interface Starting extends Started {
  /** Stops recording errors: the client listens from then on. */
  handOver(): void;
}

function start(): Starting {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  const record = (event: ErrorEvent) => (starting.error ??= event);
  const starting: Starting = { worker, error: null, handOver: () => worker.removeEventListener('error', record) };
  worker.addEventListener('error', record);
  return starting;
}

let early: Starting | null = null;

/** Starts the page's first worker now (once). */
export function startEarly(): void {
  early ??= start();
}

/** The worker started early, once; after that (a restart) a new one. */
export function takeWorker(): Started {
  const taken = early ?? start();
  early = null;
  taken.handOver();
  return { worker: taken.worker, error: taken.error };
}
