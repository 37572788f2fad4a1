// DrillRunner (drill_runner.hpp): packetdrill's run loop over a simulated clock. Times follow
// packetdrill's run.c: a relative time counts from the moment the previous event finished
// (two inbound packets in a row: from the previous one's script time); the tolerance is the
// larger of --tolerance_usecs and --tolerance_percent of the gap since the previous event.
#include "app/drill_runner.hpp"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <map>
#include <memory>
#include <ostream>
#include <utility>

#include "app/drill_settings.hpp"
#include "app/drill_syscalls.hpp"
#include "models/apps/socket_api.hpp"
#include "models/node/node.hpp"
#include "models/tcp/tcp_record.hpp"
#include "sim/scheduler.hpp"
#include "sim/trace.hpp"

namespace synlab::drill {

namespace {

using sim::Duration;
using sim::Time;

constexpr Duration max_script_time = std::chrono::hours(24 * 365 * 3);

// "1.000000" seconds, microseconds shown as packetdrill does.
std::string secs(Time t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", static_cast<double>(sim::to_ns(t)) / 1e9);
  return buf;
}
std::string secs(Duration d) {
  return secs(sim::at(d < Duration::zero() ? -d : d));
}

std::string flags_text(tcp::Flags f) {
  std::string s;
  if (f.has(tcp::Flag::Syn)) s += 'S';
  if (f.has(tcp::Flag::Fin)) s += 'F';
  if (f.has(tcp::Flag::Rst)) s += 'R';
  if (f.has(tcp::Flag::Psh)) s += 'P';
  if (f.has(tcp::Flag::Ece)) s += 'E';
  if (f.has(tcp::Flag::Cwr)) s += 'W';
  if (f.has(tcp::Flag::Ack)) s += '.';
  return s.empty() ? "-" : s;
}

std::string option_text(const OptionToken& o) {
  switch (o.kind) {
    case OptionKind::Nop:
      return "nop";
    case OptionKind::Eol:
      return "eol";
    case OptionKind::Mss:
      return "mss " + std::to_string(o.value);
    case OptionKind::SackPermitted:
      return "sackOK";
    case OptionKind::Timestamp:
      return "TS val " + std::to_string(o.value) + " ecr " + std::to_string(o.ecr);
    case OptionKind::WindowScale:
      return "wscale " + std::to_string(o.value);
  }
  return "?";
}

// The bytes an option takes in the TCP header (RFC 9293 §3.1; RFC 7323 §2.2 and §3.2; RFC 2018
// §2): kind, length and value.
std::size_t wire_length(OptionKind kind) {
  switch (kind) {
    case OptionKind::Nop:
    case OptionKind::Eol:
      return 1;
    case OptionKind::SackPermitted:
      return 2;
    case OptionKind::WindowScale:
      return 3;
    case OptionKind::Mss:
      return 4;
    case OptionKind::Timestamp:
      return 10;
  }
  return 0;
}

std::string options_text(const std::vector<OptionToken>& opts) {
  std::string s = "<";
  for (std::size_t i = 0; i < opts.size(); ++i) {
    if (i > 0) s += ',';
    s += option_text(opts[i]);
  }
  s += '>';
  return s;
}

// The options as the model lays them out on the wire (tcp::Options::wire_bytes(), Linux's
// tcp_options_write()): MSS; SACK_PERM + TS, or NOP NOP TS, or NOP NOP SACK_PERM; NOP WS.
std::vector<OptionToken> wire_layout(const tcp::Options& o) {
  std::vector<OptionToken> out;
  out.reserve(8);  // at most 7 tokens
  if (o.mss) out.push_back({OptionKind::Mss, *o.mss, 0});
  if (o.timestamps) {
    if (o.sack_permitted) {
      out.push_back({OptionKind::SackPermitted, 0, 0});
    } else {
      out.push_back({OptionKind::Nop, 0, 0});
      out.push_back({OptionKind::Nop, 0, 0});
    }
    out.push_back({OptionKind::Timestamp, o.timestamps->tsval, o.timestamps->tsecr});
  } else if (o.sack_permitted) {
    out.push_back({OptionKind::Nop, 0, 0});
    out.push_back({OptionKind::Nop, 0, 0});
    out.push_back({OptionKind::SackPermitted, 0, 0});
  }
  if (o.window_scale) {
    out.push_back({OptionKind::Nop, 0, 0});
    out.push_back({OptionKind::WindowScale, *o.window_scale, 0});
  }
  return out;
}

// Fails the run: carries the message to run_drill's catch.
struct Mismatch {
  std::string message;
};

// What the script asks that it cannot, found as it runs (a blocking call without its end time,
// an inbound segment without its window): the script is not valid, as a parse error says, and
// the model is not to blame.
struct ScriptFault {
  std::string message;  // file:line:column: error: ...
};

// What the script asks that is packetdrill but outside synlab's subset, found as it runs (a
// second connection while the first lives): refused, as the parser refuses ICMP.
struct ScriptRefusal {
  std::string message;  // file:line:column: refused: ...
};

class Runner final : tcp::SegmentOutput, sim::TraceSink<tcp::TcpRecord> {
 public:
  Runner(const Script& script, const DrillOptions& options)
      : script_(script),
        options_(options),
        profile_(*options.profile),
        trace_({static_cast<sim::TraceSink<tcp::TcpRecord>*>(this)}),
        // ISN 0 (and a TSval clock from 0): the model's numbers relative to its ISN, as scripts
        // write them, equal the absolute ones, so a reset with SEQ=0 (RFC 793 §3.4) can be
        // written too.
        local_(scheduler_, *static_cast<tcp::SegmentOutput*>(this), local_address,
               node::NodeConfig{.name = "local", .profile = &profile_, .fixed_isn = 0}, &trace_),
        api_(local_) {
    tolerance_ = options.tolerance
                     ? *options.tolerance
                     : (script.tolerance_usecs ? std::chrono::microseconds(*script.tolerance_usecs)
                                               : default_tolerance);
    percent_ = options.tolerance_percent.value_or(
        script.tolerance_percent.value_or(default_tolerance_percent));
    if (script.ts_tick_usecs && *script.ts_tick_usecs > 0)
      ts_tick_ = std::chrono::microseconds(*script.ts_tick_usecs);
  }

