// tcp: the profile and the fields it overrides; apps: listeners and connections
// (docs/scenario-format.md#tcp, #applications).
#include "app/scenario_sections.hpp"

#include <string>
#include <string_view>

#include "app/suggest.hpp"
#include "models/tcp/profile.hpp"
#include "sim/time.hpp"

namespace synlab::app {

TcpSpec read_tcp(const Reader& r, const YAML::Node& n, const std::string& path) {
  TcpSpec tcp;
  tcp.where = r.where(n, path);
  r.mapping(n, path, "tcp", "", "a mapping of TCP settings");
  auto at = [&](std::string_view k) { return n[std::string(k)]; };
  auto p = [&](std::string_view k) { return join_path(path, k); };
  if (at("profile").IsDefined()) {
    tcp.profile = r.name(at("profile"), p("profile"), schema_key("tcp.profile"));
    if (tcp::find_profile(tcp.profile) == nullptr) {
      std::vector<std::string_view> names;
      for (const tcp::Profile* profile : tcp::profiles()) names.push_back(profile->name);
      r.fail(at("profile"), p("profile"),
             "unknown TCP profile '" + tcp.profile + "'" + did_you_mean(tcp.profile, names) +
                 " (profiles: " + join(names) + ")");
    }
  }
  if (at("initial_rto").IsDefined())
    tcp.initial_rto =
        r.duration(at("initial_rto"), p("initial_rto"), schema_key("tcp.initial_rto"));
  if (at("max_rto").IsDefined())
    tcp.max_rto = r.duration(at("max_rto"), p("max_rto"), schema_key("tcp.max_rto"));
  if (at("backoff").IsDefined())
    tcp.backoff = r.count(at("backoff"), p("backoff"), schema_key("tcp.backoff"));
  if (at("syn_retries").IsDefined())
    tcp.syn_retries = r.count(at("syn_retries"), p("syn_retries"), schema_key("tcp.syn_retries"));
  if (at("synack_retries").IsDefined())
    tcp.synack_retries =
        r.count(at("synack_retries"), p("synack_retries"), schema_key("tcp.synack_retries"));
  if (at("linear_timeouts").IsDefined())
    tcp.linear_timeouts =
        r.count(at("linear_timeouts"), p("linear_timeouts"), schema_key("tcp.linear_timeouts"));
  if (at("msl").IsDefined()) tcp.msl = r.duration(at("msl"), p("msl"), schema_key("tcp.msl"));
  if (at("mss").IsDefined()) tcp.mss = r.count(at("mss"), p("mss"), schema_key("tcp.mss"));
  if (at("window_scale").IsDefined())
    tcp.window_scale =
        r.count(at("window_scale"), p("window_scale"), schema_key("tcp.window_scale"));
  if (at("sack").IsDefined()) tcp.sack = r.boolean(at("sack"), p("sack"), schema_key("tcp.sack"));
  if (at("timestamps").IsDefined())
    tcp.timestamps = r.boolean(at("timestamps"), p("timestamps"), schema_key("tcp.timestamps"));
  if (at("syncookies").IsDefined())
    tcp.syncookies = r.count(at("syncookies"), p("syncookies"), schema_key("tcp.syncookies"));
  if (at("timer_slack").IsDefined()) {
    const std::string word =
        r.choice(at("timer_slack"), p("timer_slack"), schema_key("tcp.timer_slack"));
    tcp.timer_slack = tcp::parse_timer_slack(word);
    // The wheel is Linux's: a profile without jiffies (an RFC one) has no wheel to model.
    const tcp::Profile* profile = tcp::find_profile(tcp.profile);
    if (tcp.timer_slack != tcp::TimerSlack::None && profile->jiffy == sim::Duration::zero()) {
      std::vector<std::string_view> linux_names;
      for (const tcp::Profile* each : tcp::profiles())
        if (each->jiffy != sim::Duration::zero()) linux_names.push_back(each->name);
      r.fail(at("timer_slack"), p("timer_slack"),
             "'" + word + "' models Linux's timer wheel, and profile '" + tcp.profile +
                 "' is not a Linux one (Linux profiles: " + join(linux_names) +
                 "); a sweep over profiles can vary timer_slack with them in its zip group");
    }
  }
  if (at("shared_ticks").IsDefined())
    tcp.shared_ticks =
        r.boolean(at("shared_ticks"), p("shared_ticks"), schema_key("tcp.shared_ticks"));
  if (at("isn").IsDefined()) tcp.isn = r.count(at("isn"), p("isn"), schema_key("tcp.isn"));
  if (tcp.initial_rto && *tcp.initial_rto <= sim::Duration::zero())
    r.fail(at("initial_rto"), p("initial_rto"), "must be more than 0");
  // The timeouts the run uses, the profile's where not written: a max_rto below the profile's
  // initial RTO (or an initial_rto above its cap) would cut the SYN schedule short.
  const tcp::Profile& profile = *tcp::find_profile(tcp.profile);
  const sim::Duration initial = tcp.initial_rto.value_or(profile.initial_rto);
  const sim::Duration cap = tcp.max_rto.value_or(profile.max_rto);
  if (cap < initial && r.cross_checks()) {
    std::string why = tcp.max_rto ? "must be at least initial_rto (" : "must be at most max_rto (";
    why.append(sim::format_duration(tcp.max_rto ? initial : cap));
    if (!tcp.max_rto || !tcp.initial_rto) why.append(", profile ").append(tcp.profile).append("'s");
    why.append(")");
    if (tcp.max_rto)
      r.fail(at("max_rto"), p("max_rto"), why);
    else
      r.fail(at("initial_rto"), p("initial_rto"), why);
  }
  return tcp;
}

namespace {

// accept: now | never | {delay: 2s}
AcceptSpec read_accept(const Reader& r, const YAML::Node& n, const std::string& path) {
  AcceptSpec a;
  if (n.IsMap()) {
    r.mapping(n, path, "apps.*.accept", "", "{delay: ...}");
    a.kind = AcceptSpec::Kind::Delay;
    a.delay = r.duration(n["delay"], path + ".delay", schema_key("apps.*.accept.delay"));
    return a;
  }
  constexpr const SchemaKey& key = schema_key("apps.*.accept", "listen");
  const std::string word = r.scalar(n, path, "now, never or {delay: time}");
  if (!contains(key.values, word))
    r.fail(n, path,
           "expected now, never or {delay: time}, found " + quoted(word) +
               did_you_mean(word, key.values));
  a.kind = word == "never" ? AcceptSpec::Kind::Never : AcceptSpec::Kind::Now;
  return a;
}

// send, close_at, abort_at of a {connect: ...}: times after each connection's open.
void read_timed_actions(const Reader& r, const YAML::Node& app, const std::string& path,
                        ConnectApp& c) {
  if (app["close_at"].IsDefined())
    c.close_at =
        r.duration(app["close_at"], path + ".close_at", schema_key("apps.*.close_at", "connect"));
  if (app["abort_at"].IsDefined()) {
    c.abort_at = r.duration(app["abort_at"], path + ".abort_at", schema_key("apps.*.abort_at"));
    if (c.close_at)
      r.fail(app["abort_at"], path + ".abort_at",
             "a connection ends once: give close_at (FIN) or abort_at (RST), not both");
  }
  if (!app["send"].IsDefined()) return;
  const YAML::Node& list = app["send"];
  const std::string list_path = path + ".send";
  if (!list.IsSequence())
    r.expected(list, list_path,
               "a list of {at: time, bytes: size}, such as [{at: 5s, bytes: 100}]");
  if (list.size() == 0)
    r.fail(list, list_path, "an empty list sends nothing: leave send out, or give {at, bytes}");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YAML::Node& item = list[i];
    const std::string item_path = list_path + "." + std::to_string(i);
    r.mapping(item, item_path, "apps.*.send.*", "", "{at: time, bytes: size}");
    SendSpec send;
    send.at = r.duration(item["at"], item_path + ".at", schema_key("apps.*.send.*.at"));
    send.bytes = r.size(item["bytes"], item_path + ".bytes", schema_key("apps.*.send.*.bytes"));
    // Nothing can be sent once the application has closed or aborted (RFC 9293 §3.10.2: SEND
    // after CLOSE is "connection closing").
    const std::optional<sim::Duration> end = c.close_at ? c.close_at : c.abort_at;
    if (end && send.at >= *end)
      r.fail(item["at"], item_path + ".at",
             "at " + sim::format_duration(send.at) + " is not before " +
                 (c.close_at ? "close_at" : "abort_at") + " (" + sim::format_duration(*end) +
                 "): nothing can be sent once the connection is closed");
    c.sends.push_back(send);
  }
}

}  // namespace

