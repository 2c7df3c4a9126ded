#!/usr/bin/env bash
# Bounded fuzzing of every parser that reads outside bytes or text, with ASan + UBSan:
#   fuzz_idx          parse_idx on raw IDX bytes, read_idx_file on (gzipped) files
#   fuzz_model_file   decode_model_file / encode round trip, Network::load, save, predict
#   fuzz_description  parse_description, to_description round trip, Network on 28x28x1
# First replays every saved crash input in tests/fuzz/regressions/<target>/ (each must now pass),
# then runs each target for FUZZ_SECONDS (default 60). Fails on any crash, leak, timeout (>30 s
# per input), undefined behaviour, broken property, or allocation above FUZZ_MALLOC_MB
# (default 512 MB: a header that lies about sizes must be refused, not believed).
#
# Running longer (locally, or a nightly job):
#   FUZZ_SECONDS=3600 bash tests/fuzz/run.sh                  # an hour per target
#   FUZZ_TARGETS=fuzz_description FUZZ_SECONDS=0 bash tests/fuzz/run.sh   # 0 = until a crash
#   FUZZ_JOBS=4 ...                                           # parallel fuzzing processes
# Or run a built target directly (see tests/fuzz/README.md):
#   build/fuzz/fuzz_idx build/fuzz/corpus/fuzz_idx tests/fuzz/corpus/fuzz_idx
# New inputs are kept in build/fuzz/corpus/<target> (a cache that grows between runs); the seeds
# in tests/fuzz/corpus/ are never modified. Crash inputs land in build/fuzz/artifacts/.
# Needs clang++ with libFuzzer (Debian: clang libclang-rt-14-dev; tests/run-all.sh installs them).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/tests/fuzz
build=${FUZZ_BUILD_DIR:-$root/build/fuzz}
seconds=${FUZZ_SECONDS:-60}
targets=${FUZZ_TARGETS:-fuzz_idx fuzz_model_file fuzz_description}
jobs=${FUZZ_JOBS:-1}

cxx=${FUZZ_CXX:-}
if [[ -z $cxx ]]; then
  for c in clang++ clang++-14; do command -v "$c" >/dev/null && cxx=$c && break; done
fi
if [[ -z $cxx ]] || ! command -v "$cxx" >/dev/null; then
  echo "fuzz: clang++ not found${cxx:+ ($cxx)}; libFuzzer needs clang." >&2
  echo "fuzz: install it with: sudo apt-get install -y clang libclang-rt-14-dev" >&2
  exit 1
fi
# libFuzzer's runtime is a separate Debian package; without it linking fails obscurely.
if ! echo 'extern "C" int LLVMFuzzerTestOneInput(const char*, unsigned long) { return 0; }' |
  "$cxx" -x c++ -fsanitize=fuzzer,address,undefined -o /dev/null - 2>/dev/null; then
  echo "fuzz: $cxx cannot link -fsanitize=fuzzer (libFuzzer runtime missing)." >&2
  echo "fuzz: install it with: sudo apt-get install -y libclang-rt-14-dev" >&2
  exit 1
fi

echo "fuzz: building targets with $cxx into ${build#$root/}"
mkdir -p "$build"
if ! { cmake -S "$here" -B "$build" -DCMAKE_CXX_COMPILER="$cxx" &&
  cmake --build "$build" -j 2; } >"$build/build.log" 2>&1; then
  grep -E 'error|Error' "$build/build.log" | head -20 >&2
  echo "fuzz: build failed (full log: ${build#$root/}/build.log)" >&2
  exit 1
fi
cd "$build"  # -jobs writes fuzz-<n>.log files into the working directory

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# -timeout: one input taking longer is reported as a hang. The slowest inputs (networks near the
# size limits, under ASan) take a few seconds on a quiet machine; 30 s leaves room for a busy
# one (another process on a core, parallel builds) and still catches a real hang.
common=(-rss_limit_mb=2048 "-malloc_limit_mb=${FUZZ_MALLOC_MB:-512}" -timeout=30)

failed=0
# 1. Every saved crash input must pass now (a fixed bug stays fixed).
for target in $targets; do
  dir=$here/regressions/$target
  [[ -d $dir ]] || continue
  inputs=("$dir"/*)
  [[ -e ${inputs[0]} ]] || continue
  for input in "${inputs[@]}"; do
    if "$build/$target" "${common[@]}" "$input" >"$build/replay.log" 2>&1; then
      echo "fuzz: regression ok    $target/${input##*/}"
    else
      echo "fuzz: REGRESSION FAILS $target/${input##*/}" >&2
      grep -E 'property failed|ERROR:|runtime error|SUMMARY|^  [^ ]' "$build/replay.log" | head -8 >&2
      failed=1
    fi
  done
done

# 2. Bounded fuzzing from the seed corpus plus what earlier runs found.
mkdir -p "$build/artifacts"
for target in $targets; do
  work=$build/corpus/$target
  mkdir -p "$work"
  extra=()
  [[ -f $here/${target#fuzz_}.dict ]] && extra+=("-dict=$here/${target#fuzz_}.dict")
  [[ $jobs -gt 1 ]] && extra+=("-jobs=$jobs" "-workers=$jobs")
  log=$build/$target.log
  echo "fuzz: $target for ${seconds}s"
  if "$build/$target" "${common[@]}" "${extra[@]}" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$target-" "$work" "$here/corpus/$target" >"$log" 2>&1; then
    # One line of results: executions, speed, coverage, corpus size.
    awk '/stat::number_of_executed_units/ {n=$2} /stat::average_exec_per_sec/ {s=$2}
         /DONE|INITED/ {for (i=1;i<=NF;i++) if ($i=="cov:") c=$(i+1); else if ($i=="corp:") k=$(i+1)}
         END {printf "fuzz: %s ok: %s runs, %s/s, %s edges covered, corpus %s\n", t, n, s, c, k}' \
      t="$target" "$log"
  else
    echo "fuzz: $target FAILED (full log: ${log#$root/})" >&2
    grep -E 'property failed|ERROR:|runtime error|SUMMARY|Test unit written|^  [^ ]' "$log" | head -12 >&2
    echo "fuzz: reproduce with: $build/$target <input>; keep the input in tests/fuzz/regressions/$target/" >&2
    failed=1
  fi
done
exit $failed
