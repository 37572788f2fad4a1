// libFuzzer harness: any bytes as a drill script (docs/drill.md), through the parser and, when
// it parses, a run against the `linux` profile. Bad input must end in a ScriptError, a run in a
// pass or a failure; anything else (another exception, a crash, a sanitizer report, a hang) is
// a bug. Built by the `fuzz` preset (clang) and, in every build, replayed on tests/drill.
#include <cstddef>
#include <cstdint>
#include <string>

#include "app/drill_parser.hpp"
#include "app/drill_runner.hpp"
#include "models/tcp/profile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  synlab::drill::Script script;
  try {
    script = synlab::drill::parse_script(text, "fuzz.pkt");
  } catch (const synlab::drill::ScriptError&) {
    return 0;  // refused or not valid: said with file:line:column
  }
  synlab::drill::DrillOptions options;
  options.profile = &synlab::tcp::linux_profile();
  (void)synlab::drill::run_drill(script, options);
  return 0;
}
