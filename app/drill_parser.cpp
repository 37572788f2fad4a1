// The packetdrill subset: a scanner and a recursive-descent parser, one event per line
// (drill_parser.hpp, docs/drill.md "The language").
#include "app/drill_parser.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstddef>
#include <limits>
#include <optional>
#include <utility>

#include "app/drill_settings.hpp"
#include "app/drill_syscalls.hpp"

namespace synlab::drill {

namespace {

enum class Tok : std::uint8_t {
  Newline,
  Number,    // 12, 0.100, .1, 0x2
  Word,      // letters, digits, '_'
  String,    // "..."
  Command,   // `...` (its text without the backticks)
  Code,      // %{ ... }%
  Ellipsis,  // ...
  Punct,     // one character: + * ~ < > : ( ) [ ] { } , | = - . and the rest
  End,
};

struct Token {
  Tok kind = Tok::End;
  std::string text;
  Position at;
  bool space_before = true;  // whitespace (or the line's start) precedes it
};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_word_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_word_char(char c) {
  return is_word_start(c) || is_digit(c);
}

class Scanner {
 public:
  Scanner(std::string_view text, const std::string& path) : text_(text), path_(path) {}

  std::vector<Token> scan() {
    std::vector<Token> out;
    int depth = 0;  // inside ( ) or [ ]: newlines do not end the event
    bool space = true;
    while (i_ < text_.size()) {
      const char c = text_[i_];
      if (c == ' ' || c == '\t' || c == '\r') {
        advance();
        space = true;
        continue;
      }
      if (c == '\n') {
        if (depth == 0) out.push_back({Tok::Newline, "\n", here(), true});
        advance();
        space = true;
        continue;
      }
      if (c == '/' && peek(1) == '/') {
        while (i_ < text_.size() && text_[i_] != '\n') advance();
        continue;
      }
      if (c == '/' && peek(1) == '*') {
        const Position start = here();
        advance(2);
        while (i_ < text_.size() && !(text_[i_] == '*' && peek(1) == '/')) advance();
        if (i_ >= text_.size()) fail(start, "a /* comment that never ends");
        advance(2);
        space = true;
        continue;
      }
      Token t;
      t.at = here();
      t.space_before = space;
      space = false;
      if (c == '`') {
        advance();
        const std::size_t from = i_;
        while (i_ < text_.size() && text_[i_] != '`') advance();
        if (i_ >= text_.size()) fail(t.at, "a `command` whose closing backtick is missing");
        t.kind = Tok::Command;
        t.text = std::string(text_.substr(from, i_ - from));
        advance();
      } else if (c == '%' && peek(1) == '{') {
        const std::size_t from = i_;
        while (i_ < text_.size() && !(text_[i_] == '}' && peek(1) == '%')) advance();
        if (i_ < text_.size()) advance(2);
        t.kind = Tok::Code;
        t.text = std::string(text_.substr(from, i_ - from));
      } else if (c == '"') {
        advance();
        const std::size_t from = i_;
        while (i_ < text_.size() && text_[i_] != '"' && text_[i_] != '\n') advance();
        if (i_ >= text_.size() || text_[i_] != '"')
          fail(t.at, "a string whose closing \" is missing");
        t.kind = Tok::String;
        t.text = std::string(text_.substr(from, i_ - from));
        advance();
      } else if (c == '.' && peek(1) == '.' && peek(2) == '.') {
        t.kind = Tok::Ellipsis;
        t.text = "...";
        advance(3);
      } else if (is_digit(c) || (c == '.' && is_digit(peek(1)))) {
        const std::size_t from = i_;
        if (c == '0' && (peek(1) == 'x' || peek(1) == 'X')) {
          advance(2);
          while (i_ < text_.size() && std::isxdigit(static_cast<unsigned char>(text_[i_])))
            advance();
        } else {
          while (i_ < text_.size() && is_digit(text_[i_])) advance();
          // A fraction, but not the start of `...` (as in `+0...0.2`).
          if (i_ < text_.size() && text_[i_] == '.' && !(peek(1) == '.' && peek(2) == '.')) {
            advance();
            while (i_ < text_.size() && is_digit(text_[i_])) advance();
          }
        }
        t.kind = Tok::Number;
        t.text = std::string(text_.substr(from, i_ - from));
      } else if (is_word_start(c)) {
        const std::size_t from = i_;
        while (i_ < text_.size() && is_word_char(text_[i_])) advance();
        t.kind = Tok::Word;
        t.text = std::string(text_.substr(from, i_ - from));
      } else {
        t.kind = Tok::Punct;
        t.text = std::string(1, c);
        if (c == '(' || c == '[') ++depth;
        if ((c == ')' || c == ']') && depth > 0) --depth;
        advance();
      }
      out.push_back(std::move(t));
    }
    out.push_back({Tok::Newline, "\n", here(), true});
    out.push_back({Tok::End, "", here(), true});
    return out;
  }

