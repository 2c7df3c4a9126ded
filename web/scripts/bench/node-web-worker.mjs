// A minimal browser-style `Worker` for Node, enough for Emscripten 3.1.6 pthread workers built
// for the web: `new Worker(url)`, onmessage/onerror/postMessage/terminate, and inside the
// worker `self`, `postMessage`, `self.onmessage`. Lets the threads build run in Node (bench,
// tests) without a node-specific build (whose ES6 loader fails on __dirname in 3.1.6).
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker as NodeWorker } from 'node:worker_threads';

// The worker script (a classic script that calls import()) is run as an ES module, so that
// its dynamic import works without --experimental-vm-modules.
// Newer Emscripten (3.1.58+) starts pthread workers from the main .mjs itself and tells a
// pthread worker by self.name ("em-pthread-N", from the Worker options) and, from 4.0, by
// WorkerGlobalScope being defined; 3.1.6 looks at neither. (3.1.58-3.1.7x test importScripts
// instead, which this shim does not fake: defining it makes 3.1.6 read self.location.)
const prelude = `
import { parentPort, workerData } from 'node:worker_threads';
globalThis.self = globalThis;
globalThis.name = workerData?.name ?? '';
globalThis.WorkerGlobalScope ??= class WorkerGlobalScope {};
globalThis.postMessage = (data, transfer) => parentPort.postMessage(data, transfer);
parentPort.on('message', (data) => { if (globalThis.onmessage) globalThis.onmessage({ data }); });
`;
const modules = new Map();
function moduleFor(path) {
  if (!modules.has(path)) {
    const dir = fs.mkdtempSync(join(tmpdir(), 'sn-worker-'));
    const file = join(dir, 'worker.mjs');
    fs.writeFileSync(file, prelude + fs.readFileSync(path, 'utf8'));
    modules.set(path, file);
  }
  return modules.get(path);
}

export class WebWorker {
  constructor(url, options = {}) {
    const path = new URL(url).pathname;
    this.onmessage = null;
    this.onerror = null;
    this.worker = new NodeWorker(moduleFor(path), { workerData: { name: options.name ?? '' } });
    this.worker.on('message', (data) => this.onmessage?.({ data }));
    this.worker.on('error', (error) => {
      if (this.onerror) this.onerror(error);
      else throw error;
    });
    // Not unref()ed: while the pool loads nothing else keeps Node alive (exit code 13,
    // "unsettled top-level await"). Scripts end with process.exit().
  }
  postMessage(data, transfer) {
    this.worker.postMessage(data, transfer);
  }
  addEventListener(type, fn) {
    if (type === 'message') this.onmessage = fn;
    if (type === 'error') this.onerror = fn;
  }
  terminate() {
    return this.worker.terminate();
  }
}

export function installWebWorker() {
  if (typeof globalThis.Worker === 'undefined') globalThis.Worker = WebWorker;
}
