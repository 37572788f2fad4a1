#!/usr/bin/env bash
# Array jobs without MPI (issue 16): `synlab run --shard K/N` for K = 1..N, then `synlab merge`,
# gives the files of the sweep run whole with --jobs 1, byte for byte, but summary.json's
# command line; bad K/N and mismatching shards are refused with a message (exit code 2) and
# leave no output folder.
# Usage: shard_test.sh PATH/TO/synlab
set -u
synlab=$1
# shellcheck source=tests/app/lib.sh
source "$(dirname "$0")/lib.sh"

# 2 points x 4 replications = 8 runs: shard 1/3 gets runs 0, 3, 6; 2/3 gets 1, 4, 7; 3/3 gets
# 2, 5. With loss, so that replications differ.
cat >"$work/sweep.yaml" <<'YAML'
name: shards
seed: 7
nodes: [client, server]
links:
  wan: {between: [client, server], delay: 10ms, loss: 0.2}
apps:
  - {listen: server:80}
  - {connect: client -> server:80, count: 20, interval: 1s}
sweep:
  tcp.profile: [linux, classic]
repeat: 4
expect:
  - {metric: connections, equals: 80}
YAML

expect "whole, one job" 0 "2 of 2|1 of 1" -- run "$work/sweep.yaml" -o "$work/whole" -q --jobs 1
for k in 1 2 3; do
  expect "shard $k/3" 0 "shard $k/3: [23] of 8 runs" -- run "$work/sweep.yaml" --shard "$k/3" -o "$work/s$k" -q
done
expect "merge, shards in any order" 0 "outputs in" -- merge "$work/merged" "$work/s2" "$work/s3" "$work/s1"
same_outputs "$work/whole" "$work/merged"
grep -q '"merge"' "$work/merged/summary.json" || fail "merged summary.json names the merge command"
[[ $(wc -l <"$work/merged/connections.csv") -eq 161 ]] || fail "connections.csv: 8 runs x 20 + header"

# One shard of N = 1 is the whole sweep too.
expect "shard 1/1" 0 "8 of 8 runs" -- run "$work/sweep.yaml" --shard 1/1 -o "$work/only" -q
# Under an MPI launcher every process would merge into the same folder: refused, nothing made.
OMPI_COMM_WORLD_SIZE=2 expect "merge under mpirun -np 2" 2 "merge: started as 2 processes .*run it without the launcher" -- merge "$work/mpimerged" "$work/s1" "$work/s2" "$work/s3"
[[ ! -e $work/mpimerged ]] || fail "merge under mpirun wrote nothing"
# Said by the first process only: the others exit 2 without a word (two ranks' lines mixed).
OMPI_COMM_WORLD_SIZE=2 OMPI_COMM_WORLD_RANK=0 expect "merge under mpirun: rank 0 says it" 2 "^synlab: error: merge: started as 2 processes" -- merge "$work/mpimerged" "$work/s1"
output=$(OMPI_COMM_WORLD_SIZE=2 OMPI_COMM_WORLD_RANK=1 "$synlab" merge "$work/mpimerged" "$work/s1" 2>&1)
code=$?
[[ $code -eq 2 && -z $output ]] || fail "merge under mpirun: rank 1 exits 2, silent (exit $code: $output)"
expect "merge of 1/1" 0 "outputs in" -- merge "$work/merged1" "$work/only"
same_outputs "$work/whole" "$work/merged1"

# Bad K/N.
expect "K 0" 2 "--shard 0/3: K must be from 1 to N" -- run "$work/sweep.yaml" --shard 0/3 -o "$work/bad"
expect "K above N" 2 "--shard 4/3: K must be from 1 to N" -- run "$work/sweep.yaml" --shard 4/3 -o "$work/bad"
expect "not K/N" 2 "expected K/N" -- run "$work/sweep.yaml" --shard 2 -o "$work/bad"
expect "N above the runs" 2 "only 8 runs, so at most 8 shards" -- run "$work/sweep.yaml" --shard 1/9 -o "$work/bad"
printf 'nodes: [a, b]\nlinks:\n  l: {between: [a, b]}\napps:\n  - {listen: b:80}\n  - {connect: a -> b:80}\n' >"$work/single.yaml"
expect "a single run" 2 "single run" -- run "$work/single.yaml" --shard 1/2 -o "$work/bad"

