// Builds what the wasm tests load, before any test runs: both wasm variants and the checking
// (SAFE_HEAP) one (incremental: a few seconds when nothing changed) and the native `nn` the parity test compares with.
// SCRATCHNET_SKIP_BUILD=1 skips the builds (CI stages that just built them).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

function run(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
}

export default function setup(): void {
  if (!existsSync(`${root}/build/public/data/mnist/train-images-idx3-ubyte.gz`)) {
    run('node', ['web/scripts/prepare-data.mjs']);
  }
  if (process.env.SCRATCHNET_SKIP_BUILD === '1') return;
  run('bash', ['web/scripts/build-wasm.sh']);
  run('bash', ['-c', 'VARIANTS=debug bash web/scripts/build-wasm.sh']);
  // Only the CLI target: the full native build (unit tests) is another stage's work.
  // build/native is the tuned build (-march=native); build/h4 a portable one (SSE2, like
  // wasm's 4-lane mul+add) that the parity test expects to match bit for bit.
  const cli = (dir: string, args: string) =>
    run('bash', [
      '-c',
      `cmake -S . -B ${dir} -DCMAKE_BUILD_TYPE=Release ${args} >/dev/null && cmake --build ${dir} --target nn -j 2 >/dev/null`,
    ]);
  cli('build/native', '');
  cli('build/h4', '-DSCRATCHNET_NATIVE_ARCH=OFF -DSCRATCHNET_TESTS=OFF');
}
