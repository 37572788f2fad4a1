// Topology::Graph: the Boost.Graph adjacency list behind a Topology (see topology.hpp), for
// the code that builds or walks it (topology.cpp, routing_table.cpp).
#pragma once

#include <boost/graph/adjacency_list.hpp>

#include "sim/topology.hpp"

namespace synlab::sim {

struct Topology::Graph {
  using Adjacency =
      boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, NodeInfo, Arc>;
  Adjacency adjacency;
};

}  // namespace synlab::sim