# Mismatching shards.
expect "missing shard" 2 "missing shard 3/3" -- merge "$work/bad" "$work/s1" "$work/s2"
expect "repeated shard" 2 "shard 2/3 given twice" -- merge "$work/bad" "$work/s1" "$work/s2" "$work/s2" "$work/s3"
expect "other seed" 0 "shard 2/3" -- run "$work/sweep.yaml" --shard 2/3 --seed 8 -o "$work/seed8" -q
expect "merge other seed" 2 "different --seed" -- merge "$work/bad" "$work/s1" "$work/seed8" "$work/s3"
expect "other --set" 0 "shard 2/3" -- run "$work/sweep.yaml" --shard 2/3 --set links.wan.loss=0.1 -o "$work/set" -q
expect "merge other --set" 2 "other --set options" -- merge "$work/bad" "$work/s1" "$work/set" "$work/s3"
sed 's/count: 20/count: 21/' "$work/sweep.yaml" >"$work/other.yaml"
cp "$work/other.yaml" "$work/sweep-copy.yaml"
mkdir "$work/elsewhere" && cp "$work/other.yaml" "$work/elsewhere/sweep.yaml"
expect "other scenario" 0 "shard 2/3" -- run "$work/elsewhere/sweep.yaml" --shard 2/3 -o "$work/scen" -q
expect "merge other scenario" 2 "ran a different scenario" -- merge "$work/bad" "$work/s1" "$work/scen" "$work/s3"
expect "other split" 0 "shard 2/2" -- run "$work/sweep.yaml" --shard 2/2 -o "$work/half" -q
expect "merge other split" 2 "is shard 2/2, .* is shard 1/3" -- merge "$work/bad" "$work/s1" "$work/half" "$work/s3"
# A header changed after synlab wrote it: its checksum no longer matches.
mkdir "$work/rev" && cp "$work/s2/.synlab-output" "$work/rev/"
sed 's/"source_revision":"[^"]/"source_revision":"X/' "$work/s2/shard.bin" >"$work/rev/shard.bin"
expect "a changed shard header" 2 "rev/shard.bin: damaged \(its header does not match its checksum" -- merge "$work/bad" "$work/s1" "$work/rev" "$work/s3"
# Another build of synlab: its source revision in the shard's header differs (one character
# replaced, so that the header keeps its length, and the header's SHA-256 written anew, as that
# build would have: after "SYNLAB-SHARD 2\n" (15 bytes), the length (8), the header, its hash).
length=$(od -An -t u8 -j 15 -N 8 "$work/rev/shard.bin" | tr -d ' ')
digest=$(dd if="$work/rev/shard.bin" bs=1 skip=23 count="$length" 2>/dev/null | sha256sum | cut -c1-64)
printf '%s' "$digest" | dd of="$work/rev/shard.bin" bs=1 seek=$((23 + length)) conv=notrunc 2>/dev/null
expect "merge another build" 2 "made by synlab .* \\(source X" -- merge "$work/bad" "$work/s1" "$work/rev" "$work/s3"
# Headers whose checksums hold but whose scenario is not the one run: forge NAME SED edits the
# three shards' headers alike with SED (keeping their length) into $work/NAME1..3, each SHA-256
# written anew.
forge() {
  local k length digest
  for k in 1 2 3; do
    mkdir "$work/$1$k" && cp "$work/s$k/.synlab-output" "$work/$1$k/"
    sed "$2" "$work/s$k/shard.bin" >"$work/$1$k/shard.bin"
    length=$(od -An -t u8 -j 15 -N 8 "$work/$1$k/shard.bin" | tr -d ' ')
    digest=$(dd if="$work/$1$k/shard.bin" bs=1 skip=23 count="$length" 2>/dev/null | sha256sum | cut -c1-64)
    printf '%s' "$digest" | dd of="$work/$1$k/shard.bin" bs=1 seek=$((23 + length)) conv=notrunc 2>/dev/null
  done
  cmp -s "$work/s1/shard.bin" "$work/${1}1/shard.bin" && fail "the forged header ($1) is the same"
}
# A packet expectation the runs never counted. Refused as damaged (it ended on an out-of-range
# index, exit 3).
forge forged 's/{metric: connections, equals: 80}/{packets: {link: wan}, equals: 8}/'
expect "a scenario its runs do not fit" 2 "forged1/shard.bin: damaged \(run 0 does not fit its scenario" -- merge "$work/bad" "$work/forged1" "$work/forged2" "$work/forged3"
# A third node (the name one letter shorter, for the length): each run holds the counters of
# two hosts, summary.json's `hosts` would need three.
forge nodes 's/name: shards/name: shard/; s/nodes: \[client, server\]/nodes: [client,server,x]/'
expect "a scenario with another node count" 2 "nodes1/shard.bin: damaged \(run 0 does not fit its scenario" -- merge "$work/bad" "$work/nodes1" "$work/nodes2" "$work/nodes3"
expect "not a shard" 2 "not a shard folder" -- merge "$work/bad" "$work/s1" "$work/whole" "$work/s3"
mkdir "$work/cut" && head -c 2000 "$work/s2/shard.bin" >"$work/cut/shard.bin"
expect "truncated shard" 2 "damaged" -- merge "$work/bad" "$work/s1" "$work/cut" "$work/s3"
# One byte of a run changed after synlab wrote it: its checksum no longer matches.
mkdir "$work/flip" && cp "$work/s2/.synlab-output" "$work/s2/shard.bin" "$work/flip/"
size=$(stat -c %s "$work/flip/shard.bin")
printf '\001' | dd of="$work/flip/shard.bin" bs=1 seek=$((size - 100)) conv=notrunc 2>/dev/null
cmp -s "$work/s2/shard.bin" "$work/flip/shard.bin" && fail "the byte flipped was already 1"
expect "a changed shard" 2 "flip/shard.bin: damaged \(its run [0-9]+ of [0-9]+ does not match its checksum" -- merge "$work/bad" "$work/s1" "$work/flip" "$work/s3"
expect "OUTDIR is a shard" 2 "is one of the shards" -- merge "$work/s1" "$work/s1" "$work/s2" "$work/s3"
# A shard inside OUTDIR (an earlier merge's folder) would be replaced with it: refused, kept.
cp -r "$work/whole" "$work/holds" && cp -r "$work/s2" "$work/holds/s2"
expect "a shard inside OUTDIR" 2 "the shard $work/holds/s2 is inside the output directory $work/holds" -- merge "$work/holds" "$work/s1" "$work/holds/s2" "$work/s3"
[[ -s "$work/holds/s2/shard.bin" ]] || fail "the shard inside OUTDIR was removed"
rm -r "$work/holds"
# A scenario that is not all UTF-8 (a Latin-1 comment) and a Latin-1 --set: JSON strings must be
# UTF-8, so the shard keeps such texts as hex, and the merge gives the whole run's files.
{ cat "$work/sweep.yaml"; printf '# r\xe9sum\xe9 of the lab\n'; } >"$work/latin1.yaml"
expect "whole, a Latin-1 scenario" 0 "outputs in" -- run "$work/latin1.yaml" -o "$work/l-whole" -q --jobs 1 --set "$(printf 'seed=7 #\xe9')"
for k in 1 2; do
  expect "shard $k/2 of a Latin-1 scenario" 0 "shard $k/2" -- run "$work/latin1.yaml" --shard "$k/2" -o "$work/l$k" -q --set "$(printf 'seed=7 #\xe9')"
done
expect "merge of a Latin-1 scenario's shards" 0 "outputs in" -- merge "$work/l-merged" "$work/l1" "$work/l2"
same_outputs "$work/l-whole" "$work/l-merged"
# The merge's command line has no --set: summary.json's "set" keeps the shards' (a byte that is
# not UTF-8 as U+FFFD), as a whole run's keeps its own; a run without --set has none.
grep -A1 '"set": \[' "$work/l-merged/summary.json" | grep -q '"seed=7 #' ||
  fail "a merged run's summary.json lists its shards' --set"
grep -q '"set":' "$work/merged/summary.json" && fail "a run without --set has no \"set\" in summary.json"
[[ -e "$work/bad" ]] && fail "a refused shard or merge left $work/bad"
ls -a "$work" | grep -q partial && fail "a staging directory was left behind"

finish shard_test
