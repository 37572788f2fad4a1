// What yaml-cpp's Load lets pass in a YAML text, read from the text itself: where a second
// document starts (a scenario file, and a --set value, is one document; Load reads the first and
// leaves the rest unread), and a quoted scalar that never ends (Load takes the rest of the text
// into it).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace synlab::app {

// The line (from 1) where a second document starts: a `---` line (YAML 1.2 §9.1.2: three dashes
// at the start of a line, then the line's end or white space) after the first document's
// content, or content after a `...` line, when the part it starts holds content (not only blank
// lines, comments and markers); nullopt for one document. Read from the text alone, so broken
// YAML after the marker is found too.
std::optional<std::size_t> second_document_line(std::string_view text);

// Whether the quoted scalar that starts at text[at] (a ' or a ") has its closing quote: in double
// quotes a backslash escapes the next character (YAML 1.2 §7.3.1), in single quotes '' is one
// quote (§7.3.2).
bool quote_closes(std::string_view text, std::size_t at);

}  // namespace synlab::app