  DrillResult run() {
    DrillResult result;
    result.notes = script_.notes;
    // --tcp_ts_tick_usecs tells packetdrill how fast the stack's TS clock ticks; the model's
    // ticks at the profile's granularity, and TS val deltas are compared tick for tick.
    if (ts_tick_ && *ts_tick_ != profile_.ts_granularity) {
      const auto us = [](Duration d) {
        return std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(d).count());
      };
      result.notes.push_back("--tcp_ts_tick_usecs=" + us(*ts_tick_) +
                             " describes another clock than the model's, whose TS val ticks "
                             "every " +
                             us(profile_.ts_granularity) +
                             " us: TS val deltas are compared tick for tick, as packetdrill "
                             "compares them with a live stack");
    }
    try {
      for (const Setting& s : script_.init_settings) apply(s);
      // (The parser has checked the script's own times: its first event at 0, absolute times
      // in order.)
      for (const Event& e : script_.events) {
        event(e);
        previous_ = &e;
      }
      finish_blocking();
      result.passed = true;
    } catch (const Mismatch& m) {
      result.failure = m.message;
    } catch (const ScriptFault& f) {
      result.failure = f.message;
      result.invalid = true;
    } catch (const ScriptRefusal& f) {
      result.failure = f.message;
      result.refused = true;
    }
    if (!result.invalid && !result.refused)  // else what the model sent answers no script
      for (const Sent& s : sent_)
        result.notes.push_back("the model also sent, at " + secs(s.time) +
                               " s, a segment no line expected: " + live_text(s.segment));
    result.wire = std::move(wire_);
    result.states = std::move(states_);
    result.history = std::move(history_);
    return result;
  }

 private:
  struct Sent {
    Time time;
    tcp::Segment segment;
  };
  // A blocking call started and not yet returned (packetdrill runs it on a thread meanwhile).
  struct Blocking {
    const Event* event = nullptr;
    Time end{};  // when the script says it returns
    Duration tolerance{};
  };

