// second_document_line: where a YAML text starts a second document. A scenario file (and a
// --set value) is one document; yaml-cpp's Load reads the first and leaves the rest unread.
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

}  // namespace synlab::app
