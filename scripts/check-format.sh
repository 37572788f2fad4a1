#!/usr/bin/env bash
# Fails if a C++ source differs from what clang-format (with the repo's .clang-format) writes.
# One clang-format process checks every file: starting one per file took 40 s of CI's time.
set -u
root=${1:-$(dirname "$0")/..}
cd "$root" || exit 2
mapfile -t files < <(git ls-files -co --exclude-standard -- '*.cpp' '*.hpp' 2>/dev/null ||
                     find sim models viz app tests bench -name '*.[ch]pp' 2>/dev/null)
existing=()
for f in "${files[@]}"; do [[ -f "$f" ]] && existing+=("$f"); done
[[ ${#existing[@]} -gt 0 ]] || { echo "format: no sources found"; exit 1; }
if out=$(clang-format --dry-run --Werror "${existing[@]}" 2>&1); then
  echo "format: ok (${#existing[@]} files)"
  exit 0
fi
# Each difference is reported as "FILE:LINE:COLUMN: error: ...", followed by the source line
# (which may itself look like that, as a test's expected message does): a line names a file
# only if it starts with one of the names checked, followed by a line and a column.
mapfile -t bad < <(awk -v names="$(printf '%s\n' "${existing[@]}")" '
  BEGIN { n = split(names, list, "\n") }
  / error: / {
    for (i = 1; i <= n; ++i) {
      f = list[i]
      if (f != "" && index($0, f ":") == 1 && substr($0, length(f) + 2) ~ /^[0-9]+:[0-9]+: error: /)
        print f
    }
  }' <<<"$out" | sort -u)
if [[ ${#bad[@]} -eq 0 ]]; then
  echo "format: clang-format failed:"
  echo "$out"
  exit 1
fi
echo "format: not clang-formatted (run: clang-format -i FILE):"
printf '  %s\n' "${bad[@]}"
exit 1
