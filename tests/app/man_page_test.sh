#!/usr/bin/env bash
# `synlab man` (issue 14): groff renders the page with every warning on (-ww) and says nothing,
# man -l reads it, and the documents SEE ALSO names are in the source tree.
# Usage: man_page_test.sh PATH/TO/synlab SOURCE_DIR
set -u
synlab=$1
root=$2
# shellcheck source=tests/app/lib.sh
source "$(dirname "$0")/lib.sh"

"$synlab" man >"$work/synlab.1" || fail "synlab man exited $?"
[[ -s $work/synlab.1 ]] || fail "synlab man printed nothing"
if ! command -v groff >/dev/null; then
  echo "groff is not installed (scripts/setup.sh installs groff-base)"
  exit 77
fi
groff -man -Tutf8 -ww -z "$work/synlab.1" 2>"$work/warnings" || fail "groff exited $?"
if [[ -s $work/warnings ]]; then
  fail "groff -man -ww warns:"
  sed 's/^/    /' "$work/warnings"
fi
text=$(groff -man -Tascii -P-cbou "$work/synlab.1" 2>/dev/null)
for heading in NAME SYNOPSIS DESCRIPTION OPTIONS COMMANDS EXAMPLES "EXIT STATUS" FILES \
  "SEE ALSO"; do
  grep -q "^$heading\$" <<<"$text" || fail "no section $heading in the rendered page"
done
# Option names come out as typed (ASCII hyphens), so a reader can search for them.
grep -q -- "--kind" <<<"$text" || fail "the rendered page has no --kind"
grep -q -- "synlab plot" <<<"$text" || fail "the rendered page has no 'synlab plot'"
if command -v man >/dev/null; then
  MANWIDTH=80 man -l "$work/synlab.1" 2>"$work/man-errors" | grep -q "EXIT STATUS" ||
    fail "man -l does not show the page"
  [[ -s $work/man-errors ]] && fail "man -l: $(cat "$work/man-errors")"
fi
# SEE ALSO names documents of the source tree: each must exist.
sed -n '/^\.SH "SEE ALSO"/,$p' "$work/synlab.1" | sed -n 's/^\.I //p' | sed 's/\\-/-/g' |
  while read -r doc; do
    [[ -f $root/$doc ]] || echo "$doc"
  done >"$work/missing"
[[ -s $work/missing ]] && fail "SEE ALSO names documents not in the source tree: $(cat "$work/missing")"

finish "man page"
