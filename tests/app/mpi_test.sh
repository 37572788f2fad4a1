#!/usr/bin/env bash
# Sweeps over MPI ranks (issue 16): `mpirun -np 3 synlab run` gives the files of `--jobs 1`,
# byte for byte, but summary.json's command line and mpi_ranks; a rank that fails, or is
# killed mid-run, makes the run fail with a message and leaves no output folder.
# Registered only when synlab is built with MPI (SYNLAB_MPI).
# Usage: mpi_test.sh PATH/TO/synlab PATH/TO/mpirun
set -u
synlab=$1
mpirun=$2
# shellcheck source=tests/app/lib.sh
source "$(dirname "$0")/lib.sh"

# OpenMPI in CI: as root it must be allowed; 3 ranks on 2 cores are oversubscribed, and left
# unbound; ptrace-based single copy between processes is often forbidden in containers; a
# waiting rank yields its core instead of spinning.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none
export OMPI_MCA_mpi_yield_when_idle=1 OMPI_MCA_rmaps_base_oversubscribe=1
export OMPI_MCA_hwloc_base_binding_policy=none
# PMIx's shared-memory data store fails in some containers; its hash store works everywhere.
export PMIX_MCA_gds=hash
mpi() {
  local np=$1
  shift
  timeout 60 "$mpirun" --oversubscribe --allow-run-as-root -np "$np" "$synlab" "$@"
}

# 2 points x 4 replications = 8 runs over 3 ranks: rank 0 runs 0, 3, 6; rank 1 runs 1, 4, 7;
# rank 2 runs 2, 5.
cat >"$work/sweep.yaml" <<'YAML'
name: ranks
seed: 11
nodes: [client, server]
links:
  wan: {between: [client, server], delay: 10ms, loss: 0.2}
apps:
  - {listen: server:80}
  - {connect: client -> server:80, count: 20, interval: 1s}
sweep:
  tcp.profile: [linux, classic]
repeat: 4
YAML

"$synlab" run "$work/sweep.yaml" -o "$work/alone" -q --jobs 1 >/dev/null || fail "--jobs 1 run"
output=$(mpi 3 run "$work/sweep.yaml" -o "$work/mpi3" -q 2>&1)
status=$?
[[ $status -eq 0 ]] || fail "mpirun -np 3: exit $status: $output"
[[ $(grep -c "outputs in" <<<"$output") -eq 1 ]] || fail "only rank 0 prints: $output"
same_outputs "$work/alone" "$work/mpi3" '/^  "mpi_ranks": [0-9]*,$/d'
grep -q '"mpi_ranks": 3,' "$work/mpi3/summary.json" || fail "summary.json: mpi_ranks 3"
grep -q '"mpi_ranks"' "$work/alone/summary.json" && fail "a run without MPI has no mpi_ranks"

# A single run: rank 0 runs it and writes its traces, the other rank has nothing to do.
printf 'name: one\nnodes: [a, b]\nlinks:\n  l: {between: [a, b], delay: 5ms}\napps:\n  - {listen: b:80}\n  - {connect: a -> b:80, count: 3}\noutputs: {packets: true, states: true}\n' >"$work/single.yaml"
"$synlab" run "$work/single.yaml" -o "$work/single-alone" -q >/dev/null || fail "single run"
mpi 2 run "$work/single.yaml" -o "$work/single-mpi" -q >/dev/null 2>&1 || fail "single run, 2 ranks"
same_outputs "$work/single-alone" "$work/single-mpi" '/^  "mpi_ranks": [0-9]*,$/d'

# Bad input: every rank sees it, rank 0 alone says so, exit code 2.
output=$(mpi 3 run "$work/missing.yaml" -o "$work/none" -q 2>&1)
status=$?
[[ $status -eq 2 ]] || fail "missing scenario under mpirun: exit $status (want 2)"
[[ $(grep -c "no such file" <<<"$output") -eq 1 ]] || fail "one message for a missing file: $output"

# A rank whose run fails: its message, a nonzero exit code, no output folder, no staging.
output=$(SYNLAB_MPI_TEST_FAULT=1:fail mpi 3 run "$work/sweep.yaml" -o "$work/failed" -q 2>&1)
status=$?
[[ $status -ne 0 && $status -ne 124 ]] || fail "a failing rank: exit $status"
grep -q "synlab: failed: rank 1: a failure injected" <<<"$output" || fail "no message: $output"
[[ -e "$work/failed" ]] && fail "a failing rank left $work/failed"

# A rank whose runs do not fit the scenario (one host too many): rank 0 refuses them as damaged
# and writes nothing.
output=$(SYNLAB_MPI_TEST_FAULT=1:hosts mpi 3 run "$work/sweep.yaml" -o "$work/misfit" -q 2>&1)
status=$?
[[ $status -ne 0 && $status -ne 124 ]] || fail "a rank's misfit run: exit $status"
grep -q "rank 1 sent a damaged run: its hosts do not fit the scenario" <<<"$output" ||
  fail "no message for a misfit run: $output"
