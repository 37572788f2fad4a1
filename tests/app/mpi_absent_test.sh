#!/usr/bin/env bash
# synlab built without MPI (SYNLAB_MPI off), started by an MPI launcher as several processes,
# refuses to run (each copy would run the whole sweep into the same folder) and says how to get
# MPI (issue 16). Registered only when synlab is built without MPI.
# Usage: mpi_absent_test.sh PATH/TO/synlab
set -u
synlab=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'nodes: [a, b]\nlinks:\n  l: {between: [a, b]}\napps:\n  - {listen: b:80}\n  - {connect: a -> b:80}\n' >"$work/s.yaml"
failures=0
# What OpenMPI's mpirun and a PMI launcher (srun --mpi=pmi2) put in each process's environment.
for launcher in OMPI_COMM_WORLD_SIZE PMI_SIZE; do
  output=$(env "$launcher=3" "$synlab" run "$work/s.yaml" -o "$work/out" 2>&1)
  status=$?
  if [[ $status -ne 2 ]] || ! grep -q "built without MPI.*libopenmpi-dev openmpi-bin" <<<"$output"; then
    echo "FAIL: $launcher=3: exit $status (want 2): $output"
    failures=$((failures + 1))
  fi
done
[[ -e "$work/out" ]] && { echo "FAIL: an output folder was written"; failures=$((failures + 1)); }
# One process (mpirun -np 1) runs as without a launcher.
OMPI_COMM_WORLD_SIZE=1 "$synlab" run "$work/s.yaml" -o "$work/one" -q >/dev/null ||
  { echo "FAIL: OMPI_COMM_WORLD_SIZE=1 should run"; failures=$((failures + 1)); }
[[ $failures -eq 0 ]] && echo "mpi_absent_test: all passed"
exit $((failures > 0))
