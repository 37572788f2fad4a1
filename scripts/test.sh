#!/usr/bin/env bash
# Sets up (missing Debian packages), then builds and runs the whole test suite twice:
# the release preset, and the asan preset (AddressSanitizer + UndefinedBehaviorSanitizer).
# In CI (CI=true) the fuzz harnesses then share 120 s of processor time (scripts/fuzz.sh: 60 s
# on 2 cores); any crash fails the build. CTest runs as many tests at once as there are cores
# (CTEST_PARALLEL_LEVEL, when set, says otherwise). Each stage prints its time.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
stage() { echo "=== $* (at $((SECONDS - start)) s)"; }
stage "setup"
./scripts/setup.sh
export CTEST_PARALLEL_LEVEL=${CTEST_PARALLEL_LEVEL:-$(nproc)}
for preset in release asan; do
  stage "$preset: configure, build, test"
  cmake --workflow --preset "$preset"
done
if [[ ${CI:-} == true ]]; then
  stage "fuzz: 120 s of processor time"
  ./scripts/fuzz.sh 120
fi
stage "done"
