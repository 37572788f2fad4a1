// Shell lines to profile values (drill_settings.hpp). The sysctls' meanings and ranges are
// Linux's (Documentation/networking/ip-sysctl.rst; docs/linux-reference.md for the defaults).
#include "app/drill_settings.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdint>

namespace synlab::drill {

namespace {

struct Word {
  std::string text;
  Position at;
};

// Shell words of one command line, quotes removed; commands split at newlines, `;` and `&&`.
std::vector<std::vector<Word>> split_commands(std::string_view text, Position at) {
  std::vector<std::vector<Word>> commands(1);
  Position pos = at;
  ++pos.column;  // past the backtick
  Word word;
  bool in_word = false;
  char quote = 0;
  auto end_word = [&] {
    if (in_word) commands.back().push_back(word);
    word = {};
    in_word = false;
  };
  auto end_command = [&] {
    end_word();
    if (!commands.back().empty()) commands.emplace_back();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const Position here = pos;
    if (c == '\n') {
      ++pos.line;
      pos.column = 1;
    } else {
      ++pos.column;
    }
    if (quote != 0) {
      if (c == quote)
        quote = 0;
      else
        word.text += c;
      continue;
    }
    if (c == '\'' || c == '"') {
      if (!in_word) word.at = here;
      in_word = true;
      quote = c;
    } else if (c == ' ' || c == '\t' || c == '\r') {
      end_word();
    } else if (c == '\n' || c == ';') {
      end_command();
    } else if (c == '&' && i + 1 < text.size() && text[i + 1] == '&') {
      end_command();
      ++i;
      ++pos.column;
    } else if (c == '\\' && i + 1 < text.size() && text[i + 1] == '\n') {
      end_word();  // a continued line
    } else {
      if (!in_word) word.at = here;
      in_word = true;
      word.text += c;
    }
  }
  end_command();
  if (commands.back().empty()) commands.pop_back();
  return commands;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// "net.ipv4.tcp_x=V" or "/proc/sys/net/ipv4/tcp_x=V" (or the name alone, for echo).
std::optional<Setting> setting_of(std::string_view name, std::string value, Position at) {
  for (std::string_view prefix : {"net.ipv4.", "/proc/sys/net/ipv4/"}) {
    if (name.starts_with(prefix))
      return Setting{std::string(name.substr(prefix.size())), value, at};
  }
  return std::nullopt;
}

std::optional<std::int64_t> integer(std::string_view s) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

CommandReading read_command(std::string_view text, Position at) {
  CommandReading r;
  auto refuse = [&](Position where, std::string what) {
    r.error = {where, std::move(what)};
    r.refused = true;
  };
  for (const std::vector<Word>& cmd : split_commands(text, at)) {
    const std::string& program = cmd.front().text;
    const std::string base = program.substr(program.find_last_of('/') + 1);
    if (ends_with(base, "defaults.sh")) {
      r.notes.push_back("`" + program + "`: the profile's values stand for the defaults it sets");
    } else if (base == "sysctl") {
      for (std::size_t i = 1; i < cmd.size(); ++i) {
        const Word& w = cmd[i];
        if (w.text.starts_with("-")) continue;  // -q, -w, -e
        const std::size_t eq = w.text.find('=');
        if (eq == std::string::npos) {
          refuse(w.at, "sysctl without a value (`sysctl -q name=value` sets one)");
          return r;
        }
        std::optional<Setting> s =
            setting_of(std::string_view(w.text).substr(0, eq), w.text.substr(eq + 1), w.at);
        if (!s) {
          refuse(w.at, "the sysctl " + w.text.substr(0, eq) + " (synlab maps net.ipv4.tcp_* only)");
          return r;
        }
        r.settings.push_back(*s);
      }
    } else if (base == "set_sysctls.py") {
      for (std::size_t i = 1; i < cmd.size(); ++i) {
        const Word& w = cmd[i];
        const std::size_t eq = w.text.find('=');
        std::optional<Setting> s =
            eq == std::string::npos
                ? std::nullopt
                : setting_of(std::string_view(w.text).substr(0, eq), w.text.substr(eq + 1), w.at);
        if (!s) {
          refuse(w.at, "`" + w.text + "` (synlab maps /proc/sys/net/ipv4/tcp_*=value only)");
          return r;
        }
        r.settings.push_back(*s);
      }
    } else if (base == "echo" && cmd.size() >= 4 && cmd[cmd.size() - 2].text == ">") {
      std::string value;
      for (std::size_t i = 1; i + 2 < cmd.size(); ++i) value += (i > 1 ? " " : "") + cmd[i].text;
      std::optional<Setting> s = setting_of(cmd.back().text, value, cmd.back().at);
      if (!s) {
        refuse(cmd.back().at,
               "writing " + cmd.back().text + " (synlab maps /proc/sys/net/ipv4/tcp_*)");
        return r;
      }
      r.settings.push_back(*s);
    } else if (base == "tc" || base == "ip" || base == "ethtool") {
      r.notes.push_back("`" + base +
                        " ...` ignored: the drill's link has no queue or offload to set");
    } else {
      refuse(cmd.front().at, "the shell command `" + program +
                                 "` (synlab runs sysctl settings, defaults.sh, and ignores tc, ip "
                                 "and ethtool)");
      return r;
    }
  }
  tcp::Profile scratch = tcp::linux_profile();  // checks each name and value now, not mid-run
  for (const Setting& s : r.settings) {
    if (std::optional<SettingProblem> p = apply_setting(scratch, s)) {
      r.error = {s.at, p->message};
      r.refused = p->refused;
      return r;
    }
  }
  return r;
}

std::optional<SettingProblem> apply_setting(tcp::Profile& p, const Setting& s) {
  const std::optional<std::int64_t> v = integer(s.value);
  auto bad = [&](std::int64_t lo, std::int64_t hi) -> std::optional<SettingProblem> {
    if (v && *v >= lo && *v <= hi) return std::nullopt;
    return SettingProblem{false, s.name + "=" + s.value + ": expected a whole number from " +
                                     std::to_string(lo) + " to " + std::to_string(hi)};
  };
  const std::string& n = s.name;
  if (n == "tcp_syn_retries") {  // Linux: 1..MAX_TCP_SYNCNT (127)
    if (auto e = bad(1, 127)) return e;
    p.syn_retries = static_cast<std::uint32_t>(*v);
  } else if (n == "tcp_synack_retries") {
    if (auto e = bad(0, 255)) return e;
    p.synack_retries = static_cast<std::uint32_t>(*v);
  } else if (n == "tcp_syn_linear_timeouts") {  // Linux 6.5+: 0..MAX_TCP_SYNCNT
    if (auto e = bad(0, 127)) return e;
    p.syn_linear_timeouts = static_cast<std::uint32_t>(*v);
  } else if (n == "tcp_rto_max_ms") {  // Linux 6.15+: 1000..120000 ms
    if (auto e = bad(1000, 120000)) return e;
    p.max_rto = std::chrono::milliseconds(*v);
  } else if (n == "tcp_rto_min_us") {  // Linux 6.15+: 1..INT_MAX us
    if (auto e = bad(1, 2147483647)) return e;
    p.min_rto = std::chrono::microseconds(*v);
  } else if (n == "tcp_timestamps") {  // 0 off, 1 on (random offset), 2 on (no offset)
    if (auto e = bad(0, 2)) return e;
    p.timestamps = *v != 0;
  } else if (n == "tcp_sack") {
    if (auto e = bad(0, 1)) return e;
    p.sack_permitted = *v != 0;
  } else if (n == "tcp_window_scaling") {
    if (auto e = bad(0, 1)) return e;
    if (*v == 0)
      p.window_scale.reset();
    else if (!p.window_scale)
      p.window_scale = tcp::linux_profile().window_scale;
  } else if (n == "tcp_rmem") {
    // "min default max". Linux tcp_select_initial_window(): the shift is
    // clamp(ilog2(max(tcp_rmem[2], rmem_max = 212992)) - 15, 0, 14).
    std::vector<std::int64_t> parts;
    std::string_view rest = s.value;
    while (!rest.empty()) {
      const std::size_t sp = rest.find_first_of(" \t");
      const std::string_view part = rest.substr(0, sp);
      if (!part.empty()) {
        const std::optional<std::int64_t> x = integer(part);
        if (!x || *x < 1) return SettingProblem{false, "tcp_rmem: expected three positive numbers"};
        parts.push_back(*x);
      }
      if (sp == std::string_view::npos) break;
      rest.remove_prefix(sp + 1);
    }
    if (parts.size() != 3)
      return SettingProblem{false, "tcp_rmem: expected three numbers (min default max)"};
    if (p.window_scale) {
      const auto space = static_cast<std::uint64_t>(std::max<std::int64_t>(parts[2], 212992));
      const int shift = std::clamp(static_cast<int>(std::bit_width(space)) - 1 - 15, 0, 14);
      p.window_scale = static_cast<std::uint8_t>(shift);
    }
  } else if (n == "tcp_max_syn_backlog") {
    if (auto e = bad(1, 1 << 30)) return e;
    p.max_syn_backlog = static_cast<std::uint32_t>(*v);
  } else if (n == "tcp_syncookies") {
    if (auto e = bad(0, 2)) return e;
    p.syncookies = static_cast<std::uint8_t>(*v);
  } else if (n == "tcp_ecn") {
    if (auto e = bad(0, 2)) return e;
    if (*v != 0) return SettingProblem{true, "ECN negotiation (tcp_ecn=" + s.value + ")"};
  } else if (n == "tcp_fastopen") {
    return SettingProblem{true, "TCP Fast Open (tcp_fastopen)"};
  } else {
    return SettingProblem{true, "the sysctl net.ipv4." + n +
                                    " (synlab maps tcp_syn_retries, tcp_synack_retries, "
                                    "tcp_syn_linear_timeouts, tcp_rto_max_ms, tcp_rto_min_us, "
                                    "tcp_timestamps, tcp_sack, tcp_window_scaling, tcp_rmem, "
                                    "tcp_max_syn_backlog, tcp_syncookies, tcp_ecn=0)"};
  }
  return std::nullopt;
}

}  // namespace synlab::drill
