// Flags::to_string (see flags.hpp).
#include "models/tcp/flags.hpp"

#include <array>
#include <string_view>

namespace synlab::tcp {

std::string Flags::to_string(std::string_view separator) const {
  static constexpr std::array<std::string_view, 8> names{"FIN", "SYN", "RST", "PSH",
                                                         "ACK", "URG", "ECE", "CWR"};
  std::string out;
  for (std::size_t bit = 0; bit < names.size(); ++bit) {
    if ((bits_ & (1u << bit)) == 0) continue;
    if (!out.empty()) out += separator;
    out += names[bit];
  }
  return out.empty() ? "<none>" : out;
}

}  // namespace synlab::tcp
