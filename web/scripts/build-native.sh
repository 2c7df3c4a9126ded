#!/usr/bin/env bash
# Configures and builds the native engine, CLI and unit tests into build/native.
# Extra CMake arguments are passed through (e.g. -DSCRATCHNET_SANITIZE=ON with BUILD_DIR set).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build/native}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-Release} "$@" >/dev/null
cmake --build "$build" -j "$(nproc)"
