#!/usr/bin/env bash
# Regenerates the example plots of docs/plots.md (docs/images/*.png) from the shipped scenarios.
# Usage: scripts/plot-examples.sh [path/to/synlab]   (default: build/release/synlab)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
synlab=${1:-$root/build/release/synlab}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$synlab" run "$root/scenarios/first-syn-lost.yaml" -o "$work/lost" -q >/dev/null
"$synlab" plot "$work/lost" --kind ladder
"$synlab" plot "$work/lost" --kind timeseq
"$synlab" run "$root/scenarios/timing-under-loss.yaml" -o "$work/lab" -q >/dev/null
"$synlab" plot "$work/lab" --kind timing
"$synlab" plot "$work/lab" --kind cdf
mkdir -p "$root/docs/images"
cp "$work/lost/ladder.png" "$root/docs/images/ladder.png"
cp "$work/lost/timeseq.png" "$root/docs/images/timeseq.png"
cp "$work/lab/timing.png" "$root/docs/images/timing.png"
cp "$work/lab/cdf.png" "$root/docs/images/cdf.png"
echo "plot-examples: wrote docs/images/{ladder,timeseq,timing,cdf}.png"
