#!/usr/bin/env bash
# `synlab completion bash` (issue 14): sourced into bash, its completion function is called as
# bash calls it on TAB (COMP_WORDS, COMP_CWORD) and must offer what `synlab --help` names.
# Usage: completion_test.sh PATH/TO/synlab
set -u
synlab=$1
# shellcheck source=tests/app/lib.sh
source "$(dirname "$0")/lib.sh"

script=$("$synlab" completion bash) || {
  echo "FAIL: synlab completion bash exited $?"
  exit 1
}
# shellcheck disable=SC1090
source <(printf '%s\n' "$script")
if [[ $(complete -p synlab 2>/dev/null) != *"-F _synlab synlab"* ]]; then
  echo "FAIL: the script does not register _synlab for synlab"
  exit 1
fi

# expect NAME "WANTED WORDS" WORD...: completes the command line WORD... (the last word is the
# one under the cursor, "" after a space) and compares the offers, sorted, with WANTED.
expect() {
  local name=$1 wanted=$2
  shift 2
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMP_LINE="$*"
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  _synlab synlab "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
  local got
  got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//')
  wanted=$(tr ' ' '\n' <<<"$wanted" | sort | tr '\n' ' ' | sed 's/ $//')
  if [[ $got != "$wanted" ]]; then
    fail "$name: '$*' offered [$got], wanted [$wanted]"
  else
    passes=$((passes + 1))
  fi
}

# The commands `synlab --help` lists (app/command_line.cpp).
expect "synlab pl<TAB>" "plot" synlab pl
expect "synlab <TAB>" "drill merge plot report run validate view" synlab ""
expect "synlab r<TAB>" "report run" synlab r
expect "top-level options" "--help --version" synlab --
# Options of one command, and their values where they are a fixed set.
expect "synlab plot --ki<TAB>" "--kind" synlab plot --ki
expect "synlab plot OUT --ki<TAB>" "--kind" synlab plot out/x --ki
expect "plot's options" "--ccdf --conn --format --help --kind --output --size --x" synlab plot out --
expect "synlab plot --kind <TAB> (docs/plots.md)" "all cdf ladder timeseq timing" synlab plot --kind ""
expect "synlab plot -k t<TAB>" "timeseq timing" synlab plot -k t
expect "synlab plot --kind=<TAB>" "all cdf ladder timeseq timing" synlab plot out --kind =
expect "synlab plot --kind=la<TAB>" "ladder" synlab plot out --kind = la
expect "synlab plot --format <TAB>" "png svg" synlab plot out --format ""
expect "synlab plot --x <TAB>" "effective-loss swept" synlab plot out --x ""
expect "synlab view -k <TAB>" "all cdf ladder timeseq timing" synlab view out -k ""
expect "synlab drill --profile <TAB>" "classic linux linux-classic rfc6298 rfc793" \
  synlab drill --profile ""
expect "synlab completion <TAB>" "bash" synlab completion ""
expect "a value to type: --conn" "" synlab plot out --conn ""
expect "validate's options" "--help --quiet --set" synlab validate x.yaml --
expect "-q completes" "-q" synlab run -q

# File arguments: scenarios are *.yaml (and folders to look in), OUTDIR is a directory.
mkdir -p "$work/d/out1" "$work/d/scen"
: >"$work/d/a.yaml"
: >"$work/d/b.txt"
: >"$work/d/c.pkt"
cd "$work/d" || exit 1
expect "synlab run <TAB>: *.yaml and folders" "a.yaml out1 scen" synlab run ""
expect "synlab validate a<TAB>" "a.yaml" synlab validate a
expect "synlab run x.yaml -o <TAB>: folders" "out1 scen" synlab run x.yaml -o ""
expect "synlab run --seed 3 <TAB>: still the scenario" "a.yaml out1 scen" synlab run --seed 3 ""
expect "synlab plot <TAB>: folders" "out1 scen" synlab plot ""
expect "synlab plot --kind ladder <TAB>: folders" "out1 scen" synlab plot --kind ladder ""
expect "synlab merge OUT <TAB>: shard folders" "out1 scen" synlab merge out1 ""
expect "synlab drill <TAB>: *.pkt and folders" "c.pkt out1 scen" synlab drill ""
expect "synlab plot OUT -o <TAB>: any file" "a.yaml b.txt c.pkt out1 scen" synlab plot out1 -o ""

finish completion
