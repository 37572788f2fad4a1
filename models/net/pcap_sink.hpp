// PcapSink: the trace sink that writes the packets a CaptureSelect picks to one pcap file,
// as real IPv4 + TCP packets (WireCodec), stamped with their record's time (PcapWriter).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "models/net/capture_select.hpp"
#include "models/net/packet_record.hpp"
#include "models/net/pcap_writer.hpp"
#include "sim/trace.hpp"

namespace synlab::net {

class PcapSink final : public sim::TraceSink<PacketRecord> {
 public:
  PcapSink(PcapWriter writer, CaptureSelect select) : writer_(std::move(writer)), select_(select) {}

  // Called from the event loop (sim::Trace), in record order, so timestamps never decrease.
  void write(const PacketRecord& record) override;

  // Completes the file (PcapWriter::finish): call once, after the run.
  [[nodiscard]] std::optional<PcapError> finish() { return writer_.finish(); }

  const std::filesystem::path& path() const noexcept { return writer_.path(); }
  const CaptureSelect& select() const noexcept { return select_; }
  std::uint64_t packets() const noexcept { return writer_.packets(); }
  std::uint64_t past_last_second() const noexcept { return writer_.past_last_second(); }

 private:
  PcapWriter writer_;
  CaptureSelect select_;
  std::vector<std::uint8_t> bytes_;  // reused: one packet's bytes
};

}  // namespace synlab::net
