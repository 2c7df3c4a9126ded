// Vite config for the ScratchNet page. Run from the repository root:
//   vite --config web/vite.config.ts          (dev)
//   vite build --config web/vite.config.ts    (build/dist)
// The page needs crossOriginIsolated for the threaded wasm build (SharedArrayBuffer), so both
// the dev and the preview servers send COOP/COEP, and a Content-Security-Policy without inline
// scripts. The built page carries the same policy as a <meta> tag, for static hosts that cannot
// set headers (COOP/COEP cannot be set by meta; such hosts get the single-thread build).
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

// 'wasm-unsafe-eval' allows WebAssembly.compile/instantiate and nothing else (no eval).
// So the wasm build must be linked with -sDYNAMIC_EXECUTION=0: Emscripten 3.1.6's Embind
// otherwise builds its error classes and invokers with `new Function`, which this policy
// blocks ("EvalError: Evaluating a string as JavaScript violates ... script-src").

// worker-src blob: is for Emscripten's pthread workers, which may be started from a blob URL.
// connect-src https: lets the URL field fetch data sets from CORS-enabled servers.
function csp(dev: boolean): string {
  const directives: Record<string, string> = {
    'default-src': "'self'",
    'script-src': "'self' 'wasm-unsafe-eval'",
    'worker-src': "'self' blob:",
    // Vite's dev server injects CSS as <style> elements; the built page only links .css files.
    'style-src': dev ? "'self' 'unsafe-inline'" : "'self'",
    'img-src': "'self' data: blob:",
    'connect-src': dev ? "'self' https: ws: wss:" : "'self' https:",
    'font-src': "'self'",
    'object-src': "'none'",
    'base-uri': "'self'",
    'form-action': "'self'",
  };
  return Object.entries(directives)
    .map(([k, v]) => `${k} ${v}`)
    .join('; ');
}

const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Puts the production CSP into the built index.html as a meta tag (build only). */
function cspMeta(): Plugin {
  return {
    name: 'scratchnet-csp-meta',
    apply: 'build',
    transformIndexHtml() {
      return [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: csp(false) },
          injectTo: 'head-prepend',
        },
      ];
    },
  };
}

export default defineConfig({
  root: here,
  publicDir: fileURLToPath(new URL('../build/public', import.meta.url)),
  // Absolute, because the worker resolves the wasm files from BASE_URL and lives in assets/.
  // Hosting under a sub-path: SCRATCHNET_BASE=/scratchnet/ npm run build.
  base: process.env.SCRATCHNET_BASE ?? '/',
  plugins: [cspMeta()],
  build: {
    outDir: fileURLToPath(new URL('../build/dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // Keep the one big dependency (uPlot) in its own cacheable chunk.
    chunkSizeWarningLimit: 600,
  },
  worker: { format: 'es' },
  server: {
    headers: { ...isolationHeaders, 'Content-Security-Policy': csp(true) },
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
  },
  preview: {
    headers: { ...isolationHeaders, 'Content-Security-Policy': csp(false) },
  },
});
