// SHA-256 (FIPS 180-4) of a file's bytes, for the provenance in summary.json: the scenario file a
// run read, which `synlab report` checks before it shows the file beside the run.
#pragma once

#include <string>
#include <string_view>

namespace synlab::app {

// SHA-256 of `bytes`, as 64 lowercase hex digits (what sha256sum prints).
std::string sha256_hex(std::string_view bytes);

}  // namespace synlab::app
