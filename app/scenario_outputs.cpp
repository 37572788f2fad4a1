// outputs: which files a run writes and which plots it draws (docs/scenario-format.md#outputs).
#include "app/scenario_sections.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "app/suggest.hpp"

namespace synlab::app {
namespace {

// "node 'server' is listed twice": appended, as GCC 12 warns (-Wrestrict) on a chain of +.
std::string listed_twice(std::string_view what, std::string_view name) {
  std::string text(what);
  text.append("'").append(name).append("' is listed twice");
  return text;
}

}  // namespace

OutputsSpec read_outputs(const Reader& r, const YAML::Node& n,
                         const std::vector<std::string>& known_nodes) {
  OutputsSpec out;
  r.mapping(n, "outputs", "outputs", "",
            "a mapping such as {packets: true, pcap: false, plots: [ladder]}");
  if (n["packets"].IsDefined())
    out.packets = r.boolean(n["packets"], "outputs.packets", schema_key("outputs.packets"));
  if (n["states"].IsDefined())
    out.states = r.boolean(n["states"], "outputs.states", schema_key("outputs.states"));
  if (n["pcap"].IsDefined()) {
    const YAML::Node& pcap = n["pcap"];
    if (pcap.IsScalar()) {
      out.pcap.enabled = r.boolean(pcap, "outputs.pcap", schema_key("outputs.pcap"));
    } else {
      r.mapping(pcap, "outputs.pcap", "outputs.pcap", "",
                "true, false or {links: ..., received: ..., nodes: [...]}");
      out.pcap.enabled = true;
      if (pcap["links"].IsDefined())
        out.pcap.links =
            r.boolean(pcap["links"], "outputs.pcap.links", schema_key("outputs.pcap.links"));
      if (pcap["received"].IsDefined())
        out.pcap.received = r.boolean(pcap["received"], "outputs.pcap.received",
                                      schema_key("outputs.pcap.received"));
      if (pcap["nodes"].IsDefined()) {
        const YAML::Node& nodes = pcap["nodes"];
        if (!nodes.IsSequence()) r.expected(nodes, "outputs.pcap.nodes", "a list of node names");
        std::vector<std::string> names;
        std::set<std::string> listed;  // up to 10,000 nodes: no scan of the list for each
        for (std::size_t i = 0; i < nodes.size(); ++i) {
          std::string name = read_node_ref(r, nodes[i], "outputs.pcap.nodes",
                                           r.name(nodes[i], "outputs.pcap.nodes"), known_nodes);
          // One capture file per node (node-NAME.pcap): a second would be the same file.
          if (!listed.insert(name).second)
            r.fail(nodes[i], "outputs.pcap.nodes", listed_twice("node ", name));
          names.push_back(std::move(name));
        }
        out.pcap.nodes = names;
      }
      if (out.pcap.received && !out.pcap.links)
        r.fail(pcap["received"], "outputs.pcap.received",
               "needs links: true (it is a link capture)");
    }
  }
  if (n["plots"].IsDefined()) {
    const SchemaKey& plots = schema_key("outputs.plots");
    if (!n["plots"].IsSequence())
      r.expected(n["plots"], "outputs.plots", "a list of plot kinds (" + join(plots.values) + ")");
    for (std::size_t i = 0; i < n["plots"].size(); ++i) {
      const viz::PlotKind kind =
          *viz::parse_plot_kind(r.choice(n["plots"][i], "outputs.plots", plots));
      if (std::find(out.plots.begin(), out.plots.end(), kind) != out.plots.end())
        r.fail(n["plots"][i], "outputs.plots", listed_twice("", viz::to_string(kind)));
      out.plots.push_back(kind);
      out.plot_where.push_back(r.where(n["plots"][i], "outputs.plots"));
    }
  }
  return out;
}

}  // namespace synlab::app
