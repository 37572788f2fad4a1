#!/usr/bin/env bash
# Builds the libFuzzer harnesses (the fuzz preset: clang, -fsanitize=fuzzer,address,undefined)
# and runs each for its share of SECONDS (default 120): fuzz_scenario_loader (a scenario file
# through the loader and validation) and fuzz_scenario_run (an accepted scenario run with an
# event budget). Seeds: the shipped scenarios and tests/fuzz/regressions; dictionary:
# tests/fuzz/scenario.dict. Exits non-zero on the first crash, leak, sanitizer report, timeout
# or out-of-memory, whose input is left in build/fuzz/artifacts/: add it to
# tests/fuzz/regressions/ (replayed by ctest in every build) along with the fix.
# Usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-120}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
harnesses=(fuzz_scenario_loader fuzz_scenario_run)
share=$((seconds / ${#harnesses[@]}))
[[ $share -ge 1 ]] || share=1
mkdir -p build/fuzz/artifacts
for h in "${harnesses[@]}"; do
  corpus=build/fuzz/corpus/$h  # new inputs go here; the seeds stay as they are
  mkdir -p "$corpus"
  echo "=== $h: ${share} s"
  # -timeout: one input taking 10 s is a hang; -rss_limit_mb: 2 GB is a runaway allocation.
  ASAN_OPTIONS=detect_leaks=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "build/fuzz/tests/fuzz/$h" -max_total_time="$share" -timeout=10 -rss_limit_mb=2048 \
    -max_len=4096 -dict=tests/fuzz/scenario.dict -print_final_stats=1 \
    -artifact_prefix=build/fuzz/artifacts/"$h"- \
    "$corpus" scenarios tests/fuzz/regressions
done
echo "fuzz: no crash in ${seconds} s"
