// Suggestions for misspelled names: "did you mean 'delay'?".
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace synlab::app {

// The candidate closest to `word` by edit distance (Levenshtein, case-insensitive), if it is
// close enough to be a likely typo (at most 1 edit for short words, about a third of the
// word's length for longer ones); otherwise "".
std::string closest_match(std::string_view word, std::span<const std::string_view> candidates);

// " — did you mean 'x'?" or "" when nothing is close; then the list of what is accepted.
std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates);

// "a, b, c"
std::string join(std::span<const std::string_view> words);

}  // namespace synlab::app
