// Reader: reads YAML nodes of a scenario file into typed values (times, rates, sizes, counts,
// names, flags), and turns every problem into a ScenarioError at the node's file:line:column.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "app/scenario.hpp"
#include "app/scenario_error.hpp"
#include "app/scenario_schema.hpp"
#include "sim/time.hpp"

namespace synlab::app {

using Keys = std::span<const std::string_view>;

// "'10ms'", "a list", "a mapping" or "nothing": what was found, for messages.
std::string describe(const YAML::Node& n);
bool contains(Keys keys, std::string_view word);
// "a.b" from "a" and "b"; "b" when `a` is empty.
std::string join_path(const std::string& a, std::string_view b);
// A name as scenarios write them (a node, a link, the scenario): letters, digits, '_' and '-',
// starting with a letter or '_', at most Limits::name_chars characters.
bool is_name(std::string_view s);
inline constexpr std::string_view name_rule =
    "letters, digits, '_' and '-', starting with a letter or '_'";
// The nearest name to `s`: each run of other characters one '-', none at the start or the end,
// "scenario-" before a leading digit, cut to Limits::name_chars ("my scenario" -> "my-scenario",
// ".hidden" -> "hidden", "1st" -> "scenario-1st", "café" -> "caf").
std::string nearest_name(std::string_view s);

class Reader {
 public:
  // `origins`: where each overridden path's value came from (--set, a sweep value).
  // `sweep_base`: the document has a sweep section, whose values are not in place yet.
  Reader(std::string file, std::map<std::string, SourceMark> origins, bool sweep_base = false)
      : file_(std::move(file)), origins_(std::move(origins)), sweep_base_(sweep_base) {}

  const std::string& file() const { return file_; }

  // Whether checks across keys (max_rto against initial_rto, a conn against the connections the
  // apps open) are made: not on a sweep's base, where a key the sweep varies still has the file's
  // value (a max_rto of 500ms beside a swept initial_rto of [100ms, 200ms]); every point, loaded
  // with its values, makes them (load_points).
  bool cross_checks() const { return !sweep_base_; }

  // Where `n` (at `path`) was written: an override's origin, else its place in the file.
  SourceMark where(const YAML::Node& n, const std::string& path) const;

  [[noreturn]] void fail(const YAML::Node& n, const std::string& path,
                         const std::string& message) const;
  // The overrides at `path` or under it, for a message: "--set nodes.0=x, --set nodes.1=y";
  // "" when there is none.
  std::string overrides_at(const std::string& path) const;
  [[noreturn]] void expected(const YAML::Node& n, const std::string& path,
                             const std::string& what) const;

  // Checks that `n` is a mapping whose keys are all in `allowed`, none twice, and that the
  // `required` ones are there. Returns the keys in file order.
  std::vector<std::string> mapping(const YAML::Node& n, const std::string& path, Keys allowed,
                                   Keys required, const std::string& what) const;

  // mapping() with the keys scenario_schema declares under `pattern` ("links.*"), of `form`
  // ("listen", "connect"; "" for every form).
  std::vector<std::string> mapping(const YAML::Node& n, const std::string& path,
                                   std::string_view pattern, std::string_view form,
                                   const std::string& what) const;

  // The value of a key declared in scenario_schema, checked against its declaration: the type
  // (asserted: the caller reads the type the schema declares), and the range or the words.
  std::string name(const YAML::Node& n, const std::string& path, const SchemaKey& key) const;
  std::string choice(const YAML::Node& n, const std::string& path, const SchemaKey& key) const;
  sim::Duration duration(const YAML::Node& n, const std::string& path, const SchemaKey& key) const;
  double probability(const YAML::Node& n, const std::string& path, const SchemaKey& key) const;
  std::uint64_t count(const YAML::Node& n, const std::string& path, const SchemaKey& key) const;
  bool boolean(const YAML::Node& n, const std::string& path, const SchemaKey& key) const;
  std::uint64_t rate(const YAML::Node& n, const std::string& path, const SchemaKey& key) const;
  std::uint64_t size(const YAML::Node& n, const std::string& path, const SchemaKey& key) const;
  std::uint8_t flags(const YAML::Node& n, const std::string& path, const SchemaKey& key) const;

  // The same without a declaration: for values inside a key's value (list items, the parts
  // of node:port) and checks of their own.
  std::string scalar(const YAML::Node& n, const std::string& path, const std::string& what) const;
  std::string name(const YAML::Node& n, const std::string& path) const;
  std::string choice(const YAML::Node& n, const std::string& path, Keys choices) const;
  sim::Duration duration(const YAML::Node& n, const std::string& path,
                         bool allow_negative = false) const;
  double number(const YAML::Node& n, const std::string& path, const std::string& what) const;
  double probability(const YAML::Node& n, const std::string& path) const;
  std::uint64_t count(const YAML::Node& n, const std::string& path, std::uint64_t min,
                      std::uint64_t max) const;
  bool boolean(const YAML::Node& n, const std::string& path) const;
  std::uint64_t rate(const YAML::Node& n, const std::string& path) const;
  std::uint64_t size(const YAML::Node& n, const std::string& path) const;
  // "SYN", "SYN+ACK", "SYN, ACK", "rst+ack": an exact set of TCP flags.
  std::uint8_t flags(const YAML::Node& n, const std::string& path) const;

  // Whether `name` is one of `nodes` (the scenario's node list, complete before anything
  // refers to it): a set built once, so 30,000 links among 10,000 nodes are not 6 * 10^8
  // string comparisons.
  bool has_node(const std::vector<std::string>& nodes, const std::string& name) const;

 private:
  std::string file_;
  std::map<std::string, SourceMark> origins_;
  bool sweep_base_ = false;
  mutable const std::vector<std::string>* indexed_ = nullptr;
  mutable std::size_t indexed_size_ = 0;
  mutable std::unordered_set<std::string_view> node_index_;
};

// References to what the scenario declared before: a node, a node:port, a link, a direction.
std::string read_node_ref(const Reader& r, const YAML::Node& n, const std::string& path,
                          const std::string& text, const std::vector<std::string>& nodes);
// "server:80"
Endpoint read_endpoint(const Reader& r, const YAML::Node& n, const std::string& path,
                       const std::string& text, const std::vector<std::string>& nodes);
const LinkSpec& read_link_ref(const Reader& r, const YAML::Node& n, const std::string& path,
                              const std::vector<LinkSpec>& links);
Direction read_direction(const Reader& r, const YAML::Node& n, const std::string& path,
                         const SchemaKey& key);

}  // namespace synlab::app
