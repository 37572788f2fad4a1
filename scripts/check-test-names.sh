#!/usr/bin/env bash
# Fails if a doctest TEST_CASE name holds ';': doctest_discover_tests passes names through a
# CMake list, so such a test's CTest entry is cut at the ';' and runs no test case at all.
set -u
root=${1:-$(dirname "$0")/..}
hits=$(grep -rn 'TEST_CASE("[^"]*;' "$root/tests" 2>/dev/null)
if [[ -n "$hits" ]]; then
  echo "test names: these hold ';' and would not run under CTest (use ',' or ' - '):"
  echo "$hits"
  exit 1
fi
echo "test names: ok"
