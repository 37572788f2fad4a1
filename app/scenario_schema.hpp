// ScenarioSchema: every key of a scenario file declared once, as a plain table: its path, type,
// unit, range, default and meaning. The loader's checks, --set and sweep paths, and the
// reference tables of docs/scenario-format.md all read it.
#pragma once

#include <array>
#include <cstdint>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "app/scenario.hpp"

namespace synlab::app {

enum class ValueType : std::uint8_t {
  Time,         // "10ms": a duration with a unit, 0 or more
  Rate,         // "100Mbps"
  Size,         // "1500B", "64KiB" or a number of bytes
  Probability,  // from 0 to 1
  Count,        // a whole number from min to max
  Name,         // letters, digits, '_' and '-', starting with a letter
  Bool,         // true or false
  Enum,         // one of `values`
  Flags,        // TCP flags such as SYN+ACK
  Endpoint,     // node:port
  Connection,   // client -> server:port
  Segment,      // a TCP segment as a packetdrill line writes it: "R. 1:1(0) ack 1 win 0"
  List,         // a list; its items are the keys under path.*
  Mapping,      // a mapping; its keys are the keys under path
  Paths,        // a mapping of dotted paths (sweep): any key, checked as a path
};

struct SchemaKey {
  // Dotted; '*' stands for a link name or a list index: "links.*.delay", "apps.*.count".
  std::string_view path;
  ValueType type = ValueType::Mapping;
  std::string_view unit = "";                     // "s", "bit/s", "bytes", "packets"
  std::uint64_t min = 0;                          // Count: the range. List: the number of items
  std::uint64_t max = 0;                          //   (max 0: no limit)
  std::string_view default_value = "";            // as the docs show it; "" when there is none
  std::string_view description = "";              // one line
  std::span<const std::string_view> values = {};  // Enum: the accepted words, in order
  // A list item that takes several forms (apps: listen or connect; expect: conn, metric or
  // packets): the key that selects this key's form. "" for every form.
  std::string_view form = "";
  bool required = false;
  bool per_direction = false;     // links: one value, or {forward: ..., reverse: ...}
  bool or_list = false;           // one value, or a list of them
  std::string_view special = "";  // a check beyond type and range, done by the loader
};

inline constexpr std::string_view direction_names[] = {"forward", "reverse", "both"};
inline constexpr std::string_view loss_model_names[] = {"bernoulli", "gilbert-elliott"};
inline constexpr std::string_view jitter_model_names[] = {"uniform", "normal", "exponential"};
inline constexpr std::string_view accept_words[] = {"now", "never"};
inline constexpr std::string_view end_names[] = {"client", "server"};
inline constexpr auto plot_kind_names = [] {
  std::array<std::string_view, std::size(viz::all_plot_kinds)> names{};
  for (std::size_t i = 0; i < names.size(); ++i) names[i] = viz::to_string(viz::all_plot_kinds[i]);
  return names;
}();
// tcp::Outcome's text forms (tcp::to_string, as the output files print them), in the order
// messages list them; models/tcp owns the words, a test checks that these are they.
inline constexpr tcp::Outcome outcome_order[] = {
    tcp::Outcome::Established, tcp::Outcome::Refused, tcp::Outcome::Timeout, tcp::Outcome::Reset,
    tcp::Outcome::Cancelled,   tcp::Outcome::Crashed, tcp::Outcome::Pending};
inline constexpr std::string_view outcome_names[] = {"established", "refused", "timeout", "reset",
                                                     "cancelled",   "crashed", "pending"};
// tcp::TimerSlack's words (tcp::to_string), in declaration order; a test checks they agree.
inline constexpr std::string_view timer_slack_names[] = {"none", "linux-hz250", "linux-hz1000"};
inline constexpr auto metric_names = [] {
  std::array<std::string_view, std::size(all_metrics)> names{};
  for (std::size_t i = 0; i < names.size(); ++i) names[i] = to_string(all_metrics[i]);
  return names;
}();

// The table. Keys under one parent are in the order messages list them ("accepted: ...").
inline constexpr SchemaKey scenario_schema[] = {
    // Top level (docs/scenario-format.md#top-level-keys).
    {.path = "name",
     .type = ValueType::Name,
     .default_value = "the file name without `.yaml`, if it is a name",
     .description = "the scenario's name"},
    {.path = "seed",
     .type = ValueType::Count,
     .max = UINT64_MAX,
     .default_value = "1",
     .description = "root of every random stream"},
    {.path = "stop",
     .type = ValueType::Time,
     .unit = "s",
     .default_value = "run until nothing is left to do",
     .description = "stop the simulation at this time",
     .special = "more than 0"},
    {.path = "nodes",
     .type = ValueType::List,
     .min = 1,
     .max = Limits::nodes,
     .description = "list of node names (hosts and routers alike)",
     .required = true,
     .special = "each name once"},
    {.path = "links",
     .type = ValueType::Mapping,
     .description = "mapping of link name to link settings",
     .required = true},
    {.path = "tcp",
     .type = ValueType::Mapping,
     .default_value = "`{profile: linux}`",
     .description = "TCP profile and overrides"},
    {.path = "apps",
     .type = ValueType::List,
     .default_value = "none",
     .description = "listeners and connections"},
    {.path = "drops",
     .type = ValueType::List,
     .default_value = "none",
     .description = "scripted drops"},
    {.path = "inject",
     .type = ValueType::List,
     .default_value = "none",
     .description = "crafted segments sent at given times"},
    {.path = "crashes",
     .type = ValueType::List,
     .default_value = "none",
     .description = "nodes that crash, and reboot"},
    {.path = "sweep",
     .type = ValueType::Paths,
     .default_value = "one point",
     .description = "values to vary",
     .special = "keys are paths; sweep, repeat, outputs and expect cannot be swept"},
    {.path = "repeat",
     .type = ValueType::Count,
     .min = 1,
     .max = Limits::repeat,
     .default_value = "1",
     .description = "replications per sweep point"},
    {.path = "outputs",
     .type = ValueType::Mapping,
     .default_value = "packets and states",
     .description = "which files to write"},
    {.path = "expect",
     .type = ValueType::List,
     .default_value = "none",
     .description = "expectations checked after the run"},

    // links.<name> (docs/scenario-format.md#links).
    {.path = "links.*", .type = ValueType::Mapping, .description = "one link, by name"},
    {.path = "links.*.between",
     .type = ValueType::List,
     .min = 2,
     .max = 2,
     .description = "the two nodes it joins; forward is from the first to the second",
     .required = true,
     .special = "two different declared nodes"},
    {.path = "links.*.delay",
     .type = ValueType::Time,
     .unit = "s",
     .default_value = "0",
     .description = "propagation delay",
     .per_direction = true},
    {.path = "links.*.jitter",
     .type = ValueType::Time,
     .unit = "s",
     .default_value = "none",
     .description = "extra delay per packet: uniform in [0, value], or {model: ...}",
     .per_direction = true},
    {.path = "links.*.jitter.model",
     .type = ValueType::Enum,
     .description = "the jitter's distribution",
     .values = jitter_model_names,
     .required = true},
    {.path = "links.*.jitter.max",
     .type = ValueType::Time,
     .unit = "s",
     .description = "uniform: the largest extra delay",
     .special = "only for model uniform, which needs it"},
    {.path = "links.*.jitter.mean",
     .type = ValueType::Time,
     .unit = "s",
     .description = "normal and exponential: the mean extra delay",
     .special = "only for models normal and exponential, which need it"},
    {.path = "links.*.jitter.stddev",
     .type = ValueType::Time,
     .unit = "s",
     .description = "normal: the standard deviation (clamped at 0)",
     .special = "only for model normal, which needs it"},
    {.path = "links.*.jitter.reorder",
     .type = ValueType::Bool,
     .default_value = "false",
     .description = "may a packet overtake the one sent before it"},
    {.path = "links.*.bandwidth",
     .type = ValueType::Rate,
     .unit = "bit/s",
     .default_value = "infinite",
     .description = "serialization rate",
     .per_direction = true,
     .special = "more than 0"},
    {.path = "links.*.queue",
     .type = ValueType::Count,
     .unit = "packets",
     .min = 1,
     .max = Limits::queue_packets,
     .default_value = "1000 packets",
     .description = "drop-tail queue: packets, a size such as 64KiB, or {packets, bytes}",
     .per_direction = true,
     .special = "a plain number is packets, anything else a size (more than 0)"},
    {.path = "links.*.queue.packets",
     .type = ValueType::Count,
     .unit = "packets",
     .min = 1,
     .max = Limits::queue_packets,
     .description = "the limit in packets"},
    {.path = "links.*.queue.bytes",
     .type = ValueType::Size,
     .unit = "bytes",
     .description = "the limit in bytes",
     .special = "more than 0"},
    {.path = "links.*.loss",
     .type = ValueType::Probability,
     .default_value = "none",
     .description = "random loss: a probability (Bernoulli), or {model: ...}",
     .per_direction = true},
    {.path = "links.*.loss.model",
     .type = ValueType::Enum,
     .description = "the loss model",
     .values = loss_model_names,
     .required = true},
    {.path = "links.*.loss.p",
     .type = ValueType::Probability,
     .description = "bernoulli: the loss probability; gilbert-elliott: P(good -> bad)",
     .special = "required"},
    {.path = "links.*.loss.r",
     .type = ValueType::Probability,
     .description = "gilbert-elliott: P(bad -> good)",
     .special = "only for gilbert-elliott, which needs it"},
    {.path = "links.*.loss.loss_good",
     .type = ValueType::Probability,
     .default_value = "0",
     .description = "gilbert-elliott: the loss probability in the good state",
     .special = "only for gilbert-elliott"},
    {.path = "links.*.loss.loss_bad",
     .type = ValueType::Probability,
     .default_value = "1",
     .description = "gilbert-elliott: the loss probability in the bad state",
     .special = "only for gilbert-elliott"},
    {.path = "links.*.outages",
     .type = ValueType::List,
     .default_value = "none",
     .description = "times the direction is down: [{from, until}, ...]",
     .per_direction = true},
    {.path = "links.*.outages.*", .type = ValueType::Mapping, .description = "one outage"},
    {.path = "links.*.outages.*.from",
     .type = ValueType::Time,
     .unit = "s",
     .description = "the direction goes down at this time",
     .required = true},
    {.path = "links.*.outages.*.until",
     .type = ValueType::Time,
     .unit = "s",
     .description = "and comes back up at this one",
     .required = true,
     .special = "after from"},

    // tcp (docs/scenario-format.md#tcp).
    {.path = "tcp.profile",
     .type = ValueType::Name,
     .default_value = "`linux`",
     .description = "the named profile the other keys override (below)",
     .special = "one of the profiles in models/tcp/profile.hpp"},
    {.path = "tcp.initial_rto",
     .type = ValueType::Time,
     .unit = "s",
     .default_value = "the profile's",
     .description = "first SYN and SYN/ACK timeout",
     .special = "more than 0; at most max_rto"},
    {.path = "tcp.max_rto",
     .type = ValueType::Time,
     .unit = "s",
     .default_value = "the profile's",
     .description = "cap of the backed-off timeout",
     .special = "at least initial_rto"},
    {.path = "tcp.backoff",
     .type = ValueType::Count,
     .min = 1,
     .max = 16,
     .default_value = "the profile's",
     .description = "timeout multiplier per expiry"},
    {.path = "tcp.syn_retries",
     .type = ValueType::Count,
     .max = 255,
     .default_value = "the profile's",
     .description = "SYN retransmissions before giving up"},
    {.path = "tcp.synack_retries",
     .type = ValueType::Count,
     .max = 255,
     .default_value = "the profile's",
     .description = "SYN/ACK retransmissions before giving up"},
    {.path = "tcp.linear_timeouts",
     .type = ValueType::Count,
     .max = 255,
     .default_value = "the profile's",
     .description = "Linux `tcp_syn_linear_timeouts`: the first N SYN timeouts do not back off"},
    {.path = "tcp.msl",
     .type = ValueType::Time,
     .unit = "s",
     .default_value = "the profile's",
     .description = "maximum segment lifetime; TIME-WAIT lasts 2 × `msl`"},
    {.path = "tcp.mss",
     .type = ValueType::Count,
     .unit = "bytes",
     // Linux: TCP_MAXSEG takes TCP_MIN_MSS (88) and up; 65495 = the largest IPv4 datagram
     // (65535) less 40 bytes of IPv4 and TCP headers.
     .min = 88,
     .max = 65495,
     .default_value = "the profile's",
     .description = "maximum segment size offered in SYN and SYN/ACK"},
    {.path = "tcp.window_scale",
     .type = ValueType::Count,
     .max = 14,  // RFC 7323 §2.3
     .default_value = "the profile's",
     .description = "window scale shift offered in SYN and SYN/ACK (RFC 7323)"},
    {.path = "tcp.sack",
     .type = ValueType::Bool,
     .default_value = "the profile's",
     .description = "offer SACK-permitted in SYN and SYN/ACK"},
    {.path = "tcp.timestamps",
     .type = ValueType::Bool,
     .default_value = "the profile's",
     .description = "offer timestamps in SYN and SYN/ACK"},
    {.path = "tcp.syncookies",
     .type = ValueType::Count,
     .max = 2,
     .default_value = "the profile's",
     .description = "Linux `tcp_syncookies`: 0 never, 1 a cookie SYN/ACK when the SYN queue is "
                    "full, 2 always"},
    {.path = "tcp.timer_slack",
     .type = ValueType::Enum,
     .default_value = "`none`",
     .description = "Linux's timer wheel: each timer fires late by up to its level's granularity "
                    "(HZ = 250 or 1000); `none`: at its nominal time",
     .values = timer_slack_names,
     .special = "only with a Linux profile"},
    {.path = "tcp.shared_ticks",
     .type = ValueType::Bool,
     .default_value = "`false`",
     .description = "with timer slack: every node's timer wheel ticks together, as network "
                    "namespaces on one machine; `false`: each node has its own phase"},
    {.path = "tcp.isn",
     .type = ValueType::Count,
     .max = 0xffff'ffffu,
     .default_value = "random",
     .description = "a fixed initial sequence number for every connection (easy-to-read traces)"},

    // apps (docs/scenario-format.md#applications).
    {.path = "apps.*",
     .type = ValueType::Mapping,
     .description = "{listen: ...} or {connect: ...}",
     .special = "its form is chosen by the key listen or connect"},
    {.path = "apps.*.listen",
     .type = ValueType::Endpoint,
     .description = "a passive open on node:port",
     .form = "listen",
     .special = "one listener per node and port"},
    {.path = "apps.*.backlog",
     .type = ValueType::Count,
     .min = 1,
     .max = 1'000'000,
     .default_value = "128",
     .description = "bound of the accept queue",
     .form = "listen"},
    {.path = "apps.*.accept",
     .type = ValueType::Enum,
     .default_value = "`now`",
     .description = "when the server accepts each connection: `now`, `never`, or {delay: ...}",
     .values = accept_words,
     .form = "listen"},
    {.path = "apps.*.accept.delay",
     .type = ValueType::Time,
     .unit = "s",
     .description = "accept() this long after the connection joins the accept queue",
     .required = true},
    {.path = "apps.*.close_at",
     .type = ValueType::Time,
     .unit = "s",
     .default_value = "never",
     .description = "the listener closes at this time; connections not yet accepted go with it",
     .form = "listen"},
    {.path = "apps.*.connect",
     .type = ValueType::Connection,
     .description = "client -> server:port, or client:port -> server:port",
     .form = "connect",
     .special = "client and server differ"},
    {.path = "apps.*.count",
     .type = ValueType::Count,
     .min = 1,
     .max = Limits::connections,
     .default_value = "1",
     .description = "connections opened",
     .form = "connect"},
    {.path = "apps.*.start",
     .type = ValueType::Time,
     .unit = "s",
     .default_value = "0s",
     .description = "when the first opens",
     .form = "connect"},
    {.path = "apps.*.interval",
     .type = ValueType::Time,
     .unit = "s",
     .default_value = "0s",
     .description = "time between two openings",
     .form = "connect"},
    {.path = "apps.*.request",
     .type = ValueType::Size,
     .unit = "bytes",
     .max = 4'294'967'295,  // the TCP model's SEND takes a 32-bit count
     .default_value = "0",
     .description = "bytes the client sends once established",
     .form = "connect"},
    {.path = "apps.*.response",
     .type = ValueType::Size,
     .unit = "bytes",
     .max = 4'294'967'295,  // the TCP model's SEND takes a 32-bit count
     .default_value = "0",
     .description = "bytes the server replies once it has the request",
     .form = "connect"},
    {.path = "apps.*.send",
     .type = ValueType::List,
     .min = 1,
     .default_value = "none",
     .description = "data the client sends at times after the connection's open: [{at, bytes}]",
     .form = "connect",
     .special = "not empty; each at before close_at and abort_at"},
    {.path = "apps.*.send.*", .type = ValueType::Mapping, .description = "one send"},
    {.path = "apps.*.send.*.at",
     .type = ValueType::Time,
     .unit = "s",
     .description = "when, after the connection's open (its connect() call)",
     .required = true},
    {.path = "apps.*.send.*.bytes",
     .type = ValueType::Size,
     .unit = "bytes",
     .max = 4'294'967'295,  // the TCP model's SEND takes a 32-bit count
     .description = "how many bytes",
     .required = true},
    {.path = "apps.*.close_at",
     .type = ValueType::Time,
     .unit = "s",
     .default_value = "after the response",
     .description = "the client closes (FIN) this long after the connection's open",
     .form = "connect",
     .special = "not with abort_at"},
    {.path = "apps.*.abort_at",
     .type = ValueType::Time,
     .unit = "s",
     .default_value = "never",
     .description = "the client aborts (RST) this long after the connection's open",
     .form = "connect",
     .special = "not with close_at"},

    // drops (docs/scenario-format.md#drops).
    {.path = "drops.*", .type = ValueType::Mapping, .description = "one scripted drop rule"},
    {.path = "drops.*.link",
     .type = ValueType::Name,
     .description = "the link",
     .required = true,
     .special = "a declared link"},
    {.path = "drops.*.direction",
     .type = ValueType::Enum,
     .default_value = "both",
     .description = "the direction whose entering packets are dropped",
     .values = direction_names},
    {.path = "drops.*.flags",
     .type = ValueType::Flags,
     .default_value = "any packet",
     .description = "exactly these TCP flags"},
    {.path = "drops.*.nth",
     .type = ValueType::Count,
     .min = 1,
     .max = Limits::connections * 100,
     .default_value = "all",
     .description = "which matches (from 1), one or a list",
     .or_list = true,
     .special = "a list is not empty"},
    {.path = "drops.*.from",
     .type = ValueType::Time,
     .unit = "s",
     .description = "only packets sent at or after this time"},
    {.path = "drops.*.until",
     .type = ValueType::Time,
     .unit = "s",
     .description = "only packets sent before this time",
     .special = "after from"},

    // inject (docs/scenario-format.md#injected-segments).
    {.path = "inject.*",
     .type = ValueType::Mapping,
     .description = "one crafted segment",
     .special = "its form is chosen by the key conn or src"},
    {.path = "inject.*.at",
     .type = ValueType::Time,
     .unit = "s",
     .description = "when it is sent",
     .required = true},
    {.path = "inject.*.conn",
     .type = ValueType::Count,
     .min = 1,
     .max = Limits::connections,
     .description = "the connection (from 1) whose addresses, ports and ISNs it uses",
     .form = "conn",
     .required = true,
     .special = "at most the connections the apps open"},
    {.path = "inject.*.from",
     .type = ValueType::Enum,
     .description = "the end that sends it, towards the other",
     .values = end_names,
     .form = "conn",
     .required = true},
    {.path = "inject.*.src",
     .type = ValueType::Endpoint,
     .description = "instead of `conn`: the node:port it comes from (no connection needed)",
     .form = "src",
     .required = true},
    {.path = "inject.*.dst",
     .type = ValueType::Endpoint,
     .description = "with `src`: the node:port it goes to",
     .form = "src",
     .required = true,
     .special = "another node than src's"},
    {.path = "inject.*.segment",
     .type = ValueType::Segment,
     .description = "flags, seq, ack, window and options; numbers relative to the ISNs (with "
                    "`src`: absolute)",
     .required = true,
     .special = "`win` unless RST; options written out"},

    // crashes (docs/scenario-format.md#crashes).
    {.path = "crashes.*", .type = ValueType::Mapping, .description = "one crash of one node"},
    {.path = "crashes.*.node",
     .type = ValueType::Name,
     .description = "the node that crashes (a host or a router)",
     .required = true,
     .special = "one of `nodes`"},
    {.path = "crashes.*.at",
     .type = ValueType::Time,
     .unit = "s",
     .description = "when it crashes, losing every connection and listener",
     .required = true,
     .special = "at or after the node's previous reboot"},
    {.path = "crashes.*.reboot_at",
     .type = ValueType::Time,
     .unit = "s",
     .default_value = "down until the run ends",
     .description = "when it is back up; its listeners open again",
     .special = "after `at`"},

    // outputs (docs/scenario-format.md#outputs).
    {.path = "outputs.packets",
     .type = ValueType::Bool,
     .default_value = "true",
     .description = "write packets.csv (single runs)"},
    {.path = "outputs.states",
     .type = ValueType::Bool,
     .default_value = "true",
     .description = "write states.csv (single runs)"},
    {.path = "outputs.pcap",
     .type = ValueType::Bool,
     .default_value = "false",
     .description = "write pcap files: true, false or {links, received, nodes}"},
    {.path = "outputs.pcap.links",
     .type = ValueType::Bool,
     .default_value = "true",
     .description = "each link's packets as sent"},
    {.path = "outputs.pcap.received",
     .type = ValueType::Bool,
     .default_value = "false",
     .description = "each link's packets as received too",
     .special = "needs links: true"},
    {.path = "outputs.pcap.nodes",
     .type = ValueType::List,
     .default_value = "every node that runs an app",
     .description = "the nodes whose packets are captured",
     .special = "declared nodes, each once"},
    {.path = "outputs.plots",
     .type = ValueType::List,
     .default_value = "none",
     .description = "plots drawn at the end of the run",
     .values = plot_kind_names},

    // expect (docs/scenario-format.md#expectations).
    {.path = "expect.*",
     .type = ValueType::Mapping,
     .description = "{conn: ...}, {metric: ...} or {packets: ...}",
     .special = "its form is chosen by the key conn, metric or packets"},
    {.path = "expect.*.conn",
     .type = ValueType::Count,
     .min = 1,
     .max = Limits::connections,
     .description = "the connection (from 1)",
     .form = "conn",
     .special = "at most the connections the apps open"},
    {.path = "expect.*.outcome",
     .type = ValueType::Enum,
     .description = "how it ended",
     .values = outcome_names,
     .form = "conn",
     .special = "outcome or established_at"},
    {.path = "expect.*.established_at",
     .type = ValueType::Time,
     .unit = "s",
     .description = "when the client reached ESTABLISHED",
     .form = "conn"},
    {.path = "expect.*.tolerance",
     .type = ValueType::Time,
     .unit = "s",
     .default_value = "0",
     .description = "how far off established_at may be",
     .form = "conn",
     .special = "with established_at only"},
    {.path = "expect.*.metric",
     .type = ValueType::Enum,
     .description = "a statistic of each sweep point",
     .values = metric_names,
     .form = "metric"},
    {.path = "expect.*.equals",
     .type = ValueType::Count,
     .max = Limits::connections * Limits::repeat,
     .description = "the value (a time for the time metrics)",
     .form = "metric",
     .special = "equals or between; a time for the time metrics"},
    {.path = "expect.*.between",
     .type = ValueType::List,
     .min = 2,
     .max = 2,
     .description = "[min, max]",
     .form = "metric",
     .special = "two values of the metric's kind, min first"},
    {.path = "expect.*.tolerance",
     .type = ValueType::Time,
     .unit = "s",
     .default_value = "0",
     .description = "how far off a time metric may be",
     .form = "metric",
     .special = "a time metric with equals only"},
    {.path = "expect.*.packets",
     .type = ValueType::Mapping,
     .description = "the packets counted: {link, direction, flags}",
     .form = "packets"},
    {.path = "expect.*.equals",
     .type = ValueType::Count,
     .max = UINT32_MAX,
     .description = "the number of packets",
     .form = "packets",
     .required = true},
    {.path = "expect.*.tolerance",
     .type = ValueType::Time,
     .unit = "s",
     .description = "refused: a count is compared exactly",
     .form = "packets"},
    {.path = "expect.*.packets.link",
     .type = ValueType::Name,
     .description = "the link",
     .required = true,
     .special = "a declared link"},
    {.path = "expect.*.packets.direction",
     .type = ValueType::Enum,
     .default_value = "both",
     .description = "the direction",
     .values = direction_names},
    {.path = "expect.*.packets.flags",
     .type = ValueType::Flags,
     .default_value = "any packet",
     .description = "exactly these TCP flags"},
};

// The limits of docs/scenario-format.md#limits (Limits, in scenario.hpp, holds the values).
struct SchemaLimit {
  std::string_view what;
  std::uint64_t limit;
  std::string_view unit = "";
};
inline constexpr SchemaLimit scenario_limits[] = {
    {"nodes", Limits::nodes},
    {"connections per `connect` line", Limits::connections},
    {"`repeat`", Limits::repeat},
    {"sweep points × `repeat`", Limits::sweep_runs},
    {"sweep points × `repeat` × connections per run", Limits::total_connections},
    {"queue", Limits::queue_packets, "packets"},
    {"any time (delay, timeout, `start`, outage, `stop`)", Limits::time_hours, "h (100 years)"},
    {"scenario file", Limits::file_bytes, "bytes"},
    {"a name (scenario, node, link)", Limits::name_chars, "characters"},
};

// The entry for `path` (and `form`, where a list item has several), found at compile time: a
// path the table lacks does not compile.
consteval const SchemaKey& schema_key(std::string_view path, std::string_view form = "") {
  for (const SchemaKey& k : scenario_schema)
    if (k.path == path && (form.empty() || k.form == form)) return k;
  throw "schema_key: no such key in scenario_schema";
}

// The names of the keys directly under `parent` ("" for the top level, "links.*"), in table
// order; with `form`, only those of that form (and of every form). Each name once.
std::vector<std::string_view> schema_keys_under(std::string_view parent,
                                                std::string_view form = "");
// Those of them a mapping must have.
std::vector<std::string_view> schema_required_under(std::string_view parent,
                                                    std::string_view form = "");

// "unknown key 'dealy' in links.wan — did you mean 'delay'? (accepted: ...)": `in` is the
// path of the mapping ("" at the top level). `in_flow` says the key was read in a flow mapping
// ({...}), where a ',' inside a value ("loss: 0,2") ends it and starts a key of its own.
std::string unknown_key_message(std::string_view key, std::string_view in,
                                std::span<const std::string_view> accepted, bool in_flow = false);

// Checks a dotted path of --set or sweep ("links.wan.loss", "apps.1.count",
// "links.wan.delay.forward") against the table: the message naming the first unknown part, or
// nullopt if the path may hold a value. Link names and list indices are not checked here. A
// list item's form (apps: listen or connect) is the one it has in `root`, if it is there.
std::optional<std::string> check_scenario_path(std::string_view path,
                                               const YAML::Node& root = YAML::Node());

// The reference tables of docs/scenario-format.md, in Markdown: "top-level", "tcp", "limits",
// and "keys" (every key of the table).
std::string schema_markdown(std::string_view table);
// Every table's name, in the order `synlab schema --markdown` prints them.
inline constexpr std::string_view schema_tables[] = {"top-level", "tcp", "limits", "keys"};

}  // namespace synlab::app