  // --- Output of the model -----------------------------------------------------------------
  void output(const tcp::AddressedSegment& s) override {
    sent_.push_back({scheduler_.now(), s.segment});
    wire_.push_back({scheduler_.now(), s, false});
  }
  void write(const tcp::TcpRecord& r) override {
    if (r.kind != tcp::RecordKind::State) return;
    states_.push_back(r);
    state_of_[r.conn] = r.to;
    say(secs(sim::at(Duration(r.time_ns))) + "          [" + std::string(tcp::to_string(r.from)) +
        " -> " + std::string(tcp::to_string(r.to)) + ", " + std::string(tcp::to_string(r.cause)) +
        "]");
  }

  void say(const std::string& line) {
    history_.push_back(line);
    if (options_.log != nullptr) *options_.log << line << '\n';
  }
  // "L12     ": the script line, padded so the texts line up.
  static std::string line_tag(const Event& e) {
    std::string t(1, 'L');
    t += std::to_string(e.at.line);
    t.resize(std::max<std::size_t>(t.size() + 1, 8), ' ');
    return t;
  }
  std::string where(const Event& e) const {
    return script_.path + ":" + std::to_string(e.at.line) + ": ";
  }
  // A script's fault at `at`, worded as the parser's errors are.
  ScriptFault fault(Position at, const std::string& what) const {
    return ScriptFault{script_.path + ":" + std::to_string(at.line) + ":" +
                       std::to_string(at.column) + ": error: " + what};
  }
  ScriptRefusal refusal(Position at, const std::string& what) const {
    return ScriptRefusal{script_.path + ":" + std::to_string(at.line) + ":" +
                         std::to_string(at.column) + ": refused: " + what};
  }

  // The script's peer speaks on one 4-tuple (docs/drill.md, "One connection per script"): a
  // connect() while another connection of the model's is open or opening would leave one of the
  // two without a peer. One in TIME-WAIT or FIN-WAIT-2 (its FIN acknowledged, the peer's never to
  // come) is done with its peer.
  void one_connection_at_a_time(const Event& e, tcp::ConnId opened) const {
    for (const auto& [conn, state] : state_of_)
      if (conn != opened && state != tcp::State::Closed && state != tcp::State::Listen &&
          state != tcp::State::TimeWait && state != tcp::State::FinWait2)
        throw refusal(e.at,
                      "a second connection while the first is open (synlab's drill speaks "
                      "on one 4-tuple per script)");
  }

  // --- Time ----------------------------------------------------------------------------------
  struct Window {
    Time start{};
    Time end{};  // == start unless a range
    bool any = false;
  };

  Window window_of(const Event& e) {
    Window w;
    if (e.time.base == TimeBase::Any) {
      w.any = true;
      w.start = w.end = scheduler_.now();
      return w;
    }
    Duration offset{};
    if (e.time.base == TimeBase::Relative) {
      const bool both_inbound = previous_ != nullptr && is_inbound(*previous_) && is_inbound(e);
      offset =
          both_inbound ? last_script_time_.time_since_epoch() : scheduler_.now().time_since_epoch();
    }
    // A script's events stay within max_script_time: the sums below cannot overflow.
    const Duration latest = std::max(e.time.start, std::max(e.time.range_end.value_or(Duration{}),
                                                            e.time.block_end.value_or(Duration{})));
    if (offset > max_script_time - latest)
      throw fault(e.at, "the script's time passes " + secs(max_script_time) +
                            " s; drill runs scripts up to about 3 years long");
    w.start = sim::at(offset + e.time.start);
    w.end = e.time.range_end ? sim::at(offset + *e.time.range_end) : w.start;
    if (e.time.block_end) block_end_ = sim::at(offset + *e.time.block_end);
    return w;
  }
  static bool is_inbound(const Event& e) {
    const auto* p = std::get_if<PacketSpec>(&e.what);
    return p != nullptr && p->inbound;
  }
  Duration tolerance_for(Time script_time) const {
    Duration t = tolerance_;
    if (previous_ != nullptr) {
      const Duration gap = script_time - last_script_time_;
      const auto dynamic =
          Duration(static_cast<std::int64_t>(static_cast<double>(gap.count()) * percent_ / 100.0));
      if (dynamic > t) t = dynamic;
    }
    return t;
  }