 private:
  char peek(std::size_t ahead) const {
    return i_ + ahead < text_.size() ? text_[i_ + ahead] : '\0';
  }
  void advance(std::size_t n = 1) {
    for (std::size_t k = 0; k < n && i_ < text_.size(); ++k) {
      if (text_[i_] == '\n') {
        ++line_;
        column_ = 1;
      } else {
        ++column_;
      }
      ++i_;
    }
  }
  Position here() const { return {line_, column_}; }
  [[noreturn]] void fail(Position at, const std::string& what) const {
    throw ScriptError(ScriptError::Kind::Syntax, path_, at, what);
  }

  std::string_view text_;
  const std::string& path_;
  std::size_t i_ = 0;
  std::uint32_t line_ = 1;
  std::uint32_t column_ = 1;
};

// The largest time one event may state: about 115 days (a drill script's times are seconds
// to minutes; this keeps every sum of times far from the int64 nanosecond limit).
constexpr std::int64_t max_event_seconds = 10'000'000;
constexpr int max_list_depth = 8;  // `[[...]]` nesting in a call's arguments

// Seconds as written ("0.100", ".1", "3") to nanoseconds, exactly. A time that is refused sets
// `why`: it is not a number, or above max_event_seconds, or finer than a nanosecond.
std::optional<sim::Duration> parse_seconds(std::string_view s, std::string& why) {
  std::int64_t whole = 0;
  std::int64_t frac = 0;
  int digits = 0;
  std::size_t i = 0;
  for (; i < s.size() && is_digit(s[i]); ++i) {
    whole = whole * 10 + (s[i] - '0');  // at most 10 * max_event_seconds + 9: no overflow
    if (whole > max_event_seconds) {
      why = "at most " + std::to_string(max_event_seconds) + " s";
      return std::nullopt;
    }
  }
  if (i < s.size() && s[i] == '.') {
    for (++i; i < s.size() && is_digit(s[i]); ++i) {
      if (++digits > 9) {
        if (s[i] == '0') continue;  // "1.0000000000" is exact
        why = "to the nanosecond: at most 9 digits after the point, but for zeros";
        return std::nullopt;
      }
      frac = frac * 10 + (s[i] - '0');
    }
    digits = std::min(digits, 9);
  }
  if (i != s.size()) {
    why = "such as 0.100 or +.1";
    return std::nullopt;
  }
  for (int d = digits; d < 9; ++d) frac *= 10;
  if (whole == max_event_seconds && frac > 0) {  // "10000000.5"
    why = "at most " + std::to_string(max_event_seconds) + " s";
    return std::nullopt;
  }
  return sim::Duration(whole * 1'000'000'000 + frac);
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, std::string_view text, const std::string& path)
      : t_(std::move(tokens)), path_(path) {
    std::size_t from = 0;
    while (from <= text.size()) {
      const std::size_t nl = text.find('\n', from);
      std::string_view line =
          text.substr(from, nl == std::string_view::npos ? text.npos : nl - from);
      if (const std::size_t c = line.find("//"); c != std::string_view::npos)
        line = line.substr(0, c);
      while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
        line.remove_suffix(1);
      while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
      lines_.emplace_back(line);
      if (nl == std::string_view::npos) break;
      from = nl + 1;
    }
  }

  Script parse() {
    Script script;
    script.path = path_;
    while (peek().kind != Tok::End) {
      if (peek().kind == Tok::Newline) {
        next();
        continue;
      }
      line_start_ = peek();
      if (is_punct("-") && is_punct("-", 1)) {
        // As packetdrill's grammar has them: options come first. One after an event would
        // change the checks of the lines above it (a tolerance widened after the fact).
        if (!script.events.empty())
          fail(peek().at,
               "a script option after the first event; options come before the events "
               "(they apply to the whole script)");
        option_line(script);
      } else if (peek().kind == Tok::Command) {
        const Token cmd = next();
        if (script.events.empty()) {
          for (Setting& s : command_settings(cmd, script)) script.init_settings.push_back(s);
        } else {
          (void)command_settings(cmd, script);  // checked, then left: a cleanup command
          script.notes.push_back(where(cmd.at) +
                                 "an untimed command after the events (a cleanup) has no effect");
        }
        end_of_line();
      } else if (peek().kind == Tok::Code) {
        refuse(peek().at, "%{ }% Python assertions (synlab has no TCP_INFO to assert on)");
      } else {
        script.events.push_back(event(script));
      }
    }
    if (script.events.empty())
      fail(peek().at, "the script has no event (a line such as `0 socket(...) = 3`)");
    check_time_order(script);
    return script;
  }

 private:
  // What the script's own times say, before it runs: its first event at 0 (or +0), and
  // an absolute time no earlier than the one on the event just before it, when that one is
  // absolute too (packetdrill's own rule). Other orders depend on when relative and `*` events
  // happen, within the tolerances: the runner judges those, as timing errors.
  void check_time_order(const Script& script) const {
    const Event& first = script.events.front();
    // (packetdrill tests the time as written, so a relative first event must be +0 too.)
    if (first.time.base != TimeBase::Any && first.time.start != sim::Duration::zero())
      fail(first.at, "the first event must be at time 0, not " +
                         std::string(first.time.base == TimeBase::Relative ? "+" : "") +
                         sim::format_duration(first.time.start) + " (times count from it)");
    for (std::size_t i = 1; i < script.events.size(); ++i) {
      const Event& before = script.events[i - 1];
      const Event& e = script.events[i];
      if (before.time.base == TimeBase::Absolute && e.time.base == TimeBase::Absolute &&
          e.time.start < before.time.start)
        fail(e.at, "time goes back: " + sim::format_duration(e.time.start) + " after " +
                       sim::format_duration(before.time.start) + " on line " +
                       std::to_string(before.at.line) +
                       "; an absolute time may not be before the one just above it");
    }
  }

  // --- Tokens --------------------------------------------------------------------------------
  const Token& peek(std::size_t ahead = 0) const { return t_[std::min(k_ + ahead, t_.size() - 1)]; }
  Token next() {
    Token t = peek();
    if (k_ < t_.size() - 1) ++k_;
    return t;
  }
  bool is_punct(std::string_view p, std::size_t ahead = 0) const {
    return peek(ahead).kind == Tok::Punct && peek(ahead).text == p;
  }
  bool is_word(std::string_view w) const { return peek().kind == Tok::Word && peek().text == w; }
  void expect_punct(std::string_view p, std::string_view what) {
    if (!is_punct(p))
      fail(peek().at, "expected `" + std::string(p) + "` " + std::string(what) + ", found " +
                          describe(peek()));
    next();
  }
  static std::string describe(const Token& t) {
    switch (t.kind) {
      case Tok::Newline:
      case Tok::End:
        return "the end of the line";
      case Tok::Command:
        return "a `command`";
      default:
        return "`" + printable(t.text) + "`";
    }
  }
  // The text with each byte that is not printable ASCII as \xNN: a stray byte of another
  // encoding shows as what it is, not as half a character.
  static std::string printable(std::string_view text) {
    std::string out;
    for (const char c : text) {
      const auto b = static_cast<unsigned char>(c);
      if (b >= 0x20 && b < 0x7f) {
        out += c;
      } else {
        constexpr std::string_view hex = "0123456789abcdef";
        out += "\\x";
        out += hex[b >> 4u];
        out += hex[b & 0xfu];
      }
    }
    return out;
  }
  std::string where(Position at) const {
    return path_ + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": ";
  }
  [[noreturn]] void fail(Position at, const std::string& what) const {
    throw ScriptError(ScriptError::Kind::Syntax, path_, at, what);
  }
  [[noreturn]] void refuse(Position at, const std::string& what) const {
    throw ScriptError(ScriptError::Kind::Refused, path_, at, what);
  }
  void end_of_line() {
    if (peek().kind != Tok::Newline)
      fail(peek().at, "expected the end of the line, found " + describe(peek()));
    next();
  }

  std::uint64_t number(std::string_view what, std::uint64_t max) {
    if (peek().kind != Tok::Number)
      fail(peek().at, "expected " + std::string(what) + ", found " + describe(peek()));
    const Token t = next();
    std::uint64_t v = 0;
    std::string_view s = t.text;
    int base = 10;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
      s.remove_prefix(2);
      base = 16;
    }
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
    if (ec != std::errc{} || end != s.data() + s.size())
      fail(t.at, "expected " + std::string(what) + " (a whole number), found `" + t.text + "`");
    if (v > max)
      fail(t.at, std::string(what) + " " + t.text + " is out of range (at most " +
                     std::to_string(max) + ")");
    return v;
  }

