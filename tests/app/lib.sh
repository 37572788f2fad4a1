# Shared by the shell tests of the synlab command line (cli, shards, mpi, man page): counters,
# checks and output comparisons. Source it after setting `synlab`:
#   synlab=$1
#   source "$(dirname "$0")/lib.sh"
# It makes a scratch folder `$work`, removed on exit. End a test with `finish NAME`.

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
passes=0

# fail MESSAGE...: counts a failure and says what.
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# check NAME CONDITION...: counts a pass if the command CONDITION succeeds, else a failure.
check() {
  local name=$1
  shift
  if "$@"; then
    passes=$((passes + 1))
  else
    fail "$name"
  fi
}

# expect NAME CODE PATTERN -- ARGS...: runs synlab ARGS; its exit code must be CODE and its
# combined output must match the extended regular expression PATTERN.
expect() {
  local name=$1 code=$2 pattern=$3
  shift 4
  local output status
  output=$("$synlab" "$@" 2>&1)
  status=$?
  if [[ $status -ne $code ]] || ! grep -qE -- "$pattern" <<<"$output"; then
    fail "$name: exit $status (want $code); output:"
    sed 's/^/    /' <<<"$output"
    echo "    (wanted /$pattern/)"
  else
    passes=$((passes + 1))
  fi
}

# same_outputs A B [SED-EXPRESSION]: folders A and B hold the same files with the same bytes,
# summary.json aside, whose lines must agree but for its command line and the lines
# SED-EXPRESSION deletes (e.g. '/"mpi_ranks"/d').
same_outputs() {
  local a=$1 b=$2 extra=${3:-} f
  [[ "$(cd "$a" && find . -type f | sort)" == "$(cd "$b" && find . -type f | sort)" ]] ||
    { fail "$a and $b hold different files"; return; }
  for f in $(cd "$a" && find . -type f ! -name summary.json); do
    cmp -s "$a/$f" "$b/$f" || fail "$f differs between $a and $b"
  done
  # The command line is summary.json's one array of strings spread over lines; drop it.
  local strip=(-e '/"command_line": \[/,/\]/d')
  [[ -n $extra ]] && strip+=(-e "$extra")
  diff <(sed "${strip[@]}" "$a/summary.json") <(sed "${strip[@]}" "$b/summary.json") >/dev/null ||
    fail "summary.json differs between $a and $b beyond the command line${extra:+ and $extra}"
}

# wait_for GLOB: waits (at most 30 s, never a hang) until GLOB names a file, e.g. the
# connections.csv a running synlab writes in its staging directory.
wait_for() {
  local waited=0
  while ! compgen -G "$1" >/dev/null && [[ $waited -lt 300 ]]; do
    sleep 0.1
    waited=$((waited + 1))
  done
}

# finish NAME: prints the counts; the test's exit status is 0 only with no failure.
finish() {
  echo "$1: $passes passed, $failures failed"
  [[ $failures -eq 0 ]]
}
