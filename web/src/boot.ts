// main.ts's first import: starts the engine's worker before the page's other modules run.
import { startEarly } from './worker/start-worker';

startEarly();
