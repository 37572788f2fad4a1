// A drill run's files (`synlab drill --trace OUTDIR`, docs/drill.md "Traces"): packets.csv and
// states.csv in the run's one CSV forms (docs/running.md), trace.pcap for Wireshark, and a
// summary.json, so `synlab plot OUTDIR --kind ladder` draws the script's exchange.
#pragma once

#include <filesystem>
#include <string>

#include "app/drill_runner.hpp"

namespace synlab::app {

// Writes the files into `outdir` through a staging directory (app/output_dir.hpp): all of them
// or none. Throws OutputError.
void write_drill_trace(const std::filesystem::path& outdir, const std::string& script_path,
                       const std::string& profile, const drill::DrillResult& result);

}  // namespace synlab::app
