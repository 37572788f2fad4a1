// RunRecord: the result of one (point, replication) as bytes, the unit that MPI messages and
// shard files carry: the RunResult the outputs need and the run's connections.csv rows.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "app/run_result.hpp"

namespace synlab::app {

// Bytes that are not an encoded RunRecord (truncated, another version, a field out of range).
class RunRecordError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RunRecord {
  RunResult result;             // without in-memory traces (packets, tcp): never transported
  std::string connections_csv;  // the run's rows of connections.csv, without the header
};

// Appends `run` and `connections_csv` to `out`: fixed-width little-endian integers and
// length-prefixed strings, so the bytes are the same on every machine.
void encode_run_record(const RunResult& run, std::string_view connections_csv, std::string& out);

// The record `bytes` holds (exactly, nothing after it). Throws RunRecordError.
RunRecord decode_run_record(std::string_view bytes);

}  // namespace synlab::app
