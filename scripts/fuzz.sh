#!/usr/bin/env bash
# Builds the libFuzzer harnesses (the fuzz preset: clang, -fsanitize=fuzzer,address,undefined) and
# fuzzes for SECONDS (default 120) of processor time in all, shared equally: fuzz_scenario_loader (a
# scenario file through the loader and validation), fuzz_scenario_run (an accepted scenario run with
# an event budget) and fuzz_drill (a drill script parsed and, if valid, run). The three run at once,
# so on 2 cores the whole takes SECONDS / 2 of wall time; each one's output goes to
# build/fuzz/HARNESS.log and is printed when it ends. Seeds: the shipped scenarios and
# tests/fuzz/regressions (the drill: tests/drill); dictionaries: tests/fuzz/scenario.dict,
# tests/fuzz/drill.dict. Exits non-zero on a crash, leak, sanitizer report, timeout or
# out-of-memory, whose input is left in build/fuzz/artifacts/: add it to tests/fuzz/regressions/
# (tests/fuzz/regressions-drill/ for fuzz_drill; replayed by ctest in every build) along with the
# fix.
# Usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-120}
[[ $seconds =~ ^[0-9]+$ && $seconds -ge 1 ]] ||
  { echo "usage: scripts/fuzz.sh [SECONDS]" >&2; exit 2; }
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
harnesses=(fuzz_scenario_loader fuzz_scenario_run fuzz_drill)
cores=$(nproc)
(( cores > ${#harnesses[@]} )) && cores=${#harnesses[@]}
wall=$((seconds / cores))  # each harness runs this long; together they use `seconds` of CPU
[[ $wall -ge 1 ]] || wall=1
mkdir -p build/fuzz/artifacts
echo "=== ${harnesses[*]}: at once for ${wall} s"
pids=()
# Stopped early (a CI timeout, kill), the harnesses stop with the script.
trap '[[ ${#pids[@]} -eq 0 ]] || kill "${pids[@]}" 2>/dev/null || true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
for h in "${harnesses[@]}"; do
  corpus=build/fuzz/corpus/$h  # new inputs go here; the seeds stay as they are
  mkdir -p "$corpus"
  if [[ $h == fuzz_drill ]]; then
    dict=tests/fuzz/drill.dict
    seeds=(tests/drill/*/ tests/fuzz/regressions-drill)
  else
    dict=tests/fuzz/scenario.dict
    seeds=(scenarios tests/fuzz/regressions)
  fi
  # -timeout: one input taking 10 s is a hang; -rss_limit_mb: 2 GB is a runaway allocation.
  ASAN_OPTIONS=detect_leaks=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "build/fuzz/tests/fuzz/$h" -max_total_time="$wall" -timeout=10 -rss_limit_mb=2048 \
    -max_len=4096 -dict="$dict" -print_final_stats=1 \
    -artifact_prefix=build/fuzz/artifacts/"$h"- \
    "$corpus" "${seeds[@]}" > "build/fuzz/$h.log" 2>&1 &
  pids+=($!)
done
failed=()
for i in "${!harnesses[@]}"; do
  h=${harnesses[$i]}
  rc=0
  wait "${pids[$i]}" || rc=$?
  echo "=== $h (exit $rc): build/fuzz/$h.log"
  if [[ $rc -ne 0 ]]; then
    cat "build/fuzz/$h.log"
    failed+=("$h")
  else
    tail -n 20 "build/fuzz/$h.log"  # libFuzzer's final statistics
  fi
done
pids=()  # all ended: nothing for the trap to stop
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz: ${failed[*]} failed; the input is in build/fuzz/artifacts/" >&2
  exit 1
fi
echo "fuzz: no crash in ${seconds} s of processor time (${wall} s each, at once)"
