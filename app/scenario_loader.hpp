// Loading scenarios: YAML text -> a checked, typed Scenario (docs/scenario-format.md).
// Every error is a ScenarioError naming file:line:column, the key, what was expected and what
// was found, with a suggestion for a misspelled name.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "app/scenario.hpp"
#include "app/scenario_error.hpp"

namespace synlab::app {

// A value replacing the one at a dotted path ("links.wan.loss", "apps.1.count"), from
// `--set PATH=VALUE` or a sweep point. `value` is YAML text ("0.1", "10ms", "[1, 2]").
struct Override {
  std::string path;
  std::string value;
  SourceMark where;  // what error messages about this value point at
};

// A scenario file read and parsed as YAML, before typing: sweeps and --set work on this.
struct ScenarioDocument {
  std::string file;
  std::string text;  // the file's bytes (its hash goes into provenance)
  YAML::Node root;
};

// Reads `path`. Errors: missing file, a directory, unreadable, empty, not YAML, not a mapping.
ScenarioDocument read_scenario_file(const std::string& path);
// The same from text; `file` names it in messages.
ScenarioDocument parse_scenario_text(std::string text, std::string file);

// A deep copy of `document.root` that keeps each node's line and column, for overrides to change:
// the text parsed again (YAML::Clone drops the marks, and every message would then say
// file:1:1). A document without text is cloned.
YAML::Node copy_with_marks(const ScenarioDocument& document);

// The document less its top-level `key` section (load_points drops `sweep`, which `base` has
// read: parsing every axis's values again for each point would make a sweep's cost its square).
// The section is cut from the text but for its line breaks, so every other node keeps its line
// and column.
ScenarioDocument without_section(const ScenarioDocument& document, const std::string& key);

// "links.wan.loss=0.1" -> Override (for --set). Throws ScenarioError if there is no '='.
Override parse_set_option(std::string_view option);

// Parses a document with overrides applied (later ones win) into a Scenario, checking it.
Scenario load_scenario(const ScenarioDocument& document,
                       const std::vector<Override>& overrides = {});

// The sweep's points: each is the list of overrides that makes it (grid crossed, zip paired).
// One point with no overrides when there is no sweep. Throws if there are more than
// Limits::sweep_runs points.
std::vector<std::vector<Override>> sweep_points(const Scenario& scenario);

// Loads each of `points` (`sets` first, then the point's values) in order and hands it to
// `each`, checking the connections over every run (repeat included) against
// Limits::total_connections as they add up: sweep_points counts apps.N.count axes before
// expanding, this also catches a sweep that replaces whole apps. The points' `sweep` is empty
// (`base` holds it): each is loaded without the sweep section.
void load_points(const ScenarioDocument& document, const std::vector<Override>& sets,
                 const Scenario& base, const std::vector<std::vector<Override>>& points,
                 const std::function<void(Scenario&&)>& each);

}  // namespace synlab::app
