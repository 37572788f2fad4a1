#!/usr/bin/env bash
# startup_bench: what a command costs before it does anything, as a user meets it on small
# scenarios, `synlab validate` while editing, and each TAB of the shell completion: the whole
# process, from exec to exit, for `synlab --version`, `synlab validate` and `synlab run` of one
# connection (no traces), each the mean of K starts (default 200), in rounds that alternate the
# commands (and the programs, with --against) so that a change of the machine's load shows in
# all alike. A program that only starts (/bin/true) is timed too: what no program can save.
# Usage: bench/startup_bench.sh [--synlab PATH] [--against PATH] [--starts K] [--rounds R]
#   --against PATH: another synlab (an older build, copied beside its own modules) timed in the
#   same rounds, for a before/after comparison.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
synlab=$root/build/release/synlab
against=
starts=200
rounds=3
while [[ $# -gt 0 ]]; do
  case $1 in
    --synlab) synlab=$2; shift 2 ;;
    --against) against=$2; shift 2 ;;
    --starts) starts=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "startup_bench: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/one.yaml" <<'YAML'
name: startup
nodes: [client, server]
links:
  wan: {between: [client, server], delay: 50ms}
apps:
  - {listen: server:80}
  - {connect: client -> server:80}
outputs: {packets: false, states: false}
YAML

# Mean wall time in microseconds of $starts runs of the command given.
mean_us() {
  local s e
  s=$(date +%s%N)
  for ((i = 0; i < starts; i++)); do "$@" >/dev/null 2>&1 || true; done
  e=$(date +%s%N)
  echo $(((e - s) / starts / 1000))
}
programs=("$synlab")
[[ -n $against ]] && programs+=("$against")
# Each command must work before it is timed (the timing loop ignores exit codes).
for p in "${programs[@]}"; do
  for command in "--version" "validate $work/one.yaml" "run $work/one.yaml -o $work/out -q"; do
    # shellcheck disable=SC2086  # the command's words
    "$p" $command >/dev/null 2>&1 || { echo "startup_bench: $p $command failed" >&2; exit 1; }
  done
done
declare -A best
for ((r = 1; r <= rounds; r++)); do
  for p in "${programs[@]}"; do
    for what in version validate run; do
      case $what in
        version) t=$(mean_us "$p" --version) ;;
        validate) t=$(mean_us "$p" validate "$work/one.yaml") ;;
        run) t=$(mean_us "$p" run "$work/one.yaml" -o "$work/out" -q) ;;
      esac
      key="$p|$what"
      [[ -z ${best[$key]:-} || $t -lt ${best[$key]} ]] && best[$key]=$t
    done
  done
  t=$(mean_us /bin/true)
  [[ -z ${best[true]:-} || $t -lt ${best[true]} ]] && best[true]=$t
done
echo "startup_bench: mean wall time of $starts starts, best of $rounds rounds (ms)"
printf '%-40s %10s %10s %10s\n' program --version validate "run, 1 conn"
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }
for p in "${programs[@]}"; do
  printf '%-40s %10s %10s %10s\n' "$(basename "$(dirname "$p")")/$(basename "$p")" \
    "$(ms "${best[$p|version]}")" "$(ms "${best[$p|validate]}")" "$(ms "${best[$p|run]}")"
done
printf '%-40s %10s\n' "/bin/true (exec alone)" "$(ms "${best[true]}")"
