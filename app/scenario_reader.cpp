// Reader and the references to declared nodes and links (see scenario_reader.hpp).
#include "app/scenario_reader.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <set>

#include "app/suggest.hpp"
#include "app/units.hpp"
#include "sim/assert.hpp"

namespace synlab::app {
namespace {

constexpr std::array<std::string_view, 8> flag_names{"FIN", "SYN", "RST", "PSH",
                                                     "ACK", "URG", "ECE", "CWR"};

}  // namespace

std::string describe(const YAML::Node& n) {
  if (!n.IsDefined() || n.IsNull()) return "nothing";
  if (n.IsScalar()) return quoted(n.Scalar());
  if (n.IsSequence()) return n.size() == 0 ? "an empty list" : "a list";
  return n.size() == 0 ? "an empty mapping" : "a mapping";
}

bool contains(Keys keys, std::string_view word) {
  for (const std::string_view k : keys)
    if (k == word) return true;
  return false;
}

SourceMark Reader::where(const YAML::Node& n, const std::string& path) const {
  for (std::string p = path;;) {
    if (const auto it = origins_.find(p); it != origins_.end()) return it->second;
    std::size_t dot = p.rfind('.');
    if (dot == std::string::npos) break;
    // A sweep's keys are dotted paths themselves: below sweep (or sweep.zip) a swept path is one
    // key, so --set sweep.links.wan.loss=... never claims the file's axis links.wan.loss.forwad.
    for (const std::string_view axes : {"sweep.zip.", "sweep."})
      if (p.size() > axes.size() && p.compare(0, axes.size(), axes) == 0) {
        dot = axes.size() - 1;
        break;
      }
    p.resize(dot);
  }
  if (n.IsDefined() && n.Mark().line >= 0)
    return SourceMark{file_, n.Mark().line + 1, n.Mark().column + 1};
  // Not in the file: a mapping an override made to hold its key (--set links.wan.loss.p=0.1
  // where the file has no loss) is that override's.
  const std::string below = path + ".";
  if (const auto it = origins_.lower_bound(below);
      it != origins_.end() && it->first.starts_with(below))
    return it->second;
  return SourceMark{file_, 0, 0};
}

void Reader::fail(const YAML::Node& n, const std::string& path, const std::string& message) const {
  const SourceMark at = where(n, path);
  // A value of the file that a --set changed part of (--set links.wan.between.0=server): the
  // file's place, and the --set that made the value what it is, both named.
  std::string changed_by;
  if (at.file == file_) {
    const std::string below = path + ".";
    for (auto it = origins_.lower_bound(below);
         it != origins_.end() && it->first.starts_with(below); ++it)
      changed_by += (changed_by.empty() ? " (as changed by " : ", ") + it->second.to_string();
    if (!changed_by.empty()) changed_by += ")";
  }
  throw ScenarioError(at, path + ": " + message + changed_by);
}

std::string Reader::overrides_at(const std::string& path) const {
  std::string list;
  for (auto it = origins_.lower_bound(path); it != origins_.end() && it->first.starts_with(path);
       ++it)
    if (it->first.size() == path.size() || it->first[path.size()] == '.')
      list += (list.empty() ? "" : ", ") + it->second.to_string();
  return list;
}

void Reader::expected(const YAML::Node& n, const std::string& path, const std::string& what) const {
  fail(n, path, "expected " + what + ", found " + describe(n));
}

std::vector<std::string> Reader::mapping(const YAML::Node& n, const std::string& path, Keys allowed,
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
    if (name == "<<")  // YAML 1.1's merge key; yaml-cpp reads YAML 1.2, where it is a plain key
      fail(key, key_path,
           "a merge key (`<<: *anchor`, YAML 1.1) is not supported: write the keys out, or "
           "use the alias for the whole value");
    if (!allowed.empty() && !contains(allowed, name)) {
      throw ScenarioError(
          where(key, key_path),
          unknown_key_message(name, path, allowed, n.Style() == YAML::EmitterStyle::Flow));
    }
    keys.push_back(name);
  }
  for (const std::string_view r : required)
    if (seen.count(std::string(r)) == 0)
      fail(n, path.empty() ? std::string(r) : path, "missing key '" + std::string(r) + "'");
  return keys;
}

std::string Reader::scalar(const YAML::Node& n, const std::string& path,
                           const std::string& what) const {
  if (!n.IsScalar()) expected(n, path, what);
  return n.Scalar();
}

namespace {

bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

bool name_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}

}  // namespace

bool is_name(std::string_view s) {
  return !s.empty() && s.size() <= Limits::name_chars && name_start(s[0]) &&
         std::all_of(s.begin(), s.end(), name_char);
}

