// Loading scenarios (see scenario_loader.hpp and docs/scenario-format.md).
#include "app/scenario_loader.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "app/suggest.hpp"
#include "app/units.hpp"
#include "models/tcp/flags.hpp"
#include "models/tcp/profile.hpp"
#include "sim/time.hpp"

namespace synlab::app {
namespace {

using Keys = std::span<const std::string_view>;

constexpr std::array<std::string_view, 12> scenario_keys{"name",  "seed",   "stop",    "nodes",
                                                         "links", "tcp",    "apps",    "drops",
                                                         "sweep", "repeat", "outputs", "expect"};
constexpr std::array<std::string_view, 7> link_keys{"between", "delay", "jitter", "bandwidth",
                                                    "queue",   "loss",  "outages"};
constexpr std::array<std::string_view, 2> direction_keys{"forward", "reverse"};
constexpr std::array<std::string_view, 5> loss_keys{"model", "p", "r", "loss_good", "loss_bad"};
constexpr std::array<std::string_view, 2> loss_models{"bernoulli", "gilbert-elliott"};
constexpr std::array<std::string_view, 5> jitter_keys{"model", "max", "mean", "stddev", "reorder"};
constexpr std::array<std::string_view, 3> jitter_models{"uniform", "normal", "exponential"};
constexpr std::array<std::string_view, 2> queue_keys{"packets", "bytes"};
constexpr std::array<std::string_view, 2> outage_keys{"from", "until"};
constexpr std::array<std::string_view, 13> tcp_keys{
    "profile",        "initial_rto",     "max_rto", "backoff", "syn_retries",
    "synack_retries", "linear_timeouts", "msl",     "mss",     "window_scale",
    "sack",           "timestamps",      "isn"};
constexpr std::array<std::string_view, 2> listen_keys{"listen", "backlog"};
constexpr std::array<std::string_view, 6> connect_keys{"connect",  "count",   "start",
                                                       "interval", "request", "response"};
constexpr std::array<std::string_view, 6> drop_keys{"link", "direction", "flags",
                                                    "nth",  "from",      "until"};
constexpr std::array<std::string_view, 3> directions{"forward", "reverse", "both"};
constexpr std::array<std::string_view, 4> output_keys{"packets", "states", "pcap", "plots"};
constexpr std::array<std::string_view, 3> pcap_keys{"links", "received", "nodes"};
constexpr std::array<std::string_view, 4> plot_kinds{"ladder", "timeseq", "timing", "cdf"};
constexpr std::array<std::string_view, 4> conn_keys{"conn", "outcome", "established_at",
                                                    "tolerance"};
constexpr std::array<std::string_view, 5> outcomes{"established", "refused", "timeout", "reset",
                                                   "pending"};
constexpr std::array<std::string_view, 4> metric_keys{"metric", "equals", "between", "tolerance"};
constexpr std::array<std::string_view, 4> time_metrics{
    "mean_handshake_time", "median_handshake_time", "p95_handshake_time", "max_handshake_time"};
constexpr std::array<std::string_view, 4> count_metrics{"connections", "established", "refused",
                                                        "timeouts"};
constexpr std::array<std::string_view, 3> packets_keys{"packets", "equals", "tolerance"};
constexpr std::array<std::string_view, 3> packet_filter_keys{"link", "direction", "flags"};
constexpr std::array<std::string_view, 8> flag_names{"FIN", "SYN", "RST", "PSH",
                                                     "ACK", "URG", "ECE", "CWR"};

std::string describe(const YAML::Node& n) {
  if (!n.IsDefined() || n.IsNull()) return "nothing";
  if (n.IsScalar()) return "'" + n.Scalar() + "'";
  if (n.IsSequence()) return "a list";
  return "a mapping";
}

bool contains(Keys keys, std::string_view word) {
  for (const std::string_view k : keys)
    if (k == word) return true;
  return false;
}

// Reads YAML nodes into typed values, turning every problem into a ScenarioError.
class Reader {
 public:
  Reader(std::string file, std::map<std::string, SourceMark> origins)
      : file_(std::move(file)), origins_(std::move(origins)) {}

  const std::string& file() const { return file_; }

  // Where `n` (at `path`) was written: an override's origin, else its place in the file.
  SourceMark where(const YAML::Node& n, const std::string& path) const {
    for (std::string p = path;;) {
      if (const auto it = origins_.find(p); it != origins_.end()) return it->second;
      const std::size_t dot = p.rfind('.');
      if (dot == std::string::npos) break;
      p.resize(dot);
    }
    if (n.IsDefined() && n.Mark().line >= 0)
      return SourceMark{file_, n.Mark().line + 1, n.Mark().column + 1};
    return SourceMark{file_, 0, 0};
  }

  [[noreturn]] void fail(const YAML::Node& n, const std::string& path,
                         const std::string& message) const {
    throw ScenarioError(where(n, path), path + ": " + message);
  }
  [[noreturn]] void expected(const YAML::Node& n, const std::string& path,
                             const std::string& what) const {
    fail(n, path, "expected " + what + ", found " + describe(n));
  }

  // Checks that `n` is a mapping whose keys are all in `allowed`, none twice, and that the
  // `required` ones are there. Returns the keys in file order.
  std::vector<std::string> mapping(const YAML::Node& n, const std::string& path, Keys allowed,
                                   Keys required, const std::string& what) const {
    if (!n.IsMap()) expected(n, path, what);
    std::vector<std::string> keys;
    std::set<std::string> seen;
    for (const auto& entry : n) {
      const YAML::Node& key = entry.first;
      if (!key.IsScalar()) expected(key, path, "a name as key");
      const std::string name = key.Scalar();
      const std::string key_path = path.empty() ? name : path + "." + name;
      if (!seen.insert(name).second) fail(key, key_path, "written twice (each key once)");
      if (!allowed.empty() && !contains(allowed, name)) {
        throw ScenarioError(where(key, key_path),
                            "unknown key '" + name + "'" + (path.empty() ? "" : " in " + path) +
                                did_you_mean(name, allowed) + " (accepted: " + join(allowed) + ")");
      }
      keys.push_back(name);
    }
    for (const std::string_view r : required)
      if (seen.count(std::string(r)) == 0)
        fail(n, path.empty() ? std::string(r) : path, "missing key '" + std::string(r) + "'");
    return keys;
  }

