// Trace<Record>: plain value records pushed to zero or more sinks (STYLE §7).
// sim/ owns the envelope; each layer defines its own record structs (flat, copyable, no
// pointers). With no sink the record is never even built: write_with() tests one bool.
#pragma once

#include <initializer_list>
#include <vector>

namespace synlab::sim {

// Receives every record written to a Trace it was given to. Called synchronously from the
// event loop, in record order.
template <class Record>
class TraceSink {
 public:
  virtual ~TraceSink() = default;
  virtual void write(const Record& record) = 0;
};

// The sinks of one record type. Sinks are given at construction (nothing attaches later) and
// must outlive the Trace.
template <class Record>
class Trace {
 public:
  Trace() = default;
  Trace(std::initializer_list<TraceSink<Record>*> sinks) : sinks_(sinks) {}
  explicit Trace(std::vector<TraceSink<Record>*> sinks) : sinks_(std::move(sinks)) {}

  bool enabled() const noexcept { return !sinks_.empty(); }

  void write(const Record& record) const {
    for (TraceSink<Record>* sink : sinks_) sink->write(record);
  }

  // Builds the record with `make()` only if a sink will see it.
  template <class Make>
  void write_with(Make&& make) const {
    if (!sinks_.empty()) [[unlikely]]
      write(make());
  }

 private:
  std::vector<TraceSink<Record>*> sinks_;
};

}  // namespace synlab::sim