  // Runs the model up to `limit`, event by event, watching a blocking call.
  void advance_to(Time limit) {
    while (scheduler_.next_event_time() <= limit) {
      scheduler_.run_until(scheduler_.next_event_time());
      check_blocking();
    }
    if (scheduler_.now() < limit) scheduler_.run_until(limit);
    check_blocking();
  }
  // One step of the model (all events at the next time); false if nothing is left before
  // `limit`.
  bool step(Time limit) {
    const Time next = scheduler_.next_event_time();
    if (next > limit) return false;
    scheduler_.run_until(next);
    check_blocking();
    return true;
  }

  // --- Events --------------------------------------------------------------------------------
  void event(const Event& e) {
    block_end_.reset();
    const Window w = window_of(e);
    const Duration tol = tolerance_for(w.start);
    if (const auto* p = std::get_if<PacketSpec>(&e.what)) {
      if (p->inbound) {
        inbound(e, *p, w, tol);
      } else {
        outbound(e, *p, w, tol);
      }
    } else if (const auto* c = std::get_if<Syscall>(&e.what)) {
      finish_blocking();
      start_at(e, w, tol);
      syscall(e, *c, tol);
    } else if (const auto* cmd = std::get_if<Command>(&e.what)) {
      start_at(e, w, tol);
      say(secs(scheduler_.now()) + "  " + line_tag(e) + e.text);
      for (const Setting& s : cmd->settings) apply(s);
    }
    last_script_time_ = w.any ? scheduler_.now() : w.start;
  }

  // The model runs until the event's time; an event already late is a timing error.
  void start_at(const Event& e, const Window& w, Duration tol) {
    if (w.any) return;
    if (scheduler_.now() > w.end + tol)
      throw Mismatch{where(e) + "timing error: expected the event at " + secs(w.start) +
                     " s but the run is already at " + secs(scheduler_.now()) + " s; tolerance " +
                     secs(tol) + " s"};
    if (scheduler_.now() < w.start) advance_to(w.start);
  }

  void apply(const Setting& s) {
    if (const std::optional<SettingProblem> p = apply_setting(profile_, s))
      throw Mismatch{script_.path + ":" + std::to_string(s.at.line) + ": " + p->message};
  }

  // --- Packets -------------------------------------------------------------------------------
  void inbound(const Event& e, const PacketSpec& p, const Window& w, Duration tol) {
    start_at(e, w, tol);
    tcp::AddressedSegment a;
    a.src_host = remote_address;
    a.dst_host = local_address;
    tcp::Segment& s = a.segment;
    s.src_port = remote_port_;
    s.dst_port = local_port_;
    s.flags = p.flags;
    s.seq = tcp::SeqNum(p.seq_start);
    if (p.ack) s.ack = tcp::SeqNum(*p.ack + local_isn_.value_or(0));
    s.payload_bytes = p.length;
    if (p.window) {
      s.window = *p.window;
    } else if (!p.flags.has(tcp::Flag::Rst)) {
      throw fault(e.at, "an inbound segment needs `win N` (only a RST may leave it out)");
    }
    if (p.options_spec == OptionsSpec::Any)
      throw fault(e.at, "an inbound segment's options must be written out, not <...>");
    // RFC 9293 §3.1: the Data Offset's 4 bits count the header in 32-bit words, at most 15 (60
    // bytes), so at most 40 bytes of options.
    std::size_t option_bytes = 0;
    for (const OptionToken& o : p.options) option_bytes += wire_length(o.kind);
    if (option_bytes > 40)
      throw fault(e.at, "the options take " + std::to_string(option_bytes) +
                            " bytes; a TCP header holds at most 40 (RFC 9293 §3.1, Data Offset)");
    for (const OptionToken& o : p.options) {
      switch (o.kind) {
        case OptionKind::Nop:
        case OptionKind::Eol:
          break;
        case OptionKind::Mss:
          s.options.mss = static_cast<std::uint16_t>(o.value);
          break;
        case OptionKind::SackPermitted:
          s.options.sack_permitted = true;
          break;
        case OptionKind::WindowScale:
          s.options.window_scale = static_cast<std::uint8_t>(o.value);
          break;
        case OptionKind::Timestamp:
          s.options.timestamps = tcp::Timestamps{o.value, live_ecr(e, o.ecr)};
          break;
      }
    }
    say(secs(scheduler_.now()) + "  " + line_tag(e) + e.text);
    wire_.push_back({scheduler_.now(), a, true});
    local_.receive(a);
    check_blocking();
  }

