#!/usr/bin/env bash
# mpi_bench: a sweep over MPI ranks on this machine (issue 16): wall time of `synlab run` alone
# (--jobs 1 and 2), and under mpirun with 1 and 2 ranks of one thread each (--jobs 1), best of
# 3; then gather_bench's cost per gathered run (bytes, encode/decode, files, the MPI message).
# Scenario: 2 profiles x 4 loss levels x 2 replications = 16 runs of N connections (default
# 2000), one per 10 ms over a 50 ms link.
# Usage: bench/mpi_bench.sh [--synlab PATH] [N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
synlab=$root/build/release/synlab
gather=$root/build/release/bench/gather_bench
n=2000
while [[ $# -gt 0 ]]; do
  case $1 in
    --synlab) synlab=$2; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) n=$1; shift ;;
  esac
done
command -v mpirun >/dev/null || { echo "mpi_bench: needs mpirun (apt-get install openmpi-bin)" >&2; exit 2; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/bench.yaml" <<YAML
name: mpi-bench
seed: 1
nodes: [client, server]
links:
  wan: {between: [client, server], delay: 50ms, loss: 0}
apps:
  - {listen: server:80, backlog: 4096}
  - {connect: client -> server:80, count: $n, interval: 10ms}
sweep:
  tcp.profile: [linux, classic]
  links.wan.loss: [0, 0.05, 0.1, 0.2]
repeat: 2
YAML

# best of 3 runs of "$@" by wall time: "wall_s cpu_s" (CPU: user + system, children included).
# On a machine others share, wall time follows the load (see `uptime`); CPU time does not.
best() {
  local b= line
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >/dev/null 2>&1 ||
      { echo "mpi_bench: failed: $*" >&2; exit 1; }
    line=$(awk '{printf "%.2f %.2f", $1, $2 + $3}' "$work/time")
    if [[ -z $b ]] || awk -v x="${line%% *}" -v y="${b%% *}" 'BEGIN{exit !(x < y)}'; then b=$line; fi
  done
  echo "$b"
}
[[ -x /usr/bin/time ]] || { echo "mpi_bench: needs GNU time (apt-get install time)" >&2; exit 2; }

echo "mpi_bench: 16 runs of $n connections, $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg)"
alone1=$(best "$synlab" run "$work/bench.yaml" -o "$work/a1" -q --jobs 1)
alone2=$(best "$synlab" run "$work/bench.yaml" -o "$work/a2" -q --jobs 2)
mpi1=$(best mpirun --oversubscribe -np 1 "$synlab" run "$work/bench.yaml" -o "$work/m1" -q --jobs 1)
mpi2=$(best mpirun --oversubscribe -np 2 "$synlab" run "$work/bench.yaml" -o "$work/m2" -q --jobs 1)
printf '  %-32s %8s %8s\n' "" "wall s" "CPU s"
for row in "alone, --jobs 1:$alone1" "alone, --jobs 2:$alone2" "mpirun -np 1, --jobs 1:$mpi1" \
  "mpirun -np 2, --jobs 1 each:$mpi2"; do
  read -r w c <<<"${row#*:}"
  printf '  %-32s %8.2f %8.2f\n' "${row%%:*}" "$w" "$c"
done
awk -v a="${mpi1%% *}" -v b="${mpi2%% *}" -v j="${alone1%% *}" -v k="${alone2%% *}" 'BEGIN {
  printf "  wall-time speed-up 1 -> 2 ranks: %.2fx (threads, --jobs 1 -> 2: %.2fx)\n", a / b, j / k }'
for d in a2 m1 m2; do
  cmp -s "$work/a1/connections.csv" "$work/$d/connections.csv" ||
    { echo "mpi_bench: $d/connections.csv differs" >&2; exit 1; }
done
echo "  connections.csv: identical in all four ($(du -k "$work/a1/connections.csv" | cut -f1) kB)"
echo
"$gather" --connections "$n"
mpirun --oversubscribe -np 2 "$gather" --connections "$n"
