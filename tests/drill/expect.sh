#!/usr/bin/env bash
# Runs `synlab drill -q SCRIPT` and checks the verdict its `// expect-failure: TEXT` (exit code 1),
# `// expect-refused: TEXT` or `// expect-invalid: TEXT` (exit code 2) line names, and that TEXT
# is in the output.
set -u
synlab=$1
script=$2
if line=$(grep -m1 '^// expect-failure: ' "$script"); then
  want_code=1
  want_text=${line#// expect-failure: }
elif line=$(grep -m1 '^// expect-refused: ' "$script"); then
  want_code=2
  want_text=${line#// expect-refused: }
elif line=$(grep -m1 '^// expect-invalid: ' "$script"); then
  want_code=2
  want_text=${line#// expect-invalid: }
else
  echo "$script: no '// expect-failure:', '// expect-refused:' or '// expect-invalid:' line"
  exit 1
fi
output=$("$synlab" drill -q "$script" 2>&1)
code=$?
echo "$output"
if [[ $code -ne $want_code ]]; then
  echo "expected exit code $want_code, got $code"
  exit 1
fi
if [[ "$output" != *"$want_text"* ]]; then
  echo "expected the output to contain: $want_text"
  exit 1
fi
echo "ok: exit code $code and the expected message"
