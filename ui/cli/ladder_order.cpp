#include "ui/cli/ladder_order.hpp"

#include <algorithm>

namespace wirestep {

bool has_hops(const Trace& trace) {
  // Every row of a routed run has its hop, the first included; a direct run has none.
  return trace.packet_count() > 0 && trace.hop(0) != nullptr;
}

std::vector<std::uint8_t> ladder_lane_slots(const Trace& trace, std::size_t lanes) {
  lanes = std::min<std::size_t>(lanes, 255);
  std::vector<std::uint8_t> slot(lanes);
  for (std::size_t i = 0; i < lanes; ++i) slot[i] = static_cast<std::uint8_t>(i);
  if (lanes < 3 || !has_hops(trace)) return slot;
  // Which nodes exchanged packets: few nodes, so a matrix; a node past `lanes` is left out.
  std::vector<std::uint8_t> linked(lanes * lanes, 0);
  for (std::size_t i = 0; i < trace.packet_count(); ++i) {
    const Trace::LinkHop* hop = trace.hop(i);
    if (!hop || hop->from_node >= lanes || hop->to_node >= lanes) continue;
    linked[hop->from_node * lanes + hop->to_node] = linked[hop->to_node * lanes + hop->from_node] = 1;
  }
  // Depth-first, with an explicit stack (bounded by `lanes`), pushing neighbours in reverse so the lowest
  // index is visited first.
  std::vector<bool> placed(lanes, false);
  std::vector<std::size_t> stack;
  std::uint8_t next = 0;
  for (std::size_t start = 0; start < lanes; ++start) {
    if (placed[start]) continue;
    stack.push_back(start);
    while (!stack.empty()) {
      const std::size_t n = stack.back();
      stack.pop_back();
      if (placed[n]) continue;
      placed[n] = true;
      slot[n] = next++;
      for (std::size_t m = lanes; m-- > 0;)
        if (linked[n * lanes + m] && !placed[m]) stack.push_back(m);
    }
  }
  return slot;
}

}  // namespace wirestep
