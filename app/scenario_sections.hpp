// The readers of a scenario file's sections (links, tcp, apps, drops, sweep, outputs, expect),
// each checking its part and reporting errors through the Reader.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "app/scenario.hpp"
#include "app/scenario_loader.hpp"
#include "app/scenario_reader.hpp"

namespace synlab::app {

// links.<name>: `key` is the name's node, `n` its settings.
LinkSpec read_link(const Reader& r, const YAML::Node& key, const YAML::Node& n,
                   const std::string& path, const std::vector<std::string>& nodes);
TcpSpec read_tcp(const Reader& r, const YAML::Node& n, const std::string& path);
void read_apps(const Reader& r, const YAML::Node& n, Scenario& s);
// After the apps: fails at `n` (the `conn` of `path`, an injection or an expectation) if the apps
// open fewer than `conn` connections; not on a sweep's base (Reader::cross_checks()).
void check_conn_opened(const Reader& r, const YAML::Node& n, const std::string& path,
                       std::uint64_t conn, const Scenario& s);
void read_drops(const Reader& r, const YAML::Node& n, Scenario& s);
// After the apps: an injection names one of their connections.
void read_injects(const Reader& r, const YAML::Node& n, Scenario& s);
void read_crashes(const Reader& r, const YAML::Node& n, Scenario& s);
// `root`: the whole document, whose list items give the swept paths their forms.
SweepSpec read_sweep(const Reader& r, const YAML::Node& n, const YAML::Node& root);
OutputsSpec read_outputs(const Reader& r, const YAML::Node& n,
                         const std::vector<std::string>& known_nodes);
void read_expect(const Reader& r, const YAML::Node& n, Scenario& s);

// Replaces (or adds) the value at a dotted path in `root`.
void apply_override(YAML::Node root, const Override& o);

}  // namespace synlab::app
