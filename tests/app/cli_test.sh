#!/usr/bin/env bash
# The synlab command line: help, version, exit codes and error messages (issue: exit codes
# 0 success, 1 expectation failed, 2 bad input; never a stack trace on bad input).
# Usage: cli_test.sh PATH/TO/synlab
set -u
synlab=$1
# shellcheck source=tests/app/lib.sh
source "$(dirname "$0")/lib.sh"

cat >"$work/good.yaml" <<'YAML'
name: two-hosts
nodes: [client, server]
links:
  wan: {between: [client, server], delay: 10ms}
apps:
  - {listen: server:80}
  - {connect: client -> server:80}
sweep:
  links.wan.loss: [0, 0.1, 0.2]
repeat: 4
YAML
printf 'nodes: [client, server]\nlinks:\n  wan: {between: [client, server], dealy: 10ms}\n' >"$work/typo.yaml"
sed '/^sweep:/,$d' "$work/good.yaml" >"$work/typo-free.yaml"  # no sweep; repeat 4 goes too
printf 'repeat: 4\n' >>"$work/typo-free.yaml"
: >"$work/empty.yaml"

expect "help" 0 "Subcommands:" -- --help
expect "help names validate" 0 "validate +Check a scenario" -- --help
expect "help lists exit codes" 0 "Exit codes: 0 success, 1 an expectation failed, 2 bad input" -- --help
expect "validate help has an example" 0 "Example:" -- validate --help
expect "version" 0 "^synlab [0-9]+\.[0-9]+\.[0-9]+ \(source " -- --version
# The revision is read at every build, not when CMake configured: a build after a commit names
# that commit (in a git clone; a source tarball says "unknown"). Compared without "-dirty", which
# an edit since the build may have added or removed.
if head=$(git -C "$(dirname "$0")/../.." describe --always --abbrev=12 2>/dev/null); then
  expect "version names the commit built" 0 "\(source $head(-dirty)?\)$" -- --version
fi
# cmake/WriteVersion.cmake, which the build runs every time: it writes the revision, and leaves
# the file untouched (its time too) when the revision is the same, so that nothing recompiles.
src="$(cd "$(dirname "$0")/../.." && pwd)"
write_version() {
  cmake -DSOURCE_DIR="$src" -DPROJECT_VERSION=9.8.7 -DIN="$src/app/version.cpp.in" \
    -DOUT="$work/version.cpp" -P "$src/cmake/WriteVersion.cmake"
}
write_version
check "WriteVersion writes the version" grep -q '"9.8.7"' "$work/version.cpp"
touch -d '2001-01-01' "$work/version.cpp"
write_version
check "WriteVersion leaves an unchanged file alone" test "$(stat -c %Y "$work/version.cpp")" = "$(date -d 2001-01-01 +%s)"
sed -i 's/"9.8.7"/"0.0.0"/' "$work/version.cpp"
write_version
check "WriteVersion rewrites a changed file" grep -q '"9.8.7"' "$work/version.cpp"
expect "no subcommand" 2 "A subcommand is required" -- 
expect "unknown command" 2 "synlab: error: unknown command 'frobnicate' \(commands: run, merge, validate, plot, report, view, drill\)" -- frobnicate
expect "misspelled command" 2 "unknown command 'valdate' — did you mean 'validate'\?" -- valdate x.yaml
expect "validate ok" 0 "good.yaml: ok: scenario 'two-hosts', 2 nodes, 1 link, 2 apps, 0 scripted drops, 0 expectations; 3 sweep points x 4 = 12 runs" -- validate "$work/good.yaml"
expect "--set before the file" 0 "ok: scenario" -- validate --set seed=3 "$work/good.yaml"
expect "--set twice" 0 "ok: scenario 'renamed', 2 nodes, 1 link, 2 apps, 0 scripted drops, 0 expectations; 3 sweep points x 7 = 21 runs" -- validate --set name=renamed --set repeat=7 "$work/good.yaml"
expect "--set applied" 2 "--set links.wan.delay=-1ms: links.wan.delay: expected a duration of 0 or more" -- validate "$work/good.yaml" --set links.wan.delay=-1ms
expect "--set without =" 2 "expected PATH=VALUE" -- validate "$work/good.yaml" --set seed
# A --set of a swept value would be replaced at every point: refused, naming the axis to set.
expect "--set of a swept value refused" 2 "^synlab: error: --set links.wan.loss=0.9: links.wan.loss: the sweep varies links.wan.loss, whose values would replace this one at every point; set them with --set \"sweep.links.wan.loss=\[...\]\"" -- validate "$work/good.yaml" --set links.wan.loss=0.9
expect "--set of the swept axis itself" 0 "ok: scenario .* 2 sweep points" -- validate "$work/good.yaml" --set "sweep.links.wan.loss=[0.1, 0.9]"
expect "--set of a mapping holding a swept value" 0 "ok: scenario .* 3 sweep points" -- validate "$work/good.yaml" --set "links.wan={between: [client, server], delay: 20ms}"
# A sweep's keys are dotted paths: the rest of the path after sweep. (or sweep.zip.) is one key.
# pcap files are a single run's: a sweep that asks for them is told, and runs (docs/pcap.md).
expect "validate: a sweep with pcap is told" 0 "^synlab: note: outputs.pcap: a sweep or repeat writes no pcap files" -- validate "$work/good.yaml" --set outputs.pcap=true
expect "run: a sweep with pcap is told" 0 "synlab: note: outputs.pcap: a sweep or repeat writes no pcap files" -- run "$work/good.yaml" --set outputs.pcap=true -o "$work/sweep-pcap"
check "run: a sweep with pcap writes none" test -z "$(find "$work/sweep-pcap" -name '*.pcap')"
expect "outputs cannot be swept" 2 "sweep.outputs.pcap: cannot be swept: the outputs are the whole sweep's" -- validate "$work/good.yaml" --set "sweep.outputs.pcap=[true, false]"
expect "outputs cannot be zipped" 2 "sweep.zip.outputs.packets: cannot be swept" -- validate "$work/good.yaml" --set "sweep.zip.outputs.packets=[true, false]"
expect "repeat cannot be zipped" 2 "sweep.zip.repeat: cannot be swept" -- validate "$work/good.yaml" --set "sweep.zip.repeat=[1, 2]"
# An expectation is checked at every point as written: an axis over it would label points with
# values never checked.
expect "expectations cannot be swept" 2 "sweep.expect.0.equals: cannot be swept: each expectation is the whole sweep's" -- validate "$work/good.yaml" --set "sweep.expect.0.equals=[1, 2]"
expect "expectations cannot be zipped" 2 "sweep.zip.expect: cannot be swept" -- validate "$work/good.yaml" --set "sweep.zip.expect=[[], []]"
expect "validate: a single run with pcap" 0 "1 sweep point x 1 = 1 run" -- validate "$work/good.yaml" --set outputs.pcap=true --set repeat=1 --set "sweep={}"
check "validate: a single run with pcap is not told" test -z "$("$synlab" validate "$work/good.yaml" --set outputs.pcap=true --set repeat=1 --set "sweep={}" 2>&1 | grep note)"
expect "--set a sweep axis" 0 "3 sweep points x 4 = 12 runs" -- validate "$work/typo-free.yaml" --set "sweep.links.wan.delay=[1ms, 2ms, 3ms]"
expect "--set a sweep axis replaces the file's" 0 "2 sweep points x 4 = 8 runs" -- validate "$work/good.yaml" --set "sweep.links.wan.loss=[0, 0.5]"
expect "--set a zipped axis" 0 "3 sweep points x 4 = 12 runs" -- validate "$work/typo-free.yaml" --set "sweep.zip.links.wan.delay=[1ms, 2ms, 3ms]"
expect "--set a path ending in a dot" 2 "^synlab: error: --set sweep.links.wan.delay.=\[1ms\]: 'sweep.links.wan.delay.' is not a dotted path" -- validate "$work/typo-free.yaml" --set "sweep.links.wan.delay.=[1ms]"
printf 'sweep: {links.wan.loss.forwad: [0, 0.1]}\n' | cat "$work/typo-free.yaml" - >"$work/axis-typo.yaml"
expect "a file's axis error is the file's, not a --set axis it begins with" 2 "^synlab: error: [^ ]*axis-typo.yaml:[0-9]+:[0-9]+: sweep.links.wan.loss.forwad: unknown key 'forwad'" -- validate "$work/axis-typo.yaml" --set "sweep.links.wan.loss=[0, 0.2]"
expect "--set a sweep axis, error against the option" 2 "^synlab: error: --set sweep.links.wan.lost=\[0\]: sweep.links.wan.lost: unknown key 'lost' in links.wan — did you mean 'loss'" -- validate "$work/typo-free.yaml" --set "sweep.links.wan.lost=[0]"
expect "typo" 2 "typo.yaml:3:36: unknown key 'dealy' in links.wan — did you mean 'delay'\?" -- validate "$work/typo.yaml"
expect "empty file" 2 "empty.yaml: empty scenario" -- validate "$work/empty.yaml"
expect "missing file" 2 "nope.yaml: no such file" -- validate "$work/nope.yaml"
expect "directory" 2 "is a directory" -- validate "$work"
expect "missing argument" 2 "scenario is required" -- validate

# --- synlab run ------------------------------------------------------------------------------
cat >"$work/lossy.yaml" <<'YAML'
name: lossy
seed: 3
nodes: [client, server]
links:
  wan: {between: [client, server], delay: 10ms, loss: 0.2}
apps:
  - {listen: server:80}
  - {connect: client -> server:80, count: 20, interval: 100s}
expect:
  - {metric: connections, equals: 20}
YAML
cat >"$work/wrong.yaml" <<'YAML'
nodes: [client, server]
links:
  wan: {between: [client, server], delay: 10ms}
apps:
  - {listen: server:80}
  - {connect: client -> server:80}
expect:
  - {conn: 1, outcome: established, established_at: 25ms, tolerance: 1ms}
YAML
sweep_file="$work/sweep.yaml"
cat >"$sweep_file" <<'YAML'
name: sweep
seed: 3
nodes: [client, server]
links:
  wan: {between: [client, server], delay: 10ms}
apps:
  - {listen: server:80}
  - {connect: client -> server:80, count: 20, interval: 100s}
sweep:
  links.wan.loss: [0, 0.1, 0.3]
repeat: 3
expect:
  - {metric: connections, equals: 60}
YAML

expect "run ok" 0 "20 connections: " -- run "$work/lossy.yaml" -o "$work/out1" -q
expect "run names the outputs" 0 "outputs in $work/out2/" -- run "$work/lossy.yaml" -o "$work/out2" -q
for f in packets.csv states.csv connections.csv summary.json; do
  check "run wrote $f" test -s "$work/out1/$f"