  std::string scalar(const YAML::Node& n, const std::string& path, const std::string& what) const {
    if (!n.IsScalar()) expected(n, path, what);
    return n.Scalar();
  }

  std::string name(const YAML::Node& n, const std::string& path) const {
    const std::string s = scalar(n, path, "a name");
    bool ok = !s.empty() && (std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_');
    for (const char c : s)
      ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
    if (!ok) expected(n, path, "a name (letters, digits, '_' and '-', starting with a letter)");
    return s;
  }

  std::string choice(const YAML::Node& n, const std::string& path, Keys choices) const {
    const std::string s = scalar(n, path, "one of " + join(choices));
    if (!contains(choices, s))
      fail(n, path,
           "expected one of " + join(choices) + ", found '" + s + "'" + did_you_mean(s, choices));
    return s;
  }

  sim::Duration duration(const YAML::Node& n, const std::string& path,
                         bool allow_negative = false) const {
    const std::string s = scalar(n, path, "a duration such as 10ms");
    sim::Duration d{};
    try {
      d = sim::parse_duration(s);
    } catch (const sim::TimeParseError& e) {
      fail(n, path, e.what());
    }
    if (!allow_negative && d < sim::Duration::zero())
      fail(n, path, "expected a duration of 0 or more, found '" + s + "'");
    return d;
  }

  double number(const YAML::Node& n, const std::string& path, const std::string& what) const {
    const std::string s = scalar(n, path, what);
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v))
      expected(n, path, what);
    return v;
  }

  double probability(const YAML::Node& n, const std::string& path) const {
    const double p = number(n, path, "a probability between 0 and 1");
    if (p < 0 || p > 1)
      fail(n, path, "expected a probability between 0 and 1, found '" + n.Scalar() + "'");
    return p;
  }

  std::uint64_t count(const YAML::Node& n, const std::string& path, std::uint64_t min,
                      std::uint64_t max) const {
    const std::string what =
        "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
    const std::string s = scalar(n, path, what);
    std::uint64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && end == s.data() + s.size()) {
      if (v < min || v > max)
        fail(n, path,
             "expected " + what + ", found " + s +
                 (v > max ? " (the limit is " + std::to_string(max) + ")" : ""));
      return v;
    }
    // "1e12" or a huge number: say it is too large rather than "not a number".
    double d = 0;
    const auto [dend, dec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if ((dec == std::errc() && dend == s.data() + s.size() && d > static_cast<double>(max)) ||
        dec == std::errc::result_out_of_range ||
        (ec == std::errc::result_out_of_range && end == s.data() + s.size()))
      fail(n, path,
           "expected " + what + ", found " + s + " (the limit is " + std::to_string(max) + ")");
    expected(n, path, what);
  }

  bool boolean(const YAML::Node& n, const std::string& path) const {
    const std::string s = scalar(n, path, "true or false");
    if (s == "true" || s == "yes") return true;
    if (s == "false" || s == "no") return false;
    expected(n, path, "true or false");
  }

  std::uint64_t rate(const YAML::Node& n, const std::string& path) const {
    const std::string s = scalar(n, path, "a bit rate such as 100Mbps");
    try {
      return parse_rate_bps(s);
    } catch (const UnitError& e) {
      fail(n, path, e.what());
    }
  }

  std::uint64_t size(const YAML::Node& n, const std::string& path) const {
    const std::string s = scalar(n, path, "a size such as 1500B");
    try {
      return parse_size_bytes(s);
    } catch (const UnitError& e) {
      fail(n, path, e.what());
    }
  }

  // "SYN", "SYN+ACK", "SYN, ACK", "rst+ack": an exact set of TCP flags.
  std::uint8_t flags(const YAML::Node& n, const std::string& path) const {
    const std::string s = scalar(n, path, "TCP flags such as SYN or SYN+ACK");
    std::uint8_t bits = 0;
    std::string token;
    auto take = [&] {
      if (token.empty()) return;
      std::string upper;
      for (const char c : token)
        upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      std::size_t bit = 0;
      while (bit < flag_names.size() && flag_names[bit] != upper) ++bit;
      if (bit == flag_names.size())
        fail(n, path,
             "unknown TCP flag '" + token + "'" + did_you_mean(upper, flag_names) +
                 " (accepted: " + join(flag_names) + ", joined by + as in SYN+ACK)");
      bits = static_cast<std::uint8_t>(bits | (1u << bit));
      token.clear();
    };
    for (const char c : s) {
      if (c == '+' || c == ',' || c == ' ')
        take();
      else
        token += c;
    }
    take();
    if (bits == 0) expected(n, path, "TCP flags such as SYN or SYN+ACK");
    return bits;
  }

