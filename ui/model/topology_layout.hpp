// Where each node of a topology goes, in a unit square (x left to right, y top to bottom), so the panel only
// scales it to its rectangle. Hosts stand in a left and a right column, routers and switches in the middle
// (one column per hop from the left), each column's nodes ordered to keep links from crossing. Depends on
// nothing but the input's order: the same topology always gets the same picture. Readable for 2-8 nodes.
#pragma once

#include <vector>

#include "ui/model/topology_input.hpp"

namespace wirestep {

struct NodePoint {
  float x = 0.5f, y = 0.5f;
};

// One point per node of `t`, in its order.
std::vector<NodePoint> layout_topology(const TopologyInput& t);

}  // namespace wirestep