done
check "the same seed gives the same packets" cmp -s "$work/out1/packets.csv" "$work/out2/packets.csv"
check "the same seed gives the same states" cmp -s "$work/out1/states.csv" "$work/out2/states.csv"
expect "run another seed" 0 "outputs in" -- run "$work/lossy.yaml" -o "$work/out3" -q --seed 4
differ() { ! cmp -s "$1" "$2"; }
check "another seed gives other packets" differ "$work/out1/packets.csv" "$work/out3/packets.csv"
# Numbers on the command line as in the scenario: no wrap-around of -1, no clamping of 2^64.
expect "--seed -1 refused" 2 "^synlab: error: --seed: expected a whole number from 0 to 18446744073709551615, found '-1'" -- run "$work/lossy.yaml" -o "$work/never" --seed -1
expect "--seed 2^64 refused" 2 "--seed: expected a whole number .* found '18446744073709551616'" -- run "$work/lossy.yaml" -o "$work/never" --seed 18446744073709551616
expect "--jobs 2^32 refused" 2 "--jobs: expected a whole number from 0 to 4294967295, found '4294967296'" -- run "$work/lossy.yaml" -o "$work/never" --jobs 4294967296
expect "--conn -1 refused" 2 "--conn: expected a whole number .* found '-1'" -- plot "$work/out1" --kind ladder --conn -1
expect "--conn 0 refused" 2 "--conn: expected a whole number from 1 to 18446744073709551615, found '0'" -- plot "$work/out1" --kind ladder --conn 0
# A leading zero is decimal, as in the scenario (seed: 010 is 10), not C's octal.
expect "--seed 010" 0 "outputs in" -- run "$work/lossy.yaml" -o "$work/seed010" -q --seed 010
check "--seed 010 is seed 10" grep -q '"seed": 10,' "$work/seed010/summary.json"
expect "--seed 09 is seed 9" 0 "outputs in" -- run "$work/lossy.yaml" -o "$work/seed09" -q --seed 09
check "--seed 09 is seed 9" grep -q '"seed": 9,' "$work/seed09/summary.json"
check "no output folder from a refused option" test ! -e "$work/never"
# A single run formats its rows on threads of their own when it may use a second core, and in
# batches on its own thread on one: the files are the same. 3,000 lossy connections give about
# 40,000 packets.csv rows, ten batches of 4,096.
sed 's/count: 20, interval: 100s/count: 3000, interval: 1ms/; /^expect:/,$d' "$work/lossy.yaml" >"$work/many.yaml"
if command -v taskset >/dev/null && [[ $(nproc) -gt 1 ]]; then
  expect "run on every core" 0 "3000 connections: " -- run "$work/many.yaml" -o "$work/cores" -q
  one_core() { taskset -c "$(grep Cpus_allowed_list /proc/self/status | cut -f2 | cut -d, -f1 | cut -d- -f1)" "$synlab" run "$work/many.yaml" -o "$work/core" -q >/dev/null; }
  check "run on one core" one_core
  for f in packets.csv states.csv connections.csv; do
    check "$f is the same on one core and on two" cmp -s "$work/cores/$f" "$work/core/$f"
  done
else
  echo "SKIP: one core against two (no taskset, or one core)"
fi
expect "sweep, 1 job" 0 "point  links.wan.loss" -- run "$sweep_file" -o "$work/j1" -q --jobs 1
expect "sweep, 2 jobs" 0 "^ +2  0\\.3 +60 +" -- run "$sweep_file" -o "$work/j2" -q --jobs 2
for f in sweep.csv connections.csv; do
  check "$f is the same for --jobs 1 and 2" cmp -s "$work/j1/$f" "$work/j2/$f"
