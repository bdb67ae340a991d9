// The left-to-right order of a simulated run's lanes on a ladder. A routed network's nodes (issue #18) are
// listed hosts first, then routers and switches, which would send every hop across the whole diagram; here
// nodes that exchange packets sit side by side instead: a walk along the links the hops used, from the first
// node, each node's neighbours in Trace order (A, S, B, R, C for the router lesson, so A -> S -> R -> C runs
// left to right). A run without hop records keeps the Trace's order.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/trace/trace.hpp"

namespace wirestep {

// slot[node]: the lane position (0 = leftmost) of each of the first `lanes` nodes; a permutation of
// 0..lanes-1.
std::vector<std::uint8_t> ladder_lane_slots(const Trace& trace, std::size_t lanes);

// Whether any packet of the Trace was recorded hop by hop (a routed network).
bool has_hops(const Trace& trace);

}  // namespace wirestep
