// Loading scenarios: files, the top-level keys, and the sections in order (see
// scenario_loader.hpp and docs/scenario-format.md).
#include "app/scenario_loader.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/depthguard.h>

#include "app/scenario_reader.hpp"
#include "app/scenario_sections.hpp"
#include "app/suggest.hpp"
#include "app/yaml_documents.hpp"
#include "sim/time.hpp"

namespace synlab::app {

namespace {

// The first tab in a line's indentation up to line `last` (from 0), if any: YAML forbids tabs
// there (YAML 1.2 §6.1), and the parser's own message ("end of map not found") does not say so.
std::optional<SourceMark> indenting_tab(const std::string& file, std::string_view text,
                                        std::size_t last) {
  std::size_t line = 0;
  for (std::size_t start = 0; start <= text.size() && line <= last; ++line) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    for (std::size_t i = start; i < end && (text[i] == ' ' || text[i] == '\t'); ++i)
      if (text[i] == '\t')
        return SourceMark{file, static_cast<int>(line + 1), static_cast<int>(i - start + 1)};
    start = end + 1;
  }
  return std::nullopt;
}

// A block mapping's key without its ':' ("    delay 25ms") is taken for a plain value, and the
// parser reports the next line, where a key follows it ("illegal map value"). The line before
// `line` (0-based), if it is such a key, named as the likely cause; "" otherwise.
std::string missing_colon_hint(std::string_view text, std::size_t line) {
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  for (std::size_t i = std::min(line, lines.size()); i-- > 0;) {
    std::string_view l = lines[i];
    while (!l.empty() && (l.back() == ' ' || l.back() == '\r')) l.remove_suffix(1);
    std::size_t indent = 0;
    while (indent < l.size() && l[indent] == ' ') ++indent;
    l.remove_prefix(indent);
    if (l.empty() || l.front() == '#') continue;  // blank lines and comments: look further up
    const bool word_then_value = std::isalpha(static_cast<unsigned char>(l.front())) != 0 &&
                                 l.find(':') == std::string_view::npos &&
                                 l.find(' ') != std::string_view::npos;
    if (!word_then_value) return "";
    const std::string_view key = l.substr(0, l.find(' '));
    return " (is a ':' missing on line " + std::to_string(i + 1) + ", after '" + std::string(key) +
           "'?)";
  }
  return "";
}

// The first quoted scalar whose closing quote is missing: yaml-cpp takes the rest of the text
// into it without a word (a scenario then failed later, on a key the quote swallowed, or not at
// all at the end of the file). Each node is looked at once, however many aliases name it.
std::optional<ScenarioError> unclosed_quote(const std::string& file, std::string_view text,
                                            const YAML::Node& root) {
  // yaml-cpp counts positions after a UTF-8 byte order mark, which it drops.
  const std::size_t bom = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  std::vector<YAML::Node> todo{root};
  std::set<std::pair<int, YAML::NodeType::value>> seen;  // by where each starts, and its kind
  while (!todo.empty()) {
    const YAML::Node n = todo.back();
    todo.pop_back();
    const YAML::Mark m = n.Mark();
    if (!seen.emplace(m.pos, n.Type()).second) continue;
    if (n.IsScalar()) {
      const std::size_t at = static_cast<std::size_t>(m.pos) + bom;
      if (n.Tag() == "!" && m.pos >= 0 && at < text.size() &&
          (text[at] == '"' || text[at] == '\'') && !quote_closes(text, at)) {
        std::string why = "not valid YAML: this quoted value never ends (its closing ";
        why.append(1, text[at]).append(" is missing)");
        return ScenarioError(SourceMark{file, m.line + 1, m.column + 1}, why);
      }
    } else if (n.IsSequence()) {
      for (const YAML::Node& item : n) todo.push_back(item);
    } else if (n.IsMap()) {
      for (const auto& entry : n) {
        todo.push_back(entry.first);
        todo.push_back(entry.second);
      }
    }
  }
  return std::nullopt;
}

}  // namespace

