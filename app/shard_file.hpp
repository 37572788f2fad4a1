// A shard: the runs one job of an array job made (`synlab run --shard K/N`), kept as RunRecords
// in one file of its output folder until `synlab merge` writes the outputs from all N shards
// (docs/running.md "Array jobs"). The header says what was run, so merge refuses shards of
// different scenarios, options or builds.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace synlab::app {

// A file that is not a complete shard of this synlab.
class ShardError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ShardSpec {
  std::uint64_t k = 1;  // from 1
  std::uint64_t n = 1;
};

// "K/N" with 1 <= K <= N. Throws std::invalid_argument saying what is wrong.
ShardSpec parse_shard(std::string_view text);

// Whether run `run` (point * repeat + replication) is shard s's. Runs are dealt round-robin, so
// every shard gets a share of every point (later points, with more loss, may run longer).
inline bool shard_has(ShardSpec s, std::size_t run) {
  return run % s.n == s.k - 1;
}

struct ShardHeader {
  std::string version;
  std::string source_revision;
  std::string scenario_file;          // as given on the command line (summary.json's scenario.file)
  std::string scenario_text;          // the file's bytes: merge needs no access to the file
  std::vector<std::string> sets;      // --set PATH=VALUE, in order
  std::optional<std::uint64_t> seed;  // --seed
  ShardSpec shard;
  std::uint64_t runs = 0;     // the sweep's runs, every shard's together
  std::uint64_t records = 0;  // the runs this shard holds
  std::vector<std::string> command_line;
};

inline constexpr std::string_view shard_file_name = "shard.bin";

// Writes the header, then each record as it comes (in run order).
class ShardWriter {
 public:
  ShardWriter(std::ostream& out, const ShardHeader& header);
  void add(std::string_view record);

 private:
  std::ostream* out_;
};

class ShardReader {
 public:
  // `path`: a shard's folder or its shard.bin. Throws ShardError.
  explicit ShardReader(const std::filesystem::path& path);
  const ShardHeader& header() const noexcept { return header_; }
  const std::filesystem::path& path() const noexcept { return path_; }
  // The next record's bytes. Throws ShardError if the file ends early or the bytes do not match
  // the checksum written with them.
  std::string next();
  // Throws ShardError unless every record was read and nothing follows.
  void expect_end();

 private:
  std::filesystem::path path_;
  std::ifstream in_;
  ShardHeader header_;
  std::uint64_t read_ = 0;  // records read so far
};

}  // namespace synlab::app
