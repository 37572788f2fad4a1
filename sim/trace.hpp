// Trace<Record>: plain value records pushed to zero or more sinks (STYLE §7).
// sim/ owns the envelope; each layer defines its own record structs (flat, copyable, no
// pointers). With no sink the record is never even built: write_with() tests one bool. Records
// that have a kind (an enum of fewer than 64 values) may be limited to the kinds the sinks take,
// so that the others are not built either.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <type_traits>
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

// A set of record kinds: bit k for the kind whose value is k.
using TraceKinds = std::uint64_t;
inline constexpr TraceKinds all_trace_kinds = ~TraceKinds{0};
template <class Kind>
constexpr TraceKinds trace_kind(Kind kind) noexcept {
  static_assert(std::is_enum_v<Kind> && std::is_unsigned_v<std::underlying_type_t<Kind>>,
                "a record kind is an enum of unsigned values, all below 64");
  return TraceKinds{1} << static_cast<unsigned>(kind);
}

// The sinks of one record type. Sinks are given at construction (nothing attaches later) and
// must outlive the Trace.
template <class Record>
class Trace {
 public:
  Trace() = default;
  Trace(std::initializer_list<TraceSink<Record>*> sinks) : sinks_(sinks) { limit(all_trace_kinds); }
  // `kinds`: the kinds of record the sinks take (write_with(kind, make) builds no other).
  explicit Trace(std::vector<TraceSink<Record>*> sinks, TraceKinds kinds = all_trace_kinds)
      : sinks_(std::move(sinks)) {
    limit(kinds);
  }

  bool enabled() const noexcept { return !sinks_.empty(); }
  // Whether a record of `kind` reaches the sinks.
  template <class Kind>
  bool enabled(Kind kind) const noexcept {
    return (kinds_ & trace_kind(kind)) != 0;
  }

  void write(const Record& record) const {
    for (TraceSink<Record>* sink : sinks_) sink->write(record);
  }

  // Builds the record with `make()` only if a sink will see it. A record that has a kind passes
  // it (below): this form ignores the kinds the trace is limited to.
  template <class Make>
  void write_with(Make&& make) const {
    if (!sinks_.empty()) [[unlikely]]
      write(make());
  }
  // The same for a record of `kind`: built only if a sink will see it and takes that kind.
  template <class Kind, class Make>
  void write_with(Kind kind, Make&& make) const {
    if (enabled(kind)) [[unlikely]]
      write(make());
  }

 private:
  void limit(TraceKinds kinds) noexcept { kinds_ = sinks_.empty() ? 0 : kinds; }

  std::vector<TraceSink<Record>*> sinks_;
  TraceKinds kinds_ = 0;  // none without sinks: one test for both
};

}  // namespace synlab::sim
