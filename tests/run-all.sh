#!/usr/bin/env bash
# Every test, from a fresh clone: system packages, npm packages, data, native build + GoogleTest
# (plain and under ASan+UBSan), wasm build + Vitest, page build + browser tests, bounded fuzzing.
# Stops at the first failing stage. SKIP_SANITIZE=1 / SKIP_VALGRIND=1 / SKIP_E2E=1 / SKIP_FUZZ=1 skip stages locally.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
passed=0
started=$SECONDS
stage() { printf '\n=== %s (%ds) ===\n' "$1" "$((SECONDS - started))"; }
ok() { passed=$((passed + 1)); }
trap 'echo; echo "test stages: $passed passed, 1 failed"' ERR

stage "system packages"
bash web/scripts/ensure-system-deps.sh test; ok
stage "npm packages"
# onnxruntime-node ships its CPU binaries; its install script would download CUDA ones. npm 11 skips
# it by package.json's allowScripts, older npm by this variable.
ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error; ok
stage "bundled data"
npm run --silent data; ok

stage "native build + unit tests"
bash web/scripts/build-native.sh
(cd build/native && ctest --output-on-failure -j 2); ok

if [[ -z ${SKIP_SANITIZE:-} ]]; then
  stage "unit tests under ASan + UBSan"
  BUILD_DIR=build/asan BUILD_TYPE=RelWithDebInfo bash web/scripts/build-native.sh -DSCRATCHNET_SANITIZE=ON
  # Learning-to-accuracy tests are covered by the plain build; under ASan they take too long.
  (cd build/asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --output-on-failure -j 2 -E 'Learning'); ok
  stage "nn CLI with hostile input under ASan + UBSan"
  bash tests/valgrind/cli_abuse.sh build/asan/core/cli/nn build/public/data/mnist; ok
fi

if [[ -z ${SKIP_VALGRIND:-} ]]; then
  stage "unit tests + nn CLI under valgrind memcheck"
  bash tests/valgrind/run.sh; ok
fi

stage "wasm build"
bash web/scripts/build-wasm.sh; ok
stage "TypeScript types and formatting"
npm run --silent typecheck; ok
npm run --silent format:check; ok
stage "Vitest (TypeScript modules + the wasm engine in Node)"
npm run --silent test:web; ok

if [[ -z ${SKIP_E2E:-} ]]; then
  stage "page build + browser tests (headless Chromium)"
  npx vite build --config web/vite.config.ts --logLevel warn
  npm run --silent test:e2e; ok
fi

if [[ -z ${SKIP_FUZZ:-} && -f tests/fuzz/run.sh ]]; then
  stage "fuzzing (bounded)"
  bash tests/fuzz/run.sh; ok
fi

trap - ERR
echo
echo "test stages: $passed passed, 0 failed"