done
expect "failed expectation" 1 "wrong.yaml:8:5: expectation failed: conn 1: outcome established, established at 25ms ± 1ms; observed established, established at 20ms" -- run "$work/wrong.yaml" -o "$work/wrong" -q
mkdir -p "$work/precious" && echo keep >"$work/precious/notes.txt"
expect "refuses a foreign OUTDIR" 2 "precious: exists, is not empty and holds no .synlab-output" -- run "$work/lossy.yaml" -o "$work/precious" -q
# A summary.json alone does not make a folder ours: it is left untouched.
mkdir -p "$work/lookalike" && echo '{}' >"$work/lookalike/summary.json" && echo keep >"$work/lookalike/notes.txt"
expect "refuses a folder that merely holds a summary.json" 2 "lookalike: exists, is not empty and holds no .synlab-output" -- run "$work/lossy.yaml" -o "$work/lookalike" -q
check "the look-alike folder is untouched" test -s "$work/lookalike/notes.txt"
check "a run's output holds the marker" test -s "$work/out1/.synlab-output"
# An output of an older synlab (no marker, nothing but its own files) is still replaced.
mkdir -p "$work/older" && cp "$work/out1/connections.csv" "$work/out1/summary.json" "$work/older/"
expect "replaces an older synlab's output" 0 "outputs in $work/older/" -- run "$work/lossy.yaml" -o "$work/older" -q
check "the older output now holds the marker" test -s "$work/older/.synlab-output"
check "a foreign OUTDIR is left untouched" test -f "$work/precious/notes.txt"
expect "unwritable OUTDIR: exit 3" 3 "output directory /proc/synlab-out: cannot (create|write)" -- run "$work/lossy.yaml" -o /proc/synlab-out -q
# The previous output is swapped with the new one in one step and removed: nothing beside it.
check "no old output left beside OUTDIR" test -z "$(find "$work" -maxdepth 1 -name '*.old-*' -o -maxdepth 1 -name '.*partial*')"
# A full disk (a 40 KiB tmpfs in a private mount namespace): CSV, pcap and PNG alike exit 3,
# name OUTDIR (not the hidden staging directory), and leave neither OUTDIR nor staging.
mkdir -p "$work/mnt"
if unshare -m sh -c 'mount -t tmpfs -o size=40k tmpfs "$1"' sh "$work/mnt" 2>/dev/null; then
  disk_full() {  # disk_full SCENARIO WHAT [SIZE]: WHAT is the file the message names
    local output
    output=$(unshare -m sh -c 'mount -t tmpfs -o size=$4 tmpfs "$1" && "$2" run "$3" -o "$1/out" -q >/dev/null
      echo "exit $?"; ls -A "$1"' sh "$work/mnt" "$synlab" "$1" "${3:-40k}" 2>&1)
    grep -qE "^synlab: error: .*$work/mnt/out/$2" <<<"$output" && ! grep -q partial <<<"$output" &&
      [[ $(tail -n 1 <<<"$output") == "exit 3" ]] || { echo "$output"; false; }
  }
  sed 's/count: 20, interval: 100s/count: 3000, interval: 1ms/' "$work/lossy.yaml" >"$work/full-csv.yaml"
  # 150 connections: connections.csv (about 13 KB) fits, the pcap files (about 70 KB) do not.
  sed 's/count: 20, interval: 100s/count: 150, interval: 1ms/; /^expect:/,$d' "$work/lossy.yaml" >"$work/full-pcap.yaml"
  printf 'outputs: {packets: false, states: false, pcap: true}\n' >>"$work/full-pcap.yaml"
  sed 's/count: 20, interval: 100s/count: 1/' "$work/lossy.yaml" >"$work/full-png.yaml"
  printf 'outputs: {packets: false, states: false, plots: [cdf]}\n' >>"$work/full-png.yaml"
  check "disk full writing CSV: exit 3, OUTDIR named, nothing left" disk_full "$work/full-csv.yaml" "(packets|connections|states).csv"
  check "disk full writing pcap: exit 3, OUTDIR named, nothing left" disk_full "$work/full-pcap.yaml" "(link|node)-"
  # 20,000 connections with traces (about 60 MB) on 3 MiB: packets.csv's 1 MiB blocks go to the
  # disk directly (tmpfs takes O_DIRECT from Linux 6.6), and it is such a write that fails.
  sed 's/count: 20, interval: 100s/count: 20000, interval: 1ms/; /^expect:/,$d' "$work/lossy.yaml" >"$work/full-traced.yaml"
  check "disk full writing traces: exit 3, OUTDIR named, nothing left" disk_full "$work/full-traced.yaml" "(packets|connections|states).csv" 3m
  # An image that does not fit is an output failure too, but the results it was drawn from are
  # finished: they are put in place, without the image, and the message says so.
  png_full() {
    unshare -m sh -c 'mount -t tmpfs -o size=40k tmpfs "$1" || exit 9
      QT_QPA_PLATFORM=offscreen "$2" run "$3" -o "$1/out" -q >"$4.out" 2>"$4.err"
      code=$?
      ls -A "$1/out" >"$4.ls"
      ls -A "$1" | grep -q partial && exit 6
      exit $code' sh "$work/mnt" "$synlab" "$work/full-png.yaml" "$work/full-png"
  }
  png_full
  check "disk full writing PNG: exit 3" test $? -eq 3
  check "disk full writing PNG: says the results are kept without it" grep -q "^synlab: error: plotting: $work/mnt/out/cdf.png: .*; the results are kept in $work/mnt/out/ without the plot cdf (draw it later: synlab plot $work/mnt/out --kind cdf)$" "$work/full-png.err"
  check "disk full writing PNG: the results in place, no image" test "$(tr '\n' ' ' <"$work/full-png.ls")" = ".synlab-output connections.csv summary.json "
  check "disk full writing PNG: the table printed" grep -q "outputs in $work/mnt/out/" "$work/full-png.out"
  # synlab plot onto a full disk: exit 3, and the image drawn before is still whole (written
  # beside it and renamed, never truncated in place), with no temporary left.
  plot_full() {
    unshare -m sh -c 'mount -t tmpfs -o size=200k tmpfs "$1" || exit 9
      QT_QPA_PLATFORM=offscreen "$2" run "$3" -o "$1/out" -q >/dev/null &&
        QT_QPA_PLATFORM=offscreen "$2" plot "$1/out" -k ladder >/dev/null || exit 8
      cp "$1/out/ladder.png" "$4"
      dd if=/dev/zero of="$1/filler" bs=4k 2>/dev/null
      QT_QPA_PLATFORM=offscreen "$2" plot "$1/out" -k ladder --size 4000x4000 >/dev/null 2>&1
      code=$?
      cmp -s "$1/out/ladder.png" "$4" || exit 7
      ls -A "$1/out" | grep -q partial && exit 6
      exit $code' sh "$work/mnt" "$synlab" "$(cd "$(dirname "$0")/../../scenarios" && pwd)/basic-handshake.yaml" "$work/ladder-before.png"
  }
  plot_full
  check "plot onto a full disk: exit 3, the image before kept whole, no temporary left" test $? -eq 3
else
  echo "SKIP: disk-full checks (no private tmpfs mount here)"
fi
# A trailing slash names the same folder (its staging directory must not land inside it).
expect "OUTDIR with a trailing slash" 0 "outputs in $work/slash/" -- run "$work/lossy.yaml" -o "$work/slash/" -q
check "the trailing-slash OUTDIR holds the files" test -s "$work/slash/connections.csv" -a -s "$work/slash/summary.json"
expect "--jobs far above the cores and runs" 0 "20 connections: " -- run "$work/lossy.yaml" -o "$work/many-jobs" --jobs 100000
# Standard output that cannot take what synlab prints (a full disk): an output failure, said.
if [[ -c /dev/full ]]; then
  "$synlab" run "$work/lossy.yaml" -o "$work/full-stdout" -q >/dev/full 2>"$work/full.log"
  check "a run's table lost to a full disk: exit 3" test $? -eq 3
  check "a run's table lost to a full disk: said" grep -q "standard output: No space left on device" "$work/full.log"
  check "a run's table lost to a full disk: the output folder is whole" test -s "$work/full-stdout/summary.json"
fi
# A signal during a long run (Ctrl-C, kill, a closed terminal, a batch system's warning): exit
# 128 + signal, no OUTDIR, no staging directory left, and a line on standard error saying so.
sed 's/count: [0-9]*/count: 3000000/; s/interval: [^,}]*/interval: 1ms/' "$work/lossy.yaml" >"$work/long.yaml"
interrupted() {  # interrupted SIGNAL CODE
  local dir="$work/int-$1"
  # Job control on: a background job of a script would otherwise start with SIGINT ignored.
  set -m
  "$synlab" run "$work/long.yaml" -o "$dir" -q >/dev/null 2>"$work/int-$1.err" &
  local pid=$! waited=0
  set +m
  wait_for "$work/.int-$1.partial-*/connections.csv"  # the run writes in its staging directory
  kill -s "$1" "$pid"
  while kill -0 "$pid" 2>/dev/null && [[ $waited -lt 200 ]]; do  # at most 20 s, never a hang
    sleep 0.1
    waited=$((waited + 1))
  done
  kill -9 "$pid" 2>/dev/null
  wait "$pid"
  local status=$?
  [[ $status -eq $2 ]] && [[ ! -e $dir ]] && ! compgen -G "$work/.int-$1.partial-*" >/dev/null &&
    # and says so, in one line: the signal and the OUTDIR left unwritten
    [[ $(cat "$work/int-$1.err") == "synlab: stopped by SIG$1 before finishing: nothing written to $dir/" ]]
}
check "SIGINT: exit 130, nothing left" interrupted INT 130
check "SIGTERM: exit 143, nothing left" interrupted TERM 143
check "SIGHUP: exit 129, nothing left" interrupted HUP 129
check "SIGUSR1: exit 138, nothing left" interrupted USR1 138
# The folders the run made for OUTDIR go with it, from the deepest, each while it is empty: a
# folder that held something before stays, with what it held.
interrupted_into() {  # interrupted_into TOP: a run into TOP/new/out, stopped by SIGINT
  set -m
  "$synlab" run "$work/long.yaml" -o "$1/new/out" -q >/dev/null 2>/dev/null &
  local pid=$! waited=0
  set +m
  wait_for "$1/new/.out.partial-*/connections.csv"
  kill -s INT "$pid"
  while kill -0 "$pid" 2>/dev/null && [[ $waited -lt 200 ]]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  kill -9 "$pid" 2>/dev/null
  wait "$pid"
  [[ $? -eq 130 ]]
}
check "SIGINT: the folders made for OUTDIR go" interrupted_into "$work/made-for-int"
check "SIGINT: no made folder left" test ! -e "$work/made-for-int"
mkdir -p "$work/held-int" && echo "mine" >"$work/held-int/notes.txt"
check "SIGINT into a folder of the user's" interrupted_into "$work/held-int"
check "SIGINT: the user's folder and file stay, the made one goes" \
  test -f "$work/held-int/notes.txt" -a ! -e "$work/held-int/new"
# A signal after the output is in place (a closed pipe while the table prints) ends the process
# but keeps the output, and says it is complete, nothing of "nothing written".
{ cat "$work/good.yaml" | grep -v '^sweep\|^  links.wan.loss\|^repeat'
  echo "sweep: {links.wan.delay: [$(seq -s 'ms, ' 1 200)ms]}"; } >"$work/wide-table.yaml"
(sleep 0.3; "$synlab" run "$work/wide-table.yaml" -o "$work/piped" -q 2>"$work/piped.err"; echo $? >"$work/piped.code") | true
check "SIGPIPE after the output is written: exit 141" test "$(cat "$work/piped.code")" = 141
check "SIGPIPE after the output is written: the output kept" test -s "$work/piped/summary.json"
check "SIGPIPE after the output is written: no 'nothing written'" test "$(cat "$work/piped.err")" = "synlab: stopped by SIGPIPE after finishing: the outputs are complete in $work/piped/"
# A staging directory whose process is gone (a run killed outright) is removed by the next run.
mkdir -p "$work/.stale.partial-999999999" && : >"$work/.stale.partial-999999999/connections.csv"
expect "run after a killed one" 0 "outputs in" -- run "$work/lossy.yaml" -o "$work/stale" -q
check "the dead run's staging directory is gone" test ! -e "$work/.stale.partial-999999999"
# Today's staging directories are claimed by a lock on their marker, not by a process id (ids
# repeat across containers sharing a folder): a locked one stays, a free one goes.
locked="$work/.claimed.partial-1-0000000a"
free="$work/.claimed.partial-1-0000000b"
mkdir -p "$locked" "$free"
echo "synlab output" >"$locked/.synlab-output"
echo "synlab output" >"$free/.synlab-output"
exec {lock_fd}<"$locked/.synlab-output" # this shell holds the lock, as a running synlab would
flock -n "$lock_fd"
expect "run beside another run's staging" 0 "outputs in" -- run "$work/lossy.yaml" -o "$work/claimed" -q
check "a locked staging directory stays" test -e "$locked/.synlab-output"
check "a free staging directory goes" test ! -e "$free"
exec {lock_fd}<&-
rm -rf "$locked"
# An empty path (a shell variable unset) is refused, not taken for the default folder.
expect "-o an empty path" 2 "outdir: an empty path \(is a shell variable unset\?\)" -- run "$work/lossy.yaml" -o ""
expect "report -o an empty path" 2 "output: an empty path" -- report "$work/out1" -o ""
# The summary line's counts add up to the connections: 30,000 connections from one client
# address to one port exhaust the 25,536 ephemeral ports (40000 to 65535): the rest are 'other'.
expect "the summary line counts the other outcomes" 1 "30000 connections: 25536 established, 0 timed out, 0 refused, 4464 other \(see connections.csv's outcome\)" -- run "$(cd "$(dirname "$0")/../../scenarios/labs" && pwd)/05-syn-flood-cookies.yaml" -o "$work/ports-out" --set apps.1.count=30000
# summary.json's hosts: lab 5's SYN queue drops, worked out in docs/labs/answers/05-syn-flood.md
# (question 6): each of the first nine rounds drops all but 2 SYNs, 18 + 16 + ... + 2 = 90.
labs=$(cd "$(dirname "$0")/../../scenarios/labs" && pwd)
"$synlab" run "$labs/05-syn-flood-no-cookies.yaml" -o "$work/lab5" -q --set 'outputs.plots=[]' >/dev/null
server_counters=$(tr -d ' \n' <"$work/lab5/summary.json" | grep -o '"server":{[^}]*}')
check "summary.json: the server's SYN queue drops (lab 5)" grep -q '"syn_queue_drops":90,' <<<"$server_counters"
check "summary.json: no cookie without tcp_syncookies (lab 5)" grep -qE '"syncookies_sent":0[,}]' <<<"$server_counters"
expect "plot a run's file, not its folder" 2 "connections.csv: not a directory; give the run's folder" -- plot "$work/out1/connections.csv"
expect "report a run's file, not its folder" 2 "connections.csv: not a directory; give the run's folder" -- report "$work/out1/connections.csv"
# A hand-edited summary.json with a key of another type: refused, naming the key (report used to
# end on an uncaught exception, SIGABRT).
mkdir -p "$work/edited" && cp "$work/out1/summary.json" "$work/out1/connections.csv" "$work/edited/"
sed -i 's/"scenario": {/"scenario": -1, "was": {/' "$work/edited/summary.json"
expect "report: a summary.json key of another type" 2 "edited/summary.json: not a synlab summary: scenario: expected an object, found number" -- report "$work/edited" -o "$work/edited.html"
# A saved run's file that is a FIFO (a reader would wait) or a link to /dev/zero (endless):
# refused at once, by report and plot alike.
mkdir -p "$work/fifo-run" && cp "$work/out1/summary.json" "$work/fifo-run/" && mkfifo "$work/fifo-run/connections.csv"
expect "report: connections.csv a FIFO" 2 "fifo-run/connections.csv: not a regular file" -- report "$work/fifo-run" -o "$work/fifo-run.html"
rm "$work/fifo-run/connections.csv" && ln -s /dev/zero "$work/fifo-run/connections.csv"
expect "plot: connections.csv a link to /dev/zero" 2 "fifo-run/connections.csv: not a regular file" -- plot "$work/fifo-run" --kind cdf
expect "plot: a summary.json key of another type" 2 "edited/summary.json: not a synlab summary: scenario: expected an object" -- plot "$work/edited" --kind cdf
# An OUTDIR name near the 255-byte limit: its staging directory's name is cut to fit.
long_name=$(printf 'n%.0s' {1..250})
expect "a 250-byte OUTDIR name" 0 "outputs in" -- run "$work/lossy.yaml" -o "$work/$long_name" -q
check "the long-named OUTDIR holds the output" test -s "$work/$long_name/summary.json"
# OUTDIR the current folder (or one holding it): refused before the run, not failed after it.
mkdir -p "$work/here"
(cd "$work/here" && "$synlab" run "$work/lossy.yaml" -o . -q >"$work/here.log" 2>&1)
check "-o . from inside it: exit 2" test $? -eq 2
check "-o . from inside it: why" grep -q "is the current folder, or holds it" "$work/here.log"
check "-o . from inside it: nothing written" test -z "$(ls -A "$work/here")"
mkdir -p "$work/out1/inside"  # a synlab output (it has the marker) holding the current folder
(cd "$work/out1/inside" && "$synlab" run "$work/lossy.yaml" -o "$work/out1" -q >"$work/here.log" 2>&1)
check "-o a folder holding the current one: exit 2" test $? -eq 2
check "-o a folder holding the current one: why" grep -q "or holds it" "$work/here.log"
rmdir "$work/out1/inside"
# A byte that is not UTF-8 in OUTDIR's path or a --set (a Latin-1 file name, say): summary.json
# shows it as U+FFFD, and the run's output is written, not lost at the end.
latin1_out="$work/$(printf 'r\xe9sultat')"
expect "a Latin-1 OUTDIR: the run is kept" 0 "outputs in" -- run "$work/lossy.yaml" -o "$latin1_out" -q --set "$(printf 'name=lossy #\xe9')"
check "a Latin-1 OUTDIR: summary.json written, U+FFFD for the byte" grep -q $'r\xEF\xBF\xBDsultat' "$latin1_out/summary.json"
cp "$(cd "$(dirname "$0")/../drill" && pwd)/linux/synack-lost.pkt" "$latin1_out.pkt"
expect "drill --trace, a Latin-1 script path: the trace is written" 0 "trace written to" -- drill -q "$latin1_out.pkt" --trace "$work/latin1-trace"
check "drill --trace, a Latin-1 script path: U+FFFD in summary.json" grep -q $'r\xEF\xBF\xBDsultat.pkt' "$work/latin1-trace/summary.json"
# Packets past the last second a pcap record holds (2^32 - 1 s, in 2106): left out of the pcap
# files, with a warning; packets.csv keeps them. 100 years' delay from a start at 100 years.
cat >"$work/pcap-late.yaml" <<'YAML'
name: pcap-late
nodes: [client, server]
links:
  wan: {between: [client, server], delay: 876000h}
tcp: {syn_retries: 0}
apps:
  - {listen: server:80}
  - {connect: client -> server:80, start: 876000h}
outputs: {pcap: true}
YAML
expect "pcap: packets past 2106 left out, with a warning" 0 "warning: the pcap files leave out [0-9]+ packet record\(s\) sent or received after 4294967295 s" -- run "$work/pcap-late.yaml" -o "$work/pcap-late" -q
# An input inside OUTDIR (the scenario file kept with its output): the new output would replace
# it, so the run is refused and the file stays.
cp "$work/lossy.yaml" "$work/out1/lossy.yaml"
expect "the scenario inside OUTDIR: exit 2" 2 "the scenario file $work/out1/lossy.yaml is inside the output directory $work/out1, which the new output replaces whole" -- run "$work/out1/lossy.yaml" -o "$work/out1" -q
check "the scenario inside OUTDIR is still there" test -s "$work/out1/lossy.yaml"
drill_script="$(cd "$(dirname "$0")/../drill" && pwd)/linux/synack-lost.pkt"
cp "$drill_script" "$work/out1/s.pkt"
expect "drill: the script inside --trace's OUTDIR: exit 2" 2 "--trace: the script $work/out1/s.pkt is inside the output directory $work/out1" -- drill -q "$work/out1/s.pkt" --trace "$work/out1"
# --trace under a file: the command's mistake, found before the script runs (exit 2), as for
# run's -o.
expect "drill --trace under a file: exit 2" 2 "^synlab: error: --trace: output directory .*summary.json/trace: .*summary.json is not a directory" -- drill -q "$drill_script" --trace "$work/out1/summary.json/trace"
expect "run -o under a file: exit 2" 2 "^synlab: error: output directory .*summary.json/out: .*summary.json is not a directory" -- run "$work/lossy.yaml" -o "$work/out1/summary.json/out" -q
# --trace into a place that cannot be written (/proc takes no folder, even root's): the script
# still runs, its verdict is printed, then the reason, exit 3.
output=$("$synlab" drill -q "$drill_script" --trace "/proc/synlab-trace-$$" 2>&1)
check "drill --trace unwritable: exit 3" test $? -eq 3
check "drill --trace unwritable: the verdict first" grep -q "^pass .*synack-lost.pkt" <<<"$output"
check "drill --trace unwritable: the reason" grep -q "^synlab: failed: cannot write the trace: .*synlab-trace-$$" <<<"$output"
check "the script inside --trace's OUTDIR is still there" test -s "$work/out1/s.pkt"
# A link inside OUTDIR to a scenario outside it: the link would go with the old output.
ln -s "$work/lossy.yaml" "$work/out1/linked.yaml"
expect "a link to the scenario inside OUTDIR: exit 2" 2 "the scenario file $work/out1/linked.yaml is inside the output directory" -- run "$work/out1/linked.yaml" -o "$work/out1" -q
check "the link inside OUTDIR is still there" test -L "$work/out1/linked.yaml"
rm "$work/out1/lossy.yaml" "$work/out1/s.pkt" "$work/out1/linked.yaml"
ln -s "$work/loop.pkt" "$work/loop.pkt"
expect "drill a loop of links: says so" 2 "loop.pkt: Too many levels of symbolic links" -- drill "$work/loop.pkt"
# OUTDIR a symbolic link: the output goes where it points, the link stays.
ln -s "$work/linked-out" "$work/out-link"
expect "-o a link" 0 "outputs in .*linked-out" -- run "$work/lossy.yaml" -o "$work/out-link" -q
check "the link is still a link" test -L "$work/out-link"
check "the output is where the link points" test -s "$work/linked-out/summary.json"
# A relative link read from a folder reached through a link: "../x" is beside that folder's real
# place, not beside the link (a/l -> ../x with a -> d/e/f names d/e/x).
mkdir -p "$work/d/e/f" && ln -s d/e/f "$work/a" && ln -s ../x "$work/a/l"
expect "-o a link in a linked folder" 0 "outputs in .*d/e/x" -- run "$work/lossy.yaml" -o "$work/a/l" -q
check "the output is in d/e/x" test -s "$work/d/e/x/summary.json"
check "nothing went to x" test ! -e "$work/x"
# A chain of links whose targets end in a slash: each stays a link.
mkdir -p "$work/chain-real" && ln -s chain-real/ "$work/chain2" && ln -s chain2/ "$work/chain1"
expect "-o a chain of links" 0 "outputs in .*chain-real" -- run "$work/lossy.yaml" -o "$work/chain1" -q
check "the chain's links stay links" test -L "$work/chain1" -a -L "$work/chain2"
ln -s not-yet "$work/dangling"
expect "-o DANGLING/." 0 "outputs in .*not-yet" -- run "$work/lossy.yaml" -o "$work/dangling/." -q
check "DANGLING/. leaves the link a link" test -L "$work/dangling"
# "LINK/." is the link's folder, and a folder not made yet written "new/." is new.
expect "-o LINK/." 0 "outputs in .*chain-real" -- run "$work/lossy.yaml" -o "$work/chain1/." -q
check "LINK/. leaves the link a link" test -L "$work/chain1"
expect "-o NEW/." 0 "outputs in .*fresh" -- run "$work/lossy.yaml" -o "$work/fresh/." -q
check "NEW/. is the folder" test -s "$work/fresh/summary.json"
# OUTDIR turned into a folder of the user's during the run: it is left alone, and the finished
# output is kept beside it.
cat >"$work/second.yaml" <<'YAML'
name: second
seed: 3
nodes: [client, server]
links:
  wan: {between: [client, server], delay: 10ms}
apps:
  - {listen: server:80}
  - {connect: client -> server:80, count: 300000, interval: 1ms}
outputs: {packets: false, states: false}
YAML
"$synlab" run "$work/second.yaml" -o "$work/grabbed" -q >"$work/grabbed.log" 2>&1 &
runner=$!
wait_for "$work/.grabbed.partial-*/connections.csv"
mkdir -p "$work/grabbed" && echo "mine" >"$work/grabbed/precious.txt"
wait "$runner"
check "a taken OUTDIR: exit 3" test $? -eq 3
check "the message says where the output is" grep -q "the finished output is kept in .*grabbed.kept-" "$work/grabbed.log"
check "the user's folder is untouched" test "$(ls "$work/grabbed")" = "precious.txt"
check "the kept output is whole" test -s "$(compgen -G "$work/grabbed.kept-*")/summary.json"
# OUTDIR's parent made immutable during the run: nothing can be renamed there, so the finished
# output stays in its staging directory, marked kept; a later run leaves it alone, and moved to
# OUTDIR by hand it is an output like any other. Only where chattr works (not on every file
# system).
mkdir -p "$work/frozen"
"$synlab" run "$work/second.yaml" -o "$work/frozen/out" -q >"$work/frozen.log" 2>&1 &
runner=$!
wait_for "$work/frozen/.out.partial-*/connections.csv"
if chattr +i "$work/frozen" 2>/dev/null; then
  wait "$runner"
  status=$?
  chattr -i "$work/frozen"
  check "an immutable parent: exit 3" test "$status" -eq 3
  check "the message names the hidden folder" grep -q "kept in the hidden folder .out.partial-" "$work/frozen.log"
  expect "a later run into the same OUTDIR" 0 "outputs in" -- run "$work/lossy.yaml" -o "$work/frozen/out" -q
  check "the kept folder is still there" test -s "$(compgen -G "$work/frozen/.out.partial-*")/summary.json"
  rm -r "$work/frozen/out"
  mv "$(compgen -G "$work/frozen/.out.partial-*")" "$work/frozen/out"
  expect "a run into the folder moved by hand" 0 "outputs in" -- run "$work/lossy.yaml" -o "$work/frozen/out" -q
else
  wait "$runner"
  echo "note: chattr not supported here; the immutable parent case is not tested"
fi
# A second run into the same OUTDIR while the first still runs: neither takes the other's
# staging directory for a dead run's (its marker is locked), both finish, the last one wins.
"$synlab" run "$work/second.yaml" -o "$work/shared" -q >"$work/shared.log" 2>&1 &
runner=$!
wait_for "$work/.shared.partial-*/connections.csv"
expect "a second run beside a running one" 0 "outputs in" -- run "$work/lossy.yaml" -o "$work/shared" -q
wait "$runner"
status=$?
check "the first run finishes too" test "$status" -eq 0
check "the first run's output is the last in place" grep -q '"connections": 300000' "$work/shared/summary.json"
# OUTDIR a mount point (a container's volume): written in place. Only where mounting is allowed.
mkdir -p "$work/volume"
if mount -t tmpfs none "$work/volume" 2>/dev/null; then
  expect "-o a mount point" 0 "outputs in" -- run "$work/lossy.yaml" -o "$work/volume" -q
  mkdir "$work/volume/sub"  # a folder of the user's; the current one, for this run
  (cd "$work/volume/sub" && "$synlab" run "$work/lossy.yaml" -o .. -q >/dev/null 2>&1)
  check "-o a mount point holding the current folder: exit 2" test $? -eq 2
  check "the current folder is still there" test -d "$work/volume/sub"
  rmdir "$work/volume/sub"
  expect "-o a mount point, again" 0 "outputs in" -- run "$work/lossy.yaml" -o "$work/volume" -q --seed 9
  check "the mount point holds the second output" grep -q '"seed": 9' "$work/volume/summary.json"
  check "and no staging directory" test -z "$(find "$work/volume" -mindepth 1 -type d -name '*partial*')"
  # It stops being a synlab output during a run: the finished output is kept inside it (nothing
  # can be renamed out of a mount point), and the next run leaves that kept output alone.
  "$synlab" run "$work/second.yaml" -o "$work/volume" -q >"$work/volume.log" 2>&1 &
  runner=$!
  wait_for "$work/volume/.synlab.partial-*/connections.csv"
  rm "$work/volume/.synlab-output" && echo "mine" >"$work/volume/precious.txt"
  wait "$runner"
  check "a mount point taken during the run: exit 3" test $? -eq 3
  check "the output kept inside it" grep -q "kept in .*volume/synlab-kept-" "$work/volume.log"
  check "the user's file is untouched" grep -q "mine" "$work/volume/precious.txt"
  find "$work/volume" -maxdepth 1 -type f -delete  # the user clears the folder, but the kept output
  expect "-o a mount point holding a kept output" 0 "outputs in" -- run "$work/lossy.yaml" -o "$work/volume" -q
  check "the kept output is still there" test -s "$(compgen -G "$work/volume/synlab-kept-*")/summary.json"
  umount "$work/volume"
else
  echo "note: mount not permitted here; the mount point case is not tested"
fi
# A request the TCP model cannot count (2^32 bytes) is refused, not silently truncated to 0.
sed 's/count: 20, interval: 100s/count: 1, request: 4GiB/' "$work/lossy.yaml" >"$work/huge-request.yaml"
expect "request of 4 GiB refused" 2 "huge-request.yaml:8:[0-9]+: apps.1.request: at most 4294967295 bytes, found 4294967296" -- validate "$work/huge-request.yaml"
check "validate -q: silent on a good scenario" test -z "$("$synlab" validate "$work/lossy.yaml" -q 2>&1)"
expect "validate -q still reports errors" 2 "typo.yaml:3:.*dealy" -- validate "$work/typo.yaml" -q
# A SYN traced inside connect() is named by its connection even when nothing else is sent
# afterwards: classic, no SYN retries, the only SYN dropped; the client gives up at 3 s.
cat >"$work/lone-syn.yaml" <<'YAML'
nodes: [client, server]
links:
  wan: {between: [client, server], delay: 10ms}
tcp: {profile: classic, syn_retries: 0}
apps:
  - {listen: server:80}
  - {connect: client -> server:80}
drops:
  - {link: wan, flags: SYN, nth: 1}
YAML
expect "lone SYN run" 0 "1 timed out" -- run "$work/lone-syn.yaml" -o "$work/lone-syn" -q
lone_syn_named() {  # the send and the drop of the SYN, both with conn 1 (column 13)
  [[ $(cut -d, -f2,13 "$work/lone-syn/packets.csv" | tail -n +2 | tr '\n' ' ') == "send,1 drop,1 " ]]
}
check "a lone SYN's rows name connection 1" lone_syn_named
expect "replaces its own output" 0 "outputs in" -- run "$work/lossy.yaml" -o "$work/out1" -q
check "no staging directory is left behind" test -z "$(find "$work" -maxdepth 1 -name '*partial*')"

# synlab plot (docs/plots.md): reads a saved run's files, exit code 2 on bad input.
expect "plot help has an example" 0 "synlab plot out/lost --kind ladder" -- plot --help
expect "plot without OUTDIR" 2 "outdir is required" -- plot
expect "plot a missing OUTDIR" 2 "no-such-dir: no such directory" -- plot "$work/no-such-dir"
expect "plot a foreign directory" 2 "not a synlab output directory" -- plot "$work/precious"
expect "plot an unknown kind" 2 "unknown plot kind 'ladders'" -- plot "$work/out1" --kind ladders
expect "plot a bad size" 2 "expected WIDTHxHEIGHT" -- plot "$work/out1" --size 1200
expect "plot a bad format" 2 "expected png or svg" -- plot "$work/out1" --format gif
expect "timing of a single run" 2 "the timing plot needs sweep.csv" -- plot "$work/out1" --kind timing
expect "ladder of a sweep" 2 "the ladder plot needs packets.csv" -- plot "$work/j1" --kind ladder
expect "ladder of a missing connection" 2 "no packet of connection 999" -- plot "$work/out1" --kind ladder --conn 999
expect "plot all of a single run" 0 "wrote .*ladder.png" -- plot "$work/out1"
check "ladder.png, timeseq.png and cdf.png written" test -s "$work/out1/ladder.png" -a -s "$work/out1/timeseq.png" -a -s "$work/out1/cdf.png"
expect "plot another connection" 0 "wrote .*ladder-2.png" -- plot "$work/out1" --kind ladder --conn 2
check "connection 1's ladder.png is kept" test -s "$work/out1/ladder.png"
expect "plot one plot into a file" 0 "wrote .*one-timeseq.svg" -- plot "$work/out1" --kind timeseq --format svg -o "$work/one-timeseq.svg"
expect "plot -o needs --kind" 2 "-o: a file is for a single plot: give --kind too" -- plot "$work/out1" -o "$work/x.png"
# -o's extension sets the format when --format is not given; a contradiction is refused.
expect "plot -o FILE.svg writes SVG" 0 "wrote .*by-name.svg" -- plot "$work/out1" --kind cdf -o "$work/by-name.svg"
check "plot -o FILE.svg: the file is SVG" grep -q "<svg" "$work/by-name.svg"
expect "plot -o FILE.PNG writes PNG" 0 "wrote .*by-name.PNG" -- plot "$work/out1" --kind cdf -o "$work/by-name.PNG"
check "plot -o FILE.PNG: the file is PNG" test "$(head -c 4 "$work/by-name.PNG" | tail -c 3)" = PNG
expect "plot -o FILE.png --format svg refused" 2 "-o .*clash.png: the name says png, --format says svg" -- plot "$work/out1" --kind cdf --format svg -o "$work/clash.png"
check "plot -o FILE.png --format svg: nothing written" test ! -e "$work/clash.png"
expect "plot -o a folder refused" 2 "-o .*out1/: names a folder; give a file name" -- plot "$work/out1" --kind cdf -o "$work/out1/"
# An image is written beside its name and renamed over it: a symbolic link is followed (the file
# it names made if missing) and stays a link; a loop of links is an error, as opening it is.
ln -s "named.png" "$work/link.png"
expect "plot -o a dangling link" 0 "wrote .*link.png" -- plot "$work/out1" --kind cdf -o "$work/link.png"
check "plot -o a dangling link: the link stays, the file it names is made" test -L "$work/link.png" -a -s "$work/named.png"
ln -s "chain-b.png" "$work/chain-a.png" && ln -s "chain-c.png" "$work/chain-b.png"
expect "plot -o a chain of dangling links" 0 "wrote .*chain-a.png" -- plot "$work/out1" --kind cdf -o "$work/chain-a.png"
check "plot -o a chain of dangling links: both stay links, the last names the file" test -L "$work/chain-a.png" -a -L "$work/chain-b.png" -a -s "$work/chain-c.png"
mkfifo "$work/fifo.png"
(cat "$work/fifo.png" >"$work/from-fifo.png" &)
expect "plot -o a FIFO: written into it" 0 "wrote .*fifo.png" -- plot "$work/out1" --kind cdf -o "$work/fifo.png"
check "plot -o a FIFO: it stays a FIFO" test -p "$work/fifo.png"
ln -s "loop-b.png" "$work/loop-a.png" && ln -s "loop-a.png" "$work/loop-b.png"
expect "plot -o a loop of links: exit 3" 3 "loop-a.png: cannot be written \(Too many levels of symbolic links\)" -- plot "$work/out1" --kind cdf -o "$work/loop-a.png"
check "no temporary image left beside them" test -z "$(find "$work" -maxdepth 1 -name '.synlab-image-*')"
# Into a pipe through /dev/stdout: the image alone on standard output, the "wrote" on standard
# error.
check "plot -o /dev/stdout: the PNG ends the stream" test "$("$synlab" plot "$work/out1" --kind cdf -o /dev/stdout 2>/dev/null | tail -c 8 | head -c 4)" = IEND
# --ccdf writes ccdf.png, beside cdf.png (a lab hands in both).
expect "plot cdf" 0 "wrote .*/cdf.png" -- plot "$work/out1" --kind cdf
expect "plot --ccdf into ccdf.png" 0 "wrote .*/ccdf.png" -- plot "$work/out1" --kind cdf --ccdf
check "cdf.png and ccdf.png differ" bash -c '! cmp -s "$0" "$1"' "$work/out1/cdf.png" "$work/out1/ccdf.png"
expect "plot a sweep as SVG" 0 "wrote .*timing.svg" -- plot "$work/j1" --format svg --size 800x600
check "timing.svg names its axis" grep -q "links.wan.loss (probability)" "$work/j1/timing.svg"
# A single run's narrative (docs/running.md): scenarios/first-syn-lost.yaml's arithmetic (SYN
# lost at 0, the 1 s timer, RTT 20 ms) and synack-lost's two SYN/ACKs at 1.010 s, one per cause
# (docs/linux-reference.md case d).
root=$(cd "$(dirname "$0")/../.." && pwd)
expect "narrative: a lost SYN" 0 "connection 1: 0.000 s client SYN lost \(scripted\) · 1.000 s client retransmits SYN \(timer, 1 s\) · 1.010 s server SYN/ACK · 1.020 s client ACK · 1.020 s client ESTABLISHED · 1.030 s server ESTABLISHED · handshake 1.020 s" -- run "$root/scenarios/first-syn-lost.yaml" -o "$work/n1" -q
expect "narrative: drops by reason" 0 "^1 lost in the network: 1 scripted$" -- run "$root/scenarios/first-syn-lost.yaml" -o "$work/n1" -q
expect "narrative: a SYN/ACK per cause" 0 "1.010 s server retransmits SYN/ACK \(timer, 1 s\) · 1.010 s server retransmits SYN/ACK \(reply to the retransmitted SYN\)" -- run "$root/scenarios/synack-lost.yaml" -o "$work/n2" -q
expect "narrative: a refusal" 0 "0.020 s client CLOSED" -- run "$root/scenarios/closed-port.yaml" -o "$work/n3" -q
# A request sent with the handshake's ACK (3,000 bytes: three segments at 0.100 s) is not told
# as three client ACKs; one ACK, then ESTABLISHED.
printf 'name: request\nnodes: [client, server]\nlinks:\n  wan: {between: [client, server], delay: 50ms}\napps:\n  - {listen: server:80}\n  - {connect: client -> server:80, request: 3000}\noutputs: {packets: true}\n' >"$work/request.yaml"
expect "narrative: data with the handshake's ACK" 0 "connection 1: 0.000 s client SYN · 0.050 s server SYN/ACK · 0.100 s client ACK · 0.100 s client ESTABLISHED · 0.150 s server ESTABLISHED · handshake 0.100 s$" -- run "$work/request.yaml" -o "$work/n4" -q
# packets.csv's flags are names joined by "+" (docs/running.md, issue 14): no cell is quoted, so
# every row of synack-lost splits into the header's 27 columns, and column 14 holds the flags:
# the server's SYN/ACK is SYN+ACK (RFC 9293 §3.5), never "SYN, ACK".
columns_everywhere() { [[ $(awk -F, '{print NF}' "$work/n2/packets.csv" | sort -u) == 27 ]]; }
check "packets.csv: 27 columns in every row" columns_everywhere
check "packets.csv: no quoted cell" test "$(grep -c '"' "$work/n2/packets.csv")" -eq 0
check "packets.csv: column 14 is flags" test "$(head -n 1 "$work/n2/packets.csv" | cut -d, -f14)" = flags
check "packets.csv: the SYN/ACK's flags" grep -qx 'SYN+ACK' <(cut -d, -f14 "$work/n2/packets.csv")
# A packets.csv of an older synlab (flags as Wireshark's names, quoted: "SYN, ACK") plots the
# same ladder and time-sequence graph, to the byte.
cp -r "$work/n2" "$work/n2-old"
awk -F, -v OFS=, 'NR > 1 && $14 ~ /[+]/ { gsub(/[+]/, ", ", $14); $14 = "\"" $14 "\"" } { print }' \
  "$work/n2/packets.csv" >"$work/n2-old/packets.csv"
check "older form: the SYN/ACK's flags quoted" grep -q ',"SYN, ACK",' "$work/n2-old/packets.csv"
for kind in ladder timeseq; do
  expect "plot $kind of an older packets.csv" 0 "wrote" -- plot "$work/n2-old" --kind "$kind" --format svg -o "$work/old-$kind.svg"
  expect "plot $kind of packets.csv" 0 "wrote" -- plot "$work/n2" --kind "$kind" --format svg -o "$work/new-$kind.svg"
  check "older form: the same $kind" cmp -s "$work/old-$kind.svg" "$work/new-$kind.svg"
done
# The model beside the measurement, for a loss that is not swept: lab 4's classic run (loss 0.2
# both ways, RTT 0.1 s) has the schedule model's 2.068 s (docs/handshake-model.md's table).
expect "lab 4 classic runs" 0 "2 of 2 expectations met" -- run "$root/scenarios/labs/04-loss-classic.yaml" -o "$work/lab4" -q
expect "its report has the model mean" 0 "wrote" -- report "$work/lab4"
check "the model mean is 2.068 s" grep -q '<td class="num">2.068</td></tr>' "$work/lab4/report.html"
# synlab report (docs/running.md#report): one HTML page from a saved run's files.
expect "report help says what the page holds" 0 "every plot the files allow, inline as SVG" -- report --help
expect "report without OUTDIR" 2 "outdir is required" -- report
expect "report a missing OUTDIR" 2 "no-such-dir: no such directory" -- report "$work/no-such-dir"
expect "report a foreign directory" 2 "precious: no summary.json" -- report "$work/precious"
expect "report three folders" 2 "report takes one folder, or two to compare: .*not expected: $work/out1" -- report "$work/out1" "$work/j1" "$work/out1"
expect "report with an unknown option" 2 "not expected: --bogus" -- report "$work/out1" --bogus
check "an unknown option is not called a third folder" test -z "$("$synlab" report "$work/out1" --bogus 2>&1 | grep 'one folder, or two')"
expect "report a single run" 0 "wrote .*out1/report.html" -- report "$work/out1"
check "the single run's page holds its connections" grep -q "<h3>Connections</h3>" "$work/out1/report.html"
expect "report two runs" 0 "wrote .*compare.html" -- report "$work/out1" "$work/j1" -o "$work/compare.html"
check "the comparison page marks differences" grep -q 'class="[a-z ]*diff' "$work/compare.html"
check "report leaves no partial file" test ! -e "$work/compare.html.partial"
expect "report into an unwritable place" 3 "cannot write \(No such file or directory\)" -- report "$work/out1" -o "$work/no-such-dir/r.html"
expect "plot into an unwritable place" 3 "x.png: cannot be written \(No such file or directory\)" -- plot "$work/out1" --kind cdf -o "$work/no-such-dir/x.png"
# A run's files too large for the memory the process may have (200 MB of address space, where a
# small run's report and ladder need under 160 MB and these 60 MB of traces about 350): plot and
# report say so and exit 3; report used to abort (134). Not under AddressSanitizer, which maps terabytes of address space for its shadow.
if ! ldd "$synlab" 2>/dev/null | grep -q libasan; then
  sed 's/count: 20, interval: 100s/count: 20000, interval: 1ms/; /^expect:/,$d' "$work/lossy.yaml" >"$work/big-trace.yaml"
  "$synlab" run "$work/big-trace.yaml" -o "$work/big-trace" -q >/dev/null
  short_of_memory() {  # short_of_memory ARGS...: synlab ARGS in 200 MB of address space
    local output status
    output=$(ulimit -v 200000 && QT_QPA_PLATFORM=offscreen "$synlab" "$@" 2>&1)
    status=$?
    [[ $status -eq 3 ]] && grep -q "^synlab: failed: out of memory reading the run's files" <<<"$output" ||
      { echo "exit $status: $output"; false; }
  }
  check "report short of memory: said, exit 3" short_of_memory report "$work/big-trace" -o "$work/big.html"
  check "plot short of memory: said, exit 3" short_of_memory plot "$work/big-trace" --kind ladder -o "$work/big.png"
  # The same run drawing its ladder itself, in 500 MB (the run and the plot module need about
  # 450, the ladder over 600): the finished results are kept, and the plot not drawn is named (it
  # used to be exit 3 and nothing kept).
  printf 'outputs: {plots: [ladder, cdf]}\n' >>"$work/big-trace.yaml"
  output=$(ulimit -v 500000 && QT_QPA_PLATFORM=offscreen "$synlab" run "$work/big-trace.yaml" -o "$work/big-plots" -q 2>&1 >/dev/null)
  code=$?
  check "a run short of memory for a plot: exit 0" test "$code" -eq 0
  check "a run short of memory for a plot: says which and why" grep -q "^synlab: warning: plot 'ladder' not drawn: out of memory reading the run's files" <<<"$output"
  check "a run short of memory for a plot: the results kept" test -s "$work/big-plots/packets.csv" -a -s "$work/big-plots/summary.json"
  # The run itself short of memory (80 MB of address space): said, exit 3, no output kept.
  output=$(ulimit -v 80000 && "$synlab" run "$work/big-trace.yaml" -o "$work/no-memory" -q 2>&1)
  code=$?
  check "a run short of memory: exit 3" test "$code" -eq 3
  check "a run short of memory: says so" grep -q "^synlab: failed: out of memory: synlab needed more than this process may have" <<<"$output"
  check "a run short of memory: no output kept" test ! -e "$work/no-memory"
  # Threads refused (a `ulimit -u` the user's processes already fill; root is spared that limit,
  # so as user "nobody"): the runs, the traces' formatting and their writers all go on the main
  # thread, and every file is the same. Where nobody cannot reach synlab (a checkout under a
  # private home), it is said and skipped.
  refused() {  # refused ARGS...: synlab ARGS as nobody, with no thread to be had
    setpriv --reuid=65534 --regid=65534 --clear-groups bash -c 'ulimit -u 1 && exec "$@"' _ "$@"
  }
  if [[ $(id -u) -eq 0 ]] && command -v setpriv >/dev/null && refused "$synlab" --version >/dev/null 2>&1; then
    shared=$(mktemp -d)
    chmod 777 "$shared"
    cp "$work/big-trace.yaml" "$shared/trace.yaml"
    refused "$synlab" run "$shared/trace.yaml" -o "$shared/trace" -q >/dev/null 2>"$shared/trace.err"
    check "threads refused, a traced run: exit 0" test $? -eq 0
    for f in connections.csv packets.csv states.csv; do
      check "threads refused, a traced run: $f the same" cmp -s "$work/big-trace/$f" "$shared/trace/$f"
    done
    # Its plots are not drawn (Qt would wait forever for its own threads), and said so.
    check "threads refused, a traced run: the plots not drawn, said" grep -q "^synlab: warning: plot 'ladder' not drawn: drawing needs threads, and the system refused one (Resource temporarily unavailable)" "$shared/trace.err"
    output=$(QT_QPA_PLATFORM=offscreen refused "$synlab" plot "$shared/trace" --kind cdf -o "$shared/cdf.png" 2>&1)
    code=$?
    check "threads refused, synlab plot: exit 3" test "$code" -eq 3
    check "threads refused, synlab plot: said" grep -q "^synlab: failed: drawing needs threads, and the system refused one" <<<"$output"
    sed -e 's/count: 20000/count: 2000/' -e '/^outputs:/d' "$shared/trace.yaml" >"$shared/sweep.yaml"
    printf 'sweep: {links.wan.delay: [10ms, 20ms, 30ms]}\n' >>"$shared/sweep.yaml"
    "$synlab" run "$shared/sweep.yaml" -j 2 -o "$shared/threads" -q >/dev/null
    refused "$synlab" run "$shared/sweep.yaml" -j 2 -o "$shared/no-threads" >/dev/null 2>"$shared/sweep.err"
    check "threads refused, a sweep on -j 2: exit 0" test $? -eq 0
    check "threads refused, a sweep on -j 2: said" grep -q "^synlab: note: the system refused the runs' threads (Resource temporarily unavailable): they ran on the main thread, one at a time; the results are the same" "$shared/sweep.err"
    for f in connections.csv sweep.csv; do
      check "threads refused, a sweep on -j 2: $f the same" cmp -s "$shared/threads/$f" "$shared/no-threads/$f"
    done
    rm -rf "$shared"
  else
    echo "cli_test: threads refused: not checked (needs root, setpriv, and synlab reachable by user nobody)"
  fi
  rm -rf "$work/big-trace" "$work/big-plots"
fi
expect "report onto a folder" 2 "-o .*out1: names a folder; give a file name, such as .*out1/report.html" -- report "$work/out1" -o "$work/out1"
expect "report onto a folder named with a slash" 2 "-o .*nowhere/: names a folder" -- report "$work/out1" -o "$work/nowhere/"
# -o a symbolic link: the file it names gets the page, the link stays a link.
echo "old" >"$work/linked.html"
ln -s linked.html "$work/link.html"
expect "report through a symbolic link" 0 "wrote .*link.html" -- report "$work/out1" -o "$work/link.html"
check "the link is still a link" test -L "$work/link.html"
check "the linked file holds the page" grep -q "<h3>Connections</h3>" "$work/linked.html"
# -o a FIFO (or a device such as /dev/stdout): written through, not replaced by a file.
mkfifo "$work/pipe"
timeout 60 cat "$work/pipe" >"$work/piped.html" &  # no hang if nothing is written
reader=$!
expect "report into a FIFO" 0 "wrote .*pipe" -- report "$work/out1" -o "$work/pipe"
wait "$reader"
check "the FIFO is still a FIFO" test -p "$work/pipe"
check "the page came through the FIFO" grep -q "<h3>Connections</h3>" "$work/piped.html"
cat >"$work/plots.yaml" <<'YAML'
nodes: [client, server]
links:
  wan: {between: [client, server], delay: 10ms}
apps:
  - {listen: server:80}
  - {connect: client -> server:80}
outputs: {plots: [ladder, timeseq]}
YAML
expect "outputs.plots in run, each image named" 0 "^plots: $work/plots/ladder.png, $work/plots/timeseq.png$" -- run "$work/plots.yaml" -o "$work/plots" -q
check "run drew ladder.png" test -s "$work/plots/ladder.png" -a -s "$work/plots/timeseq.png"
# The drawing is a module loaded when a command draws (app/plot_module.hpp): synlab itself links
# no Qt library, and a command that draws nothing loads none.
if linked=$(ldd "$synlab"); then
  check "synlab links no Qt library" test -z "$(grep -i qt <<<"$linked")"
else
  fail "ldd $synlab failed"
fi
check "synlab --version loads no Qt library" test -z "$(LD_DEBUG=files "$synlab" --version 2>&1 | grep 'file=.*Qt6')"
check "drawing loads the module and Qt" grep -q "file=.*libQt6Charts" <<<"$(LD_DEBUG=files "$synlab" plot "$work/plots" --kind ladder -o "$work/loaded.png" 2>&1)"
# Without the module: plot fails (exit 3), run keeps its results and says what was not drawn.
SYNLAB_PLOTS_MODULE=$work/none.so expect "plot without the module" 3 "^synlab: failed: drawing needs libsynlab_plots.so, .*not loaded:" -- plot "$work/plots" --kind ladder
SYNLAB_PLOTS_MODULE=$work/none.so expect "run without the module" 0 "warning: plot 'ladder' not drawn: drawing needs libsynlab_plots.so" -- run "$work/plots.yaml" -o "$work/plots-nomodule" -q
check "run without the module keeps its results" test -s "$work/plots-nomodule/packets.csv" -a ! -e "$work/plots-nomodule/ladder.png"
printf 'not a library\n' >"$work/not-a-module.so"
SYNLAB_PLOTS_MODULE=$work/not-a-module.so expect "a file that is not a library" 3 "not-a-module.so: .*(invalid ELF|too short)" -- plot "$work/plots" --kind ladder
yaml_cpp=$(awk '/libyaml-cpp/ {print $3}' <<<"$linked")
SYNLAB_PLOTS_MODULE=$yaml_cpp expect "a library that is not the module" 3 "libyaml-cpp[^:]*: not a synlab plot module" -- plot "$work/plots" --kind ladder
# Installed, synlab finds the module in PREFIX/lib/synlab (the CMake that configured the build
# installs; /proc/self/exe names the prefix without symbolic links).
prefix=$(cd "$work" && pwd -P)/prefix
if env -u DESTDIR "${CMAKE_COMMAND:-cmake}" --install "$(dirname "$synlab")" --prefix "$prefix" >/dev/null 2>&1; then
  check "installed synlab loads PREFIX/lib/synlab/libsynlab_plots.so" grep -q "file=$prefix/lib/synlab/libsynlab_plots.so" <<<"$(LD_DEBUG=files "$prefix/bin/synlab" plot "$work/plots" --kind ladder -o "$work/installed.png" 2>&1)"
  check "installed synlab draws" test -s "$work/installed.png"
else
  fail "cmake --install into $prefix failed"
fi
sed 's/plots: \[ladder, timeseq\]/plots: [timing]/' "$work/plots.yaml" >"$work/noplot.yaml"
expect "outputs.plots timing without a sweep" 2 "noplot.yaml:7:19: outputs.plots: 'timing' needs sweep.csv" -- run "$work/noplot.yaml" -o "$work/noplot" -q
# libpcap too is loaded only by a run that writes pcap files (models/net/libpcap.hpp); one that
# cannot load it fails before it runs, saying why (exit 3), and writes nothing.
check "synlab links no libpcap" test -z "$(grep -i pcap <<<"$linked")"
printf 'nodes: [a, b]\nlinks:\n  l: {between: [a, b], delay: 5ms}\napps:\n  - {listen: b:80}\n  - {connect: a -> b:80, count: 3}\n' >"$work/nopcap.yaml"
cp "$work/nopcap.yaml" "$work/pcap.yaml"
printf 'outputs: {pcap: true}\n' >>"$work/pcap.yaml"
check "a run without pcap files loads no libpcap" test -z "$(LD_DEBUG=files "$synlab" run "$work/nopcap.yaml" -o "$work/nopcap" -q 2>&1 | grep 'file=libpcap')"
loaded=$(LD_DEBUG=files "$synlab" run "$work/pcap.yaml" -o "$work/pcap" -q 2>&1)
pcap_soname=$(sed -n 's/.*file=\(libpcap[^ ]*\) .*/\1/p' <<<"$loaded" | head -1)
check "a run with pcap files loads libpcap" test -n "$pcap_soname"
check "a run with pcap files writes them" test -s "$work/pcap/node-a.pcap" -a -s "$work/pcap/link-l.pcap"
# A broken libpcap first in the loader's search: the one the build found is used instead.
mkdir -p "$work/fakelib"
printf 'not a library\n' >"$work/fakelib/${pcap_soname:-libpcap.so}"
LD_LIBRARY_PATH=$work/fakelib expect "a broken libpcap in LD_LIBRARY_PATH: the build's is used" 0 "outputs in" -- run "$work/pcap.yaml" -o "$work/pcap-fallback" -q
check "a broken libpcap in LD_LIBRARY_PATH: the files written" test -s "$work/pcap-fallback/node-a.pcap"
# No libpcap that loads anywhere (its file replaced, in a private mount namespace, so that the
# build's folder has none either): exit 3 with the loader's reason, nothing written.
pcap_file=$(readlink -f "$(ldconfig -p 2>/dev/null | awk -v s="$pcap_soname" '$1 == s {print $NF; exit}')")
without_libpcap() {  # without_libpcap FILE ARGS...: synlab ARGS with libpcap's file replaced by FILE
  unshare -m sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' sh "$1" "$pcap_file" "$synlab" "${@:2}"
}
if [[ -f $pcap_file ]] && without_libpcap "$work/fakelib/$pcap_soname" --version >/dev/null 2>&1; then
  output=$(without_libpcap "$work/fakelib/$pcap_soname" run "$work/pcap.yaml" -o "$work/pcap-broken" -q 2>&1)
  status=$?
  check "libpcap that cannot be loaded: exit 3" test "$status" -eq 3
  check "libpcap that cannot be loaded: the reason" grep -qE "^synlab: error: $work/pcap-broken/[a-z-]*\.pcap: libpcap: [^:]*libpcap[^:]*: (file too short|invalid ELF header)" <<<"$output"
  check "libpcap that cannot be loaded: nothing written" test ! -e "$work/pcap-broken"
  yaml_cpp_file=$(readlink -f "$(awk '/libyaml-cpp/ {print $3}' <<<"$linked")")
  output=$(without_libpcap "$yaml_cpp_file" run "$work/pcap.yaml" -o "$work/pcap-other" -q 2>&1)
  check "a libpcap without pcap's functions" grep -q "libpcap: libpcap[^:]*: no function pcap_open_dead_with_tstamp_precision" <<<"$output"
  # drill --trace: the verdict, then exit 3 with the reason, naming OUTDIR (not its staging
  # folder), and nothing written.
  output=$(without_libpcap "$work/fakelib/$pcap_soname" drill -q --trace "$work/notrace" "$(cd "$(dirname "$0")/../drill" && pwd)/linux/synack-lost.pkt" 2>&1)
  status=$?
  check "drill --trace without libpcap: exit 3" test "$status" -eq 3
  check "drill --trace without libpcap: the verdict first" grep -q "^pass .*synack-lost.pkt" <<<"$output"
  check "drill --trace without libpcap: the reason, naming OUTDIR" grep -q "^synlab: failed: cannot write the trace: $work/notrace/trace.pcap: libpcap: " <<<"$output"
  check "drill --trace without libpcap: nothing written" test ! -e "$work/notrace"
else
  echo "note: no private mount namespace (unshare -m, mount --bind): libpcap's failures not tried"
fi

# Issue 14: results are never lost, and validate refuses what run refuses.
lab="$(dirname "$0")/data/gilbert-elliott-lab.yaml"
expect "lab: validate accepts a sweep over a Gilbert-Elliott p" 0 "10 sweep points x 30 = 300 runs" -- validate "$lab"
expect "lab: run draws its plots" 0 "outputs in $work/lab/" -- run "$lab" -o "$work/lab" -q
check "lab: timing.png and cdf.png" test -s "$work/lab/timing.png" -a -s "$work/lab/cdf.png"
check "lab: timing is plotted against p" grep -q "^point,links.wan.loss.p,tcp.profile," "$work/lab/sweep.csv"
# p = 0.01, r = 0.5: the long-run loss rate p/(p+r) = 0.01/0.51 = 0.0196...
check "lab: summary.json has each point's effective loss" grep -q '"links.wan.forward": 0.0196' "$work/lab/summary.json"
expect "lab: timing against the effective loss rate" 0 "wrote .*timing.svg" -- plot "$work/lab" -k timing --x effective-loss --format svg
check "lab: the x axis says so" grep -q "long-run loss rate of links.wan.forward, from links.wan.loss.p" "$work/lab/timing.svg"
check "lab: the model's curves beside the effective loss (bursty both ways)" grep -q "Cardwell" "$work/lab/timing.svg"
expect "lab: a CCDF" 0 "wrote .*/ccdf.svg" -- plot "$work/lab" -k cdf --ccdf --format svg
check "lab: the CCDF's axis" grep -q "fraction not yet established (log)" "$work/lab/ccdf.svg"
expect "effective loss needs a Gilbert-Elliott sweep" 2 "needs a sweep over a Gilbert-Elliott parameter" -- plot "$work/j1" -k timing --x effective-loss
expect "--x checks its value" 2 "--x: expected swept or effective-loss" -- plot "$work/lab" -k timing --x loss
expect "--x effective-loss with another kind" 2 "--x effective-loss is the timing plot's axis: give --kind timing" -- plot "$work/lab" -k cdf --x effective-loss
expect "--ccdf with another kind" 2 "--ccdf draws the cdf plot's complement: give --kind cdf" -- plot "$work/lab" -k timing --ccdf
expect "--ccdf with every kind" 0 "wrote .*/ccdf.svg" -- plot "$work/lab" --ccdf --format svg
# Bursty one way only: the model (its losses the same both ways) is not this link's, no curves.
sed 's/loss: {model: gilbert-elliott, p: 0.01, r: 0.5}/loss: {forward: {model: gilbert-elliott, p: 0.01, r: 0.5}, reverse: 0}/; s/links.wan.loss.p:/links.wan.loss.forward.p:/; s/repeat: 30/repeat: 2/; s/equals: 600/equals: 40/' "$lab" >"$work/lab-oneway.yaml"
expect "lab, bursty one way" 0 "outputs in" -- run "$work/lab-oneway.yaml" -o "$work/lab-oneway" -q
expect "lab, bursty one way: timing against the effective loss" 0 "wrote .*timing.svg" -- plot "$work/lab-oneway" -k timing --x effective-loss --format svg
check "lab, bursty one way: no model curves" bash -c "! grep -q Cardwell '$work/lab-oneway/timing.svg'"
# loss_good = loss_bad = 1 loses every packet: no handshake completes, so the timing plot has
# nothing to draw. The run keeps its results, warns naming the plot and why, and exits 0 once
# the expectation on handshake times (which cannot hold) is left out.
grep -v "mean_handshake_time" "$lab" >"$work/lab-lost.yaml"
expect "lab: an undrawable plot is a warning" 0 "warning: plot 'timing' not drawn: .*sweep.csv: the timing plot has nothing to draw: no sweep point has an established connection.*; the results are kept" -- run "$work/lab-lost.yaml" -o "$work/lab-lost" -q --set links.wan.loss.loss_good=1
for f in connections.csv sweep.csv summary.json cdf.png; do
  check "lab: $f kept beside the undrawn plot" test -s "$work/lab-lost/$f"
done
check "lab: no timing.png" test ! -e "$work/lab-lost/timing.png"
expect "lab: synlab plot says why later too" 2 "nothing to draw" -- plot "$work/lab-lost" -k timing
# Every failing point is listed with its parameters: all 10 have no established connection.
# The expectation is line 26, column 5 of the lab ("  - {metric: mean_handshake_time").
line=$(grep -n "metric: mean_handshake_time" "$lab" | cut -d: -f1)
output=$("$synlab" run "$lab" -o "$work/lab-failed" -q --set links.wan.loss.loss_good=1 --set repeat=2 2>&1)
check "lab: a failed expectation exits 1" test $? -eq 1
check "lab: under --set the expectation keeps its file:line:column" grep -q "gilbert-elliott-lab.yaml:$line:5: expectation failed: mean_handshake_time" <<<"$output"
check "lab: every failing point listed" test "$(grep -c "^  point [0-9] (links.wan.loss.p=0.[0-9]*, tcp.profile=\(linux\|classic\)): no established connection" <<<"$output")" -eq 10
check "lab: summary.json has the real location" grep -q "\"where\": \".*gilbert-elliott-lab.yaml:$line:5\"" "$work/lab-failed/summary.json"
check "lab: summary.json lists the failing points" test "$(grep -c '"observed": "no established connection"' "$work/lab-failed/summary.json")" -eq 10
# Sweeping whole loss mappings leaves no numeric value to plot timing against: validate and run
# refuse it alike, before anything runs.
sed 's/^  links.wan.loss.p: .*/  links.wan.loss: [{model: gilbert-elliott, p: 0.01, r: 0.5}, {model: gilbert-elliott, p: 0.1, r: 0.5}]/' "$lab" >"$work/lab-maps.yaml"
for refused in "lab-maps.yaml" "noplot.yaml"; do
  v=$("$synlab" validate "$work/$refused" 2>&1); vs=$?
  r=$("$synlab" run "$work/$refused" -o "$work/refused-out" -q 2>&1); rs=$?
  check "$refused: validate refuses (exit 2)" test $vs -eq 2
  check "$refused: run refuses it the same way" test $rs -eq 2 -a "$v" = "$r"
  check "$refused: run wrote nothing" test ! -e "$work/refused-out"
done
sed 's/^outputs: .*/outputs: {plots: [ladder]}/' "$lab" >"$work/lab-ladder.yaml"
expect "validate refuses a ladder of a sweep" 2 "outputs.plots: 'ladder' needs packets.csv" -- validate "$work/lab-ladder.yaml"
no_display() {
  local output status
  output=$(env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$synlab" view "$work/out1" 2>&1)
  status=$?
  [[ $status -eq 2 ]] && grep -q "no display" <<<"$output"
}
check "view without a display: exit 2, says so" no_display
expect "view --screenshot" 0 "wrote .*view.png" -- view "$work/out1" --kind ladder --screenshot "$work/view.png"
expect "view --screenshot nowhere: exit 3, as plot's" 3 "no-such-dir/view.png: cannot be written \(No such file or directory\)" -- view "$work/out1" --kind ladder --screenshot "$work/no-such-dir/view.png"
check "view.png written" test -s "$work/view.png"

# Times that parse but would overflow when added (issue 15): refused with file:line:column
# before the run; at the limit (100 years each) the run ends, its sums saturating.
sed 's/delay: 10ms/delay: 2000000h/' "$work/good.yaml" >"$work/far.yaml"
expect "a delay of 2,000,000 h refused" 2 "far.yaml:4:[0-9]+: links.wan.delay: '2000000h' is more than the limit of 876000h \(100 years\)" -- validate "$work/far.yaml"
expect "a stop of 9223372036s refused" 2 "stop: '9223372036s' is more than the limit" -- validate "$work/good.yaml" --set stop=9223372036s
cat >"$work/centuries.yaml" <<'YAML'
nodes: [client, server]
links:
  wan: {between: [client, server], delay: 876000h, outages: [{from: 875999h, until: 876000h}]}
tcp: {initial_rto: 876000h, max_rto: 876000h, msl: 876000h, backoff: 16, syn_retries: 255}
apps:
  - {listen: server:80}
  - {connect: client -> server:80, start: 876000h, request: 1B}
YAML
expect "every time at 100 years runs to the end" 0 "outputs in" -- run "$work/centuries.yaml" -o "$work/centuries" -q
# A connection opening past the limit would have all its events at the clock's last nanosecond.
expect "connections opening past 100 years refused" 2 "^synlab: error: --set apps.1.interval=876000h: apps.1.interval: the last of 4 connections would open later than the limit of 876000h \(100 years\) for any time: start 876000h \+ 3 x 876000h" -- validate "$work/centuries.yaml" --set apps.1.interval=876000h --set apps.1.count=4
# Refusals at the largest limits do the work of a count, not of the input's size: each of these
# is refused before anything is parsed or expanded (timeout: a guard against a hang only).
refused_fast() {  # refused_fast PATTERN ARGS...: exit 2 with PATTERN, within the guard
  local pattern=$1 output status
  shift
  output=$(timeout 60 "$synlab" "$@" 2>&1)
  status=$?
  [[ $status -eq 2 ]] && grep -qE -- "$pattern" <<<"$output"
}
check "/dev/zero refused" refused_fast "/dev/zero: is larger than the limit of 1000000 bytes" validate /dev/zero
head -c 50000000 /dev/zero | tr '\0' 'a' | sed 's/^/name: /' >"$work/huge-scalar.yaml"
check "a 50 MB scalar refused" refused_fast "is larger than the limit of 1000000 bytes" validate "$work/huge-scalar.yaml"
values=$(seq -s, 0 999)
{ cat "$work/good.yaml" | grep -v '^sweep\|^  links.wan.loss\|^repeat'
  echo "sweep: {links.wan.delay: [${values//,/ms,}ms], links.wan.jitter: [${values//,/ms,}ms, 1s]}"; } >"$work/huge-sweep.yaml"
check "a 1000 x 1001 sweep refused" refused_fast "sweep: more than 1000000 points" validate "$work/huge-sweep.yaml"
{ cat "$work/good.yaml" | grep -v '^sweep\|^  links.wan.loss\|^repeat'
  echo "sweep: {apps.1.count: [10000000, 10000000, 10000000, 10000000, 10000000, 10000000]}"; } >"$work/count-sweep.yaml"
check "a sweep over apps.1.count past the total refused" refused_fast "open 60000000 connections in all, more than the limit of 50000000" validate "$work/count-sweep.yaml"
check "--jobs 100000 with repeat 100000 and 10^7 connections refused" refused_fast "more than the limit of 50000000" run "$work/count-sweep.yaml" --set repeat=100000 --jobs 100000 -o "$work/never"
# A misspelt link name in --set is blamed on the option, with a suggestion (issue 15).
expect "--set with a misspelt link" 2 "--set links.wna.delay=5ms: links.wna.delay: no link 'wna' — did you mean 'wan'\? \(links: wan\)" -- validate "$work/good.yaml" --set links.wna.delay=5ms

# synlab drill (docs/drill.md): one script, a folder, --trace, exit codes.
drills=$(cd "$(dirname "$0")/../drill" && pwd)
expect "drill help" 0 "Exit codes: 0 passed, 1 a script failed, 2" -- drill --help
expect "drill one script prints its lines" 0 "L13 .*< \. 1:1\(0\) ack 1" -- drill "$drills/linux/synack-lost.pkt"
expect "drill a folder: a summary" 0 "scripts: [0-9]+ passed, 0 failed, 0 refused" -- drill -q --profile rfc6298 "$drills/rfc6298"
expect "drill a failing script: exit 1" 1 "FAIL .*wrong-window.pkt" -- drill -q "$drills/must-fail/wrong-window.pkt"
expect "drill a refused script: exit 2" 2 "udp.pkt:2:19: refused: UDP sockets" -- drill -q "$drills/refused/udp.pkt"
expect "drill a missing script" 2 "no-such.pkt: no such file" -- drill "$work/no-such.pkt"
check "drill a missing script: no heading for it on standard output" test -z "$("$synlab" drill "$work/no-such.pkt" 2>/dev/null)"
expect "drill /dev/zero" 2 "/dev/zero: not a regular file; expected a drill script" -- drill /dev/zero
expect "drill an unknown profile" 2 "--profile: no such profile 'bsd'" -- drill --profile bsd "$drills/linux/synack-lost.pkt"
expect "drill a bad tolerance" 2 "--tolerance 4 parsecs" -- drill --tolerance "4 parsecs" "$drills/linux/synack-lost.pkt"
expect "drill --tolerance_percent nan" 2 "--tolerance_percent must be from 0 to 100" -- drill --tolerance_percent nan "$drills/linux/synack-lost.pkt"
expect "drill --trace on a folder" 2 "--trace takes one script" -- drill --trace "$work/t" "$drills/rfc6298"
expect "drill --trace" 0 "trace written to" -- drill -q --trace "$work/drilltrace" "$drills/linux/synack-lost.pkt"
# synack-lost.pkt has 3 segments from each side: 6 segments, each a send and a recv row.
check "drill --trace: packets.csv has 12 rows" test "$(($(wc -l <"$work/drilltrace/packets.csv") - 1))" -eq 12
check "drill --trace: states.csv and trace.pcap" test -s "$work/drilltrace/states.csv" -a -s "$work/drilltrace/trace.pcap"
expect "drill trace draws a ladder" 0 "wrote .*ladder.png" -- plot "$work/drilltrace" -k ladder
expect "drill --trace of a failing run still writes" 1 "trace written to" -- drill -q --trace "$work/failtrace" "$drills/must-fail/wrong-window.pkt"
# An OUTDIR synlab may not replace is refused before the script runs (as run's -o), never a crash.
: >"$work/trace-file"
expect "drill --trace onto a file: exit 2" 2 "^synlab: error: --trace: output directory .*trace-file: exists and is not a directory" -- drill -q --trace "$work/trace-file" "$drills/linux/synack-lost.pkt"
mkdir -p "$work/trace-mine" && : >"$work/trace-mine/notes.txt"
expect "drill --trace onto a folder of the user's: exit 2" 2 "trace-mine: exists, is not empty and holds no .synlab-output" -- drill -q --trace "$work/trace-mine" "$drills/linux/synack-lost.pkt"
check "drill --trace onto a folder of the user's: left as it was" test "$(ls -A "$work/trace-mine")" = notes.txt
expect "drill --trace of a missing script: exit 2" 2 "must-fail/no-such.pkt: no such file" -- drill -q --trace "$work/trace-none/a/b" "$drills/must-fail/no-such.pkt"
check "drill --trace of a missing script: no folder made" test ! -e "$work/trace-none"
expect "drill --trace of a script that is not valid: exit 2" 2 "time-goes-back.pkt:8:1: error: time goes back" -- drill -q --trace "$work/trace-bad/a/b" "$drills/invalid/time-goes-back.pkt"
check "drill --trace of a script that is not valid: no folder made" test ! -e "$work/trace-bad"

# Every example in a subcommand's --help runs as written, in a scratch folder holding the
# repository's scenarios/ and tests/ (and a lab.yaml for merge's), but those that need a display
# (view), a file of the reader's own (my-test.pkt, out/lab-classic) or mpirun.
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$work/examples"
ln -s "$root/scenarios" "$work/examples/scenarios"
ln -s "$root/tests" "$work/examples/tests"
cp "$root/scenarios/timing-under-loss.yaml" "$work/examples/lab.yaml"
examples=0
for sub in run validate plot view report drill merge; do
  while IFS= read -r line; do
    [[ $line == *my-test.pkt* || $line == *lab-classic* || $line == *"synlab view"* ||
      $line == mpirun* ]] && continue  # (mpi_test runs synlab under mpirun)
    (cd "$work/examples" && eval "${line//synlab /\"\$synlab\" }") >"$work/example.log" 2>&1
    check "$sub --help's example runs: $line" test $? -eq 0
    examples=$((examples + 1))
  done < <("$synlab" "$sub" --help | sed -n '/^Examples\{0,1\}:/,$p' | sed -n 's/^  \(.*synlab .*\)/\1/p')
done
check "the --help examples were found and run" test "$examples" -ge 11

finish cli
