#!/usr/bin/env bash
# Installs the Debian packages the build and tests need, when they are missing.
# As root it runs apt-get; otherwise it prints the exact command and fails.
# Usage: ensure-system-deps.sh [build|test]   (test adds browser, sanitizer and fuzzer tools)
set -euo pipefail
mode=${1:-build}

packages=(cmake g++ make pkg-config zlib1g-dev emscripten)
if [[ $mode == test ]]; then
  packages+=(libgtest-dev libbenchmark-dev chromium clang libclang-rt-14-dev valgrind)
fi
# Optional: the full Fashion-MNIST set (offered by the page when present); for tests, the ONNX
# checker (tests/web/onnx-export.test.ts runs onnx.checker on every export when it is there).
optional=(dataset-fashion-mnist)
[[ $mode == test ]] && optional+=(python3-onnx)

missing=()
for p in "${packages[@]}" "${optional[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
# The optional packages must never block the build.
for p in "${optional[@]}"; do
  apt-get install -y -qq --no-install-recommends "$p" >/dev/null 2>&1 || echo "note: optional package $p not installed"
done
