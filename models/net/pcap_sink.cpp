// PcapSink (see pcap_sink.hpp).
#include "models/net/pcap_sink.hpp"

#include "models/net/wire_codec.hpp"

namespace synlab::net {

void PcapSink::write(const PacketRecord& record) {
  if (!select_.selects(record)) return;
  encode(wire_packet(record), bytes_);
  writer_.write(record.time, bytes_);
}

}  // namespace synlab::net
