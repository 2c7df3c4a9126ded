// The page's entry: starts the engine's worker, then loads the page's own script. The worker then
// fetches and compiles the wasm module while the browser fetches and runs main.ts and its
// modules, instead of after them (the stylesheet is linked by index.html).
import { startEarly } from './worker/start-worker';

startEarly();
import('./main').catch((err: unknown) => {
  const badge = document.querySelector('#engine-badge .engine-text');
  if (badge) badge.textContent = 'The page could not load its script: reload to try again.';
  console.error(err);
});
