// links: each link's nodes and, per direction, its delay, jitter, bandwidth, queue, loss and
// outages (docs/scenario-format.md#links).
#include "app/scenario_sections.hpp"
#include "app/suggest.hpp"

#include <array>
#include <string_view>

#include "sim/time.hpp"

namespace synlab::app {
namespace {

constexpr std::array<std::string_view, 2> direction_keys{"forward", "reverse"};

// Applies `apply(value, path, direction)` to both directions, or to each of a
// {forward: ..., reverse: ...} mapping's. A mapping with a direction misspelt ({forwad: 10ms})
// is read as one too, so that the message suggests the direction instead of refusing the
// mapping as a value.
template <class Apply>
void per_direction(const Reader& r, const YAML::Node& n, const std::string& path, LinkSpec& link,
                   Apply&& apply) {
  const auto names_a_direction = [&] {
    for (const auto& entry : n)
      if (entry.first.IsScalar() && !closest_match(entry.first.Scalar(), direction_keys).empty())
        return true;
    return false;
  };
  if (n.IsMap() && (n["forward"].IsDefined() || n["reverse"].IsDefined() || names_a_direction())) {
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
    loss.p = r.probability(n, path, schema_key("links.*.loss"));
    loss.kind = loss.p > 0 ? LossSpec::Kind::Bernoulli : LossSpec::Kind::None;
    return loss;
  }
  r.mapping(n, path, "links.*.loss", "",
            "a probability or {model: bernoulli | gilbert-elliott, ...}");
  const std::string model =
      r.choice(n["model"], join_path(path, "model"), schema_key("links.*.loss.model"));
  if (model == "bernoulli") {
    for (const std::string_view k : {"r", "loss_good", "loss_bad"})
      if (n[std::string(k)].IsDefined())
        r.fail(n[std::string(k)], join_path(path, k), "only for model gilbert-elliott");
    if (!n["p"].IsDefined()) r.fail(n, path, "missing key 'p' (the loss probability)");
    loss.p = r.probability(n["p"], join_path(path, "p"), schema_key("links.*.loss.p"));
    loss.kind = LossSpec::Kind::Bernoulli;
    return loss;
  }
  for (const std::string_view k : {"p", "r"})
    if (!n[std::string(k)].IsDefined())
      r.fail(n, path,
             "missing key '" + std::string(k) +
                 "' (gilbert-elliott needs p: P(good->bad) and r: P(bad->good))");
  loss.kind = LossSpec::Kind::GilbertElliott;
  loss.p = r.probability(n["p"], join_path(path, "p"), schema_key("links.*.loss.p"));
  loss.r = r.probability(n["r"], join_path(path, "r"), schema_key("links.*.loss.r"));
  if (n["loss_good"].IsDefined())
    loss.loss_good = r.probability(n["loss_good"], join_path(path, "loss_good"),
                                   schema_key("links.*.loss.loss_good"));
  if (n["loss_bad"].IsDefined())
    loss.loss_bad = r.probability(n["loss_bad"], join_path(path, "loss_bad"),
                                  schema_key("links.*.loss.loss_bad"));
  return loss;
}

JitterSpec read_jitter(const Reader& r, const YAML::Node& n, const std::string& path) {
  JitterSpec jitter;
  if (n.IsScalar()) {  // "2ms": uniform in [0, 2ms]
    jitter.max = r.duration(n, path, schema_key("links.*.jitter"));
    jitter.kind =
        jitter.max > sim::Duration::zero() ? JitterSpec::Kind::Uniform : JitterSpec::Kind::None;
    return jitter;
  }
  r.mapping(n, path, "links.*.jitter", "",
            "a duration or {model: uniform | normal | exponential, ...}");
  const std::string model =
      r.choice(n["model"], join_path(path, "model"), schema_key("links.*.jitter.model"));
  auto need = [&](const SchemaKey& declared, std::string_view why) {
    const std::string key(declared.path.substr(declared.path.rfind('.') + 1));
    if (!n[key].IsDefined())
      r.fail(n, path, "missing key '" + key + "' (" + std::string(why) + ")");
    return r.duration(n[key], join_path(path, key), declared);
  };
  auto refuse = [&](std::string_view key) {
    if (n[std::string(key)].IsDefined())
      r.fail(n[std::string(key)], join_path(path, key), "not a parameter of model " + model);
  };
  if (model == "uniform") {
    jitter.kind = JitterSpec::Kind::Uniform;
    jitter.max = need(schema_key("links.*.jitter.max"), "uniform jitter is U[0, max]");
    refuse("mean");
    refuse("stddev");
  } else if (model == "normal") {
    jitter.kind = JitterSpec::Kind::Normal;
    jitter.mean = need(schema_key("links.*.jitter.mean"), "normal jitter has a mean and a stddev");
    jitter.stddev =
        need(schema_key("links.*.jitter.stddev"), "normal jitter has a mean and a stddev");
    refuse("max");
  } else {
    jitter.kind = JitterSpec::Kind::Exponential;
    jitter.mean = need(schema_key("links.*.jitter.mean"), "exponential jitter has a mean");
    refuse("max");
    refuse("stddev");
  }
  if (n["reorder"].IsDefined())
    jitter.reorder =
        r.boolean(n["reorder"], join_path(path, "reorder"), schema_key("links.*.jitter.reorder"));
  return jitter;
}

// A queue's limit in bytes: more than 0 (DirectionSpec says 0 for "no limit given").
std::uint64_t read_queue_bytes(const Reader& r, const YAML::Node& n, const std::string& path) {
  const std::uint64_t bytes = r.size(n, path, schema_key("links.*.queue.bytes"));
  if (bytes == 0)
    r.fail(n, path, "a queue's size must be more than 0 bytes (leave it out for the default)");
  return bytes;
}

void read_queue(const Reader& r, const YAML::Node& n, const std::string& path, DirectionSpec& d) {
  if (n.IsScalar()) {
    const std::string s = n.Scalar();
    const bool plain = !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
    if (plain)
      d.queue_packets = r.count(n, path, schema_key("links.*.queue"));
    else
      d.queue_bytes = read_queue_bytes(r, n, path);
    return;
  }
  r.mapping(n, path, "links.*.queue", "",
            "a packet count, a size such as 64KiB, or {packets: ..., bytes: ...}");
  if (n["packets"].IsDefined())
    d.queue_packets =
        r.count(n["packets"], join_path(path, "packets"), schema_key("links.*.queue.packets"));
  if (n["bytes"].IsDefined())
    d.queue_bytes = read_queue_bytes(r, n["bytes"], join_path(path, "bytes"));
}

std::vector<OutageSpec> read_outages(const Reader& r, const YAML::Node& n,
                                     const std::string& path) {
  if (!n.IsSequence()) r.expected(n, path, "a list of {from: ..., until: ...}");
  std::vector<OutageSpec> outages;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const std::string p = path + "." + std::to_string(i);
    r.mapping(n[i], p, "links.*.outages.*", "", "{from: ..., until: ...}");
    OutageSpec o{r.duration(n[i]["from"], p + ".from", schema_key("links.*.outages.*.from")),
                 r.duration(n[i]["until"], p + ".until", schema_key("links.*.outages.*.until"))};
    if (o.until <= o.from)
      r.fail(n[i]["until"], p + ".until",
             "must be after from (" + sim::format_duration(o.from) + ")");
    outages.push_back(o);
  }
  return outages;
}

}  // namespace

LinkSpec read_link(const Reader& r, const YAML::Node& key, const YAML::Node& n,
                   const std::string& path, const std::vector<std::string>& nodes) {
  LinkSpec link;
  link.name = r.name(key, path);
  link.where = r.where(key, path);
  r.mapping(n, path, "links.*", "", "a mapping of link settings");
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
                    d.delay = r.duration(v, p, schema_key("links.*.delay"));
                  });
  if (n["jitter"].IsDefined())
    per_direction(r, n["jitter"], path + ".jitter", link,
                  [&](const YAML::Node& v, const std::string& p, DirectionSpec& d) {
                    d.jitter = read_jitter(r, v, p);
                  });
  if (n["bandwidth"].IsDefined())
    per_direction(r, n["bandwidth"], path + ".bandwidth", link,
                  [&](const YAML::Node& v, const std::string& p, DirectionSpec& d) {
                    d.rate_bps = r.rate(v, p, schema_key("links.*.bandwidth"));
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

}  // namespace synlab::app
