// The packetdrill subset's reader (app/drill_parser.hpp, app/drill_settings.hpp) and the
// runner's timing rules (app/drill_runner.hpp), from packetdrill's documented syntax.
#include <doctest/doctest.h>

#include <chrono>

#include "app/drill_parser.hpp"
#include "app/drill_runner.hpp"
#include "app/drill_settings.hpp"
#include "models/tcp/profile.hpp"

using namespace synlab;
using namespace synlab::drill;
using namespace std::chrono_literals;

namespace {

Script parse(const std::string& text) {
  return parse_script(text, "t.pkt");
}

// The error `text` raises: "t.pkt:L:C: refused: ..." or "t.pkt:L:C: error: ...".
std::string error_of(const std::string& text) {
  try {
    (void)parse(text);
  } catch (const ScriptError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("drill parser: the time column's five forms") {
  const Script s = parse(
      "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "0.100 close(3) = 0\n"
      "+.1 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "* > S 0:0(0) <...>\n"
      "+1~+1.25 > S 0:0(0) <...>\n"
      "+0...0.200 accept(3, ..., ...) = 4\n");
  REQUIRE(s.events.size() == 6);
  CHECK(s.events[0].time.base == TimeBase::Absolute);
  CHECK(s.events[0].time.start == 0s);
  CHECK(s.events[1].time.base == TimeBase::Absolute);
  CHECK(s.events[1].time.start == 100ms);
  CHECK(s.events[2].time.base == TimeBase::Relative);
  CHECK(s.events[2].time.start == 100ms);
  CHECK(s.events[3].time.base == TimeBase::Any);
  CHECK(s.events[4].time.start == 1s);
  CHECK(s.events[4].time.range_end == 1250ms);
  CHECK(s.events[5].time.start == 0s);
  CHECK(s.events[5].time.block_end == 200ms);
  CHECK(s.events[2].at.line == 3);
  CHECK(s.events[2].text == "+.1 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3");
}

TEST_CASE("drill parser: the script's own times, first at 0 and absolute ones in order") {
  CHECK(error_of("0.5 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n") ==
        "t.pkt:1:1: error: the first event must be at time 0, not 500ms (times count from it)");
  // Two absolute times in a row, the second earlier: packetdrill's "time goes backward".
  CHECK(error_of("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
                 "2 listen(3, 1) = 0\n"
                 "1.5 close(3) = 0\n") ==
        "t.pkt:3:1: error: time goes back: 1.5s after 2s on line 2; an absolute time may not be "
        "before the one just above it");
  CHECK(error_of("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
                 "2 listen(3, 1) = 0\n"
                 "1~3 > S 0:0(0) <...>\n")
            .starts_with("t.pkt:3:1: error: time goes back: 1s after 2s on line 2"));
  // With a relative or `*` event between them the order depends on the run (an outbound packet
  // may come early within the tolerance): the runner judges it. Equal times are in order; a
  // first event may be +0, not +1: packetdrill compares the time as written with 0.
  CHECK(error_of("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
                 "+2 bind(3, ..., ...) = 0\n"
                 "1 listen(3, 1) = 0\n") == "no error");
  CHECK(error_of("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
                 "2 listen(3, 1) = 0\n"
                 "* > S. 0:0(0) ack 1 <...>\n"
                 "1.5 close(3) = 0\n") == "no error");
  CHECK(error_of("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
                 "1 listen(3, 1) = 0\n"
                 "1 close(3) = 0\n") == "no error");
  CHECK(error_of("+0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n") == "no error");
  CHECK(error_of("+1 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n") ==
        "t.pkt:1:1: error: the first event must be at time 0, not +1s (times count from it)");
  CHECK(error_of("* > S 0:0(0) <...>\n") == "no error");
  // packetdrill's rule: `*` and ranges only for what the stack sends.
  CHECK(error_of("* socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n") ==
        "t.pkt:1:1: error: `*` (any time) is only for an outbound packet (`>`), as in packetdrill");
  CHECK(error_of("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
                 "+0~+1 < S 0:0(0) win 65535\n") ==
        "t.pkt:2:1: error: a time range is only for an outbound packet (`>`), as in packetdrill");
}

TEST_CASE("drill parser: a segment's flags, numbers and options as written") {
  const Script s = parse(
      "0 < S. 5:5(0) ack 1 win 65535 <mss 1460,sackOK,TS val 7 ecr 0,nop,wscale 7>\n"
      "+0 > P. 1:1001(1000) ack 6 <...>\n"
      "+0 > F. 1001:1001(0) ack 6\n"
      "+0 < - 0:0(0) win 0\n");
  const auto& a = std::get<PacketSpec>(s.events[0].what);
  CHECK(a.inbound);
  CHECK(a.flags == (tcp::Flag::Syn | tcp::Flag::Ack));
  CHECK(a.seq_start == 5);
  CHECK(a.ack == 1u);
  CHECK(a.window == 65535);
  REQUIRE(a.options.size() == 5);
  CHECK(a.options[0] == OptionToken{OptionKind::Mss, 1460, 0});
  CHECK(a.options[1].kind == OptionKind::SackPermitted);
  CHECK(a.options[2] == OptionToken{OptionKind::Timestamp, 7, 0});
  CHECK(a.options[3].kind == OptionKind::Nop);
  CHECK(a.options[4] == OptionToken{OptionKind::WindowScale, 7, 0});
  const auto& b = std::get<PacketSpec>(s.events[1].what);
  CHECK_FALSE(b.inbound);
  CHECK(b.flags == (tcp::Flag::Psh | tcp::Flag::Ack));
  CHECK(b.length == 1000);
  CHECK(b.options_spec == OptionsSpec::Any);
  CHECK(std::get<PacketSpec>(s.events[2].what).options_spec == OptionsSpec::Absent);
  CHECK(std::get<PacketSpec>(s.events[3].what).flags.empty());
}

TEST_CASE("drill parser: system calls with their arguments and errno") {
  const Script s = parse(
      "0 setsockopt(3, IPPROTO_TCP, TCP_USER_TIMEOUT, [2500], 4) = 0\n"
      "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
      "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
      "+0 fcntl(3, F_GETFL) = 0x802 (flags O_RDWR|O_NONBLOCK)\n");
  const auto& set = std::get<Syscall>(s.events[0].what);
  CHECK(set.name == "setsockopt");
  REQUIRE(set.args.size() == 5);
  CHECK(set.args[3].kind == Argument::Kind::List);
  CHECK(set.args[3].items.at(0).number == 2500);
  const auto& conn = std::get<Syscall>(s.events[1].what);
  CHECK(conn.result == -1);
  CHECK(conn.errno_name == "EINPROGRESS");
  CHECK(std::get<Syscall>(s.events[2].what).args[2].symbols ==
        std::vector<std::string>{"O_RDWR", "O_NONBLOCK"});
  CHECK(std::get<Syscall>(s.events[3].what).result == 0x802);
}

TEST_CASE("drill parser: errors name the line and column") {
  // Columns count from 1: in "+0 > S 0:0(1)" the length's digit is the 12th character.
  CHECK(error_of("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 > S 0:0(1)\n") ==
        "t.pkt:2:12: error: end - start is 0 but the length says 1");
  CHECK(error_of("0 > S 0:0(0) ack\n") ==
        "t.pkt:1:17: error: expected an acknowledgment number, found the end of the line");
  CHECK(error_of("0 close(3) = -1\n") ==
        "t.pkt:1:14: error: a -1 result needs an errno name (-1 EAGAIN)");
  CHECK(error_of("0 > X 0:0(0)\n") ==
        "t.pkt:1:5: error: `X` is not a set of TCP flags (S F R P . E W, or - for none)");
  CHECK(error_of("+0...x close(3) = 0\n").starts_with("t.pkt:1:6: error: expected a time"));
  // An option after an event would widen (or narrow) the checks of the lines above it.
  CHECK(error_of("--tolerance_percent=0\n0 close(3) = -1 EBADF\n--tolerance_usecs=100000\n") ==
        "t.pkt:3:1: error: a script option after the first event; options come before the events "
        "(they apply to the whole script)");
  CHECK(error_of("--tolerance_usecs=100000\n\n// a comment\n0 close(3) = -1 EBADF\n") ==
        "no error");
  CHECK(error_of("0 close(3) = 0 garbage\n") ==
        "t.pkt:1:16: error: expected the end of the line after the result 0, found `garbage` (an "
        "errno name follows -1 only, as in -1 EAGAIN)");
}

TEST_CASE("drill parser: a time refused says why: too large, too fine, not a time") {
  // The limit is 10,000,000 s, every digit counted: 10000001 and 99999999 are both above it.
  CHECK(error_of("0 close(3) = 0\n+10000001 close(4) = 0\n") ==
        "t.pkt:2:2: error: expected a time in seconds (at most 10000000 s), found `10000001`");
  CHECK(error_of("0 close(3) = 0\n+99999999 close(4) = 0\n") ==
        "t.pkt:2:2: error: expected a time in seconds (at most 10000000 s), found `99999999`");
  CHECK(error_of("0 close(3) = 0\n+10000000 close(4) = -1 EBADF\n") == "no error");
  // Ten digits after the point: a small time, refused for its precision, not its size.
  CHECK(error_of("0 close(3) = 0\n+10000000.5 close(4) = 0\n") ==
        "t.pkt:2:2: error: expected a time in seconds (at most 10000000 s), found `10000000.5`");
  CHECK(error_of("0 close(3) = 0\n+1.0000000001 close(4) = 0\n") ==
        "t.pkt:2:2: error: expected a time in seconds (to the nanosecond: at most 9 digits after "
        "the point, but for zeros), found `1.0000000001`");
  CHECK(error_of("0 close(3) = 0\n+1.0000000000 close(4) = -1 EBADF\n") == "no error");
  CHECK(error_of("0 close(3) = 0\n+1.000000001 close(4) = -1 EBADF\n") == "no error");
}

TEST_CASE("drill parser: constructs outside the subset are refused where they stand") {
  CHECK(error_of("0 < . 1:1(0) ack 1 win 9 <sack 1:2>\n") ==
        "t.pkt:1:27: refused: SACK blocks (synlab models SACK-permitted only)");
  CHECK(error_of("0 close(3) = 0\n+0 %{ print(1) }%\n")
            .starts_with("t.pkt:2:4: refused: %{ }% Python assertions"));
  CHECK(error_of("0 socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP) = 3\n") ==
        "t.pkt:1:10: refused: IPv6 sockets");
  CHECK(error_of("0 sendmsg(3, {}, 0) = 0\n")
            .starts_with("t.pkt:1:3: refused: the system call sendmsg()"));
  CHECK(error_of("`rm -rf /tmp/x`\n0 close(3) = 0\n")
            .starts_with("t.pkt:1:2: refused: the shell command `rm`"));
}

TEST_CASE("drill parser: a UTF-8 byte order mark is skipped, a stray byte shown as \\xNN") {
  // Some editors begin a file with EF BB BF; the columns of line 1 count after it.
  const Script s = parse(
      "\xEF\xBB\xBF"
      "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
  REQUIRE(s.events.size() == 1);
  CHECK(s.events[0].at.column == 1);
  // A Latin-1 e-acute (E9) where a call's name goes: named byte by byte, not as half a character.
  CHECK(error_of("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 \xE9"
                 "close(3) = 0\n") ==
        "t.pkt:2:4: error: expected `<` or `>` (a packet), a system call or a `command`, found "
        "`\\xe9`");
}

TEST_CASE("drill settings: sysctls map onto the profile with Linux's meaning") {
  tcp::Profile p = tcp::linux_profile();
  CHECK_FALSE(apply_setting(p, {"tcp_syn_retries", "2", {}}));
  CHECK(p.syn_retries == 2);
  CHECK_FALSE(apply_setting(p, {"tcp_rto_max_ms", "5000", {}}));
  CHECK(p.max_rto == 5s);
  // tcp_select_initial_window(): ilog2(max(6291456, 212992)) - 15 = 22 - 15 = 7.
  CHECK_FALSE(apply_setting(p, {"tcp_rmem", "4096 131072 6291456", {}}));
  CHECK(p.window_scale == 7);
  // A small tcp_rmem[2] leaves rmem_max (212992, ilog2 17) in charge: shift 2.
  CHECK_FALSE(apply_setting(p, {"tcp_rmem", "4096 4096 4096", {}}));
  CHECK(p.window_scale == 2);
  CHECK_FALSE(apply_setting(p, {"tcp_window_scaling", "0", {}}));
  CHECK_FALSE(p.window_scale.has_value());
  CHECK_FALSE(apply_setting(p, {"tcp_timestamps", "0", {}}));
  CHECK_FALSE(p.timestamps);
  const auto bad = apply_setting(p, {"tcp_syn_retries", "0", {}});  // Linux: 1..127
  REQUIRE(bad);
  CHECK_FALSE(bad->refused);
  const auto unknown = apply_setting(p, {"tcp_fastopen", "1", {}});
  REQUIRE(unknown);
  CHECK(unknown->refused);
}

TEST_CASE("drill settings: the shell lines synlab reads") {
  const CommandReading r = read_command(
      "../common/defaults.sh\nsysctl -q net.ipv4.tcp_syn_retries=3 && "
      "./set_sysctls.py /proc/sys/net/ipv4/tcp_sack=0; echo 1 > "
      "/proc/sys/net/ipv4/tcp_synack_retries\n"
      "tc qdisc add dev tun0 root fq",
      {1, 1});
  REQUIRE_FALSE(r.error);
  REQUIRE(r.settings.size() == 3);
  CHECK(r.settings[0].name == "tcp_syn_retries");
  CHECK(r.settings[0].value == "3");
  CHECK(r.settings[1].name == "tcp_sack");
  CHECK(r.settings[2].name == "tcp_synack_retries");
  CHECK(r.settings[2].value == "1");
  CHECK(r.notes.size() == 2);  // defaults.sh and tc
  const CommandReading core = read_command("sysctl -q net.core.somaxconn=10", {3, 1});
  REQUIRE(core.error);
  CHECK(core.refused);
  CHECK(core.error->first.line == 3);
}

TEST_CASE("drill runner: packetdrill's tolerance, the larger of 4 ms and 12.5% of the gap") {
  // The model's second SYN leaves at 1 s (RFC 6298 (2.1)). Expected at 1.1 s it is 100 ms
  // early: 12.5% of the 1.1 s gap since the first SYN is 137.5 ms, so it passes; with
  // --tolerance_percent 0 only the 4 ms remain and it fails.
  const std::string text =
      "0 socket(..., SOCK_STREAM|SOCK_NONBLOCK, IPPROTO_TCP) = 3\n"
      "+0 connect(3, ..., ...) = -1 EINPROGRESS\n"
      "+0 > S 0:0(0) <...>\n"
      "1.1 > S 0:0(0) <...>\n";
  const Script s = parse(text);
  DrillOptions o;
  o.profile = &tcp::linux_profile();
  CHECK(run_drill(s, o).passed);
  o.tolerance_percent = 0.0;
  const DrillResult strict = run_drill(s, o);
  CHECK_FALSE(strict.passed);
  CHECK(strict.failure.find("time: expected 1.100000 s") != std::string::npos);
  // A wider absolute tolerance brings it back.
  o.tolerance = 150ms;
  CHECK(run_drill(s, o).passed);
}