ScenarioDocument parse_scenario_text(std::string text, std::string file) {
  ScenarioDocument doc{std::move(file), std::move(text), {}};
  try {
    // Load reads the first document and leaves the rest unread, even broken: a second one is
    // found in the text, before parsing. (Not with YAML::LoadAll, which on some broken input
    // loops making nodes until memory runs out: the fuzzer's find.)
    if (const std::optional<std::size_t> line = second_document_line(doc.text))
      throw ScenarioError(SourceMark{doc.file, static_cast<int>(*line), 1},
                          "a second YAML document (after `---`): a scenario is one document; "
                          "remove it, or put it in a file of its own");
    doc.root = YAML::Load(doc.text);
    if (std::optional<ScenarioError> quote = unclosed_quote(doc.file, doc.text, doc.root))
      throw std::move(*quote);
  } catch (const YAML::DeepRecursion& e) {  // yaml-cpp's own message is just "bad file"
    throw ScenarioError(SourceMark{doc.file, e.mark.line + 1, e.mark.column + 1},
                        "not valid YAML here: lists or mappings nested deeper than the parser "
                        "allows (a scenario needs a few levels)");
  } catch (const YAML::ParserException& e) {
    const std::size_t line = e.mark.line < 0 ? 0 : static_cast<std::size_t>(e.mark.line);
    if (const auto tab = indenting_tab(doc.file, doc.text, line))
      throw ScenarioError(*tab,
                          "not valid YAML: a tab in the indentation (YAML allows only "
                          "spaces there; the parser says: " +
                              e.msg + ")");
    throw ScenarioError(SourceMark{doc.file, e.mark.line + 1, e.mark.column + 1},
                        "not valid YAML: " + e.msg + missing_colon_hint(doc.text, line));
  }
  if (!doc.root.IsDefined() || doc.root.IsNull())
    throw ScenarioError(SourceMark{doc.file, 0, 0},
                        "empty scenario: expected a mapping with at least 'nodes' and 'links'");
  if (!doc.root.IsMap())
    throw ScenarioError(SourceMark{doc.file, doc.root.Mark().line + 1, doc.root.Mark().column + 1},
                        "expected a mapping of scenario keys (" + join(schema_keys_under("")) +
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
  const std::string too_large = "is larger than the limit of " +
                                std::to_string(Limits::file_bytes) + " bytes for a scenario file";
  if (fs::is_regular_file(status)) {
    const std::uintmax_t size = fs::file_size(path, ec);
    if (!ec && size > Limits::file_bytes) throw ScenarioError(SourceMark{path, 0, 0}, too_large);
  }
  // At most one byte past the limit is read, whatever the file is (a pipe, /dev/zero), in steps
  // that double from 4 KiB: a buffer of the limit's size, filled with zeros first, cost a small
  // scenario's run a million instructions and 245 page faults.
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError(SourceMark{path, 0, 0}, "cannot be read (permissions?)");
  std::string text;
  for (std::size_t step = 4096; in && text.size() <= Limits::file_bytes; step *= 2) {
    const std::size_t had = text.size();
    text.resize(had + std::min(step, Limits::file_bytes + 1 - had));
    in.read(text.data() + had, static_cast<std::streamsize>(text.size() - had));
    text.resize(had + static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) throw ScenarioError(SourceMark{path, 0, 0}, "cannot be read (permissions?)");
  if (text.size() > Limits::file_bytes) throw ScenarioError(SourceMark{path, 0, 0}, too_large);
  if (text.find('\0') != std::string::npos)
    throw ScenarioError(SourceMark{path, 0, 0}, "is a binary file, not a YAML scenario");
  return parse_scenario_text(std::move(text), path);
}

YAML::Node copy_with_marks(const ScenarioDocument& document) {
  if (document.text.empty()) return YAML::Clone(document.root);
  return YAML::Load(document.text);  // parsed once already: it cannot fail now
}

Scenario load_scenario(const ScenarioDocument& document, const std::vector<Override>& overrides) {
  YAML::Node root = overrides.empty() ? document.root : copy_with_marks(document);
  std::map<std::string, SourceMark> origins;
  for (const Override& o : overrides) {
    apply_override(root, o);
    // The value is in place; now its path must be one the schema declares (a misspelled key).
    if (const auto problem = check_scenario_path(o.path, root))
      throw ScenarioError(o.where, *problem);
    origins[o.path] = o.where;
  }
  const Reader r(document.file, std::move(origins), root.IsMap() && root["sweep"].IsDefined());
  r.mapping(root, "", "", "", "a mapping of scenario keys");

  Scenario s;
  s.file = document.file;
  if (root["name"].IsDefined()) {
    s.name = r.name(root["name"], "name", schema_key("name"));
  } else {
    // The file's name stands in, if it is a name: it names the output folder (out/<name>).
    s.name = std::filesystem::path(document.file).stem().string();
    if (!is_name(s.name))
      throw ScenarioError(SourceMark{document.file, 0, 0},
                          "no `name:`, and the file's own name '" + s.name + "' is not a name (" +
                              std::string(name_rule) + ", at most " +
                              std::to_string(Limits::name_chars) +
                              " characters) to stand in: add `name: " + nearest_name(s.name) +
                              "` to the file, or rename it");
  }
  if (root["seed"].IsDefined()) s.seed = r.count(root["seed"], "seed", schema_key("seed"));
  if (root["stop"].IsDefined()) {
    s.stop = r.duration(root["stop"], "stop", schema_key("stop"));
    if (s.stop <= sim::Duration::zero()) r.fail(root["stop"], "stop", "must be more than 0s");
  }

  const YAML::Node nodes = root["nodes"];
  if (!nodes.IsSequence() || nodes.size() == 0)
    r.expected(nodes, "nodes", "a list of node names such as [client, server]");
  if (const std::uint64_t limit = schema_key("nodes").max; nodes.size() > limit)
    r.fail(nodes, "nodes", "more than the limit of " + std::to_string(limit) + " nodes");
  std::set<std::string> named;  // 10,000 names: no scan of the list for each
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const std::string name = r.name(nodes[i], "nodes");
    if (!named.insert(name).second) r.fail(nodes[i], "nodes", "node '" + name + "' is named twice");
    s.nodes.push_back(name);
  }

  const YAML::Node links = root["links"];
  r.mapping(links, "links", Keys{}, Keys{}, "a mapping of link name: {between: [a, b], ...}");
  for (const auto& entry : links)
    s.links.push_back(
        read_link(r, entry.first, entry.second, "links." + entry.first.Scalar(), s.nodes));

  if (root["tcp"].IsDefined()) s.tcp = read_tcp(r, root["tcp"], "tcp");
  if (root["apps"].IsDefined()) read_apps(r, root["apps"], s);
  if (root["drops"].IsDefined()) read_drops(r, root["drops"], s);
  if (root["inject"].IsDefined()) read_injects(r, root["inject"], s);
  if (root["crashes"].IsDefined()) read_crashes(r, root["crashes"], s);
  s.sweep_where = s.repeat_where = SourceMark{document.file, 0, 0};
  if (root["sweep"].IsDefined()) {
    s.sweep = read_sweep(r, root["sweep"], root);
    s.sweep_where = r.where(root["sweep"], "sweep");
  }
  if (root["repeat"].IsDefined()) {
    s.repeat = r.count(root["repeat"], "repeat", schema_key("repeat"));
    s.repeat_where = r.where(root["repeat"], "repeat");
  }
  if (root["outputs"].IsDefined()) s.outputs = read_outputs(r, root["outputs"], s.nodes);
  if (root["expect"].IsDefined()) read_expect(r, root["expect"], s);
  return s;
}

}  // namespace synlab::app
