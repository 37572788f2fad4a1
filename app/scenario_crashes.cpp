// crashes: nodes that crash and reboot at given times (docs/scenario-format.md#crashes).
#include <map>

#include "app/scenario_sections.hpp"
#include "sim/time.hpp"

namespace synlab::app {

void read_crashes(const Reader& r, const YAML::Node& n, Scenario& s) {
  if (!n.IsSequence()) r.expected(n, "crashes", "a list of {node: ..., at: ..., reboot_at: ...}");
  // Each node's last crash read so far: crashes of one node come in time order, each after the
  // reboot of the one before.
  std::map<std::string, std::size_t> last;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const YAML::Node& item = n[i];
    const std::string path = "crashes." + std::to_string(i);
    r.mapping(item, path, "crashes.*", "", "{node: ..., at: ..., reboot_at: ...}");
    CrashSpec c;
    c.where = r.where(item, path);
    c.node =
        read_node_ref(r, item["node"], path + ".node",
                      r.name(item["node"], path + ".node", schema_key("crashes.*.node")), s.nodes);
    c.at = r.duration(item["at"], path + ".at", schema_key("crashes.*.at"));
    if (item["reboot_at"].IsDefined()) {
      c.reboot_at =
          r.duration(item["reboot_at"], path + ".reboot_at", schema_key("crashes.*.reboot_at"));
      if (*c.reboot_at <= c.at)
        r.fail(item["reboot_at"], path + ".reboot_at",
               "the node reboots at " + sim::format_duration(*c.reboot_at) +
                   ", not after it crashes at " + sim::format_duration(c.at) +
                   ": give a later time");
    }
    if (const auto before = last.find(c.node); before != last.end()) {
      const CrashSpec& b = s.crashes[before->second];
      if (!b.reboot_at)
        r.fail(item["at"], path + ".at",
               "node '" + c.node + "' crashed at " + sim::format_duration(b.at) + " (crashes." +
                   std::to_string(before->second) +
                   ") and never reboots: give that crash a reboot_at first");
      if (c.at < *b.reboot_at)
        r.fail(item["at"], path + ".at",
               "node '" + c.node + "' is still down then: it reboots at " +
                   sim::format_duration(*b.reboot_at) + " (crashes." +
                   std::to_string(before->second) + "); list its crashes in time order");
    }
    last[c.node] = s.crashes.size();
    s.crashes.push_back(std::move(c));
  }
}

}  // namespace synlab::app