  // packetdrill maps an inbound TS ecr to the live TSval the script called by that value, or
  // interpolates from the first one (run_packet.c).
  std::uint32_t live_ecr(const Event& e, std::uint32_t script_ecr) const {
    if (script_ecr == 0) return 0;
    if (const auto it = ts_map_.find(script_ecr); it != ts_map_.end()) return it->second;
    if (first_ts_) return script_ecr - first_ts_->first + first_ts_->second;
    throw Mismatch{where(e) + "TS ecr " + std::to_string(script_ecr) +
                   " echoes no TS val the model has sent yet"};
  }

  std::uint32_t rel_seq(const tcp::Segment& s) const {
    return s.seq.value() - local_isn_.value_or(0);
  }
  // The segment as a `>` line would write it: "S. 0:0(0) ack 1 win 65160 <mss 1460,...>".
  std::string live_text(const tcp::Segment& s) const {
    std::string t = flags_text(s.flags);
    t += ' ';
    t += std::to_string(rel_seq(s));
    t += ':';
    t += std::to_string(rel_seq(s) + s.payload_bytes);
    t += '(';
    t += std::to_string(s.payload_bytes);
    t += ')';
    if (s.flags.has(tcp::Flag::Ack)) {
      t += " ack ";
      t += std::to_string(s.ack.value());
    }
    t += " win ";
    t += std::to_string(s.window);
    const std::vector<OptionToken> opts = in_script_numbers(wire_layout(s.options));
    if (!opts.empty()) {
      t += ' ';
      t += options_text(opts);
    }
    return t;
  }

  void outbound(const Event& e, const PacketSpec& p, const Window& w, Duration tol) {
    const Time deadline = w.any ? scheduler_.now() + std::chrono::hours(1) : w.end + tol;
    while (sent_.empty()) {
      if (!step(deadline)) {
        throw Mismatch{where(e) + "expected the model to send `" + e.text + "` at " +
                       (w.any ? std::string("any time") : secs(w.start) + " s") + " (tolerance " +
                       secs(tol) + " s), but it sent nothing" +
                       (w.any ? std::string() : " by " + secs(deadline) + " s")};
      }
    }
    const Sent got = sent_.front();
    sent_.pop_front();
    if (got.segment.flags.has(tcp::Flag::Syn)) local_isn_ = got.segment.seq.value();
    learn_ports(got.segment);
    std::vector<std::string> diffs = compare(p, got.segment);
    if (!w.any && (got.time < w.start - tol || got.time > w.end + tol))
      diffs.push_back("time: expected " + secs(w.start) +
                      (w.end != w.start ? "~" + secs(w.end) : std::string()) + " s ±" + secs(tol) +
                      " s" + ", sent at " + secs(got.time) + " s");
    if (!diffs.empty()) {
      std::string m = where(e) + "the model's segment differs from `" + e.text + "`\n  sent at " +
                      secs(got.time) + " s: " + live_text(got.segment);
      for (const std::string& d : diffs) m += "\n  " + d;
      throw Mismatch{m};
    }
    say(secs(got.time) + "  " + line_tag(e) + e.text);
  }

  void learn_ports(const tcp::Segment& s) {
    local_port_ = s.src_port;
    remote_port_ = s.dst_port;
  }