 private:
  std::string file_;
  std::map<std::string, SourceMark> origins_;
};

std::string join_path(const std::string& a, std::string_view b) {
  return a.empty() ? std::string(b) : a + "." + std::string(b);
}

// Applies `apply(value, path, direction)` to both directions, or to each of a
// {forward: ..., reverse: ...} mapping's.
template <class Apply>
void per_direction(const Reader& r, const YAML::Node& n, const std::string& path, LinkSpec& link,
                   Apply&& apply) {
  if (n.IsMap() && (n["forward"].IsDefined() || n["reverse"].IsDefined())) {
    r.mapping(n, path, direction_keys, {}, "a value or {forward: ..., reverse: ...}");
    if (n["forward"].IsDefined()) apply(n["forward"], join_path(path, "forward"), link.forward);
    if (n["reverse"].IsDefined()) apply(n["reverse"], join_path(path, "reverse"), link.reverse);
    return;
  }
  apply(n, path, link.forward);
  apply(n, path, link.reverse);
}

LossSpec read_loss(const Reader& r, const YAML::Node& n, const std::string& path) {
  LossSpec loss;
  if (n.IsScalar()) {
    loss.p = r.probability(n, path);
    loss.kind = loss.p > 0 ? LossSpec::Kind::Bernoulli : LossSpec::Kind::None;
    return loss;
  }
  r.mapping(n, path, loss_keys, std::array<std::string_view, 1>{"model"},
            "a probability or {model: bernoulli | gilbert-elliott, ...}");
  const std::string model = r.choice(n["model"], join_path(path, "model"), loss_models);
  if (model == "bernoulli") {
    for (const std::string_view k : {"r", "loss_good", "loss_bad"})
      if (n[std::string(k)].IsDefined())
        r.fail(n[std::string(k)], join_path(path, k), "only for model gilbert-elliott");
    if (!n["p"].IsDefined()) r.fail(n, path, "missing key 'p' (the loss probability)");
    loss.p = r.probability(n["p"], join_path(path, "p"));
    loss.kind = LossSpec::Kind::Bernoulli;
    return loss;
  }
  for (const std::string_view k : {"p", "r"})
    if (!n[std::string(k)].IsDefined())
      r.fail(n, path,
             "missing key '" + std::string(k) +
                 "' (gilbert-elliott needs p: P(good->bad) and r: P(bad->good))");
  loss.kind = LossSpec::Kind::GilbertElliott;
  loss.p = r.probability(n["p"], join_path(path, "p"));
  loss.r = r.probability(n["r"], join_path(path, "r"));
  if (n["loss_good"].IsDefined())
    loss.loss_good = r.probability(n["loss_good"], join_path(path, "loss_good"));
  if (n["loss_bad"].IsDefined())
    loss.loss_bad = r.probability(n["loss_bad"], join_path(path, "loss_bad"));
  return loss;
}

JitterSpec read_jitter(const Reader& r, const YAML::Node& n, const std::string& path) {
  JitterSpec jitter;
  if (n.IsScalar()) {  // "2ms": uniform in [0, 2ms]
    jitter.max = r.duration(n, path);
    jitter.kind =
        jitter.max > sim::Duration::zero() ? JitterSpec::Kind::Uniform : JitterSpec::Kind::None;
    return jitter;
  }
  r.mapping(n, path, jitter_keys, std::array<std::string_view, 1>{"model"},
            "a duration or {model: uniform | normal | exponential, ...}");
  const std::string model = r.choice(n["model"], join_path(path, "model"), jitter_models);
  auto need = [&](std::string_view key, std::string_view why) {
    if (!n[std::string(key)].IsDefined())
      r.fail(n, path, "missing key '" + std::string(key) + "' (" + std::string(why) + ")");
    return r.duration(n[std::string(key)], join_path(path, key));
  };
  auto refuse = [&](std::string_view key) {
    if (n[std::string(key)].IsDefined())
      r.fail(n[std::string(key)], join_path(path, key), "not a parameter of model " + model);
  };
  if (model == "uniform") {
    jitter.kind = JitterSpec::Kind::Uniform;
    jitter.max = need("max", "uniform jitter is U[0, max]");
    refuse("mean");
    refuse("stddev");
  } else if (model == "normal") {
    jitter.kind = JitterSpec::Kind::Normal;
    jitter.mean = need("mean", "normal jitter has a mean and a stddev");
    jitter.stddev = need("stddev", "normal jitter has a mean and a stddev");
    refuse("max");
  } else {
    jitter.kind = JitterSpec::Kind::Exponential;
    jitter.mean = need("mean", "exponential jitter has a mean");
    refuse("max");
    refuse("stddev");
  }
  if (n["reorder"].IsDefined())
    jitter.reorder = r.boolean(n["reorder"], join_path(path, "reorder"));
  return jitter;
}

void read_queue(const Reader& r, const YAML::Node& n, const std::string& path, DirectionSpec& d) {
  if (n.IsScalar()) {
    const std::string s = n.Scalar();
    const bool plain = !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
    if (plain)
      d.queue_packets = r.count(n, path, 1, Limits::queue_packets);
    else
      d.queue_bytes = r.size(n, path);
    return;
  }
  r.mapping(n, path, queue_keys, {},
            "a packet count, a size such as 64KiB, or {packets: ..., bytes: ...}");
  if (n["packets"].IsDefined())
    d.queue_packets = r.count(n["packets"], join_path(path, "packets"), 1, Limits::queue_packets);
  if (n["bytes"].IsDefined()) d.queue_bytes = r.size(n["bytes"], join_path(path, "bytes"));
}

std::vector<OutageSpec> read_outages(const Reader& r, const YAML::Node& n,
                                     const std::string& path) {
  if (!n.IsSequence()) r.expected(n, path, "a list of {from: ..., until: ...}");
  std::vector<OutageSpec> outages;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const std::string p = path + "." + std::to_string(i);
    r.mapping(n[i], p, outage_keys, outage_keys, "{from: ..., until: ...}");
    OutageSpec o{r.duration(n[i]["from"], p + ".from"), r.duration(n[i]["until"], p + ".until")};
    if (o.until <= o.from)
      r.fail(n[i]["until"], p + ".until",
             "must be after from (" + sim::format_duration(o.from) + ")");
    outages.push_back(o);
  }
  return outages;
}

