// PacketRecord's CSV form (see packet_record.hpp).
#include "models/net/packet_record.hpp"

#include <array>
#include <string_view>

#include "sim/csv_row.hpp"

namespace synlab::net {

namespace {

namespace csv = sim::csv;

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

// Most characters of an address's cell (put_address).
std::size_t max_address_chars(std::string_view text) noexcept {
  return text.empty() ? csv::max_address_chars : text.size();
}

// An address's cell: its text if given (PacketNames::from_address), else written.
char* put_address(char* p, std::string_view text, sim::Ipv4Address address) noexcept {
  return text.empty() ? csv::put(p, address) : csv::put_raw(p, text);
}

// Most characters of a socket's cell (put_socket): its host or address, ':' and 5 digits.
std::size_t max_socket_chars(std::string_view host, std::string_view address) noexcept {
  return (host.empty() ? max_address_chars(address) : csv::max_text_chars(host)) + 6;
}

// A socket cell whose host name needs quotes: the whole cell quoted (no such name in a scenario,
// whose names are letters, digits, '_' and '-').
[[gnu::noinline]] char* put_quoted_socket(char* p, std::string_view host, std::uint16_t port) {
  return csv::put_text(p, std::string(host) + ':' + std::to_string(port));
}

// "client:40000", or "10.0.0.1:40000" without a name.
char* put_socket(char* p, std::string_view host, std::string_view address_text,
                 sim::Ipv4Address address, std::uint16_t port) {
  if (host.empty())
    p = put_address(p, address_text, address);
  else if (!csv::needs_quotes(host))
    p = csv::put_raw(p, host);
  else
    return put_quoted_socket(p, host, port);
  *p++ = ':';
  return csv::put(p, port);
}

// A name's cell, or the number it stands for when there is none.
char* put_name(char* p, std::string_view name, std::uint32_t number) noexcept {
  return name.empty() ? csv::put(p, number) : csv::put_text(p, name);
}

// A number's cell, or an empty cell; then a comma.
template <class T>
char* put_optional(char* p, const std::optional<T>& value) noexcept {
  if (value) p = csv::put(p, *value);
  return csv::comma(p);
}

// The options' five cells: mss, wscale, sack_permitted (0/1), tsval, tsecr; absent options are
// empty cells.
char* put_options(char* p, const tcp::Options& o) noexcept {
  p = put_optional(p, o.mss);
  if (o.window_scale) p = csv::put(p, unsigned{*o.window_scale});
  p = csv::comma(p);
  *p++ = o.sack_permitted ? '1' : '0';
  p = csv::comma(p);
  if (o.timestamps) {
    p = csv::comma(csv::put(p, o.timestamps->tsval));
    return csv::put(p, o.timestamps->tsecr);
  }
  return csv::comma(p);
}

// Most characters of the six socket cells and their commas (put_sockets).
std::size_t max_sockets_chars(const PacketNames& names) noexcept {
  return max_socket_chars(names.from_host, names.from_address) +
         max_socket_chars(names.to_host, names.to_address) + 5 +
         max_address_chars(names.from_address) + max_address_chars(names.to_address) +
         2 * csv::max_integer_chars;
}

// from, to, src, src_port, dst, dst_port.
char* put_sockets(char* p, const PacketRecord& r, const PacketNames& names) {
  p = csv::comma(put_socket(p, names.from_host, names.from_address, r.src, r.src_port));
  p = csv::comma(put_socket(p, names.to_host, names.to_address, r.dst, r.dst_port));
  p = csv::comma(put_address(p, names.from_address, r.src));
  p = csv::comma(csv::put(p, r.src_port));
  p = csv::comma(put_address(p, names.to_address, r.dst));
  return csv::put(p, r.dst_port);
}

// flags, seq, ack.
char* put_flags_to_ack(char* p, const PacketRecord& r) {
  p = csv::comma(csv::put_raw(p, flag_cell(r.flags)));
  p = csv::comma(csv::put(p, r.seq));
  return csv::put(p, r.ack);
}

// window, payload_bytes, size_bytes, packet_id and the options.
char* put_window_to_end(char* p, const PacketRecord& r) noexcept {
  p = csv::comma(csv::put(p, r.window));
  p = csv::comma(csv::put(p, r.payload_bytes));
  p = csv::comma(csv::put(p, r.size_bytes));
  p = csv::comma(csv::put(p, r.packet_id));
  return put_options(p, r.options);
}

// Most characters of the tail's cells but the texts (link's name, direction, sockets, flags): 15
// integers (the link's number, conn, the header's numbers and rel_seq, rel_ack) and 22 commas.
constexpr std::size_t max_tail_fixed_chars = 22 + 15 * csv::max_integer_chars;

}  // namespace

std::size_t tail_csv_chars(const PacketRecord& r, const PacketNames& names) {
  if (!names.tail.empty()) return names.tail.size();
  const std::string_view direction = r.link.valid() ? to_string(r.direction) : std::string_view();
  return max_tail_fixed_chars + csv::max_text_chars(names.link) + direction.size() +
         max_sockets_chars(names) + flag_cell(r.flags).size();
}

char* put_tail_csv(char* p, const PacketRecord& r, const PacketNames& names) {
  if (!names.tail.empty()) return csv::put_raw(p, names.tail);
  if (r.link.valid()) p = put_name(p, names.link, r.link.value);
  p = csv::comma(p);
  if (r.link.valid()) p = csv::put_raw(p, to_string(r.direction));  // forward, reverse
  p = csv::comma(p);
  p = csv::comma(put_sockets(p, r, names));
  p = put_optional(p, names.conn);
  p = csv::comma(put_flags_to_ack(p, r));
  p = put_optional(p, names.rel_seq);
  p = put_optional(p, names.rel_ack);
  return put_window_to_end(p, r);
}

void tail_to_csv(const PacketRecord& r, const PacketNames& names, std::string& out) {
  csv::append_row(out, tail_csv_chars(r, names),
                  [&](char* p) { return put_tail_csv(p, r, names); });
}

std::size_t csv_chars(const PacketRecord& r, const PacketNames& names) {
  const std::string_view reason = r.reason ? to_string(*r.reason) : std::string_view("injected");
  // time, event, reason, node (its name, or its number) and their commas, then the tail.
  return 4 + sim::max_seconds_chars + to_string(r.event).size() + csv::max_text_chars(reason) +
         csv::max_text_chars(names.node) + csv::max_integer_chars + tail_csv_chars(r, names);
}

char* put_csv(char* p, const PacketRecord& r, const PacketNames& names) {
  const std::string_view reason = r.reason         ? to_string(*r.reason)
                                  : names.injected ? std::string_view("injected")
                                                   : std::string_view();
  p = csv::comma(names.time.empty() ? csv::put(p, r.time) : csv::put_raw(p, names.time));
  p = csv::comma(csv::put_raw(p, to_string(r.event)));  // send, recv, drop: nothing to quote
  p = csv::comma(csv::put_text(p, reason));
  p = csv::comma(put_name(p, names.node, r.node.value));
  return put_tail_csv(p, r, names);
}

void to_csv(const PacketRecord& r, const PacketNames& names, std::string& out) {
  csv::append_row(out, csv_chars(r, names), [&](char* p) { return put_csv(p, r, names); });
}

void to_csv(const PacketRecord& r, std::string& out) {
  to_csv(r, PacketNames{}, out);
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
