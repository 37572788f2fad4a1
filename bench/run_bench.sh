#!/usr/bin/env bash
# run_bench: `synlab run` end to end, as a user runs it (issue 11): the whole process, from the
# command line to the files, timed and measured for peak RSS by GNU time.
# Scenario: two nodes 50 ms apart (one way), one connection per ms, each closed by the client
# once established (linux profile, but a 5 s MSL: the client's TIME-WAIT of 2 MSL = 10 s holds
# 10,000 of the 25,536 ephemeral ports; Linux's 60 s would exhaust them after 25 s at this rate);
# connections.csv only (packets and states off), or with --traces, packets.csv and states.csv.
# Usage: bench/run_bench.sh [--synlab PATH] [--traces] [--one-core] [--jobs N] [--ns3 PATH] [N ...]
#        bench/run_bench.sh --instructions [--synlab PATH] [--traces] [N ...]
#        bench/run_bench.sh --sweep [--synlab PATH] [--rounds R] [N]
#   default N: 1000 10000 100000 1000000 10000000 (with --instructions: 1000 10000 100000)
#   --one-core: the runs on one core (the script pins itself to the first CPU it may use), as issue
#   11's targets are stated; by default a single run formats its CSV rows on a second core.
#   --instructions: instead of timing, count the instructions each run executes under callgrind
#   (valgrind; apt-get install valgrind), a figure the machine's load does not move: the total,
#   and per handshake the total less a one-connection run's, divided by N. About 50 times
#   slower than a plain run: 10^5 takes about 20 s, 10^6 about 80 s.
#   --sweep: the speed-up of --jobs 2 on a sweep of N connections in all (default 10^6): four
#   points (links.wan.delay 50, 60, 70, 80 ms) of N/4 each, with --jobs 1 and --jobs 2, and beside
#   them what two processes that share nothing make of the same two CPUs at the same moment: the
#   sweep as --shard 1/2 on the first CPU and 2/2 on the second, at once (speed-up against
#   --jobs 1 in the column "shards"). R rounds (default 5) alternate the three; each round's
#   times and the medians are printed. Needs 2 CPUs.
#   --ns3 PATH: then the same N with PATH (a built bench/ns3_handshake_bench: this scenario on
#   ns-3, writing its connections.csv), in a second table of the same columns. ns-3 needs
#   minutes from N = 100000 on: give N.
# Columns: wall_s and ns/handshake are the whole process; sim_ns/handshake leaves out the
# start-up (the least wall time of five runs of one connection, printed first: loading the
# shared libraries, reading the scenario), to compare the cost per handshake across N. Each row
# is the fastest of 5 runs up to N = 10^4, of 3 up to 10^6 (ns-3: 10^5), of one above.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
synlab=$root/build/release/synlab
traces=false
jobs=1
one_core=false
ns3=
instructions=false
sweep=false
rounds=5
sizes=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --synlab) synlab=$2; shift 2 ;;
    --traces) traces=true; shift ;;
    --one-core) one_core=true; shift ;;
    --jobs) jobs=$2; shift 2 ;;
    --ns3) ns3=$2; shift 2 ;;
    --instructions) instructions=true; shift ;;
    --sweep) sweep=true; shift ;;
    --rounds) rounds=$2; shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0"; exit 0 ;;
    *) sizes+=("$1"); shift ;;
  esac
