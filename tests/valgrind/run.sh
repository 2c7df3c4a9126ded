#!/usr/bin/env bash
# The native unit tests and the `nn` CLI under valgrind memcheck: invalid reads/writes, use of
# uninitialised values, and leaks (definite and indirect) all fail the run.
#   1. core_tests, minus the Learning* suites (minutes of training; valgrind is ~30x slower)
#   2. tests/valgrind/cli_abuse.sh: nn with hostile arguments and files, each under valgrind
# Builds its own tree (build/valgrind) without -march=native: on CPUs with AVX-512 the native
# build emits instructions valgrind 3.19 cannot decode ("unhandled instruction bytes").
# Bounded: each step is killed after VALGRIND_TIMEOUT seconds (default 1800): about 2 minutes
# on a quiet 2-vCPU machine, several times that when another process keeps a core busy or
# builds run beside it; the limit is there to end a hang, not to time the run. Usage: bash tests/valgrind/run.sh   (VALGRIND_FILTER=Gtest.Filter to narrow)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${VALGRIND_BUILD_DIR:-$root/build/valgrind}
limit=${VALGRIND_TIMEOUT:-1800}
filter=${VALGRIND_FILTER:--Learning*}

command -v valgrind >/dev/null || {
  echo "valgrind: not installed (sudo apt-get install -y valgrind)" >&2
  exit 1
}

echo "valgrind: building core_tests and nn into ${build#$root/}"
mkdir -p "$build"
if ! { cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSCRATCHNET_NATIVE_ARCH=OFF &&
  cmake --build "$build" -j 2 --target core_tests nn; } >"$build/build.log" 2>&1; then
  grep -E 'error' "$build/build.log" | head -20 >&2
  echo "valgrind: build failed (full log: ${build#$root/}/build.log)" >&2
  exit 1
fi

# --errors-for-leak-kinds: "still reachable" (static pools, gtest registries) is not a leak.
# --show-mismatched-frees=no: test_trainer.cpp replaces the global operator new/delete (to count
# allocations) with malloc/free, while valgrind still intercepts some operator new calls, so
# every delete would be reported as "Mismatched free() / delete". ASan checks new/delete pairing.
vg=(valgrind --tool=memcheck --error-exitcode=99 --leak-check=full
  --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect
  --show-mismatched-frees=no --num-callers=30 --quiet)

status=0
log=$build/core_tests.valgrind.log
echo "valgrind: core_tests --gtest_filter=$filter"
started=$SECONDS
if timeout "$limit" "${vg[@]}" "$build/tests/core/core_tests" --gtest_filter="$filter" \
  --gtest_brief=1 >"$log" 2>&1; then
  echo "valgrind: core_tests clean ($(grep -Eo '[0-9]+ tests? from [0-9]+ test suites? ran' "$log"), $((SECONDS - started))s)"
else
  rc=$?
  if [[ $rc == 124 ]]; then
    echo "valgrind: core_tests timed out after ${limit}s" >&2
  elif [[ $rc == 99 ]]; then
    echo "valgrind: memcheck errors in core_tests:" >&2
    grep -E '^==[0-9]+== (Invalid|Conditional|Use of|Mismatched|.*definitely lost|.*indirectly lost|   (at|by) )' "$log" | head -30 >&2
  else
    echo "valgrind: core_tests failed (exit $rc):" >&2
    grep -E 'FAILED|Failure' "$log" | head -20 >&2
  fi
  echo "valgrind: full log: ${log#$root/}" >&2
  status=1
fi

echo "valgrind: nn with hostile arguments and files"
if ! NN_WRAPPER="timeout $limit ${vg[*]}" bash "$root/tests/valgrind/cli_abuse.sh" "$build/core/cli/nn" \
  "$root/build/public/data/mnist"; then
  status=1
fi
exit $status
