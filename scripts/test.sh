#!/usr/bin/env bash
# Sets up (missing Debian packages), then builds and runs the whole test suite twice:
# the release preset, and the asan preset (AddressSanitizer + UndefinedBehaviorSanitizer).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
for preset in release asan; do
  echo "=== $preset: configure, build, test"
  cmake --workflow --preset "$preset"
done