std::string read_node_ref(const Reader& r, const YAML::Node& n, const std::string& path,
                          const std::string& text, const std::vector<std::string>& nodes) {
  for (const std::string& node : nodes)
    if (node == text) return text;
  std::vector<std::string_view> names(nodes.begin(), nodes.end());
  r.fail(
      n, path,
      "unknown node '" + text + "'" + did_you_mean(text, names) + " (nodes: " + join(names) + ")");
}

// "server:80"
Endpoint read_endpoint(const Reader& r, const YAML::Node& n, const std::string& path,
                       const std::string& text, const std::vector<std::string>& nodes) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string::npos)
    r.fail(n, path, "expected node:port such as server:80, found '" + text + "'");
  std::string node = text.substr(0, colon);
  while (!node.empty() && node.back() == ' ') node.pop_back();
  while (!node.empty() && node.front() == ' ') node.erase(0, 1);
  const std::string port_text = text.substr(colon + 1);
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 || port > 65535)
    r.fail(n, path, "expected a port from 1 to 65535 after ':', found '" + port_text + "'");
  return Endpoint{read_node_ref(r, n, path, node, nodes), static_cast<std::uint16_t>(port)};
}

LinkSpec read_link(const Reader& r, const YAML::Node& key, const YAML::Node& n,
                   const std::string& path, const std::vector<std::string>& nodes) {
  LinkSpec link;
  link.name = r.name(key, path);
  link.where = r.where(key, path);
  r.mapping(n, path, link_keys, std::array<std::string_view, 1>{"between"},
            "a mapping of link settings");
  const YAML::Node between = n["between"];
  if (!between.IsSequence() || between.size() != 2)
    r.expected(between, path + ".between", "a list of two nodes such as [client, server]");
  link.a =
      read_node_ref(r, between[0], path + ".between", r.name(between[0], path + ".between"), nodes);
  link.b =
      read_node_ref(r, between[1], path + ".between", r.name(between[1], path + ".between"), nodes);
  if (link.a == link.b)
    r.fail(between, path + ".between",
           "a link joins two different nodes, found '" + link.a + "' twice");

  if (n["delay"].IsDefined())
    per_direction(r, n["delay"], path + ".delay", link,
                  [&](const YAML::Node& v, const std::string& p, DirectionSpec& d) {
                    d.delay = r.duration(v, p);
                  });
  if (n["jitter"].IsDefined())
    per_direction(r, n["jitter"], path + ".jitter", link,
                  [&](const YAML::Node& v, const std::string& p, DirectionSpec& d) {
                    d.jitter = read_jitter(r, v, p);
                  });
  if (n["bandwidth"].IsDefined())
    per_direction(r, n["bandwidth"], path + ".bandwidth", link,
                  [&](const YAML::Node& v, const std::string& p, DirectionSpec& d) {
                    d.rate_bps = r.rate(v, p);
                    if (d.rate_bps == 0)
                      r.fail(v, p, "a bandwidth must be more than 0 (leave it out for no limit)");
                  });
  if (n["queue"].IsDefined())
    per_direction(r, n["queue"], path + ".queue", link,
                  [&](const YAML::Node& v, const std::string& p, DirectionSpec& d) {
                    read_queue(r, v, p, d);
                  });
  if (n["loss"].IsDefined())
    per_direction(r, n["loss"], path + ".loss", link,
                  [&](const YAML::Node& v, const std::string& p, DirectionSpec& d) {
                    d.loss = read_loss(r, v, p);
                  });
  if (n["outages"].IsDefined())
    per_direction(r, n["outages"], path + ".outages", link,
                  [&](const YAML::Node& v, const std::string& p, DirectionSpec& d) {
                    d.outages = read_outages(r, v, p);
                  });
  return link;
}

