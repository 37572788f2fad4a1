#!/usr/bin/env bash
# Checks the dependency arrows app -> viz/models -> sim on #include lines (STYLE §1):
# Debian puts yaml-cpp and Qt on the default include path, so CMake alone cannot.
set -u
root=${1:-$(dirname "$0")/..}
cd "$root" || exit 2
status=0
check() {  # check DIR PATTERN WHY
  local hits
  hits=$(grep -rnE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($2)" "$1" 2>/dev/null)
  if [[ -n "$hits" ]]; then
    echo "layering: $1/ must not include $3:"
    echo "$hits"
    status=1
  fi
}
check sim 'models/|viz/|app/|yaml-cpp|Q[A-Za-z]|CLI/|pcap' 'models, viz, app, YAML, Qt or CLI headers'
check models 'viz/|app/|yaml-cpp|Q[A-Za-z]|CLI/' 'viz, app, YAML, Qt or CLI headers'
check viz 'app/|yaml-cpp|CLI/' 'app, YAML or CLI headers'
[[ $status -eq 0 ]] && echo "layering: ok (sim <- models, viz <- app)"
exit $status
