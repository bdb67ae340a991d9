// Routed runs (issue #18) record every hop of a packet as its own Trace row (Trace::set_hop). The row the
// packet's own source sent is the packet; the rows routers and switches send it on with are copies of it,
// one link further. Analyses that count packets (retransmissions, per-flow totals, the summary) count it
// once, as a capture at one point of the network sees it once; rows without a hop are always packets.
#pragma once

#include <cstddef>
#include <string_view>

#include "sim/trace/trace.hpp"

namespace wirestep {

inline bool is_hop_copy(const Trace& trace, std::size_t i) {
  const Trace::LinkHop* hop = trace.hop(i);
  if (!hop) return false;
  const TraceFlow& f = trace.flows()[trace.flow_of(i)];
  const std::uint32_t source = trace.direction(i) == Direction::AtoB ? f.a_host : f.b_host;
  return source != TraceFlow::kNoHost && hop->from_node != source;
}

// The drop rule of a flooded frame's copy that reached a card with another MAC address (network_routed.cpp):
// the copy that mattered went out of another port, so this drop is not what became of the packet.
inline constexpr std::string_view kOtherMacRule = "frame for another MAC address: the card ignores it";

inline bool is_ignored_flood_copy(const Trace& trace, std::uint16_t rule) {
  return rule != 0 && rule <= trace.drop_rules().size() && trace.drop_rules()[rule - 1] == kOtherMacRule;
}

}  // namespace wirestep
