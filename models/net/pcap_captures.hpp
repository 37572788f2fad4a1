// PcapCaptures: the pcap files of one run — which captures a topology gets (per link "as
// sent", optionally "as received", per node) and their sinks, opened and finished together.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "models/net/capture_select.hpp"
#include "models/net/packet_record.hpp"
#include "models/net/pcap_sink.hpp"
#include "models/net/pcap_writer.hpp"
#include "sim/node_id.hpp"
#include "sim/topology.hpp"
#include "sim/trace.hpp"

namespace synlab::net {

struct PcapOptions {
  bool per_link = true;   // link-<link>.pcap: both directions, as sent (CaptureSelect)
  bool received = false;  // link-<link>.received.pcap too: as received (needs per_link)
  // node-<node>.pcap for each: what tcpdump on the node would show. Meant for the hosts (the
  // nodes with a TCP endpoint): at a router every forwarded packet shows twice, in and out,
  // and Wireshark's tcp.analysis flags each second copy as a retransmission.
  std::vector<sim::NodeId> nodes;
};

struct PlannedCapture {
  std::string file_name;  // in the run's pcap directory
  CaptureSelect select;
  friend bool operator==(const PlannedCapture&, const PlannedCapture&) = default;
};

// Links first, in LinkId order (each "as sent" file, then its "as received" file), then the
// nodes in the order given. Names are the topology's; a character other than a letter, digit, '.',
// '_' or '-' becomes '_' so that every name is a plain file name.
std::vector<PlannedCapture> plan_captures(const sim::Topology& topology,
                                          const PcapOptions& options);

class PcapCaptures {
 public:
  // Opens every planned file in `dir`, which must exist. On the first failure the files
  // already opened are abandoned (nothing is left behind) and that error is returned.
  [[nodiscard]] static std::variant<PcapCaptures, PcapError> open(const std::filesystem::path& dir,
                                                                  const sim::Topology& topology,
                                                                  const PcapOptions& options);

  // For the Network's Trace. They stay valid while this object lives, even if it is moved.
  std::vector<sim::TraceSink<PacketRecord>*> sinks() const;
  const std::vector<std::unique_ptr<PcapSink>>& captures() const noexcept { return sinks_; }

  // Completes every file; returns the errors of those that could not be completed (their
  // partial files are removed), empty if all were written.
  [[nodiscard]] std::vector<PcapError> finish();
  // The packets left out of every file, after the pcap format's last second
  // (PcapWriter::last_second).
  std::uint64_t past_last_second() const noexcept;

 private:
  std::vector<std::unique_ptr<PcapSink>> sinks_;
};

}  // namespace synlab::net