  // --- Lines ---------------------------------------------------------------------------------
  void option_line(Script& script) {
    next();
    next();
    if (peek().kind != Tok::Word) fail(peek().at, "expected an option name after `--`");
    const Token name = next();
    expect_punct("=", "after the option name");
    if (name.text == "tolerance_usecs") {
      script.tolerance_usecs = static_cast<std::int64_t>(number("microseconds", 1'000'000'000));
    } else if (name.text == "tcp_ts_tick_usecs") {
      script.ts_tick_usecs = static_cast<std::int64_t>(number("microseconds", 1'000'000));
    } else if (name.text == "tolerance_percent") {
      const Token v = next();
      double p = -1;
      const auto [end, ec] = std::from_chars(v.text.data(), v.text.data() + v.text.size(), p);
      if (v.kind != Tok::Number || ec != std::errc{} || p < 0 || p > 100)
        fail(v.at, "expected a percentage between 0 and 100");
      script.tolerance_percent = p;
    } else if (name.text == "ip_version") {
      const Token v = next();
      if (v.text != "ipv4") refuse(v.at, "IPv6 (synlab's network is IPv4)");
    } else {
      refuse(name.at, "the script option --" + name.text +
                          " (synlab reads --tolerance_usecs, --tolerance_percent, "
                          "--tcp_ts_tick_usecs and --ip_version=ipv4)");
    }
    end_of_line();
  }

  std::vector<Setting> command_settings(const Token& cmd, Script& script) {
    CommandReading r = read_command(cmd.text, cmd.at);
    if (r.error)
      throw ScriptError(r.refused ? ScriptError::Kind::Refused : ScriptError::Kind::Syntax, path_,
                        r.error->first, r.error->second);
    for (const std::string& note : r.notes) script.notes.push_back(where(cmd.at) + note);
    return r.settings;
  }

  Event event(Script& script) {
    Event e;
    e.at = peek().at;
    if (e.at.line >= 1 && e.at.line <= lines_.size()) e.text = lines_[e.at.line - 1];
    e.time = time();
    if (is_punct("<") || is_punct(">")) {
      e.what = packet();
    } else if (peek().kind == Tok::Word && is_punct("(", 1)) {
      e.what = syscall();
      if (e.time.range_end) fail(e.at, "a system call takes a time or start...end, not a range");
    } else if (peek().kind == Tok::Command) {
      const Token cmd = next();
      e.what = Command{command_settings(cmd, script)};
    } else if (peek().kind == Tok::Code) {
      refuse(peek().at, "%{ }% Python assertions (synlab has no TCP_INFO to assert on)");
    } else {
      fail(peek().at, "expected `<` or `>` (a packet), a system call or a `command`, found " +
                          describe(peek()));
    }
    if (e.time.block_end && !std::holds_alternative<Syscall>(e.what))
      fail(e.at, "only a blocking system call takes start...end");
    // packetdrill's rule: only what the stack sends may come at any time or within a range.
    const auto* packet = std::get_if<PacketSpec>(&e.what);
    const bool outbound = packet != nullptr && !packet->inbound;
    if (e.time.base == TimeBase::Any && !outbound)
      fail(e.at, "`*` (any time) is only for an outbound packet (`>`), as in packetdrill");
    if (e.time.range_end && !outbound)
      fail(e.at, "a time range is only for an outbound packet (`>`), as in packetdrill");
    end_of_line();
    return e;
  }

  sim::Duration seconds() {
    if (peek().kind != Tok::Number)
      fail(peek().at, "expected a time in seconds, found " + describe(peek()));
    const Token t = next();
    std::string why;
    const std::optional<sim::Duration> d = parse_seconds(t.text, why);
    if (!d) fail(t.at, "expected a time in seconds (" + why + "), found `" + t.text + "`");
    return *d;
  }

  EventTime time() {
    EventTime t;
    if (is_punct("*")) {
      next();
      t.base = TimeBase::Any;
      return t;
    }
    if (is_punct("+")) {
      next();
      t.base = TimeBase::Relative;
    }
    t.start = seconds();
    if (is_punct("~")) {
      next();
      if (t.base == TimeBase::Relative) expect_punct("+", "(a relative range is +a~+b)");
      t.range_end = seconds();
      if (*t.range_end < t.start) fail(line_start_.at, "the range's end is before its start");
    }
    if (peek().kind == Tok::Ellipsis) {
      next();
      t.block_end = seconds();
      if (*t.block_end < t.start) fail(line_start_.at, "the call ends before it starts");
    }
    return t;
  }

  // --- Packets -------------------------------------------------------------------------------
  PacketSpec packet() {
    PacketSpec p;
    p.inbound = next().text == "<";
    if (is_punct("[")) refuse(peek().at, "ECN marks on the IP header ([ect0], [ce] ...)");
    if (is_word("udp") || is_word("icmp") || is_word("UDP") || is_word("ICMP"))
      refuse(peek().at, "`" + peek().text + "` packets (synlab drills TCP only)");
    // Flags: adjacent characters such as `S.`, `P.`, `F.`, `.`, `-`.
    const Position flags_at = peek().at;
    std::string flags;
    do {
      const Token t = next();
      if (t.kind != Tok::Word && !(t.kind == Tok::Punct && (t.text == "." || t.text == "-")))
        fail(t.at, "expected TCP flags (S, S., ., P., F., R, R. ...), found " + describe(t));
      flags += t.text;
    } while (!peek().space_before && (peek().kind == Tok::Word || is_punct(".") || is_punct("-")));
    p.flags = parse_flags(flags, flags_at);
    p.seq_start = static_cast<std::uint32_t>(number("a sequence number", 0xffffffffu));
    expect_punct(":", "between the start and end sequence numbers (start:end(length))");
    p.seq_end = static_cast<std::uint32_t>(number("a sequence number", 0xffffffffu));
    expect_punct("(", "before the payload length (start:end(length))");
    const Position len_at = peek().at;
    p.length = static_cast<std::uint32_t>(number("a payload length", 65535));
    expect_punct(")", "after the payload length");
    if (static_cast<std::uint32_t>(p.seq_end - p.seq_start) != p.length)
      fail(len_at, "end - start is " + std::to_string(p.seq_end - p.seq_start) +
                       " but the length says " + std::to_string(p.length));
    while (peek().kind != Tok::Newline) {
      if (is_word("ack")) {
        next();
        p.ack = static_cast<std::uint32_t>(number("an acknowledgment number", 0xffffffffu));
      } else if (is_word("win")) {
        next();
        p.window = static_cast<std::uint16_t>(number("a window", 65535));
      } else if (is_word("urg")) {
        refuse(peek().at, "the urgent pointer");
      } else if (is_punct("<")) {
        options(p);
      } else {
        fail(peek().at, "expected `ack N`, `win N` or <options>, found " + describe(peek()));
      }
    }
    if (p.ack && !p.flags.has(tcp::Flag::Ack))
      fail(line_start_.at, "`ack` is given but the flags have no `.` (ACK)");
    return p;
  }

  tcp::Flags parse_flags(const std::string& s, Position at) const {
    tcp::Flags f;
    if (s == "-") return f;
    for (const char c : s) {
      switch (c) {
        case 'S':
          f = f | tcp::Flag::Syn;
          break;
        case 'F':
          f = f | tcp::Flag::Fin;
          break;
        case 'R':
          f = f | tcp::Flag::Rst;
          break;
        case 'P':
          f = f | tcp::Flag::Psh;
          break;
        case '.':
          f = f | tcp::Flag::Ack;
          break;
        case 'E':
          f = f | tcp::Flag::Ece;
          break;
        case 'W':
          f = f | tcp::Flag::Cwr;
          break;
        case 'U':
          refuse(at, "the URG flag");
        default:
          fail(at, "`" + s + "` is not a set of TCP flags (S F R P . E W, or - for none)");
      }
    }
    return f;
  }

  void options(PacketSpec& p) {
    const Position open = next().at;  // `<`
    if (peek().kind == Tok::Ellipsis) {
      next();
      expect_punct(">", "after <...");
      p.options_spec = OptionsSpec::Any;
      return;
    }
    p.options_spec = OptionsSpec::List;
    while (true) {
      if (peek().kind != Tok::Word)
        fail(peek().at, "expected a TCP option, found " + describe(peek()));
      const Token name = next();
      OptionToken o;
      if (name.text == "nop") {
        o.kind = OptionKind::Nop;
      } else if (name.text == "eol") {
        o.kind = OptionKind::Eol;
      } else if (name.text == "mss") {
        o.kind = OptionKind::Mss;
        o.value = static_cast<std::uint32_t>(number("an MSS", 65535));
      } else if (name.text == "sackOK") {
        o.kind = OptionKind::SackPermitted;
      } else if (name.text == "wscale") {
        o.kind = OptionKind::WindowScale;
        o.value = static_cast<std::uint32_t>(number("a window scale shift", 255));
      } else if (name.text == "TS") {
        o.kind = OptionKind::Timestamp;
        if (!is_word("val")) fail(peek().at, "expected `val` (TS val A ecr B)");
        next();
        o.value = static_cast<std::uint32_t>(number("a TS value", 0xffffffffu));
        if (!is_word("ecr")) fail(peek().at, "expected `ecr` (TS val A ecr B)");
        next();
        o.ecr = static_cast<std::uint32_t>(number("a TS echo reply", 0xffffffffu));
      } else if (name.text == "sack") {
        refuse(name.at, "SACK blocks (synlab models SACK-permitted only)");
      } else if (name.text == "FO" || name.text == "FOEXP" || name.text == "exp") {
        refuse(name.at, "TCP Fast Open options");
      } else if (name.text == "md5") {
        refuse(name.at, "the TCP MD5 signature option");
      } else {
        refuse(name.at, "the TCP option `" + name.text +
                            "` (synlab has mss, sackOK, TS val A ecr B, wscale, nop, eol)");
      }
      p.options.push_back(o);
      if (is_punct(",")) {
        next();
        continue;
      }
      if (is_punct(">")) {
        next();
        return;
      }
      fail(peek().at.line == 0 ? open : peek().at,
           "expected `,` or `>` in the options, found " + describe(peek()));
    }
  }

  // --- System calls --------------------------------------------------------------------------
  Syscall syscall() {
    Syscall c;
    const Token name = next();
    c.name = name.text;
    check_syscall_name(c.name, name.at, path_);
    expect_punct("(", "after the call's name");
    if (!is_punct(")")) {
      while (true) {
        c.args.push_back(argument());
        if (is_punct(",")) {
          next();
          continue;
        }
        break;
      }
    }
    expect_punct(")", "after the call's arguments");
    expect_punct("=", "before the call's return value (name(args) = value)");
    c.result_at = peek().at;
    bool negative = false;
    if (is_punct("-")) {
      next();
      negative = true;
    }
    const auto v = static_cast<std::int64_t>(number("a return value", 0x7fffffff));
    c.result = negative ? -v : v;
    if (peek().kind == Tok::Word) {
      const Token e = next();
      if (!negative)
        fail(e.at, "expected the end of the line after the result " + std::to_string(v) +
                       ", found `" + e.text + "` (an errno name follows -1 only, as in -1 " +
                       "EAGAIN)");
      c.errno_name = e.text;
    }
    if (is_punct("(")) {  // the errno's text, or a comment such as (flags O_RDWR)
      int depth = 0;
      do {
        const Token t = next();
        if (t.kind == Tok::Punct && t.text == "(") ++depth;
        if (t.kind == Tok::Punct && t.text == ")") --depth;
        if (t.kind == Tok::End) fail(t.at, "a `(` that is never closed");
      } while (depth > 0);
    }
    if (negative && !c.errno_name) fail(c.result_at, "a -1 result needs an errno name (-1 EAGAIN)");
    check_syscall(c, path_);
    return c;
  }

  Argument argument(int depth = 0) {
    if (depth > max_list_depth) fail(peek().at, "lists nested deeper than 8");
    Argument a;
    a.at = peek().at;
    if (peek().kind == Tok::Ellipsis) {
      next();
      a.kind = Argument::Kind::Elided;
    } else if (is_punct("-") || peek().kind == Tok::Number) {
      const bool negative = is_punct("-");
      if (negative) next();
      const auto v = static_cast<std::int64_t>(number("a number", 0x7fffffffffffffffULL));
      a.kind = Argument::Kind::Number;
      a.number = negative ? -v : v;
    } else if (peek().kind == Tok::Word) {
      a.kind = Argument::Kind::Symbols;
      a.symbols.push_back(next().text);
      while (is_punct("|")) {
        next();
        if (peek().kind != Tok::Word) fail(peek().at, "expected a symbol after `|`");
        a.symbols.push_back(next().text);
      }
    } else if (peek().kind == Tok::String) {
      a.kind = Argument::Kind::String;
      a.text = next().text;
    } else if (is_punct("[")) {
      next();
      a.kind = Argument::Kind::List;
      while (!is_punct("]")) {
        a.items.push_back(argument(depth + 1));
        if (is_punct(","))
          next();
        else if (!is_punct("]"))
          fail(peek().at, "expected `,` or `]`, found " + describe(peek()));
      }
      next();
    } else if (is_punct("{")) {
      refuse(peek().at, "structure arguments { ... } (synlab's calls take numbers and symbols)");
    } else {
      fail(peek().at, "expected an argument, found " + describe(peek()));
    }
    return a;
  }

  std::vector<Token> t_;
  std::vector<std::string> lines_;  // the source, trimmed and without `//` comments
  std::size_t k_ = 0;
  const std::string& path_;
  Token line_start_;
};

}  // namespace

Script parse_script(std::string_view text, const std::string& path) {
  // A UTF-8 byte order mark, as some editors begin a file with: not part of the script (the
  // scenario loader skips it too).
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  return Parser(Scanner(text, path).scan(), text, path).parse();
}

}  // namespace synlab::drill