  std::vector<std::string> compare(const PacketSpec& p, const tcp::Segment& s) {
    std::vector<std::string> d;
    // ECE and CWR are shown but not compared: the model negotiates no ECN (tcp_ecn=0).
    const auto no_ecn = [](tcp::Flags f) {
      return tcp::Flags::from_bits(
          static_cast<std::uint8_t>(f.bits() & ~(static_cast<std::uint8_t>(tcp::Flag::Ece) |
                                                 static_cast<std::uint8_t>(tcp::Flag::Cwr))));
    };
    if (no_ecn(p.flags) != no_ecn(s.flags))
      d.push_back("flags: expected " + flags_text(p.flags) + ", sent " + flags_text(s.flags));
    if (rel_seq(s) != p.seq_start)
      d.push_back("sequence number: expected " + std::to_string(p.seq_start) + ", sent " +
                  std::to_string(rel_seq(s)));
    if (s.payload_bytes != p.length)
      d.push_back("payload: expected " + std::to_string(p.length) + " bytes, sent " +
                  std::to_string(s.payload_bytes));
    if (p.ack && (!s.flags.has(tcp::Flag::Ack) || s.ack.value() != *p.ack))
      d.push_back("ack: expected " + std::to_string(*p.ack) + ", sent " +
                  (s.flags.has(tcp::Flag::Ack) ? std::to_string(s.ack.value()) : "none"));
    if (p.window && s.window != *p.window)
      d.push_back("window: expected " + std::to_string(*p.window) + ", sent " +
                  std::to_string(s.window));
    const std::vector<OptionToken> live = wire_layout(s.options);
    switch (p.options_spec) {
      case OptionsSpec::Any:
        break;
      case OptionsSpec::Absent:
        if (!live.empty()) d.push_back("options: expected none, sent " + options_text(live));
        break;
      case OptionsSpec::List: {
        bool same = live.size() == p.options.size();
        for (std::size_t i = 0; same && i < live.size(); ++i) {
          const OptionToken& want = p.options[i];
          const OptionToken& got = live[i];
          if (want.kind != got.kind)
            same = false;
          else if (want.kind == OptionKind::Timestamp)
            same = timestamp_matches(want, got);
          else
            same = want.value == got.value;
        }
        if (!same)
          d.push_back("options: expected " + options_text(p.options) + ", sent " +
                      options_text(in_script_numbers(live)));
        break;
      }
    }
    return d;
  }

  // `live` with its TS val in the script's numbers, as a mismatch shows it: once TS val is
  // compared (--tcp_ts_tick_usecs), the model's clock is counted from the script's first TS val.
  std::vector<OptionToken> in_script_numbers(std::vector<OptionToken> live) const {
    if (!ts_tick_ || !first_ts_) return live;
    for (OptionToken& o : live)
      if (o.kind == OptionKind::Timestamp)
        o.value = first_ts_->first + (o.value - first_ts_->second);
    return live;
  }

  // TS ecr echoes the script's own TS val, so it is compared exactly; TS val is the model's
  // clock, compared only with --tcp_ts_tick_usecs (packetdrill's rule), and remembered so
  // later inbound ecr values can name it.
  bool timestamp_matches(const OptionToken& want, const OptionToken& got) {
    if (want.ecr != got.ecr) return false;
    if (!first_ts_) first_ts_ = {want.value, got.value};
    ts_map_[want.value] = got.value;
    if (!ts_tick_) return true;
    const std::int64_t expected_ticks = static_cast<std::int32_t>(want.value - first_ts_->first);
    const std::int64_t live_ticks = static_cast<std::int32_t>(got.value - first_ts_->second);
    const std::int64_t slack = tolerance_ / *ts_tick_ + 1;
    return live_ticks >= expected_ticks - slack && live_ticks <= expected_ticks + slack;
  }

