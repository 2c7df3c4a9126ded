#!/usr/bin/env bash
# Every test, from a fresh clone: system packages, npm packages, data, native build + GoogleTest,
# wasm build + Vitest, browser tests. Stops at the first failing stage.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
stage() { printf '\n=== %s ===\n' "$*"; }

stage "system packages"
bash web/scripts/ensure-system-deps.sh test
stage "npm packages"
npm ci --no-audit --no-fund --loglevel=error
stage "bundled data"
npm run --silent data

stage "native build + unit tests"
bash web/scripts/build-native.sh
(cd build/native && ctest --output-on-failure -j 2)
