#!/usr/bin/env bash
# The whole suite (tests/run-all.sh) on a busy machine, as a newcomer or CI meets it: each run
# starts from a fresh clone of REF in /tmp while another process keeps one core busy
# (`stress-ng --cpu 1`, installed from apt when running as root; otherwise a busy shell loop).
# Runs RUNS times (default 3) and prints each run's result, duration and failing stage.
#
#   bash tests/under-load.sh [REF] [RUNS]      REF: commit or branch of this repository (HEAD)
#
# Environment: SKIP_* as in run-all.sh (passed through), UNDER_LOAD_KEEP=1 keeps passing clones
# (failing ones are always kept, with their logs, for a look). Exit status: 0 only if every run
# passed. A run takes what run-all.sh takes plus the slow-down from the busy core (about half an
# hour per run on 2 vCPUs).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ref=${1:-HEAD}
runs=${2:-3}
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "under-load: RUNS must be a positive whole number, got '$runs'" >&2; exit 2; }
commit=$(git -C "$root" rev-parse --verify --quiet "$ref^{commit}") ||
  { echo "under-load: '$ref' is not a commit or branch of $root" >&2; exit 2; }
work=$(mktemp -d /tmp/scratchnet-under-load.XXXXXX)
echo "under-load: $runs run(s) of tests/run-all.sh at ${commit:0:12} ($ref), one core kept busy; logs in $work"

# ---- the busy core ----
load_pid=""
start_load() {
  if ! command -v stress-ng >/dev/null && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "under-load: installing stress-ng"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq stress-ng >/dev/null 2>&1 ||
      { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq stress-ng >/dev/null 2>&1; }
  fi
  if command -v stress-ng >/dev/null; then
    stress-ng --cpu 1 --timeout 0 --quiet &
    load_what="stress-ng --cpu 1"
  else
    bash -c 'while :; do :; done' &
    load_what="a busy shell loop (stress-ng not installed)"
  fi
  load_pid=$!
}
stop_load() {
  if [[ -n $load_pid ]]; then
    # stress-ng's workers are its children: ask it (by its pid) to stop them too.
    kill -TERM "$load_pid" 2>/dev/null
    wait "$load_pid" 2>/dev/null
    load_pid=""
  fi
}
trap stop_load EXIT
trap 'exit 130' INT TERM
start_load
echo "under-load: busy core from $load_what (pid $load_pid)"

# ---- the runs ----
failed=0
summary=()
for ((i = 1; i <= runs; i++)); do
  clone=$work/run-$i
  log=$work/run-$i.log
  git clone --quiet --no-checkout "$root" "$clone" && git -C "$clone" checkout --quiet --detach "$commit" ||
    { echo "under-load: could not clone $root at $commit" >&2; exit 1; }
  # The load process must still be running, or this run would not be under load.
  kill -0 "$load_pid" 2>/dev/null || start_load
  echo "under-load: run $i/$runs started $(date -u +%H:%M:%S) UTC, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  started=$SECONDS
  (cd "$clone" && bash tests/run-all.sh) >"$log" 2>&1
  rc=$?
  took=$((SECONDS - started))
  duration=$(printf '%dm%02ds' $((took / 60)) $((took % 60)))
  stages=$(grep -Eo 'test stages: [0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
  if [[ $rc == 0 ]]; then
    line="run $i/$runs: passed in $duration (${stages:-no stage count})"
    [[ -n ${UNDER_LOAD_KEEP:-} ]] || rm -rf "$clone"
  else
    failed=$((failed + 1))
    stage=$(grep -E '^=== .* ===$' "$log" | tail -1 | sed -E 's/^=== (.*) \([0-9]+s\) ===$/\1/')
    line="run $i/$runs: FAILED (exit $rc) in $duration at stage '${stage:-?}' (${stages:-no stage count}); log $log, clone $clone"
  fi
  summary+=("$line")
  echo "under-load: $line"
done

stop_load
echo
echo "under-load: ${commit:0:12} with one core busy:"
printf '  %s\n' "${summary[@]}"
if [[ $failed -ne 0 ]]; then
  echo "under-load: $failed of $runs run(s) failed"
  exit 1
fi
echo "under-load: all $runs run(s) passed"
[[ -n ${UNDER_LOAD_KEEP:-} ]] || rmdir "$work" 2>/dev/null
exit 0