  // --- System calls --------------------------------------------------------------------------
  void syscall(const Event& e, const Syscall& c, Duration tol) {
    say(secs(scheduler_.now()) + "  " + line_tag(e) + e.text);
    SyscallRun r = start_syscall(api_, c, remote_address);
    if (r.opened) {
      one_connection_at_a_time(e, *r.opened);
      local_port_ = api_.node().tcp().endpoint(*r.opened)->tcb().local.port;
      remote_port_ = script_port;
    }
    if (r.listening) {
      local_port_ = script_port;
      remote_port_ = script_remote_port;
    }
    if (r.blocks) {
      if (!block_end_)
        throw fault(e.at, c.name +
                              "() blocks on a blocking socket; give its end time (start...end), "
                              "or make the socket non-blocking");
      blocking_ = Blocking{&e, *block_end_, tol};
      check_blocking();
      return;
    }
    if (block_end_ && *block_end_ > scheduler_.now() + tol)
      throw Mismatch{where(e) + c.name + "() returned at once, at " + secs(scheduler_.now()) +
                     " s, but the script expects it to block until " + secs(*block_end_) + " s"};
    check_result(e, c, r.result, r.option_value);
  }

  void check_result(const Event& e, const Syscall& c, const apps::CallResult& got,
                    std::optional<std::int64_t> option_value = {}) {
    const std::optional<std::string> mismatch = result_mismatch(c, got, option_value);
    if (mismatch) throw Mismatch{where(e) + c.name + "(): " + *mismatch};
  }

  // A blocking call that returned: its time and value; one still blocked past its end: an
  // error.
  void check_blocking() {
    if (!blocking_) return;
    const Event& e = *blocking_->event;
    const Syscall& c = std::get<Syscall>(e.what);
    const std::optional<apps::CallResult> done = poll_syscall(api_, c);
    if (!done) {
      if (scheduler_.now() > blocking_->end + blocking_->tolerance)
        throw Mismatch{where(e) + c.name + "() was expected to return at " + secs(blocking_->end) +
                       " s (tolerance " + secs(blocking_->tolerance) + " s) but still blocks at " +
                       secs(scheduler_.now()) + " s"};
      return;
    }
    const Blocking b = *blocking_;
    blocking_.reset();
    if (scheduler_.now() < b.end - b.tolerance)
      throw Mismatch{where(e) + c.name + "() returned at " + secs(scheduler_.now()) +
                     " s, before its end " + secs(b.end) + " s (tolerance " + secs(b.tolerance) +
                     " s)"};
    say(secs(scheduler_.now()) + "  " + line_tag(e) + c.name + "() returned");
    check_result(e, c, *done);
  }

  // Another call waits for the blocking one, as on packetdrill's single syscall thread; so
  // does the end of the script.
  void finish_blocking() {
    if (!blocking_) return;
    const Time limit = blocking_->end + blocking_->tolerance;
    while (blocking_ && step(limit)) {
    }
    if (blocking_) advance_to(limit + Duration(1));  // past its end: check_blocking() fails
  }

  const Script& script_;
  const DrillOptions& options_;
  tcp::Profile profile_;  // the sysctls change it, as they change a live kernel
  sim::Scheduler scheduler_;
  sim::Trace<tcp::TcpRecord> trace_;
  node::Node local_;
  apps::SocketApi api_;
  Duration tolerance_{};
  double percent_ = 0;
  std::optional<Duration> ts_tick_;
  const Event* previous_ = nullptr;
  Time last_script_time_{};
  std::optional<Time> block_end_;
  std::optional<Blocking> blocking_;
  std::deque<Sent> sent_;
  std::vector<WireSegment> wire_;
  std::vector<tcp::TcpRecord> states_;
  std::vector<std::string> history_;
  std::optional<std::uint32_t> local_isn_;
  std::optional<std::pair<std::uint32_t, std::uint32_t>> first_ts_;  // script val, live val
  std::map<std::uint32_t, std::uint32_t> ts_map_;
  std::map<tcp::ConnId, tcp::State> state_of_;  // each connection's state, from its records
  std::uint16_t local_port_ = script_port;
  std::uint16_t remote_port_ = script_remote_port;
};

}  // namespace

DrillResult run_drill(const Script& script, const DrillOptions& options) {
  return Runner(script, options).run();
}

}  // namespace synlab::drill