TcpSpec read_tcp(const Reader& r, const YAML::Node& n, const std::string& path) {
  TcpSpec tcp;
  tcp.where = r.where(n, path);
  r.mapping(n, path, tcp_keys, {}, "a mapping of TCP settings");
  auto at = [&](std::string_view k) { return n[std::string(k)]; };
  auto p = [&](std::string_view k) { return join_path(path, k); };
  if (at("profile").IsDefined()) {
    tcp.profile = r.name(at("profile"), p("profile"));
    if (tcp::find_profile(tcp.profile) == nullptr) {
      std::vector<std::string_view> names;
      for (const tcp::Profile* profile : tcp::profiles()) names.push_back(profile->name);
      r.fail(at("profile"), p("profile"),
             "unknown TCP profile '" + tcp.profile + "'" + did_you_mean(tcp.profile, names) +
                 " (profiles: " + join(names) + ")");
    }
  }
  if (at("initial_rto").IsDefined())
    tcp.initial_rto = r.duration(at("initial_rto"), p("initial_rto"));
  if (at("max_rto").IsDefined()) tcp.max_rto = r.duration(at("max_rto"), p("max_rto"));
  if (at("backoff").IsDefined()) tcp.backoff = r.count(at("backoff"), p("backoff"), 1, 16);
  if (at("syn_retries").IsDefined())
    tcp.syn_retries = r.count(at("syn_retries"), p("syn_retries"), 0, 255);
  if (at("synack_retries").IsDefined())
    tcp.synack_retries = r.count(at("synack_retries"), p("synack_retries"), 0, 255);
  if (at("linear_timeouts").IsDefined())
    tcp.linear_timeouts = r.count(at("linear_timeouts"), p("linear_timeouts"), 0, 255);
  if (at("msl").IsDefined()) tcp.msl = r.duration(at("msl"), p("msl"));
  if (at("mss").IsDefined()) tcp.mss = r.count(at("mss"), p("mss"), 1, 65535);
  if (at("window_scale").IsDefined())
    tcp.window_scale = r.count(at("window_scale"), p("window_scale"), 0, 14);  // RFC 7323 §2.3
  if (at("sack").IsDefined()) tcp.sack = r.boolean(at("sack"), p("sack"));
  if (at("timestamps").IsDefined()) tcp.timestamps = r.boolean(at("timestamps"), p("timestamps"));
  if (at("isn").IsDefined()) tcp.isn = r.count(at("isn"), p("isn"), 0, 0xffff'ffffu);
  if (tcp.initial_rto && *tcp.initial_rto <= sim::Duration::zero())
    r.fail(at("initial_rto"), p("initial_rto"), "must be more than 0");
  if (tcp.initial_rto && tcp.max_rto && *tcp.max_rto < *tcp.initial_rto)
    r.fail(at("max_rto"), p("max_rto"),
           "must be at least initial_rto (" + sim::format_duration(*tcp.initial_rto) + ")");
  return tcp;
}

void read_apps(const Reader& r, const YAML::Node& n, Scenario& s) {
  if (!n.IsSequence()) r.expected(n, "apps", "a list of {listen: ...} and {connect: ...}");
  for (std::size_t i = 0; i < n.size(); ++i) {
    const YAML::Node& app = n[i];
    const std::string path = "apps." + std::to_string(i);
    if (app.IsMap() && app["listen"].IsDefined()) {
      r.mapping(app, path, listen_keys, {}, "{listen: node:port, backlog: ...}");
      ListenApp listen;
      listen.where = r.where(app, path);
      listen.at = read_endpoint(r, app["listen"], path + ".listen",
                                r.scalar(app["listen"], path + ".listen", "node:port"), s.nodes);
      if (app["backlog"].IsDefined())
        listen.backlog = r.count(app["backlog"], path + ".backlog", 1, 1'000'000);
      for (const ListenApp& other : s.listens)
        if (other.at.node == listen.at.node && other.at.port == listen.at.port)
          r.fail(app["listen"], path + ".listen",
                 "port " + std::to_string(listen.at.port) + " on " + listen.at.node +
                     " already has a listener (" + other.where.to_string() + ")");
      s.listens.push_back(listen);
    } else if (app.IsMap() && app["connect"].IsDefined()) {
      r.mapping(app, path, connect_keys, {}, "{connect: client -> server:port, ...}");
      ConnectApp c;
      c.where = r.where(app, path);
      const std::string text = r.scalar(app["connect"], path + ".connect", "client -> server:port");
      const std::size_t arrow = text.find("->");
      if (arrow == std::string::npos)
        r.fail(app["connect"], path + ".connect",
               "expected client -> server:port, found '" + text + "'");
      std::string from = text.substr(0, arrow);
      while (!from.empty() && from.back() == ' ') from.pop_back();
      while (!from.empty() && from.front() == ' ') from.erase(0, 1);
      if (from.find(':') != std::string::npos) {  // "client:40000 -> ...": a fixed local port
        const Endpoint local = read_endpoint(r, app["connect"], path + ".connect", from, s.nodes);
        c.from = local.node;
        c.from_port = local.port;
      } else {
        c.from = read_node_ref(r, app["connect"], path + ".connect", from, s.nodes);
      }
      c.to = read_endpoint(r, app["connect"], path + ".connect", text.substr(arrow + 2), s.nodes);
      if (c.to.node == c.from)
        r.fail(app["connect"], path + ".connect",
               "a node cannot connect to itself over the network ('" + c.from + "')");
      if (app["count"].IsDefined())
        c.count = r.count(app["count"], path + ".count", 1, Limits::connections);
      if (app["start"].IsDefined()) c.start = r.duration(app["start"], path + ".start");
      if (app["interval"].IsDefined()) c.interval = r.duration(app["interval"], path + ".interval");
      if (app["request"].IsDefined()) c.request_bytes = r.size(app["request"], path + ".request");
      if (app["response"].IsDefined())
        c.response_bytes = r.size(app["response"], path + ".response");
      s.connects.push_back(c);
    } else {
      r.expected(app, path, "{listen: node:port} or {connect: client -> server:port}");
    }
  }
}

const LinkSpec& read_link_ref(const Reader& r, const YAML::Node& n, const std::string& path,
                              const std::vector<LinkSpec>& links) {
  const std::string name = r.name(n, path);
  for (const LinkSpec& l : links)
    if (l.name == name) return l;
  std::vector<std::string_view> names;
  for (const LinkSpec& l : links) names.push_back(l.name);
  r.fail(
      n, path,
      "unknown link '" + name + "'" + did_you_mean(name, names) + " (links: " + join(names) + ")");
}

Direction read_direction(const Reader& r, const YAML::Node& n, const std::string& path) {
  const std::string d = r.choice(n, path, directions);
  return d == "forward"   ? Direction::Forward
         : d == "reverse" ? Direction::Reverse
                          : Direction::Both;
}

void read_drops(const Reader& r, const YAML::Node& n, Scenario& s) {
  if (!n.IsSequence()) r.expected(n, "drops", "a list of {link: ..., flags: ..., nth: ...}");
  for (std::size_t i = 0; i < n.size(); ++i) {
    const YAML::Node& d = n[i];
    const std::string path = "drops." + std::to_string(i);
    r.mapping(d, path, drop_keys, std::array<std::string_view, 1>{"link"},
              "{link: ..., direction: ..., flags: ..., nth: ...}");
    DropSpec drop;
    drop.where = r.where(d, path);
    drop.link = read_link_ref(r, d["link"], path + ".link", s.links).name;
    if (d["direction"].IsDefined())
      drop.direction = read_direction(r, d["direction"], path + ".direction");
    if (d["flags"].IsDefined()) drop.flags = r.flags(d["flags"], path + ".flags");
    if (d["nth"].IsDefined()) {
      const YAML::Node& nth = d["nth"];
      if (nth.IsSequence()) {
        for (std::size_t k = 0; k < nth.size(); ++k)
          drop.nth.push_back(r.count(nth[k], path + ".nth", 1, Limits::connections * 100));
        if (drop.nth.empty())
          r.expected(nth, path + ".nth", "a match number (1 = the first) or a list of them");
      } else {
        drop.nth.push_back(r.count(nth, path + ".nth", 1, Limits::connections * 100));
      }
    }
    if (d["from"].IsDefined()) drop.from = r.duration(d["from"], path + ".from");
    if (d["until"].IsDefined()) drop.until = r.duration(d["until"], path + ".until");
    if (drop.from && drop.until && *drop.until <= *drop.from)
      r.fail(d["until"], path + ".until",
             "must be after from (" + sim::format_duration(*drop.from) + ")");
    s.drops.push_back(drop);
  }
}

SweepAxis read_axis(const Reader& r, const std::string& path, const YAML::Node& values,
                    const std::string& axis_path) {
  if (!values.IsSequence() || values.size() == 0)
    r.expected(values, axis_path, "a non-empty list of values");
  SweepAxis axis;
  axis.path = path;
  for (std::size_t i = 0; i < values.size(); ++i) {
    YAML::Emitter out;
    out << YAML::Flow << values[i];
    axis.values.emplace_back(out.c_str());
    axis.where.push_back(r.where(values[i], axis_path));
  }
  return axis;
}

SweepSpec read_sweep(const Reader& r, const YAML::Node& n) {
  r.mapping(n, "sweep", {}, {}, "a mapping of path: [values]");
  SweepSpec sweep;
  for (const auto& entry : n) {
    const std::string key = entry.first.Scalar();
    const YAML::Node& values = entry.second;
    if (key != "zip") {
      if (key.rfind("sweep", 0) == 0 || key == "repeat")
        r.fail(entry.first, "sweep." + key, "cannot be swept");
      sweep.grid.push_back(read_axis(r, key, values, "sweep." + key));
      continue;
    }
    r.mapping(values, "sweep.zip", {}, {},
              "a mapping of path: [values], all lists the same length");
    for (const auto& z : values) {
      const std::string zpath = z.first.Scalar();
      sweep.zip.push_back(read_axis(r, zpath, z.second, "sweep.zip." + zpath));
      if (sweep.zip.back().values.size() != sweep.zip.front().values.size())
        r.fail(z.second, "sweep.zip." + zpath,
               "has " + std::to_string(sweep.zip.back().values.size()) + " values but " +
                   sweep.zip.front().path + " has " +
                   std::to_string(sweep.zip.front().values.size()) +
                   " (zipped lists vary together, so they must be the same length)");
    }
  }
  return sweep;
}

OutputsSpec read_outputs(const Reader& r, const YAML::Node& n,
                         const std::vector<std::string>& known_nodes) {
  OutputsSpec out;
  r.mapping(n, "outputs", output_keys, {},
            "a mapping such as {packets: true, pcap: false, plots: [ladder]}");
  if (n["packets"].IsDefined()) out.packets = r.boolean(n["packets"], "outputs.packets");
  if (n["states"].IsDefined()) out.states = r.boolean(n["states"], "outputs.states");
  if (n["pcap"].IsDefined()) {
    const YAML::Node& pcap = n["pcap"];
    if (pcap.IsScalar()) {
      out.pcap.enabled = r.boolean(pcap, "outputs.pcap");
    } else {
      r.mapping(pcap, "outputs.pcap", pcap_keys, {},
                "true, false or {links: ..., received: ..., nodes: [...]}");
      out.pcap.enabled = true;
      if (pcap["links"].IsDefined())
        out.pcap.links = r.boolean(pcap["links"], "outputs.pcap.links");
      if (pcap["received"].IsDefined())
        out.pcap.received = r.boolean(pcap["received"], "outputs.pcap.received");
      if (pcap["nodes"].IsDefined()) {
        const YAML::Node& nodes = pcap["nodes"];
        if (!nodes.IsSequence()) r.expected(nodes, "outputs.pcap.nodes", "a list of node names");
        std::vector<std::string> names;
        for (std::size_t i = 0; i < nodes.size(); ++i)
          names.push_back(read_node_ref(r, nodes[i], "outputs.pcap.nodes",
                                        r.name(nodes[i], "outputs.pcap.nodes"), known_nodes));
        out.pcap.nodes = names;
      }
      if (out.pcap.received && !out.pcap.links)
        r.fail(pcap["received"], "outputs.pcap.received",
               "needs links: true (it is a link capture)");
    }
  }
  if (n["plots"].IsDefined()) {
    if (!n["plots"].IsSequence())
      r.expected(n["plots"], "outputs.plots", "a list of plot kinds (" + join(plot_kinds) + ")");
    for (std::size_t i = 0; i < n["plots"].size(); ++i)
      out.plots.push_back(r.choice(n["plots"][i], "outputs.plots", plot_kinds));
  }
  return out;
}

void read_expect(const Reader& r, const YAML::Node& n, Scenario& s) {
  if (!n.IsSequence()) r.expected(n, "expect", "a list of expectations");
  for (std::size_t i = 0; i < n.size(); ++i) {
    const YAML::Node& e = n[i];
    const std::string path = "expect." + std::to_string(i);
    Expectation x;
    x.where = r.where(e, path);
    if (e.IsMap() && e["conn"].IsDefined()) {
      r.mapping(e, path, conn_keys, {},
                "{conn: N, outcome: ..., established_at: ..., tolerance: ...}");
      x.kind = Expectation::Kind::Connection;
      x.conn = r.count(e["conn"], path + ".conn", 1, Limits::connections);
      if (e["outcome"].IsDefined()) x.outcome = r.choice(e["outcome"], path + ".outcome", outcomes);
      if (e["established_at"].IsDefined())
        x.established_at = r.duration(e["established_at"], path + ".established_at");
      if (e["tolerance"].IsDefined()) x.tolerance = r.duration(e["tolerance"], path + ".tolerance");
      if (!x.outcome && !x.established_at)
        r.fail(e, path, "says nothing to check: give outcome or established_at");
    } else if (e.IsMap() && e["metric"].IsDefined()) {
      r.mapping(e, path, metric_keys, {}, "{metric: ..., equals: ... | between: [min, max]}");
      x.kind = Expectation::Kind::Metric;
      std::vector<std::string_view> all(time_metrics.begin(), time_metrics.end());
      all.insert(all.end(), count_metrics.begin(), count_metrics.end());
      x.metric = r.choice(e["metric"], path + ".metric", all);
      const bool is_time = contains(time_metrics, x.metric);
      auto value = [&](const YAML::Node& v, const std::string& p) {
        return is_time
                   ? std::chrono::duration<double>(r.duration(v, p)).count()
                   : static_cast<double>(r.count(v, p, 0, Limits::connections * Limits::repeat));
      };
      if (e["equals"].IsDefined()) x.equals = value(e["equals"], path + ".equals");
      if (e["between"].IsDefined()) {
        const YAML::Node& b = e["between"];
        if (!b.IsSequence() || b.size() != 2) r.expected(b, path + ".between", "[min, max]");
        x.min = value(b[0], path + ".between");
        x.max = value(b[1], path + ".between");
        if (*x.max < *x.min) r.fail(b, path + ".between", "max is below min");
      }
      if (e["tolerance"].IsDefined()) x.tolerance = r.duration(e["tolerance"], path + ".tolerance");
      if (x.equals.has_value() == x.min.has_value())
        r.fail(e, path, "give exactly one of equals or between");
    } else if (e.IsMap() && e["packets"].IsDefined()) {
      r.mapping(e, path, packets_keys, std::array<std::string_view, 1>{"equals"},
                "{packets: {link: ..., flags: ...}, equals: N}");
      x.kind = Expectation::Kind::PacketCount;
      const YAML::Node& f = e["packets"];
      r.mapping(f, path + ".packets", packet_filter_keys, std::array<std::string_view, 1>{"link"},
                "{link: ..., direction: ..., flags: ...}");
      x.link = read_link_ref(r, f["link"], path + ".packets.link", s.links).name;
      if (f["direction"].IsDefined())
        x.direction = read_direction(r, f["direction"], path + ".packets.direction");
      if (f["flags"].IsDefined()) x.flags = r.flags(f["flags"], path + ".packets.flags");
      x.equals = static_cast<double>(r.count(e["equals"], path + ".equals", 0, UINT32_MAX));
    } else {
      r.expected(e, path, "{conn: ...}, {metric: ...} or {packets: ...}");
    }
    s.expect.push_back(x);
  }
}

// Replaces (or adds) the value at a dotted path in `root`.
void apply_override(YAML::Node root, const Override& o) {
  YAML::Node value;
  try {
    value = YAML::Load(o.value);
  } catch (const YAML::Exception& e) {
    throw ScenarioError(o.where,
                        o.path + ": the value '" + o.value + "' is not valid YAML (" + e.msg + ")");
  }
  std::vector<std::string> parts;
  std::stringstream ss(o.path);
  for (std::string part; std::getline(ss, part, '.');) {
    if (part.empty())
      throw ScenarioError(o.where, "'" + o.path + "' is not a dotted path such as links.wan.loss");
    parts.push_back(part);
  }
  if (parts.empty())
    throw ScenarioError(o.where, "an empty path: write PATH=VALUE such as links.wan.loss=0.1");
  YAML::Node at = root;
  std::string walked;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& part = parts[i];
    const bool last = i + 1 == parts.size();
    walked = join_path(walked, part);
    if (at.IsSequence()) {
      std::size_t index = 0;
      const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), index);
      if (ec != std::errc() || end != part.data() + part.size() || index >= at.size())
        throw ScenarioError(o.where, o.path + ": '" + part + "' is not an index of the list at " +
                                         walked.substr(0, walked.size() - part.size() - 1) +
                                         " (0 to " + std::to_string(at.size() - 1) + ")");
      if (last) {
        at[index] = value;
        return;
      }
      at.reset(at[index]);
      continue;
    }
    if (!at.IsMap() && !at.IsNull())
      throw ScenarioError(o.where, o.path + ": cannot set '" + part + "' inside a single value");
    if (last) {
      at[part] = value;
      return;
    }
    YAML::Node child = at[part];
    if (!child.IsDefined() || child.IsNull()) {
      at[part] = YAML::Node(YAML::NodeType::Map);
      child = at[part];
    }
    at.reset(child);
  }
}

}  // namespace

