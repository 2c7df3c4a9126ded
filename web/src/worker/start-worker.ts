// Starting the engine's worker. The page's first worker starts before the page's own modules
// have run (boot.ts is main.ts's first import): the worker then fetches and compiles the wasm
// module while the rest of the page's script is evaluated, startup's longest wait.

interface Started {
  worker: Worker;
  /** An error the worker raised before the client listened (its script failed to load). */
  error: ErrorEvent | null;
}

let early: Started | null = null;

function start(): Started {
  const started: Started = { worker: new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }), error: null };
  started.worker.addEventListener('error', (event) => (started.error ??= event));
  return started;
}

/** Starts the page's first worker now (once). */
export function startEarly(): void {
  early ??= start();
}

/** The worker started early, once; after that (a restart) a new one. */
export function takeWorker(): Started {
  const taken = early ?? start();
  early = null;
  return taken;
}
