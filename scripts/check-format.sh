#!/usr/bin/env bash
# Fails if a C++ source differs from what clang-format (with the repo's .clang-format) writes.
set -u
root=${1:-$(dirname "$0")/..}
cd "$root" || exit 2
mapfile -t files < <(git ls-files -co --exclude-standard -- '*.cpp' '*.hpp' 2>/dev/null ||
                     find sim models viz app tests bench -name '*.[ch]pp' 2>/dev/null)
[[ ${#files[@]} -gt 0 ]] || { echo "format: no sources found"; exit 1; }
bad=()
for f in "${files[@]}"; do
  [[ -f "$f" ]] || continue
  clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [[ ${#bad[@]} -gt 0 ]]; then
  echo "format: not clang-formatted (run: clang-format -i FILE):"
  printf '  %s\n' "${bad[@]}"
  exit 1
fi
echo "format: ok (${#files[@]} files)"