void read_apps(const Reader& r, const YAML::Node& n, Scenario& s) {
  if (!n.IsSequence()) r.expected(n, "apps", "a list of {listen: ...} and {connect: ...}");
  for (std::size_t i = 0; i < n.size(); ++i) {
    const YAML::Node& app = n[i];
    const std::string path = "apps." + std::to_string(i);
    if (app.IsMap() && app["listen"].IsDefined()) {
      r.mapping(app, path, "apps.*", "listen", "{listen: node:port, backlog: ...}");
      ListenApp listen;
      listen.where = r.where(app, path);
      listen.at = read_endpoint(r, app["listen"], path + ".listen",
                                r.scalar(app["listen"], path + ".listen", "node:port"), s.nodes);
      if (app["backlog"].IsDefined())
        listen.backlog = r.count(app["backlog"], path + ".backlog", schema_key("apps.*.backlog"));
      if (app["accept"].IsDefined())
        listen.accept = read_accept(r, app["accept"], path + ".accept");
      if (app["close_at"].IsDefined())
        listen.close_at = r.duration(app["close_at"], path + ".close_at",
                                     schema_key("apps.*.close_at", "listen"));
      for (const ListenApp& other : s.listens)
        if (other.at.node == listen.at.node && other.at.port == listen.at.port)
          r.fail(app["listen"], path + ".listen",
                 "port " + std::to_string(listen.at.port) + " on " + listen.at.node +
                     " already has a listener (" + other.where.to_string() + ")");
      s.listens.push_back(listen);
    } else if (app.IsMap() && app["connect"].IsDefined()) {
      r.mapping(app, path, "apps.*", "connect", "{connect: client -> server:port, ...}");
      ConnectApp c;
      c.index = i;
      c.where = r.where(app, path);
      const std::string text = r.scalar(app["connect"], path + ".connect", "client -> server:port");
      const std::size_t arrow = text.find("->");
      if (arrow == std::string::npos)
        r.fail(app["connect"], path + ".connect",
               "expected client -> server:port, found " + quoted(text));
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
        c.count = r.count(app["count"], path + ".count", schema_key("apps.*.count"));
      if (app["start"].IsDefined())
        c.start = r.duration(app["start"], path + ".start", schema_key("apps.*.start"));
      if (app["interval"].IsDefined())
        c.interval = r.duration(app["interval"], path + ".interval", schema_key("apps.*.interval"));
      // Its last connection opens at start + (count - 1) x interval, within the limit of any
      // time: beyond it, that connection's events would all be held at the clock's last
      // nanosecond, a handshake of 0 ms reported established. (start is within the limit.)
      if (c.count > 1 && c.interval > sim::Duration::zero() &&
          c.count - 1 > static_cast<std::uint64_t>((Limits::time - c.start) / c.interval))
        r.fail(app["interval"], path + ".interval",
               "the last of " + std::to_string(c.count) +
                   " connections would open later than the limit of " +
                   sim::format_duration(Limits::time) + " (100 years) for any time: start " +
                   sim::format_duration(c.start) + " + " + std::to_string(c.count - 1) + " x " +
                   sim::format_duration(c.interval));
      if (app["request"].IsDefined())
        c.request_bytes = r.size(app["request"], path + ".request", schema_key("apps.*.request"));
      if (app["response"].IsDefined())
        c.response_bytes =
            r.size(app["response"], path + ".response", schema_key("apps.*.response"));
      read_timed_actions(r, app, path, c);
      s.connects.push_back(c);
    } else {
      r.expected(app, path, "{listen: node:port} or {connect: client -> server:port}");
    }
  }
}

void check_conn_opened(const Reader& r, const YAML::Node& n, const std::string& path,
                       std::uint64_t conn, const Scenario& s) {
  const std::uint64_t opened = s.connections();
  if (conn <= opened || !r.cross_checks()) return;
  r.fail(n, path,
         "the apps open " + std::to_string(opened) + " connection" + (opened == 1 ? "" : "s") +
             ", so there is no connection " + std::to_string(conn));
}

}  // namespace synlab::app