ScenarioDocument parse_scenario_text(std::string text, std::string file) {
  ScenarioDocument doc{std::move(file), std::move(text), {}};
  try {
    doc.root = YAML::Load(doc.text);
  } catch (const YAML::ParserException& e) {
    throw ScenarioError(SourceMark{doc.file, e.mark.line + 1, e.mark.column + 1},
                        "not valid YAML: " + e.msg);
  }
  if (!doc.root.IsDefined() || doc.root.IsNull())
    throw ScenarioError(SourceMark{doc.file, 0, 0},
                        "empty scenario: expected a mapping with at least 'nodes' and 'links'");
  if (!doc.root.IsMap())
    throw ScenarioError(SourceMark{doc.file, doc.root.Mark().line + 1, doc.root.Mark().column + 1},
                        "expected a mapping of scenario keys (" + join(scenario_keys) +
                            "), found " + describe(doc.root));
  return doc;
}

ScenarioDocument read_scenario_file(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) throw ScenarioError(SourceMark{path, 0, 0}, "no such file");
  if (fs::is_directory(status))
    throw ScenarioError(SourceMark{path, 0, 0}, "is a directory; expected a scenario file (.yaml)");
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (!in) throw ScenarioError(SourceMark{path, 0, 0}, "cannot be read (permissions?)");
  std::string text = buffer.str();
  if (text.find('\0') != std::string::npos)
    throw ScenarioError(SourceMark{path, 0, 0}, "is a binary file, not a YAML scenario");
  return parse_scenario_text(std::move(text), path);
}

