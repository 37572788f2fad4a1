#!/usr/bin/env bash
# Builds the libFuzzer harnesses (the fuzz preset: clang, -fsanitize=fuzzer,address,undefined)
# and runs each for its share of SECONDS (default 120): fuzz_scenario_loader (a scenario file
# through the loader and validation) and fuzz_scenario_run (an accepted scenario run with an
# event budget), and fuzz_drill (a drill script parsed and, if valid, run). Seeds: the shipped
# scenarios and tests/fuzz/regressions (the drill: tests/drill); dictionaries:
# tests/fuzz/scenario.dict, tests/fuzz/drill.dict. Exits non-zero on the first crash, leak, sanitizer report, timeout
# or out-of-memory, whose input is left in build/fuzz/artifacts/: add it to
# tests/fuzz/regressions/ (tests/fuzz/regressions-drill/ for fuzz_drill; replayed by ctest in
# every build) along with the fix.
# Usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-120}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
harnesses=(fuzz_scenario_loader fuzz_scenario_run fuzz_drill)
share=$((seconds / ${#harnesses[@]}))
[[ $share -ge 1 ]] || share=1
mkdir -p build/fuzz/artifacts
for h in "${harnesses[@]}"; do
  corpus=build/fuzz/corpus/$h  # new inputs go here; the seeds stay as they are
  mkdir -p "$corpus"
  echo "=== $h: ${share} s"
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
    "build/fuzz/tests/fuzz/$h" -max_total_time="$share" -timeout=10 -rss_limit_mb=2048 \
    -max_len=4096 -dict="$dict" -print_final_stats=1 \
    -artifact_prefix=build/fuzz/artifacts/"$h"- \
    "$corpus" "${seeds[@]}"
done
echo "fuzz: no crash in ${seconds} s"
