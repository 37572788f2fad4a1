// `synlab drill`: runs packetdrill scripts against the TCP model (docs/drill.md).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <system_error>

#include "app/commands.hpp"
#include "app/drill_parser.hpp"
#include "app/drill_runner.hpp"
#include "app/drill_trace.hpp"
#include "app/interrupt_cleanup.hpp"
#include "app/output_dir.hpp"
#include "models/tcp/profile.hpp"

namespace synlab::app {

namespace {

namespace fs = std::filesystem;

constexpr std::uintmax_t max_script_bytes = 1 << 20;  // 1 MiB, as for scenario files

enum class Verdict : std::uint8_t { Passed, Failed, Refused, Bad };

struct Outcome {
  Verdict verdict = Verdict::Bad;
  std::string message;  // the failure or the error, one or more lines
  std::vector<std::string> notes;
  std::string unwritten;  // why --trace's OUTDIR could not be written (exit 3), or empty
  // --trace's OUTDIR refused (exit 2) or not creatable (exit 3) before the script ran: the
  // command ends there with `message`.
  int trace_refused = 0;
};

std::optional<std::string> read_script(const fs::path& path, std::string& error) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) {  // or a loop of links, or no permission to look
    error = path.string() + ": " +
            (status.type() == fs::file_type::not_found || !ec ? std::string("no such file")
                                                              : ec.message());
    return std::nullopt;
  }
  if (!fs::is_regular_file(status)) {  // a FIFO, a device: a script is a file that ends
    error = path.string() + ": not a regular file; expected a drill script (.pkt)";
    return std::nullopt;
  }
  if (fs::file_size(path, ec) > max_script_bytes) {
    error = path.string() + ": larger than 1 MiB; not a drill script";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) {
    error = path.string() + ": cannot be read";
    return std::nullopt;
  }
  return text.str();
}

Outcome run_one(const fs::path& path, const DrillOptions& options, std::ostream* log) {
  Outcome o;
  std::string error;
  const std::optional<std::string> text = read_script(path, error);
  if (!text) {
    o.message = error;
    return o;
  }
  drill::Script script;
  try {
    script = drill::parse_script(*text, path.string());
  } catch (const drill::ScriptError& e) {
    o.verdict = e.kind() == drill::ScriptError::Kind::Refused ? Verdict::Refused : Verdict::Bad;
    o.message = e.what();
    return o;
  }
  // --trace's OUTDIR, checked once the script is known to be valid and before it runs, as `run`
  // checks its OUTDIR: one synlab may not replace (a file, a folder of the user's) is bad input,
  // one it cannot write an output failure. While the script runs, a signal removes its staging
  // directory.
  std::optional<OutputDir> trace;
  std::optional<InterruptCleanup> cleanup;
  if (!options.trace_dir.empty()) {
    try {
      trace.emplace(options.trace_dir);
      trace->refuse_input_inside(path, "the script");
    } catch (const OutputRefused& e) {
      o.message = "error: --trace: " + std::string(e.what());
      o.trace_refused = exit_bad_input;
      return o;
    } catch (const OutputError& e) {
      // Cannot be written (a read-only place): the script still runs and its verdict is
      // printed; then the command says why there is no trace and ends with exit code 3.
      o.unwritten = "cannot write the trace: " + std::string(e.what());
      trace.reset();
    }
    if (trace) cleanup.emplace(trace->staging(), trace->target(), trace->created_parents());
  }
  drill::DrillOptions run_options{.profile = options.profile,
                                  .tolerance = options.tolerance,
                                  .tolerance_percent = options.tolerance_percent,
                                  .log = log};
  const drill::DrillResult r = drill::run_drill(script, run_options);
  o.notes = r.notes;
  if (trace && !r.invalid && !r.refused) {  // nor has a script not valid, or refused
    // An output failure (a full disk, libpcap that cannot be loaded): the script's verdict
    // still stands, and the command ends with exit code 3.
    try {
      write_drill_trace(*trace, path.string(), std::string(options.profile->name), r);
      o.notes.push_back("trace written to " + options.trace_dir +
                        " (packets.csv, states.csv, trace.pcap; synlab plot " + options.trace_dir +
                        " -k ladder)");
    } catch (const OutputError& e) {
      o.unwritten = "cannot write the trace: " + std::string(e.what());
    }
  }
  if (r.passed) {
    o.verdict = Verdict::Passed;
  } else if (r.invalid) {
    o.verdict = Verdict::Bad;
    o.message = r.failure;
  } else if (r.refused) {
    o.verdict = Verdict::Refused;
    o.message = r.failure;
  } else {
    o.verdict = Verdict::Failed;
    o.message = r.failure;
    if (log == nullptr && !r.history.empty()) {
      o.message += "\n  what happened before (time in seconds, script line):";
      const std::size_t from = r.history.size() > 12 ? r.history.size() - 12 : 0;
      for (std::size_t i = from; i < r.history.size(); ++i) o.message += "\n    " + r.history[i];
    }
  }
  return o;
}

}  // namespace

