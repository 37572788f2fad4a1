// PcapCaptures (see pcap_captures.hpp).
#include "models/net/pcap_captures.hpp"

#include <utility>

namespace synlab::net {
namespace {

std::string file_safe(std::string name) {
  for (char& c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) c = '_';
  }
  return name;
}

}  // namespace

std::vector<PlannedCapture> plan_captures(const sim::Topology& topology,
                                          const PcapOptions& options) {
  std::vector<PlannedCapture> plan;
  if (options.per_link) {
    for (std::uint32_t l = 0; l < topology.link_count(); ++l) {
      const std::string name = "link-" + file_safe(topology.link(sim::LinkId{l}).name);
      plan.push_back({name + ".pcap", CaptureSelect::link_as_sent(sim::LinkId{l})});
      if (options.received)
        plan.push_back({name + ".received.pcap", CaptureSelect::link_as_received(sim::LinkId{l})});
    }
  }
  for (const sim::NodeId node : options.nodes) {
    const std::string name = "node-" + file_safe(topology.node(node).name);
    plan.push_back({name + ".pcap", CaptureSelect::node_traffic(node)});
  }
  return plan;
}

std::variant<PcapCaptures, PcapError> PcapCaptures::open(const std::filesystem::path& dir,
                                                         const sim::Topology& topology,
                                                         const PcapOptions& options) {
  PcapCaptures captures;
  for (const PlannedCapture& planned : plan_captures(topology, options)) {
    std::variant<PcapWriter, PcapError> writer = PcapWriter::open(dir / planned.file_name);
    if (PcapError* error = std::get_if<PcapError>(&writer)) return std::move(*error);
    captures.sinks_.push_back(
        std::make_unique<PcapSink>(std::get<PcapWriter>(std::move(writer)), planned.select));
  }
  return captures;
}

std::vector<sim::TraceSink<PacketRecord>*> PcapCaptures::sinks() const {
  std::vector<sim::TraceSink<PacketRecord>*> out;
  out.reserve(sinks_.size());
  for (const std::unique_ptr<PcapSink>& sink : sinks_) out.push_back(sink.get());
  return out;
}

std::uint64_t PcapCaptures::past_last_second() const noexcept {
  std::uint64_t n = 0;
  for (const std::unique_ptr<PcapSink>& sink : sinks_) n += sink->past_last_second();
  return n;
}

std::vector<PcapError> PcapCaptures::finish() {
  std::vector<PcapError> errors;
  for (const std::unique_ptr<PcapSink>& sink : sinks_)
    if (std::optional<PcapError> error = sink->finish()) errors.push_back(std::move(*error));
  return errors;
}

}  // namespace synlab::net
