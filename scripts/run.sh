#!/usr/bin/env bash
# Sets up (missing Debian packages), builds `synlab` (release preset) and runs a scenario:
# scenarios/first-syn-lost.yaml unless another is named. Extra arguments go to `synlab run`.
#   ./scripts/run.sh
#   ./scripts/run.sh scenarios/timing-under-loss.yaml --set repeat=5
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target synlab  # the program only; test.sh builds the rest
scenario=scenarios/first-syn-lost.yaml
if [[ $# -gt 0 && $1 != -* ]]; then
  scenario=$1
  shift
fi
echo "=== synlab run $scenario $*"
./build/release/synlab run "$scenario" "$@"
