#!/usr/bin/env bash
# npm run bench: training throughput (samples/s at batch 64) for mlp and lenet, natively and as
# wasm (SIMD, SIMD + threads) in Node and headless Chromium, as one table with ratios.
# Builds what it needs first. BENCH_SECONDS (default 3) per measurement, BENCH_THREADS (nproc).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
[ -f build/public/data/mnist/train-images-idx3-ubyte.gz ] || node web/scripts/prepare-data.mjs
bash web/scripts/build-wasm.sh >/dev/null
cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native --target nn -j "${JOBS:-2}" >/dev/null
node web/scripts/bench/run.mjs
