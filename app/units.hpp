// Units of scenario values other than time (which sim::parse_duration reads): bit rates and
// byte sizes. Exact integer results; errors say what was expected.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string_view>

namespace synlab::app {

class UnitError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

inline constexpr std::string_view rate_units_help = "bps, kbps, Mbps, Gbps (e.g. 100Mbps, 1.5Gbps)";
inline constexpr std::string_view size_units_help =
    "B, kB, MB, GB (powers of 1000) or KiB, MiB, GiB (powers of 1024), e.g. 1500B, 64KiB";

// "100Mbps" -> 100000000 bits per second. Decimal prefixes (RFC-style: 1 kbps = 1000 bps).
std::uint64_t parse_rate_bps(std::string_view text);

// "1500B" -> 1500, "64KiB" -> 65536, and a plain whole number means bytes ("0", "1500").
std::uint64_t parse_size_bytes(std::string_view text);

}  // namespace synlab::app
