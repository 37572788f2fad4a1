// DrillScript: a packetdrill script as synlab reads it (docs/drill.md): events in file order,
// each a time and an inbound or outbound TCP segment, a system call, or a shell command mapped
// to profile settings. Sequence numbers, times and options stay as the script wrote them; the
// runner (drill_runner.hpp) maps them onto the live connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "models/tcp/flags.hpp"
#include "sim/time.hpp"

namespace synlab::drill {

struct Position {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

// The time column: `0.100` (absolute), `+.1` (relative to the previous event), `*` (any time),
// a range `a~b`, or a blocking system call's start and end `a...b`.
enum class TimeBase : std::uint8_t { Absolute, Relative, Any };

struct EventTime {
  TimeBase base = TimeBase::Absolute;
  sim::Duration start{};
  std::optional<sim::Duration> range_end;  // `a~b`: in the same base as `a`
  std::optional<sim::Duration> block_end;  // `a...b`: in the same base as `a`
};

// One TCP option as written between `<` and `>`.
enum class OptionKind : std::uint8_t { Nop, Eol, Mss, SackPermitted, Timestamp, WindowScale };

struct OptionToken {
  OptionKind kind = OptionKind::Nop;
  std::uint32_t value = 0;  // mss, wscale, or TS val
  std::uint32_t ecr = 0;    // TS ecr
  friend bool operator==(const OptionToken&, const OptionToken&) = default;
};

enum class OptionsSpec : std::uint8_t {
  Absent,  // no `<...>` written: an outbound segment must carry no option
  Any,     // `<...>`: any options
  List,    // the tokens, in order
};

struct PacketSpec {
  bool inbound = true;  // `<`: the script's peer sends it; `>`: the stack under test must
  tcp::Flags flags;
  std::uint32_t seq_start = 0;  // `start:end(len)`
  std::uint32_t seq_end = 0;
  std::uint32_t length = 0;
  std::optional<std::uint32_t> ack;
  std::optional<std::uint16_t> window;
  OptionsSpec options_spec = OptionsSpec::Absent;
  std::vector<OptionToken> options;
};

// A system call's argument: `...`, a number, symbols joined by `|`, `[list]`, or a string.
struct Argument {
  enum class Kind : std::uint8_t { Elided, Number, Symbols, List, String };
  Kind kind = Kind::Elided;
  std::int64_t number = 0;
  std::vector<std::string> symbols;  // `O_RDWR|O_NONBLOCK`
  std::vector<Argument> items;       // `[1]`
  std::string text;                  // a string's contents
  Position at;
};

struct Syscall {
  std::string name;
  std::vector<Argument> args;
  std::int64_t result = 0;                // what the call must return
  std::optional<std::string> errno_name;  // `-1 ECONNREFUSED`
  Position result_at;
};

// A sysctl the script sets (`sysctl -q net.ipv4.tcp_syn_retries=2`, set_sysctls.py ...).
struct Setting {
  std::string name;  // without the `net.ipv4.` prefix: "tcp_syn_retries"
  std::string value;
  Position at;
};

struct Command {
  std::vector<Setting> settings;
};

struct Event {
  Position at;       // where the line starts
  std::string text;  // the line as written, for reports
  EventTime time;
  std::variant<PacketSpec, Syscall, Command> what;
};

struct Script {
  std::string path;
  std::vector<Setting> init_settings;  // backtick commands before the first event
  std::vector<Event> events;
  std::optional<std::int64_t> tolerance_usecs;  // `--tolerance_usecs=N` in the script
  std::optional<double> tolerance_percent;
  std::optional<std::int64_t> ts_tick_usecs;  // `--tcp_ts_tick_usecs=N`
  std::vector<std::string> notes;             // what was read but has no effect (file:line: ...)
};

}  // namespace synlab::drill
