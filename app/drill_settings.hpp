// The shell lines of a drill script (docs/drill.md "Shell lines"): `sysctl` settings of
// net.ipv4.tcp_* (and set_sysctls.py, echo V > /proc/sys/...) become profile values; defaults.sh,
// tc, ip and ethtool are read and noted; any other command is refused.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/drill_script.hpp"
#include "models/tcp/profile.hpp"

namespace synlab::drill {

struct CommandReading {
  std::vector<Setting> settings;
  std::vector<std::string> notes;
  std::optional<std::pair<Position, std::string>> error;
  bool refused = false;  // the error is a construct outside the subset, not a typo
};

// Reads the text between backticks that starts at `at` (the backtick's position).
CommandReading read_command(std::string_view text, Position at);

struct SettingProblem {
  bool refused = false;
  std::string message;
};

// Sets `profile`'s value for `setting` (Linux's meaning of the sysctl); a problem if the name is
// unknown or refused, or the value out of range.
std::optional<SettingProblem> apply_setting(tcp::Profile& profile, const Setting& setting);

}  // namespace synlab::drill
