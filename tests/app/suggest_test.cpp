// Suggestions for misspelled names.
#include "app/suggest.hpp"

#include <doctest/doctest.h>

#include <array>
#include <string_view>

using synlab::app::closest_match;

TEST_CASE("closest_match: typos within reach, strangers not") {
  constexpr std::array<std::string_view, 4> keys{"between", "delay", "loss", "bandwidth"};
  CHECK(closest_match("dealy", keys) == "delay");         // one swap
  CHECK(closest_match("bandwith", keys) == "bandwidth");  // one deletion
  CHECK(closest_match("LOSS", keys) == "loss");           // case
  CHECK(closest_match("betwen", keys) == "between");
  CHECK(closest_match("color", keys).empty());  // nothing close
  CHECK(closest_match("x", keys).empty());
}
