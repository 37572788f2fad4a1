#!/usr/bin/env bash
# limits_bench: how long `synlab validate` takes to refuse input at or past the largest limits
# (issue 15: refusals are to be fast, under a second), and to accept the largest file the
# limits allow. Wall time and peak RSS by GNU time; tests/app/cli_test.sh checks the same
# refusals happen, without timing them.
# Usage: bench/limits_bench.sh [--synlab PATH]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
synlab=$root/build/release/synlab
[[ ${1:-} == --synlab ]] && synlab=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
two='nodes: [client, server]
links:
  wan: {between: [client, server], delay: 10ms}
apps:
  - {listen: server:80}
  - {connect: client -> server:80}'
head -c 50000000 /dev/zero | tr '\0' 'a' | sed 's/^/name: /' >"$work/scalar-50MB.yaml"
values=$(seq -s, 0 999)
printf '%s\nsweep: {links.wan.delay: [%s], links.wan.jitter: [%s, 1s]}\n' "$two" \
  "${values//,/ms,}ms" "${values//,/ms,}ms" >"$work/sweep-1001000-points.yaml"
printf '%s\nsweep: {apps.1.count: [%s]}\n' "$two" "$(seq -s, 1 6 | sed 's/[0-9]/10000000/g')" \
  >"$work/sweep-6e7-connections.yaml"
python3 - "$work" <<'PY'
import sys
w = sys.argv[1]
n = 10000
body = "nodes: [" + ", ".join("n%d" % i for i in range(n)) + "]\nlinks:\n"
i = 0
while True:
    a, b = i % n, (i * 7 + 1) % n
    b = (b + 1) % n if a == b else b
    line = "  l%d: {between: [n%d, n%d]}\n" % (i, a, b)
    if len(body) + len(line) > 999000:
        break
    body += line
    i += 1
open(w + "/largest-accepted-1MB.yaml", "w").write(body)
open(w + "/nodes-10001.yaml", "w").write(
    "nodes: [" + ", ".join("n%d" % i for i in range(n + 1)) + "]\nlinks: {}\n")
PY
printf '%-34s %6s %9s  %s\n' input "exit" "seconds" "peak RSS"
for input in /dev/zero "$work"/scalar-50MB.yaml "$work"/sweep-1001000-points.yaml \
  "$work"/sweep-6e7-connections.yaml "$work"/nodes-10001.yaml "$work"/largest-accepted-1MB.yaml; do
  /usr/bin/time -f '%e %M' -o "$work/time" "$synlab" validate "$input" -q >/dev/null 2>&1 &&
    status=0 || status=$?
  read -r seconds kb < <(tail -n 1 "$work/time")
  printf '%-34s %6s %9s  %s MB\n' "$(basename "$input")" "$status" "$seconds" "$((kb / 1024))"
done
