// A drill run's files (`synlab drill --trace OUTDIR`, docs/drill.md "Traces"): packets.csv and
// states.csv in the run's one CSV forms (docs/running.md), trace.pcap for Wireshark, and a
// summary.json, so `synlab plot OUTDIR --kind ladder` draws the script's exchange.
#pragma once

#include <filesystem>
#include <string>

#include "app/drill_runner.hpp"
#include "app/output_dir.hpp"

namespace synlab::app {

// Writes the files into `dir`'s staging directory and commits them (app/output_dir.hpp): all of
// them or none. The caller makes `dir` before the script runs, so that an OUTDIR synlab may not
// replace is refused before any work. Throws OutputError.
void write_drill_trace(OutputDir& dir, const std::string& script_path, const std::string& profile,
                       const drill::DrillResult& result);

}  // namespace synlab::app
