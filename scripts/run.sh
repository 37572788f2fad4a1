#!/usr/bin/env bash
# Sets up (missing Debian packages), builds the release preset and runs the main job.
# Today the main job is the kernel benchmark; `synlab run` on a default scenario replaces it
# once the scenario front end lands.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release
./build/release/bench/kernel_bench "$@"
