// second_document_line (yaml_documents.hpp): a scan of the lines, no parser. Markers are at the
// start of a line, where no block scalar's or flow scalar's content may begin (YAML 1.2 §9.1.2),
// so a line that starts with one is one.
#include "app/yaml_documents.hpp"

#include <algorithm>

namespace synlab::app {
namespace {

// `---` or `...` with nothing or white space after it: the rest of the line, or nullopt.
std::optional<std::string_view> after_marker(std::string_view line, std::string_view marker) {
  if (!line.starts_with(marker)) return std::nullopt;
  const std::string_view rest = line.substr(marker.size());
  if (!rest.empty() && rest.front() != ' ' && rest.front() != '\t' && rest.front() != '\r')
    return std::nullopt;
  return rest;
}

// Whether a line (or what follows a marker on it) holds content: not blank, not a comment.
bool holds_content(std::string_view text) {
  for (const char c : text) {
    if (c == ' ' || c == '\t' || c == '\r') continue;
    return c != '#';
  }
  return false;
}

}  // namespace

std::optional<std::size_t> second_document_line(std::string_view text) {
  bool content = false;    // the current document has content
  bool ended = false;      // a `...` ended it
  std::size_t marker = 0;  // the line of the `---` or `...` that would start a second document
  std::size_t number = 0;
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++number;
    if (const auto rest = after_marker(line, "---")) {
      if (content || ended) marker = number;  // the start of another document
      if (marker != 0 && holds_content(*rest)) return marker;
      if (!content) content = holds_content(*rest);
      ended = false;
      continue;
    }
    if (const auto rest = after_marker(line, "...")) {
      if (content) ended = true;
      continue;
    }
    if (!holds_content(line)) continue;
    if (marker != 0) return marker;
    if (ended) return number;  // content after `...` without a `---`
    content = true;
  }
  return std::nullopt;
}

bool quote_closes(std::string_view text, std::size_t at) {
  if (at >= text.size()) return false;
  const char quote = text[at];
  for (std::size_t i = at + 1; i < text.size(); ++i) {
    if (quote == '"' && text[i] == '\\') {
      ++i;  // the escaped character, whatever it is
    } else if (text[i] == quote) {
      if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;  // '' inside single quotes
        continue;
      }
      return true;
    }
  }
  return false;
}

}  // namespace synlab::app
