// drops: scripted drops of the packets entering a link direction (docs/scenario-format.md#drops).
#include "app/scenario_sections.hpp"

#include "sim/time.hpp"

namespace synlab::app {

void read_drops(const Reader& r, const YAML::Node& n, Scenario& s) {
  if (!n.IsSequence()) r.expected(n, "drops", "a list of {link: ..., flags: ..., nth: ...}");
  for (std::size_t i = 0; i < n.size(); ++i) {
    const YAML::Node& d = n[i];
    const std::string path = "drops." + std::to_string(i);
    r.mapping(d, path, "drops.*", "", "{link: ..., direction: ..., flags: ..., nth: ...}");
    DropSpec drop;
    drop.where = r.where(d, path);
    drop.link = read_link_ref(r, d["link"], path + ".link", s.links).name;
    if (d["direction"].IsDefined())
      drop.direction =
          read_direction(r, d["direction"], path + ".direction", schema_key("drops.*.direction"));
    if (d["flags"].IsDefined())
      drop.flags = r.flags(d["flags"], path + ".flags", schema_key("drops.*.flags"));
    if (d["nth"].IsDefined()) {
      const YAML::Node& nth = d["nth"];
      if (nth.IsSequence()) {
        for (std::size_t k = 0; k < nth.size(); ++k)
          drop.nth.push_back(r.count(nth[k], path + ".nth", schema_key("drops.*.nth")));
        if (drop.nth.empty())
          r.expected(nth, path + ".nth", "a match number (1 = the first) or a list of them");
      } else {
        drop.nth.push_back(r.count(nth, path + ".nth", schema_key("drops.*.nth")));
      }
    }
    if (d["from"].IsDefined())
      drop.from = r.duration(d["from"], path + ".from", schema_key("drops.*.from"));
    if (d["until"].IsDefined())
      drop.until = r.duration(d["until"], path + ".until", schema_key("drops.*.until"));
    if (drop.from && drop.until && *drop.until <= *drop.from)
      r.fail(d["until"], path + ".until",
             "must be after from (" + sim::format_duration(*drop.from) + ")");
    s.drops.push_back(drop);
  }
}

}  // namespace synlab::app