Override parse_set_option(std::string_view option) {
  const std::size_t eq = option.find('=');
  const SourceMark where{"--set " + std::string(option), 0, 0};
  if (eq == std::string_view::npos || eq == 0)
    throw ScenarioError(where, "expected PATH=VALUE such as links.wan.loss=0.1");
  return Override{std::string(option.substr(0, eq)), std::string(option.substr(eq + 1)), where};
}

Scenario load_scenario(const ScenarioDocument& document, const std::vector<Override>& overrides) {
  YAML::Node root = overrides.empty() ? document.root : YAML::Clone(document.root);
  std::map<std::string, SourceMark> origins;
  for (const Override& o : overrides) {
    apply_override(root, o);
    origins[o.path] = o.where;
  }
  const Reader r(document.file, std::move(origins));
  r.mapping(root, "", scenario_keys, std::array<std::string_view, 2>{"nodes", "links"},
            "a mapping of scenario keys");

  Scenario s;
  s.file = document.file;
  s.name = root["name"].IsDefined() ? r.name(root["name"], "name")
                                    : std::filesystem::path(document.file).stem().string();
  if (root["seed"].IsDefined()) s.seed = r.count(root["seed"], "seed", 0, UINT64_MAX);
  if (root["stop"].IsDefined()) {
    s.stop = r.duration(root["stop"], "stop");
    if (s.stop <= sim::Duration::zero()) r.fail(root["stop"], "stop", "must be more than 0s");
  }

  const YAML::Node nodes = root["nodes"];
  if (!nodes.IsSequence() || nodes.size() == 0)
    r.expected(nodes, "nodes", "a list of node names such as [client, server]");
  if (nodes.size() > Limits::nodes)
    r.fail(nodes, "nodes", "more than the limit of " + std::to_string(Limits::nodes) + " nodes");
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const std::string name = r.name(nodes[i], "nodes");
    for (const std::string& other : s.nodes)
      if (other == name) r.fail(nodes[i], "nodes", "node '" + name + "' is named twice");
    s.nodes.push_back(name);
  }

  const YAML::Node links = root["links"];
  r.mapping(links, "links", {}, {}, "a mapping of link name: {between: [a, b], ...}");
  for (const auto& entry : links)
    s.links.push_back(
        read_link(r, entry.first, entry.second, "links." + entry.first.Scalar(), s.nodes));

  if (root["tcp"].IsDefined()) s.tcp = read_tcp(r, root["tcp"], "tcp");
  if (root["apps"].IsDefined()) read_apps(r, root["apps"], s);
  if (root["drops"].IsDefined()) read_drops(r, root["drops"], s);
  if (root["sweep"].IsDefined()) s.sweep = read_sweep(r, root["sweep"]);
  if (root["repeat"].IsDefined()) s.repeat = r.count(root["repeat"], "repeat", 1, Limits::repeat);
  if (root["outputs"].IsDefined()) s.outputs = read_outputs(r, root["outputs"], s.nodes);
  if (root["expect"].IsDefined()) read_expect(r, root["expect"], s);
  return s;
}

