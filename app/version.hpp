// The version and the source revision this synlab was built from (provenance for summary.json,
// shard files and --version). Defined in the generated version.cpp (app/version.cpp.in), which
// the build rewrites only when the revision changes, so a commit recompiles one file.
#pragma once

namespace synlab::app {
extern const char* const version;
extern const char* const source_revision;
}  // namespace synlab::app
