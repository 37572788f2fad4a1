// The manual page synlab(1) of `synlab man`, generated as roff (man macros) from the command
// line's App tree (command_line.hpp): the same descriptions, options, help texts and footers
// `--help` prints, so the page cannot drift from it.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <string_view>

namespace synlab::app {

// The documents SEE ALSO names, as paths in the source tree.
inline constexpr std::string_view man_page_docs[] = {
    "README.md",     "docs/running.md", "docs/scenario-format.md",
    "docs/plots.md", "docs/drill.md",   "docs/labs/README.md",
};

// Sections NAME, SYNOPSIS, DESCRIPTION, OPTIONS, COMMANDS (one subsection ".SS synlab NAME" per
// command, hidden ones last), EXAMPLES and EXIT STATUS (the top-level footer's paragraphs),
// FILES (where `cmake --install` puts the completion and this page), SEE ALSO.
std::string man_page(const CLI::App& app);

// `text` escaped for roff: a backslash as \e, '-' as \- (a hyphen-minus, as typed), and \& before a
// line's leading '.' or '\''.
std::string roff_escape(std::string_view text);

}  // namespace synlab::app
