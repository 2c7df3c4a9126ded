// The worker entry: starts loading the engine at once (in parallel with the page's first
// messages, which may start reading a data set) and exposes the API of ./api.ts through
// Comlink. The page never imports this file; it calls createTrainer() from ./client.ts.
import * as Comlink from 'comlink';
import { api, engine } from './api';

engine().catch(() => undefined); // a failure is reported to the first call (init)
Comlink.expose(api);
