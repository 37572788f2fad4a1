#!/usr/bin/env bash
# run_bench: `synlab run` end to end, as a user runs it (issue 11): the whole process, from the
# command line to the files, timed and measured for peak RSS by GNU time.
# Scenario: two nodes 50 ms apart (one way), one connection per ms, each closed by the client
# once established (linux profile, but a 5 s MSL: the client's TIME-WAIT of 2 MSL = 10 s holds
# 10,000 of the 25,536 ephemeral ports; Linux's 60 s would exhaust them after 25 s at this rate);
# connections.csv only (packets and states off), or with --traces, packets.csv and states.csv.
# Usage: bench/run_bench.sh [--synlab PATH] [--traces] [--jobs N] [--ns3 PATH] [N ...]
#   default N: 1000 10000 100000 1000000 10000000
#   --ns3 PATH: then the same N with PATH (a built bench/ns3_handshake_bench: this scenario on
#   ns-3, writing its connections.csv), in a second table of the same columns. ns-3 needs
#   minutes from N = 100000 on: give N.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
synlab=$root/build/release/synlab
traces=false
jobs=1
ns3=
sizes=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --synlab) synlab=$2; shift 2 ;;
    --traces) traces=true; shift ;;
    --jobs) jobs=$2; shift 2 ;;
    --ns3) ns3=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) sizes+=("$1"); shift ;;
  esac
done
[[ ${#sizes[@]} -gt 0 ]] || sizes=(1000 10000 100000 1000000 10000000)
[[ -x /usr/bin/time ]] || { echo "run_bench: needs GNU time (apt-get install time)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/bench.yaml" <<YAML
name: run-bench
seed: 1
nodes: [client, server]
links:
  wan: {between: [client, server], delay: 50ms}
tcp: {profile: linux, msl: 5s}
apps:
  - {listen: server:80, backlog: 4096}
  - {connect: client -> server:80, count: 1000, interval: 1ms}
outputs: {packets: $traces, states: $traces}
YAML
# One table row from GNU time's "wall_s peak_RSS_KB" in $work/time and the size of $work/out.
row() {
  read -r wall rss_kb <"$work/time"
  size=$(du -sm "$work/out" | cut -f1)
  awk -v n="$1" -v w="$wall" -v r="$rss_kb" -v s="$size" 'BEGIN {
    rate = w > 0 ? n / w : 0; per = n > 0 ? w * 1e9 / n : 0
    printf "%-10d %10.2f %14.0f %12.0f %12.1f %14d\n", n, w, rate, per, r / 1024, s }'
  rm -rf "$work/out"
}
header() {
  printf '%-10s %10s %14s %12s %12s %14s\n' N wall_s handshakes/s ns/handshake peak_RSS_MB csv_MB
}
[[ -z $ns3 ]] || echo "synlab ($synlab)"
header
for n in "${sizes[@]}"; do
  /usr/bin/time -f '%e %M' -o "$work/time" "$synlab" run "$work/bench.yaml" -q -j "$jobs" \
    --set "apps.1.count=$n" -o "$work/out" >/dev/null
  row "$n"
done
[[ -n $ns3 ]] || exit 0
echo
echo "ns-3 ($ns3)"
header
for n in "${sizes[@]}"; do
  mkdir "$work/out"
  /usr/bin/time -f '%e %M' -o "$work/time" "$ns3" "$n" --csv="$work/out/connections.csv" \
    >/dev/null
  row "$n"
done
