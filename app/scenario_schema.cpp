// The scenario schema's look-ups, path checks and Markdown tables (see scenario_schema.hpp).
#include "app/scenario_schema.hpp"

#include <algorithm>
#include <charconv>

#include "app/suggest.hpp"

namespace synlab::app {
namespace {

std::string_view parent_of(std::string_view path) {
  const std::size_t dot = path.rfind('.');
  return dot == std::string_view::npos ? std::string_view{} : path.substr(0, dot);
}

std::string_view name_of(std::string_view path) {
  const std::size_t dot = path.rfind('.');
  return dot == std::string_view::npos ? path : path.substr(dot + 1);
}

const SchemaKey* find_key(std::string_view path) {
  for (const SchemaKey& k : scenario_schema)
    if (k.path == path) return &k;
  return nullptr;
}

// The parts one after the other. (Built with +=: GCC 12 warns wrongly (-Wrestrict) about
// some chains of + on temporary strings.)
std::string concat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (const std::string_view p : parts) out += p;
  return out;
}

bool all_digits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// `n`'s item or key `part`, read without adding it (an undefined node when there is none).
YAML::Node child(const YAML::Node& n, std::string_view part) {
  if (!n.IsDefined()) return YAML::Node(YAML::NodeType::Undefined);
  if (n.IsMap()) {
    const YAML::Node value = n[std::string(part)];  // invalid, not just undefined, if missing
    return value.IsDefined() ? value : YAML::Node(YAML::NodeType::Undefined);
  }
  if (n.IsSequence() && all_digits(part)) {
    std::size_t index = 0;
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), index);
    if (ec == std::errc() && end == part.data() + part.size() && index < n.size()) return n[index];
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

// The form of the list item `n` at `pattern` ("apps.*" holding {connect: ...}: "connect"), or
// "" when the item takes one form or is not in the document.
std::string_view form_of(std::string_view pattern, const YAML::Node& n) {
  if (!n.IsDefined() || !n.IsMap()) return "";
  for (const SchemaKey& k : scenario_schema)
    if (parent_of(k.path) == pattern && name_of(k.path) == k.form &&
        n[std::string(k.form)].IsDefined())
      return k.form;
  return "";
}

std::string join_path_text(std::string_view a, std::string_view b) {
  return a.empty() ? std::string(b) : concat({a, ".", b});
}

// 100000 -> "100,000"
std::string with_commas(std::uint64_t v) {
  std::string digits = std::to_string(v);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string quoted_list(std::span<const std::string_view> words) {
  std::string out;
  for (const std::string_view w : words) out += concat({out.empty() ? "`" : ", `", w, "`"});
  return out;
}

// The "value" column: what a key takes.
std::string value_text(const SchemaKey& k) {
  const std::string range =
      k.max == 0 ? "" : concat({" from ", with_commas(k.min), " to ", with_commas(k.max)});
  switch (k.type) {
    case ValueType::Time:
      return "time";
    case ValueType::Rate:
      return "bit rate";
    case ValueType::Size:
      return k.max == 0 ? "size" : concat({"size, at most ", with_commas(k.max), " bytes"});
    case ValueType::Probability:
      return "probability";
    case ValueType::Count:
      return concat({"count", k.max == UINT64_MAX && k.min == 0 ? "" : range,
                     k.unit.empty() ? "" : " ", k.unit});
    case ValueType::Name:
      return "name";
    case ValueType::Bool:
      return "`true` or `false`";
    case ValueType::Enum:
      return quoted_list(k.values);
    case ValueType::Flags:
      return "TCP flags";
    case ValueType::Endpoint:
      return "`node:port`";
    case ValueType::Connection:
      return "`client -> server:port`";
    case ValueType::Segment:
      return "packetdrill segment";
    case ValueType::List:
      if (!k.values.empty()) return concat({"list of ", quoted_list(k.values)});
      if (k.max == 0) return "list";
      if (k.min == k.max) return concat({"list of ", with_commas(k.max)});
      return concat({"list of ", with_commas(k.min), " to ", with_commas(k.max)});
    case ValueType::Mapping:
      return "mapping";
    case ValueType::Paths:
      return "mapping of path: [values]";
  }
  return "";
}

std::string row(std::initializer_list<std::string> cells) {
  std::string out = "|";
  for (const std::string& c : cells) out += c.empty() ? std::string(" |") : concat({" ", c, " |"});
  return out + "\n";
}

std::string top_level_table() {
  std::string out =
      row({"key", "required", "value", "default", "meaning"}) + "|---|---|---|---|---|\n";
  for (const SchemaKey& k : scenario_schema)
    if (parent_of(k.path).empty())
      out += row({concat({"`", k.path, "`"}), k.required ? "yes" : "no", value_text(k),
                  std::string(k.default_value), std::string(k.description)});
  return out;
}

std::string tcp_table() {
  std::string out = row({"key", "value", "default", "meaning"}) + "|---|---|---|---|\n";
  for (const SchemaKey& k : scenario_schema)
    if (parent_of(k.path) == "tcp")
      out += row({concat({"`", name_of(k.path), "`"}), value_text(k), std::string(k.default_value),
                  std::string(k.description)});
  return out;
}

// "links.*.outages.*.from" -> "links.<name>.outages.<i>.from"
std::string display_path(std::string_view path) {
  std::string out;
  std::string_view previous;
  for (std::size_t start = 0; start <= path.size();) {
    const std::size_t dot = std::min(path.find('.', start), path.size());
    const std::string_view part = path.substr(start, dot - start);
    out += out.empty() ? "" : ".";
    out += part != "*" ? std::string(part) : previous == "links" ? "<name>" : "<i>";
    previous = part;
    start = dot + 1;
  }
  return out;
}

std::string keys_table() {
  std::string out =
      row({"key", "value", "default", "meaning", "checks"}) + "|---|---|---|---|---|\n";
  for (const SchemaKey& k : scenario_schema) {
    const std::string value = concat(
        {value_text(k), k.per_direction ? ", per direction" : "", k.or_list ? ", or a list" : ""});
    const std::string meaning = concat(
        {k.description, k.form.empty() ? "" : ", in `{", k.form, k.form.empty() ? "" : ": ...}`"});
    const std::string checks = concat(
        {k.required ? "required" : "", k.required && !k.special.empty() ? "; " : "", k.special});
    out += row({concat({"`", display_path(k.path), "`"}), value, std::string(k.default_value),
                meaning, checks});
  }
  return out;
}

std::string limits_table() {
  std::string out = row({"what", "limit"}) + "|---|---|\n";
  for (const SchemaLimit& l : scenario_limits)
    out += row(
        {std::string(l.what), concat({with_commas(l.limit), l.unit.empty() ? "" : " ", l.unit})});
  return out;
}

}  // namespace

std::vector<std::string_view> schema_keys_under(std::string_view parent, std::string_view form) {
  std::vector<std::string_view> keys;
  for (const SchemaKey& k : scenario_schema) {
    if (parent_of(k.path) != parent || (!form.empty() && !k.form.empty() && k.form != form))
      continue;
    if (std::find(keys.begin(), keys.end(), name_of(k.path)) == keys.end())
      keys.push_back(name_of(k.path));
  }
  return keys;
}

std::vector<std::string_view> schema_required_under(std::string_view parent,
                                                    std::string_view form) {
  std::vector<std::string_view> keys;
  for (const SchemaKey& k : scenario_schema)
    if (parent_of(k.path) == parent && k.required &&
        (form.empty() || k.form.empty() || k.form == form))
      keys.push_back(name_of(k.path));
  return keys;
}

std::string unknown_key_message(std::string_view key, std::string_view in,
                                std::span<const std::string_view> accepted, bool in_flow) {
  // apps[1]: a path's list item is a part of its own, apps.1 (the index counts from 0).
  const std::size_t open = key.find('[');
  if (open != std::string_view::npos && open > 0 && key.ends_with(']')) {
    const std::string_view list = key.substr(0, open);
    const std::string_view index = key.substr(open + 1, key.size() - open - 2);
    return concat({"unknown key '", key, "'", in.empty() ? "" : " in ", in, ": a list's item is a ",
                   "part of the dotted path, counted from 0: ", list, ".", index});
  }
  // "loss: 0,2}" or "flags: SYN,ACK}" in a flow mapping: the ',' ended the value, and what
  // followed it became a key of its own.
  const bool digits = !key.empty() && key.find_first_not_of("0123456789") == std::string_view::npos;
  if (digits && in_flow)
    return concat({"unknown key '", key, "'", in.empty() ? "" : " in ", in,
                   ": a decimal comma? in {...} a ',' ends a value and starts a key: write the "
                   "number with a point (0.2, not 0,2)"});
  for (const std::string_view flag : {"SYN", "ACK", "FIN", "RST", "PSH", "URG", "ECE", "CWR"})
    if (in_flow && key == flag)
      return concat({"unknown key '", key, "'", in.empty() ? "" : " in ", in,
                     ": flags joined by ','? in {...} a ',' ends a value and starts a key: join ",
                     "them with '+' (SYN+ACK, not SYN,ACK)"});
  // "delay 25ms": an accepted key, a space and a value: the ':' between them was forgotten.
  if (const std::size_t space = key.find(' '); space != std::string_view::npos) {
    const std::string_view first = key.substr(0, space);
    for (const std::string_view a : accepted)
      if (a == first)
        return concat({"unknown key '", key, "'", in.empty() ? "" : " in ", in, ": a ':' missing? ",
                       "write '", first, ": ", key.substr(space + 1), "'"});
  }
  return concat({"unknown key '", key, "'", in.empty() ? "" : " in ", in,
                 did_you_mean(key, accepted), " (accepted: ", join(accepted), ")"});
}

std::optional<std::string> check_scenario_path(std::string_view path, const YAML::Node& root) {
  std::string pattern;  // the table's path so far: "links.*.loss"
  std::string walked;   // the path as written so far: "links.wan.loss"
  const SchemaKey* at = nullptr;
  bool direction_taken = false;
  YAML::Node node;  // what `walked` holds in `root`, if anything (never written to)
  node.reset(root);
  for (std::size_t start = 0; start <= path.size();) {
    const std::size_t dot = std::min(path.find('.', start), path.size());
    const std::string_view part = path.substr(start, dot - start);
    start = dot + 1;
    if (part.empty()) return concat({"'", path, "' is not a dotted path such as links.wan.loss"});
    if (at != nullptr && at->type == ValueType::Paths) return std::nullopt;
    std::vector<std::string_view> accepted = schema_keys_under(pattern, form_of(pattern, node));
    if (at != nullptr && at->per_direction && !direction_taken) {
      if (part == "forward" || part == "reverse") {
        direction_taken = true;
        walked = join_path_text(walked, part);
        node.reset(child(node, part));
        continue;
      }
      accepted.insert(accepted.end(), {"forward", "reverse"});
    }
    if (accepted.size() == 1 && accepted[0] == "*") {  // a link name or a list index
      pattern = join_path_text(pattern, "*");
    } else if (std::find(accepted.begin(), accepted.end(), part) != accepted.end()) {
      pattern = join_path_text(pattern, part);
    } else if (at != nullptr && (at->type == ValueType::List || at->or_list) && all_digits(part)) {
      return std::nullopt;  // an item of a list of values (nodes.1, drops.0.nth.2)
    } else if (accepted.empty()) {
      return concat({"cannot set '", part, "' inside a single value (", walked, ")"});
    } else {
      return unknown_key_message(part, walked, accepted);
    }
    walked = join_path_text(walked, part);
    node.reset(child(node, part));
    at = find_key(pattern);
    direction_taken = false;
  }
  return std::nullopt;
}

std::string schema_markdown(std::string_view table) {
  if (table == "top-level") return top_level_table();
  if (table == "tcp") return tcp_table();
  if (table == "limits") return limits_table();
  if (table == "keys") return keys_table();
  return "";
}

}  // namespace synlab::app
