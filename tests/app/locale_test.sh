#!/usr/bin/env bash
# The user's locale does not change synlab's numbers. Qt's application object takes the user's
# locale for the C library (setlocale(LC_ALL, "")), and under a decimal-comma locale every
# printf would then write 0,1 for 0.1: the run's table, the report's figures, the plots' legends.
# A sweep run with plots, then its report, under de_DE.UTF-8 must give the files and the
# standard output of the same commands under the C locale, byte for byte.
# The de_DE locale is built here with localedef from the `locales` package's sources
# (scripts/setup.sh installs it); without them the test is skipped (exit 77).
# Usage: locale_test.sh PATH/TO/synlab
set -u
synlab=$1
# shellcheck source=tests/app/lib.sh
source "$(dirname "$0")/lib.sh"

mkdir -p "$work/locale"
if ! localedef -i de_DE -f UTF-8 "$work/locale/de_DE.UTF-8" >/dev/null 2>&1 &&
  [[ ! -d "$work/locale/de_DE.UTF-8" ]]; then
  echo "SKIP: localedef cannot build de_DE.UTF-8 (install the locales package)"
  exit 77
fi
comma() { LOCPATH="$work/locale" LC_ALL=de_DE.UTF-8 "$@"; }
# The test means something only if the locale really writes a decimal comma.
check "de_DE.UTF-8 writes 0,5" [ "$(comma /usr/bin/printf '%.1f' 0.5)" = "0,5" ]

# A sweep with non-integer values everywhere: loss probabilities, means, intervals, the model's
# RTT and SYN timeout in the timing plot's legend.
cat >"$work/sweep.yaml" <<'YAML'
name: locale
seed: 5
nodes: [client, server]
links:
  wan: {between: [client, server], delay: 50ms, loss: 0}
apps:
  - {listen: server:80}
  - {connect: client -> server:80, count: 20, interval: 60s}
sweep:
  links.wan.loss: [0, 0.1]
  tcp.profile: [linux, classic]
repeat: 2
outputs: {plots: [timing, cdf]}
YAML

# run_in DIR [ENV ...]: the run and its report in DIR (relative paths, so that summary.json's
# command line is the same in both).
run_in() {
  local dir=$1
  shift
  mkdir -p "$dir"
  (cd "$dir" && env -u LANG -u LANGUAGE "$@" "$synlab" run ../sweep.yaml -o out >stdout 2>&1 &&
    env -u LANG -u LANGUAGE "$@" "$synlab" report out -o report.html >>stdout 2>&1)
}
check "run and report, C locale" run_in "$work/c" LC_ALL=C
check "run and report, de_DE.UTF-8" run_in "$work/de" LOCPATH="$work/locale" LC_ALL=de_DE.UTF-8
check "the table has decimal points" grep -qE ' [0-9]+\.[0-9]{3} ' "$work/c/stdout"
if ! diff -r "$work/c" "$work/de" >"$work/diff" 2>&1; then
  fail "files or output differ under de_DE.UTF-8:"
  head -20 "$work/diff" | sed 's/^/    /'
else
  passes=$((passes + 1))
fi

finish locale