[[ -e "$work/misfit" ]] && fail "a misfit run left $work/misfit"

# A rank killed mid-run (SIGKILL as its second run starts): mpirun ends the others, rank 0
# removes its staging directory on SIGTERM.
output=$(SYNLAB_MPI_TEST_FAULT=2:kill mpi 3 run "$work/sweep.yaml" -o "$work/killed" -q 2>&1)
status=$?
[[ $status -ne 0 && $status -ne 124 ]] || fail "a killed rank: exit $status"
grep -qi "rank 2.*signal 9\|killed" <<<"$output" || fail "no message for the killed rank: $output"
[[ -e "$work/killed" ]] && fail "a killed rank left $work/killed"
# mpirun sends the other ranks SIGTERM, on which rank 0 removes its staging directory, and
# SIGKILL a second later (odls_base_sigkill_timeout): on a loaded machine rank 0 may not have
# finished, and its hidden staging directory is then the next run's to remove.
"$synlab" run "$work/sweep.yaml" -o "$work/killed" -q >/dev/null || fail "a run after the kill"
ls -a "$work" | grep -q partial && fail "a staging directory was left behind"

# The MPI calls are in libsynlab_mpi.so, which synlab loads only to join a world: synlab itself
# links no MPI library, loads none for a run without a launcher, and an MPI run that cannot load
# the module fails saying why, before any output (exit 3).
check "synlab links no MPI library" test -z "$(ldd "$synlab" | grep -i -e mpi -e open-pal -e open-rte)"
check "a run without a launcher loads no MPI library" test -z "$(LD_DEBUG=files "$synlab" run "$work/single.yaml" -o "$work/no-mpi" -q 2>&1 | grep 'file=.*libmpi')"
beside=$(cd "$(dirname "$synlab")" && pwd -P)/libsynlab_mpi.so  # as /proc/self/exe names it
check "mpirun -np 2 loads the module beside synlab" grep -q "file=$beside" <<<"$(LD_DEBUG=files mpi 2 run "$work/single.yaml" -o "$work/loaded" -q 2>&1)"
output=$(SYNLAB_MPI_MODULE=$work/none.so mpi 2 run "$work/single.yaml" -o "$work/no-module" -q 2>&1)
status=$?
[[ $status -eq 3 ]] || fail "MPI run without the module: exit $status (want 3): $output"
# Each rank says so, but mpirun may end the other as soon as one has exited (and two ranks'
# lines may still meet mid-line on the launcher's stderr: the message is looked for anywhere).
grep -q "synlab: failed: a run over MPI ranks needs libsynlab_mpi.so, .*not loaded:$" <<<"$output" ||
  fail "MPI run without the module: its message: $output"
grep -q "^  $work/none.so: no such file$" <<<"$output" || fail "the place tried, and why: $output"
[[ -e "$work/no-module" ]] && fail "MPI run without the module wrote $work/no-module"
yaml_cpp=$(ldd "$synlab" | awk '/libyaml-cpp/ {print $3}')
output=$(SYNLAB_MPI_MODULE=$yaml_cpp mpi 2 run "$work/single.yaml" -o "$work/not-module" -q 2>&1)
[[ $? -eq 3 ]] && grep -q "libyaml-cpp[^:]*: not a synlab MPI module" <<<"$output" ||
  fail "a library that is not the module: $output"
# Installed, synlab finds the module in PREFIX/lib/synlab.
prefix=$(cd "$work" && pwd -P)/prefix
if env -u DESTDIR "${CMAKE_COMMAND:-cmake}" --install "$(dirname "$synlab")" --prefix "$prefix" >/dev/null 2>&1; then
  output=$(LD_DEBUG=files timeout 60 "$mpirun" --oversubscribe --allow-run-as-root -np 2 \
    "$prefix/bin/synlab" run "$work/single.yaml" -o "$work/installed" -q 2>&1)
  grep -q "file=$prefix/lib/synlab/libsynlab_mpi.so" <<<"$output" ||
    fail "installed synlab loads PREFIX/lib/synlab/libsynlab_mpi.so: $output"
  same_outputs "$work/single-alone" "$work/installed" '/^  "mpi_ranks": [0-9]*,$/d'
else
  fail "cmake --install into $prefix failed"
fi
# Neither synlab nor the module asks the loader to look in the current directory (an empty entry
# in a run path), where anyone's libmpi.so.40 could be.
for file in "$synlab" "$beside"; do
  runpath=$(readelf -d "$file" | sed -n 's/.*(RUNPATH) *Library runpath: \[\(.*\)\]$/\1/p; s/.*(RPATH) *Library rpath: \[\(.*\)\]$/\1/p')
  [[ ":$runpath:" == *"::"* && -n $runpath ]] && fail "$file: a run path with an empty entry: '$runpath'"
done

# --shard is for array jobs without MPI.
output=$(mpi 2 run "$work/sweep.yaml" --shard 1/2 -o "$work/sharded" 2>&1)
[[ $? -eq 2 ]] && grep -q "leave it out" <<<"$output" || fail "--shard under mpirun: $output"

finish mpi_test
