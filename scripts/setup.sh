#!/usr/bin/env bash
# Installs every Debian package synlab needs to build and test, when missing.
# Idempotent: silent and fast (one dpkg query) when everything is present.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkgconf
  clang-format
  libboost-graph-dev   # Boost.Graph (topology, routing); brings Boost.Random's headers
  doctest-dev          # unit and scenario tests
  libyaml-cpp-dev      # scenario files (app/)
  libcli11-dev         # the command line (app/)
  nlohmann-json3-dev   # summary.json (app/)
  nettle-dev           # SHA-256 of the scenario file for summary.json provenance (app/sha256.cpp)
  libpcap-dev          # pcap export (models/net/pcap_writer): libpcap writes the files
  tshark               # tests: Wireshark's dissectors check the pcap files (ctest pcap_tshark)
  chromium             # tests: `synlab report` pages rendered in a real browser (ctest report_browser)
  qt6-base-dev         # plots (viz/): Qt Widgets and Gui, the offscreen platform plugin
  libqt6opengl6-dev    # Qt6Charts' CMake package needs Qt6OpenGL (only recommended by qt6-base-dev)
  qt6-charts-dev       # plots: Qt Charts
  qt6-svg-dev          # plots: SVG output (QSvgGenerator)
  fonts-dejavu-core    # plots: a font for headless rendering
  locales              # tests: a decimal-comma locale (de_DE) built with localedef (ctest cli_locale)
  groff-base           # tests: renders `synlab man` (man -l, groff -man) to catch roff warnings
  clang                # the fuzz preset (scripts/fuzz.sh): libFuzzer needs clang
  libclang-rt-14-dev   # libFuzzer and clang's sanitizer runtimes (libclang_rt.fuzzer-x86_64.a)
  libopenmpi-dev       # MPI (OpenMPI): mpirun/srun share a sweep's runs (app/mpi_module_exports.cpp)
  openmpi-bin          # mpirun, for the mpi test
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
  [[ "$status" == ii* ]] || missing+=("$p")
done

[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "setup: installing ${missing[*]}" >&2
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done" >&2