std::string nearest_name(std::string_view s) {
  // From the first letter, digit or '_' on; a run of other characters (a UTF-8 letter's bytes
  // among them) becomes one '-', and none ends it: "ünï" is "n", not "n--".
  std::string n;
  for (const char c : s) {
    if (name_char(c) &&
        (!n.empty() || name_start(c) || std::isdigit(static_cast<unsigned char>(c))))
      n += c;
    else if (!n.empty() && n.back() != '-')
      n += '-';
  }
  while (!n.empty() && n.back() == '-') n.pop_back();
  if (n.empty()) return "scenario";
  if (!name_start(n[0])) n = "scenario-" + n;
  if (n.size() > Limits::name_chars) n.resize(Limits::name_chars);
  return n;
}

std::string Reader::name(const YAML::Node& n, const std::string& path) const {
  const std::string s = scalar(n, path, "a name");
  const bool ok = !s.empty() && name_start(s[0]) && std::all_of(s.begin(), s.end(), name_char);
  if (!ok) expected(n, path, "a name (" + std::string(name_rule) + ")");
  if (s.size() > Limits::name_chars)
    expected(n, path,
             "a name of at most " + std::to_string(Limits::name_chars) +
                 " characters (names become parts of file names), not " + std::to_string(s.size()));
  return s;
}

std::string Reader::choice(const YAML::Node& n, const std::string& path, Keys choices) const {
  const std::string s = scalar(n, path, "one of " + join(choices));
  if (!contains(choices, s))
    fail(n, path,
         "expected one of " + join(choices) + ", found " + quoted(s) + did_you_mean(s, choices));
  return s;
}

sim::Duration Reader::duration(const YAML::Node& n, const std::string& path,
                               bool allow_negative) const {
  const std::string s = scalar(n, path, "a duration such as 10ms");
  sim::Duration d{};
  try {
    d = sim::parse_duration(s);
  } catch (const sim::TimeParseError& e) {
    fail(n, path, e.what());
  }
  if (!allow_negative && d < sim::Duration::zero())
    fail(n, path, "expected a duration of 0 or more, found " + quoted(s));
  if (d > Limits::time || d < -Limits::time)
    fail(n, path,
         "'" + s + "' is more than the limit of " + sim::format_duration(Limits::time) +
             " (100 years) for any time");
  return d;
}

double Reader::number(const YAML::Node& n, const std::string& path, const std::string& what) const {
  const std::string s = scalar(n, path, what);
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) expected(n, path, what);
  return v;
}

double Reader::probability(const YAML::Node& n, const std::string& path) const {
  const double p = number(n, path, "a probability between 0 and 1");
  if (p < 0 || p > 1)
    fail(n, path, "expected a probability between 0 and 1, found " + quoted(n.Scalar()));
  return p;
}

