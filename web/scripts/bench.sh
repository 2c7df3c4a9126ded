#!/usr/bin/env bash
# npm run bench: training throughput (samples/s at batch 64) for mlp and lenet, natively and as
# wasm (SIMD, SIMD + threads) in Node and headless Chromium, as one table with ratios; then each
# single-thread build's SIMD peak and GEMM GFLOP/s, and the wasm/native ratios read against
# wasm peak / native peak (the ceiling a 4-lane, no-FMA target has against AVX2+FMA).
# Builds what it needs first. BENCH_SECONDS (default 3) per measurement, BENCH_REPEAT passes
# (default 2, best kept), BENCH_THREADS (nproc),
# BENCH_TFJS=0 leaves out the TensorFlow.js column; then the page bench (page.mjs), BENCH_PAGE=0 skips it.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
[ -f build/public/data/mnist/train-images-idx3-ubyte.gz ] || node web/scripts/prepare-data.mjs
bash web/scripts/build-wasm.sh >/dev/null
cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native --target nn -j "${JOBS:-2}" >/dev/null
# The portable (SSE2, 4-lane, no FMA) native build: the like-for-like baseline for wasm SIMD128.
cmake -S . -B build/h4 -DCMAKE_BUILD_TYPE=Release -DSCRATCHNET_NATIVE_ARCH=OFF -DSCRATCHNET_TESTS=OFF >/dev/null
cmake --build build/h4 --target nn -j "${JOBS:-2}" >/dev/null
# TensorFlow.js reference column (cpu backend, what a page would use instead): installed from
# npm into its own folder so the project's dependencies stay as they are. BENCH_TFJS=0 skips it;
# if the install fails the column is left out.
if [ "${BENCH_TFJS:-1}" != 0 ] && [ ! -f build/bench-tfjs/node_modules/@tensorflow/tfjs/dist/tf.min.js ]; then
  mkdir -p build/bench-tfjs
  [ -f build/bench-tfjs/package.json ] || echo '{"name":"bench-tfjs","private":true}' > build/bench-tfjs/package.json
  (cd build/bench-tfjs && npm install --no-audit --no-fund --loglevel=error @tensorflow/tfjs@4.22.0) ||
    echo "bench: TensorFlow.js did not install; no reference column" >&2
fi
node web/scripts/bench/run.mjs
# Two threads against one in the page itself (the built page, painting included): BENCH_PAGE=0
# skips it.
if [ "${BENCH_PAGE:-1}" != 0 ]; then
  npx vite build --config web/vite.config.ts --logLevel error >/dev/null
  node web/scripts/bench/page.mjs
fi
