// PacketRecord's CSV form (see packet_record.hpp).
#include "models/net/packet_record.hpp"

#include <array>
#include <string_view>

namespace synlab::net {

namespace {

// The flags' CSV cell ("SYN", "SYN+ACK": no comma, so no quotes, and `cut -d,` keeps the
// columns) for each of the 256 combinations, made once.
const std::string& flag_cell(tcp::Flags f) {
  static const std::array<std::string, 256> cells = [] {
    std::array<std::string, 256> all;
    for (std::size_t bits = 0; bits < all.size(); ++bits)
      all[bits] = sim::CsvRow::escape(
          tcp::Flags::from_bits(static_cast<std::uint8_t>(bits)).to_string("+"));
    return all;
  }();
  return cells[f.bits()];
}

}  // namespace

void to_csv(const PacketRecord& r, const PacketNames& names, sim::CsvRow& row) {
  row.add(r.time).add(to_string(r.event));
  if (r.reason)
    row.add(to_string(*r.reason));
  else if (names.injected)
    row.add(std::string_view("injected"));
  else
    row.add_empty();
  row.add(names.node);
  if (r.link.valid())
    row.add(names.link).add(to_string(r.direction));
  else
    row.add_empty().add_empty();
  row.add(names.from).add(names.to);
  row.add(r.src).add(std::uint32_t{r.src_port}).add(r.dst).add(std::uint32_t{r.dst_port});
  const auto optional = [&](const auto& v) {
    if (v)
      row.add(*v);
    else
      row.add_empty();
  };
  optional(names.conn);
  row.add_raw(flag_cell(r.flags)).add(r.seq).add(r.ack);
  optional(names.rel_seq);
  optional(names.rel_ack);
  row.add(std::uint32_t{r.window}).add(r.payload_bytes).add(r.size_bytes).add(r.packet_id);
  options_to_csv(r.options, row);
}

void to_csv(const PacketRecord& r, sim::CsvRow& row) {
  const std::string node = std::to_string(r.node.value);
  const std::string link = r.link.valid() ? std::to_string(r.link.value) : std::string{};
  const std::string from = r.src.to_string() + ":" + std::to_string(r.src_port);
  const std::string to = r.dst.to_string() + ":" + std::to_string(r.dst_port);
  to_csv(r, PacketNames{node, link, from, to, std::nullopt, std::nullopt, std::nullopt, false},
         row);
}

void options_to_csv(const tcp::Options& o, sim::CsvRow& row) {
  if (o.mss)
    row.add(std::uint32_t{*o.mss});
  else
    row.add_empty();
  if (o.window_scale)
    row.add(std::uint32_t{*o.window_scale});
  else
    row.add_empty();
  row.add(std::uint32_t{o.sack_permitted ? 1u : 0u});
  if (o.timestamps)
    row.add(o.timestamps->tsval).add(o.timestamps->tsecr);
  else
    row.add_empty().add_empty();
}

tcp::Segment segment_of(const PacketRecord& r) {
  tcp::Segment s;
  s.src_port = r.src_port;
  s.dst_port = r.dst_port;
  s.seq = tcp::SeqNum(r.seq);
  s.ack = tcp::SeqNum(r.ack);
  s.flags = r.flags;
  s.window = r.window;
  s.options = r.options;
  s.payload_bytes = r.payload_bytes;
  return s;
}

std::string to_string(const PacketRecord& r) {
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on chains of `" " + string`.
  std::string out = std::to_string(sim::to_ns(r.time));
  out += ' ';
  out += to_string(r.event);
  if (r.reason) {
    out += ' ';
    out += to_string(*r.reason);
  }
  out += " node ";
  out += std::to_string(r.node.value);
  if (r.link.valid()) {
    out += " link ";
    out += std::to_string(r.link.value);
    out += ' ';
    out += to_string(r.direction);
  }
  out += " #";
  out += std::to_string(r.packet_id);
  out += ' ';
  out += std::to_string(r.size_bytes);
  out += "B ";
  out += r.src.to_string();
  out += " > ";
  out += r.dst.to_string();
  out += ": ";
  out += segment_of(r).to_string();
  return out;
}

}  // namespace synlab::net
