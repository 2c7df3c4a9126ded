// What the build relies on from Emscripten, checked on the files it actually generated, so that a
// different Emscripten (Debian's 3.1.6 here, a current emsdk elsewhere) fails here with a reason
// instead of later in the page. See "Emscripten versions" in wasm/README.md.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ScratchNetModule } from '../../wasm/scratchnet';
import { loadWasm, root } from './wasm-module';

const dirs = {
  simd: `${root}/build/public/wasm/simd`,
  threads: `${root}/build/public/wasm/threads`,
  debug: `${root}/build/wasm-debug/out`,
} as const;
const loader = (variant: keyof typeof dirs) => readFileSync(`${dirs[variant]}/scratchnet.mjs`, 'utf8');

describe('generated loader', () => {
  it.each(['simd', 'threads'] as const)('%s: no eval or new Function (the page CSP allows only wasm-unsafe-eval)', (variant) => {
    const code = loader(variant);
    // -sDYNAMIC_EXECUTION=0 removes both; a release that ignored it would break the page.
    expect(code.match(/\bnew Function\s*\(/g), 'new Function( in the loader: is -sDYNAMIC_EXECUTION=0 still honoured?').toBeNull();
    expect(code.match(/(^|[^.\w$])eval\s*\(/g), 'eval( in the loader: is -sDYNAMIC_EXECUTION=0 still honoured?').toBeNull();
  });

  it.each(['simd', 'threads', 'debug'] as const)('%s: reads Module.postRun, the hook throw_errors.js uses', (variant) => {
    expect(
      /Module\[["']postRun["']\]/.test(loader(variant)),
      'the loader never reads Module["postRun"]: wasm/throw_errors.js would never wrap the classes',
    ).toBe(true);
  });

  it('threads: the pthread worker script is there exactly when the loader starts workers from it', () => {
    const code = loader('threads');
    const files = readdirSync(dirs.threads).sort();
    if (code.includes('scratchnet.worker.js')) {
      // Emscripten < 3.1.58: a separate worker script that imports the module.
      expect(files).toEqual(['scratchnet.mjs', 'scratchnet.wasm', 'scratchnet.worker.js']);
    } else {
      // >= 3.1.58: workers run scratchnet.mjs itself; a worker.js left over (an older build, or
      // the empty one 3.1.58-3.1.67 write) is not loaded and must not be served as if it were.
      expect(code, 'no worker.js and no module workers: how does this loader start pthreads?').toMatch(
        /new Worker\(\s*new URL\((["']scratchnet\.mjs["'],\s*)?import\.meta\.url\)/,
      );
      expect(files).toEqual(['scratchnet.mjs', 'scratchnet.wasm']);
    }
  });

  it('simd: only the module and its wasm', () => {
    expect(readdirSync(dirs.simd).sort()).toEqual(['scratchnet.mjs', 'scratchnet.wasm']);
  });
});

describe('loaded module', () => {
  let m: ScratchNetModule;

  it('loads and exposes what the page uses', async () => {
    m = await loadWasm('simd');
    expect(typeof m.Network).toBe('function');
    expect(typeof m.Dataset).toBe('function');
    expect(typeof m.memoryStats).toBe('function');
    expect(typeof m.Network.validate).toBe('function');
    expect(typeof m.Network.presets).toBe('function');
  });

  it('throw_errors.js wrapped every bound method (Embind put them where it looks)', () => {
    const wrapped = (fn: unknown) => typeof fn === 'function' && fn.toString().includes('scratchnet');
    const skip = (name: string) =>
      name === 'constructor' || name === 'delete' || name.startsWith('is') || name === 'clone' || name === 'deleteLater';
    for (const cls of [m.Network, m.Dataset] as unknown as Array<{ prototype: Record<string, unknown>; name: string }>) {
      const names = Object.getOwnPropertyNames(cls.prototype).filter((n) => !skip(n));
      // Network binds ~20 methods, Dataset 4: none found means Embind moved them.
      expect(names.length, `no bound methods on ${cls.name}.prototype`).toBeGreaterThanOrEqual(4);
      for (const name of names) expect(wrapped(cls.prototype[name]), `${cls.name}.prototype.${name} is not wrapped`).toBe(true);
    }
    const statics = m.Network as unknown as Record<string, unknown>;
    expect(wrapped(statics.validate) && wrapped(statics.presets), 'Network static functions are not wrapped').toBe(true);
  });

  it('an engine error arrives as a thrown Error with the engine name', () => {
    const net = new m.Network();
    try {
      expect(() => net.build('dense ten softmax', 1)).toThrow(expect.objectContaining({ name: 'DescriptionError' }));
    } finally {
      net.delete();
    }
  });
});
