// MemorySink: keeps every record in a vector, for tests and for plotting after a run.
#pragma once

#include <vector>

#include "sim/trace.hpp"

namespace synlab::sim {

template <class Record>
class MemorySink final : public TraceSink<Record> {
 public:
  void write(const Record& record) override { records.push_back(record); }
  std::vector<Record> records;
};

}  // namespace synlab::sim
