#!/usr/bin/env bash
# `synlab report` in a real browser (issue 14): a single run's page, a sweep's page and a
# comparison page are rendered by headless Chromium; each must load with no console message
# (a script error, a failed load), reference no file outside itself, and draw something: its
# screenshot is not blank. The checks are first shown to fail on a broken page and a blank one.
# Usage: report_browser_test.sh SYNLAB SOURCE_DIR. Exits 77 (CTest: skipped) without chromium.
set -euo pipefail
synlab=$1
root=$2
browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $browser ]]; then
  echo "report_browser: chromium is not installed (scripts/setup.sh installs it): skipped"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen

# Renders $1 (a file) into $work/shot.png; its log (console messages) into $work/log.
render() {
  timeout 120 "$browser" --headless=new --no-sandbox --disable-gpu --hide-scrollbars \
    --user-data-dir="$work/profile" --window-size=1300,2400 --enable-logging=stderr --v=0 \
    --screenshot="$work/shot.png" "file://$1" >/dev/null 2>"$work/log"
}
# Console messages Chromium logged (its own diagnostics are other lines).
console_messages() { grep -F ':CONSOLE' "$work/log" || true; }
# Exit 0 if $work/shot.png has drawn content: more than 1% of its decoded bytes are neither
# 0 nor 255 (a blank page, filtered or not, is all 0 or 255).
drawn() {
  python3 - "$work/shot.png" <<'PY'
import sys, zlib
data = open(sys.argv[1], 'rb').read()
pos, idat = 8, b''
while pos < len(data):
    length = int.from_bytes(data[pos:pos + 4], 'big')
    kind = data[pos + 4:pos + 8]
    if kind == b'IDAT':
        idat += data[pos + 8:pos + 8 + length]
    pos += 12 + length
raw = zlib.decompress(idat)
other = sum(1 for b in raw if b not in (0, 255))
sys.exit(0 if other > len(raw) // 100 else 1)
PY
}

# The checks can fail: a script error is seen, and a blank page is blank.
printf '<!DOCTYPE html><html><body><script>no_such_function();</script></body></html>' \
  >"$work/broken.html"
render "$work/broken.html"
[[ -n $(console_messages) ]] || { echo "FAIL: the console check missed a script error"; exit 1; }
printf '<!DOCTYPE html><html><body></body></html>' >"$work/blank.html"
render "$work/blank.html"
if drawn; then echo "FAIL: the blank check took a blank page for drawn"; exit 1; fi

"$synlab" run "$root/scenarios/first-syn-lost.yaml" -o "$work/single" -q \
  --set outputs.packets=true >/dev/null
"$synlab" run "$root/scenarios/timing-under-loss.yaml" -o "$work/sweep" -q \
  >/dev/null
"$synlab" report "$work/single" >/dev/null
"$synlab" report "$work/sweep" >/dev/null
"$synlab" report "$work/single" "$work/sweep" -o "$work/compare.html" >/dev/null

status=0
for page in "$work/single/report.html" "$work/sweep/report.html" "$work/compare.html"; do
  name=${page#"$work/"}
  # Self-contained: every src and href is a data: URI or a fragment.
  if grep -oE '(src|href)="[^"]*"' "$page" | grep -vE '="(data:|#)' >/dev/null; then
    echo "FAIL: $name refers to another file:"
    grep -oE '(src|href)="[^"]*"' "$page" | grep -vE '="(data:|#)' | head -3
    status=1
  fi
  render "$page"
  if [[ -n $(console_messages) ]]; then
    echo "FAIL: $name: console messages:"
    console_messages
    status=1
  fi
  if ! drawn; then
    echo "FAIL: $name: the screenshot is blank"
    status=1
  fi
  [[ $status -ne 0 ]] || echo "ok: $name"
done
exit $status
