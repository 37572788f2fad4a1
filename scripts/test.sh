#!/usr/bin/env bash
# Sets up (missing Debian packages), then builds and runs the whole test suite twice:
# the release preset, and the asan preset (AddressSanitizer + UndefinedBehaviorSanitizer).
# In CI (CI=true) the fuzz harnesses then run for 2 minutes in all (scripts/fuzz.sh); any
# crash fails the build.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
for preset in release asan; do
  echo "=== $preset: configure, build, test"
  cmake --workflow --preset "$preset"
done
if [[ ${CI:-} == true ]]; then
  echo "=== fuzz: 120 s"
  ./scripts/fuzz.sh 120
fi