int drill_command(const DrillOptions& options, std::ostream& out, std::ostream& err) {
  std::vector<fs::path> scripts;
  bool many = options.paths.size() > 1;
  for (const std::string& p : options.paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      many = true;
      std::vector<fs::path> found;
      for (const fs::directory_entry& e : fs::directory_iterator(p, ec))
        if (e.path().extension() == ".pkt") found.push_back(e.path());
      if (found.empty()) {
        err << "synlab: error: " << p << ": no .pkt script in this folder\n";
        return exit_bad_input;
      }
      std::sort(found.begin(), found.end());
      scripts.insert(scripts.end(), found.begin(), found.end());
    } else {
      scripts.emplace_back(p);
    }
  }
  if (many && !options.trace_dir.empty()) {
    err << "synlab: error: --trace takes one script, not a folder or several scripts\n";
    return exit_bad_input;
  }
  std::size_t passed = 0, failed = 0, refused = 0, bad = 0, unwritten = 0;
  for (const fs::path& path : scripts) {
    const bool verbose = !many && !options.quiet;
    // The heading of the script's trace: not for a script that is not there (or not a file),
    // which gets only its error.
    std::error_code ec;
    if (verbose && fs::is_regular_file(path, ec))
      out << path.string() << " (profile " << options.profile->name << ")\n";
    const Outcome o = run_one(path, options, verbose ? &out : nullptr);
    if (o.trace_refused != 0) {  // --trace takes one script: nothing else to run
      err << "synlab: " << o.message << "\n";
      return o.trace_refused;
    }
    switch (o.verdict) {
      case Verdict::Passed:
        ++passed;
        out << "pass  " << path.string() << "\n";
        break;
      case Verdict::Failed:
        ++failed;
        out << "FAIL  " << path.string() << "\n" << o.message << "\n";
        break;
      case Verdict::Refused:
        ++refused;
        if (many)
          out << "refused  " << path.string() << "\n  " << o.message << "\n";
        else
          err << "synlab: " << o.message << "\n";
        break;
      case Verdict::Bad:
        ++bad;
        if (many)
          out << "error  " << path.string() << "\n  " << o.message << "\n";
        else
          err << "synlab: " << o.message << "\n";
        break;
    }
    for (const std::string& n : o.notes) out << "  note: " << n << "\n";
    out.flush();
    if (!o.unwritten.empty()) {
      ++unwritten;
      err << "synlab: failed: " << o.unwritten << "\n";
    }
  }
  if (many)
    out << scripts.size() << (scripts.size() == 1 ? " script: " : " scripts: ") << passed
        << " passed, " << failed << " failed, " << refused << " refused"
        << (bad ? ", " + std::to_string(bad) + " not valid" : "") << "\n";
  if (unwritten > 0) return exit_output_failed;
  if (failed > 0) return exit_expectation_failed;
  if (refused > 0 || bad > 0) return exit_bad_input;
  return exit_ok;
}

}  // namespace synlab::app
