// What both fuzz harnesses do first: load a scenario as `synlab validate` does.
#pragma once

#include <optional>
#include <string>

#include "app/scenario.hpp"

namespace synlab::fuzz {

// Parses and loads `text` ("fuzz.yaml"), counts its sweep and loads its points (at most 64 of
// them: each is a full load, and 10^6 are allowed). Returns the first point, or nullopt if the
// loader refused the input with a ScenarioError. Any other exception escapes: a bug.
std::optional<app::Scenario> load_checked(const std::string& text);

}  // namespace synlab::fuzz
