#!/usr/bin/env bash
# One command from a fresh clone to a running page: system packages, npm packages, the bundled
# digits, the wasm engine (single-thread and threaded), the page, then a local server.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
bash web/scripts/ensure-system-deps.sh build
[[ -d node_modules ]] || ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error
npm run --silent data
bash web/scripts/build-wasm.sh
npx vite build --config web/vite.config.ts --logLevel warn
port=${PORT:-5173}
echo
echo "ScratchNet is at http://localhost:$port/  (Ctrl-C stops it)"
exec npx vite preview --config web/vite.config.ts --port "$port" --strictPort --host "${HOST:-127.0.0.1}"