std::uint64_t Reader::count(const YAML::Node& n, const std::string& path, std::uint64_t min,
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

bool Reader::boolean(const YAML::Node& n, const std::string& path) const {
  // YAML 1.2's core schema has only these two: yes, no, on and off (YAML 1.1) are refused alike.
  const std::string s = scalar(n, path, "true or false");
  if (s == "true") return true;
  if (s == "false") return false;
  expected(n, path, "true or false");
}

std::uint64_t Reader::rate(const YAML::Node& n, const std::string& path) const {
  const std::string s = scalar(n, path, "a bit rate such as 100Mbps");
  try {
    return parse_rate_bps(s);
  } catch (const UnitError& e) {
    fail(n, path, e.what());
  }
}

std::uint64_t Reader::size(const YAML::Node& n, const std::string& path) const {
  const std::string s = scalar(n, path, "a size such as 1500B");
  try {
    return parse_size_bytes(s);
  } catch (const UnitError& e) {
    fail(n, path, e.what());
  }
}

std::uint8_t Reader::flags(const YAML::Node& n, const std::string& path) const {
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

std::string join_path(const std::string& a, std::string_view b) {
  return a.empty() ? std::string(b) : a + "." + std::string(b);
}

std::vector<std::string> Reader::mapping(const YAML::Node& n, const std::string& path,
                                         std::string_view pattern, std::string_view form,
                                         const std::string& what) const {
  const std::vector<std::string_view> allowed = schema_keys_under(pattern, form);
  const std::vector<std::string_view> required = schema_required_under(pattern, form);
  return mapping(n, path, allowed, required, what);
}

std::string Reader::name(const YAML::Node& n, const std::string& path, const SchemaKey& key) const {
  SYNLAB_ASSERT(key.type == ValueType::Name, "Reader::name: the schema declares another type");
  return name(n, path);
}

std::string Reader::choice(const YAML::Node& n, const std::string& path,
                           const SchemaKey& key) const {
  SYNLAB_ASSERT(!key.values.empty(), "Reader::choice: the schema declares no words");
  return choice(n, path, key.values);
}

sim::Duration Reader::duration(const YAML::Node& n, const std::string& path,
                               const SchemaKey& key) const {
  SYNLAB_ASSERT(key.type == ValueType::Time, "Reader::duration: the schema declares another type");
  return duration(n, path);
}

double Reader::probability(const YAML::Node& n, const std::string& path,
                           const SchemaKey& key) const {
  SYNLAB_ASSERT(key.type == ValueType::Probability,
                "Reader::probability: the schema declares another type");
  return probability(n, path);
}

std::uint64_t Reader::count(const YAML::Node& n, const std::string& path,
                            const SchemaKey& key) const {
  SYNLAB_ASSERT(key.type == ValueType::Count, "Reader::count: the schema declares another type");
  // "nth: 1,2,3": a list without its brackets is one plain scalar to YAML.
  if (key.or_list && n.IsScalar() && n.Scalar().find(',') != std::string::npos)
    fail(n, path,
         "expected a whole number from " + std::to_string(key.min) + " to " +
             std::to_string(key.max) + ", or a list of them, found '" + n.Scalar() +
             "': a list is written in brackets, [" + n.Scalar() + "]");
  return count(n, path, key.min, key.max);
}

bool Reader::boolean(const YAML::Node& n, const std::string& path, const SchemaKey& key) const {
  SYNLAB_ASSERT(key.type == ValueType::Bool, "Reader::boolean: the schema declares another type");
  return boolean(n, path);
}

std::uint64_t Reader::rate(const YAML::Node& n, const std::string& path,
                           const SchemaKey& key) const {
  SYNLAB_ASSERT(key.type == ValueType::Rate, "Reader::rate: the schema declares another type");
  return rate(n, path);
}

std::uint64_t Reader::size(const YAML::Node& n, const std::string& path,
                           const SchemaKey& key) const {
  SYNLAB_ASSERT(key.type == ValueType::Size, "Reader::size: the schema declares another type");
  const std::uint64_t bytes = size(n, path);
  if (key.max != 0 && bytes > key.max)
    fail(n, path, "at most " + std::to_string(key.max) + " bytes, found " + std::to_string(bytes));
  return bytes;
}

std::uint8_t Reader::flags(const YAML::Node& n, const std::string& path,
                           const SchemaKey& key) const {
  SYNLAB_ASSERT(key.type == ValueType::Flags, "Reader::flags: the schema declares another type");
  return flags(n, path);
}

bool Reader::has_node(const std::vector<std::string>& nodes, const std::string& name) const {
  if (indexed_ != &nodes || indexed_size_ != nodes.size()) {
    node_index_ = std::unordered_set<std::string_view>(nodes.begin(), nodes.end());
    indexed_ = &nodes;
    indexed_size_ = nodes.size();
  }
  return node_index_.contains(name);  // only looked up, never iterated
}

std::string read_node_ref(const Reader& r, const YAML::Node& n, const std::string& path,
                          const std::string& text, const std::vector<std::string>& nodes) {
  if (r.has_node(nodes, text)) return text;
  std::vector<std::string_view> names(nodes.begin(), nodes.end());
  // The node list a --set changed (--set nodes.0=x): say so, as the file still says the old name.
  const std::string changed = r.overrides_at("nodes");
  r.fail(n, path,
         "unknown node '" + text + "'" + did_you_mean(text, names) + " (nodes: " + join(names) +
             (changed.empty() ? "" : ", as changed by " + changed) + ")");
}

// "server:80"
Endpoint read_endpoint(const Reader& r, const YAML::Node& n, const std::string& path,
                       const std::string& text, const std::vector<std::string>& nodes) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string::npos)
    r.fail(n, path, "expected node:port such as server:80, found " + quoted(text));
  std::string node = text.substr(0, colon);
  while (!node.empty() && node.back() == ' ') node.pop_back();
  while (!node.empty() && node.front() == ' ') node.erase(0, 1);
  const std::string port_text = text.substr(colon + 1);
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 || port > 65535)
    r.fail(n, path, "expected a port from 1 to 65535 after ':', found " + quoted(port_text));
  return Endpoint{read_node_ref(r, n, path, node, nodes), static_cast<std::uint16_t>(port)};
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

Direction read_direction(const Reader& r, const YAML::Node& n, const std::string& path,
                         const SchemaKey& key) {
  const std::string d = r.choice(n, path, key);
  return d == "forward"   ? Direction::Forward
         : d == "reverse" ? Direction::Reverse
                          : Direction::Both;
}

}  // namespace synlab::app
