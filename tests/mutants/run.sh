#!/usr/bin/env bash
# Mutation check for the C++ engine: applies each planted bug in tests/mutants/*.mutant to a
# private copy of the tree, rebuilds, runs the unit tests and the CLI test, and fails if any
# mutant survives (nothing fails) or no longer applies. Slow (a rebuild per mutant): not in CI.
# usage: bash tests/mutants/run.sh [NAME...]        (default: every mutant)
#   MUTANTS_GTEST_FILTER  tests to run (default "-Learning.*": the unit tests must catch them)
#   MUTANTS_KEEP=1        keep the copy (path printed) for a look at a survivor
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
filter=${MUTANTS_GTEST_FILTER:--Learning.*}
jobs=${MUTANTS_JOBS:-2}

mutants=()
if [ "$#" -gt 0 ]; then
  for name in "$@"; do mutants+=("$here/${name%.mutant}.mutant"); done
else
  mutants=("$here"/*.mutant)
fi

# Every mutant must apply before anything is built: other work moves core on, and a mutant whose
# text has gone must be rewritten, not silently skipped.
stale=0
for m in "${mutants[@]}"; do
  node "$here/apply.mjs" "$m" "$root" --check >/dev/null || stale=$((stale + 1))
done
if [ "$stale" -ne 0 ]; then
  echo "FAIL: $stale mutant(s) no longer apply (see above); update them in tests/mutants/" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/scratchnet-mutants.XXXXXX")
if [ "${MUTANTS_KEEP:-0}" = 1 ]; then
  echo "copy kept in $work"
else
  trap 'rm -rf "$work"' EXIT
fi
src=$work/src
build=$work/build
mkdir -p "$src"
# The working tree as it is (tracked and new files, not ignored ones), plus the bundled digits
# for the CLI test's training round.
(cd "$root" && git ls-files -z --cached --others --exclude-standard |
  xargs -0 -I{} sh -c 'test -e "{}" && printf "%s\0" "{}"' | tar --null -T - -cf -) | tar -xf - -C "$src"
if [ -d "$root/build/public/data/mnist" ]; then
  mkdir -p "$src/build/public/data"
  cp -r "$root/build/public/data/mnist" "$src/build/public/data/"
fi

build_and_test() {  # $1: log prefix; prints the failing tests, returns 0 when all pass
  local log=$work/$1
  if ! cmake --build "$build" -j "$jobs" >"$log.build" 2>&1; then
    echo "BUILD FAILED (see $log.build)"
    return 2
  fi
  local failed=""
  "$build/tests/core/core_tests" --gtest_filter="$filter" --gtest_brief=1 >"$log.unit" 2>&1 ||
    failed=$(sed -n 's/^\[  FAILED  \] \([A-Za-z0-9_]*\.[A-Za-z0-9_]*\).*/\1/p' "$log.unit" | sort -u | tr '\n' ' ')
  [ -n "$failed" ] || ! grep -q "FAILED" "$log.unit" || failed="core_tests(crashed) "
  bash "$src/tests/core/cli/cli_test.sh" "$build/core/cli/nn" "$src/build/public/data/mnist" \
    >"$log.cli" 2>&1 || failed="${failed}nn_cli "
  echo "$failed"
  [ -z "$failed" ]
}

echo "building the unmutated copy in $build ..."
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release >"$work/configure.log" 2>&1 ||
  { echo "FAIL: cmake configure failed (see $work/configure.log)"; exit 1; }
baseline=$(build_and_test baseline)
if [ $? -ne 0 ]; then
  echo "FAIL: the unmutated tree does not pass: $baseline" >&2
  exit 1
fi

survivors=0
broken=0
results=()
for m in "${mutants[@]}"; do
  name=$(basename "$m" .mutant)
  file=$(node "$here/apply.mjs" "$m" "$src" --check) || { broken=$((broken + 1)); continue; }
  cp "$src/$file" "$work/original"
  node "$here/apply.mjs" "$m" "$src" >/dev/null
  failing=$(build_and_test "$name")
  status=$?
  cp "$work/original" "$src/$file"
  touch "$src/$file"
  if [ "$status" -eq 2 ]; then
    results+=("BROKEN   $name: $failing")
    broken=$((broken + 1))
  elif [ -z "$failing" ]; then
    results+=("SURVIVED $name")
    survivors=$((survivors + 1))
  else
    results+=("killed   $name by $failing")
  fi
  echo "${results[-1]}"
done

echo
echo "mutants: ${#mutants[@]}, survived: $survivors, broken: $broken"
if [ "$survivors" -ne 0 ] || [ "$broken" -ne 0 ]; then exit 1; fi
