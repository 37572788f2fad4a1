// follow_links(): where a chain of symbolic links ends. An output named by a link (synlab run -o
// LINK, synlab report -o LINK) is written where the link points, and the link stays a link.
#pragma once

#include <filesystem>

namespace synlab::app {

// The path the chain of symbolic links starting at `path` ends at, existing or not: `path`
// itself (less any trailing separators) when it is not a link. A relative link is read from the
// folder that holds it, found as the kernel finds it (through links). The result may hold ".."
// parts, which only the file system can resolve: normalize it with weakly_canonical(), never
// lexically. Throws
// std::filesystem::filesystem_error for a link that cannot be read, or for a chain of more than
// 40 links (a loop; 40 is Linux's own limit, MAXSYMLINKS).
std::filesystem::path follow_links(const std::filesystem::path& path);

}  // namespace synlab::app
