#!/usr/bin/env bash
# Builds the two wasm variants into build/public/wasm/{simd,threads}/ (served by Vite):
#   simd     -msimd128, one thread (any page)
#   threads  -msimd128 -pthread (pages that are crossOriginIsolated)
# Object files live in build/wasm-simd and build/wasm-threads. Extra CMake arguments pass
# through. VARIANTS="simd" builds one; VARIANTS=debug builds the checking variant the tests
# also use (build/wasm-debug/out). Works with Debian's emscripten 3.1.6 and with an emsdk
# whose emcmake is on PATH (wasm/CMakeLists.txt guards the flags by version). The threads
# variant has a scratchnet.worker.js only with Emscripten < 3.1.58; newer ones start the pthread
# workers from scratchnet.mjs itself.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
jobs=${JOBS:-2}
# Debian's emscripten 3.1.6 under Node 20 needs its bundled JS packages (acorn, ...) found
# through NODE_PATH, or emcc fails with "Cannot find module 'acorn'".
if [ -d /usr/share/nodejs ]; then
  export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
fi
if ! command -v emcmake >/dev/null; then
  echo "build-wasm: emcmake not found (apt-get install emscripten, or source emsdk_env.sh)" >&2
  exit 1
fi
echo "build-wasm: emcc $(emcc -dumpversion 2>/dev/null || echo '(version unknown)')"
for variant in ${VARIANTS:-simd threads}; do
  build=$root/build/wasm-$variant
  threads=OFF debug=OFF type=Release out=$root/build/public/wasm/$variant
  [ "$variant" = threads ] && threads=ON
  # debug: assertions + SAFE_HEAP, for tests; kept out of build/public (not served).
  [ "$variant" = debug ] && debug=ON type=RelWithDebInfo out=$build/out
  emcmake cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=$type \
    -DSCRATCHNET_WASM_THREADS=$threads -DSCRATCHNET_WASM_DEBUG=$debug -DSCRATCHNET_TESTS=OFF "$@" >/dev/null
  cmake --build "$build" -j "$jobs"
  printf 'wasm %-8s %s\n' "$variant" "$(cd "$out" && ls -l scratchnet.* | awk '{printf "%s %d B  ", $9, $5}')"
done