done
if [[ ${#sizes[@]} -eq 0 ]]; then
  if $instructions; then
    sizes=(1000 10000 100000)
  elif $sweep; then
    sizes=(1000000)
  else
    sizes=(1000 10000 100000 1000000 10000000)
  fi
fi
if $sweep; then
  [[ ${#sizes[@]} -eq 1 && -z $ns3 && $jobs -eq 1 ]] && ! $one_core && ! $instructions ||
    { echo "run_bench: --sweep takes one N and none of --one-core, --jobs, --ns3, --instructions" >&2; exit 2; }
  [[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "run_bench: --rounds takes a count from 1" >&2; exit 2; }
  cpus=$(grep Cpus_allowed_list /proc/self/status | cut -f2)
  [[ $(nproc) -ge 2 ]] || { echo "run_bench: --sweep needs 2 CPUs (this shell may use $cpus)" >&2; exit 2; }
fi
if $instructions; then
  ! $one_core || { echo "run_bench: --instructions counts instructions, not cores; drop --one-core" >&2; exit 2; }
  command -v valgrind >/dev/null || { echo "run_bench: --instructions needs valgrind (apt-get install valgrind)" >&2; exit 2; }
  [[ -z $ns3 ]] || { echo "run_bench: --instructions counts synlab only; drop --ns3" >&2; exit 2; }
else
  [[ -x /usr/bin/time ]] || { echo "run_bench: needs GNU time (apt-get install time)" >&2; exit 2; }
fi
# --one-core: this script, and so every process it starts, on the first CPU it may use (a taskset
# in front of each run would have its own start-up timed with the run's).
if $one_core; then
  taskset -cp "$(grep Cpus_allowed_list /proc/self/status | cut -f2 | cut -d, -f1 | cut -d- -f1)" $$ >/dev/null
fi
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
# Times are read from bash's clock ($EPOCHREALTIME, in us, its decimal sign dropped whatever the
# locale's): no process is started to read it, as `date` was, whose start-up (4 to 10 ms on a
# busy virtual machine) fell inside the time measured.
# Runs "$@" under GNU time: its peak RSS (KB) goes to $work/time, its wall time in ns (to the
# us, where GNU time gives 10 ms steps) to $work/wall.
timed() {
  local start=${EPOCHREALTIME//[!0-9]/} end
  /usr/bin/time -f '%M' -o "$work/time" "$@" >/dev/null
  end=${EPOCHREALTIME//[!0-9]/}
  echo $(((end - start) * 1000)) >"$work/wall"
}
# One table row from $work/wall, $work/time and the size of $work/out; $2 is the start-up in ns.
row() {
  read -r wall_ns <"$work/wall"
  read -r rss_kb <"$work/time"
  size=$(du -sm "$work/out" | cut -f1)
  awk -v n="$1" -v w="$wall_ns" -v b="$2" -v r="$rss_kb" -v s="$size" 'BEGIN {
    rate = w > 0 ? n * 1e9 / w : 0; per = n > 0 ? w / n : 0; net = n > 0 ? (w - b) / n : 0
    printf "%-10d %10.3f %14.0f %12.0f %16.0f %12.1f %10d\n", n, w / 1e9, rate, per, net,
           r / 1024, s }'
  rm -rf "$work/out"
}
header() {
  printf '%-10s %10s %14s %12s %16s %12s %10s\n' N wall_s handshakes/s ns/handshake \
    sim_ns/handshake peak_RSS_MB csv_MB
}
# The least wall time (ns) of five runs of one connection by $1 (synlab_run or ns3_run).
startup() {
  best_of 5 "$1" 1
  rm -rf "$work/out"
  cat "$work/wall"
}
# Runs "$2" "$3" (a runner and N) $1 times and keeps, in $work/wall and $work/time, the figures
# of the fastest run: on a shared machine a run of a few ms moves by as much as the start-up,
# and the least time is the one least disturbed.
best_of() {
  local runs=$1 best=0 wall_ns i
  for ((i = 0; i < runs; i++)); do
    rm -rf "$work/out"
    "$2" "$3"
    read -r wall_ns <"$work/wall"
    if ((best == 0 || wall_ns < best)); then
      best=$wall_ns
      cp "$work/time" "$work/time.best"
    fi
  done
  echo "$best" >"$work/wall"
  mv "$work/time.best" "$work/time"
}
# Runs per N ($1): more for the short runs, whose times the machine's noise moves most; three up
# to N = $2 (synlab's 10^6 takes about a second, ns-3's 10^5 minutes), one above.
runs_for() {
  if (($1 <= 10000)); then echo 5; elif (($1 <= $2)); then echo 3; else echo 1; fi
}
# One timed run of N connections ($1).
synlab_run() {
  timed "$synlab" run "$work/bench.yaml" -q -j "$jobs" -o "$work/out" \
    --set "apps.1.count=$1"
}
# The instructions one run of N connections ($1) executes, counted by callgrind (its
# "summary:" line: every thread, the writer threads included).
counted() {
  rm -rf "$work/out"
  valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" "$synlab" run \
    "$work/bench.yaml" -q -j 1 -o "$work/out" --set "apps.1.count=$1" >/dev/null 2>"$work/valgrind.log" ||
    { cat "$work/valgrind.log" >&2; exit 1; }
  rm -rf "$work/out"
  awk '$1 == "summary:" { print $2 }' "$work/callgrind.out"
}
if $instructions; then
  base=$(counted 1)
  echo "one connection: $base instructions"
  printf '%-10s %16s %16s\n' N instructions instr/handshake
  for n in "${sizes[@]}"; do
    total=$(counted "$n")
    awk -v n="$n" -v t="$total" -v b="$base" 'BEGIN { printf "%-10d %16.0f %16.0f\n", n, t, (t - b) / n }'
  done
  exit 0
fi
if $sweep; then
  n=${sizes[0]}
  each=$((n / 4))
  cat >>"$work/bench.yaml" <<YAML
sweep:
  links.wan.delay: [50ms, 60ms, 70ms, 80ms]
YAML
  # The first two CPUs this shell may use, from a list like "0-1" or "0,2-3".
  read -r cpu_a cpu_b < <(echo "$cpus" | tr ',' '\n' |
    awk -F- '{ for (c = $1; c <= ($2 == "" ? $1 : $2); c++) printf "%d ", c }' | cut -d' ' -f1,2)
  # Wall time in ms of "$@"; the script stops if it fails (set -e does not reach into $(...)).
  ms() {
    local start=${EPOCHREALTIME//[!0-9]/} end
    "$@" || { echo "run_bench: $1 $2 failed" >&2; exit 1; }
    end=${EPOCHREALTIME//[!0-9]/}
    echo $(((end - start) / 1000))
  }
  sweep_run() {
    rm -rf "$work/out"
    "$synlab" run "$work/bench.yaml" -q -j "$1" -o "$work/out" --set "apps.1.count=$each" >/dev/null
  }
  two_shards() {
    local first failed=0
    rm -rf "$work/s1" "$work/s2"
    taskset -c "$cpu_a" "$synlab" run "$work/bench.yaml" -q -j 1 --shard 1/2 -o "$work/s1" \
      --set "apps.1.count=$each" >/dev/null &
    first=$!
    taskset -c "$cpu_b" "$synlab" run "$work/bench.yaml" -q -j 1 --shard 2/2 -o "$work/s2" \
      --set "apps.1.count=$each" >/dev/null || failed=1
    wait "$first" || failed=1
    return "$failed"
  }
  echo "sweep: 4 points of $each connections; --jobs 1, --jobs 2, and two shards at once (CPUs $cpu_a and $cpu_b)"
  printf '%-6s %10s %10s %10s %10s %10s\n' round jobs1_ms jobs2_ms shards_ms jobs2_x shards_x
  one=() two=() shards=()
  for ((r = 1; r <= rounds; r++)); do
    a=$(ms sweep_run 1)
    b=$(ms sweep_run 2)
    c=$(ms two_shards)
    one+=("$a") two+=("$b") shards+=("$c")
    awk -v r="$r" -v a="$a" -v b="$b" -v c="$c" \
      'BEGIN { printf "%-6d %10d %10d %10d %10.2f %10.2f\n", r, a, b, c, a / b, a / c }'
  done
  median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
  a=$(median "${one[@]}") b=$(median "${two[@]}") c=$(median "${shards[@]}")
  awk -v a="$a" -v b="$b" -v c="$c" \
    'BEGIN { printf "%-6s %10d %10d %10d %10.2f %10.2f\n", "median", a, b, c, a / b, a / c }'
  exit 0
fi
[[ -z $ns3 ]] || echo "synlab ($synlab)"
base=$(startup synlab_run)
echo "start-up (one connection): $((base / 1000000)) ms"
header
for n in "${sizes[@]}"; do
  best_of "$(runs_for "$n" 1000000)" synlab_run "$n"
  row "$n" "$base"
done
[[ -n $ns3 ]] || exit 0
echo
echo "ns-3 ($ns3)"
ns3_run() {
  mkdir -p "$work/out"
  timed "$ns3" "$1" --csv="$work/out/connections.csv"
}
base=$(startup ns3_run)
echo "start-up (one connection): $((base / 1000000)) ms"
header
for n in "${sizes[@]}"; do
  best_of "$(runs_for "$n" 100000)" ns3_run "$n"
  row "$n" "$base"
done
