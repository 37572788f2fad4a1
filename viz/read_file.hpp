// read_regular_file: a saved run's file read whole, refusing what a run never writes there: a
// FIFO, a device (a link to /dev/zero would never end), a folder, or more bytes than `most`.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace synlab::viz {

// The bytes of `path` (symbolic links followed). Throws VizError naming the file when it
// cannot be opened, is not a regular file, or holds more than `most` bytes.
std::string read_regular_file(const std::filesystem::path& path,
                              std::uintmax_t most = std::uintmax_t{64} << 30);

// As read_regular_file(), but nullopt where that throws: for a file that may be missing or gone
// (the scenario file a report shows, if it is still there as it was run).
std::optional<std::string> try_read_regular_file(const std::filesystem::path& path,
                                                 std::uintmax_t most = std::uintmax_t{64} << 30);

}  // namespace synlab::viz