std::vector<std::vector<Override>> sweep_points(const Scenario& s) {
  std::uint64_t points = 1;
  const auto too_many = [&] { return points * s.repeat > Limits::sweep_runs; };
  for (const SweepAxis& a : s.sweep.grid) {
    points *= a.values.size();
    if (too_many()) break;
  }
  if (!s.sweep.zip.empty()) points *= s.sweep.zip.front().values.size();
  if (too_many())
    throw ScenarioError(SourceMark{s.file, 0, 0},
                        "sweep: " + std::to_string(points) + " points x repeat " +
                            std::to_string(s.repeat) + " runs is more than the limit of " +
                            std::to_string(Limits::sweep_runs));
  std::uint64_t per_run = 0;
  for (const ConnectApp& c : s.connects) per_run += c.count;
  const std::uint64_t runs = points * s.repeat;
  if (per_run > 0 && runs > Limits::total_connections / per_run)
    throw ScenarioError(SourceMark{s.file, 0, 0},
                        std::to_string(points) + " sweep points x repeat " +
                            std::to_string(s.repeat) + " x " + std::to_string(per_run) +
                            " connections per run is more than the limit of " +
                            std::to_string(Limits::total_connections) + " connections in all");
  // Axes in file order, the zip group last; the first axis varies slowest.
  std::vector<std::vector<Override>> result{{}};
  auto cross = [&](std::size_t n, auto&& overrides_for) {
    std::vector<std::vector<Override>> next;
    for (const auto& base : result)
      for (std::size_t i = 0; i < n; ++i) {
        next.push_back(base);
        overrides_for(i, next.back());
      }
    result = std::move(next);
  };
  for (const SweepAxis& a : s.sweep.grid)
    cross(a.values.size(), [&](std::size_t i, std::vector<Override>& o) {
      o.push_back(Override{a.path, a.values[i], a.where[i]});
    });
  if (!s.sweep.zip.empty())
    cross(s.sweep.zip.front().values.size(), [&](std::size_t i, std::vector<Override>& o) {
      for (const SweepAxis& a : s.sweep.zip) o.push_back(Override{a.path, a.values[i], a.where[i]});
    });
  return result;
}

}  // namespace synlab::app
