// load_checked (fuzz_scenario.hpp).
#include "tests/fuzz/fuzz_scenario.hpp"

#include <algorithm>
#include <vector>

#include "app/scenario_loader.hpp"

namespace synlab::fuzz {

std::optional<app::Scenario> load_checked(const std::string& text) {
  try {
    if (text.size() > app::Limits::file_bytes) return std::nullopt;  // read_scenario_file's check
    const app::ScenarioDocument doc = app::parse_scenario_text(text, "fuzz.yaml");
    const app::Scenario base = app::load_scenario(doc);
    // The points are counted before they are expanded; expand only a sweep of a few.
    std::uint64_t points = 1;
    for (const app::SweepAxis& a : base.sweep.grid)
      points = std::min<std::uint64_t>(points * a.values.size(), 1u << 20);
    if (!base.sweep.zip.empty())
      points = std::min<std::uint64_t>(points * base.sweep.zip.front().values.size(), 1u << 20);
    if (points > 4096 && points * base.repeat <= app::Limits::sweep_runs) return std::nullopt;
    std::vector<std::vector<app::Override>> overrides = app::sweep_points(base);
    overrides.resize(std::min<std::size_t>(overrides.size(), 64));
    std::optional<app::Scenario> first;
    app::load_points(doc, {}, base, overrides, [&](app::Scenario&& p) {
      if (!first) first = std::move(p);
    });
    return first;
  } catch (const app::ScenarioError&) {
    return std::nullopt;
  }
}

}  // namespace synlab::fuzz
