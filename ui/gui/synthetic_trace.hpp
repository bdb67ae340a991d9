// A large Trace made in memory, for the million-packet frame test and the frame benchmark: one TCP bulk
// transfer from A to B over a 10 ms link, an ACK for every second segment, about one segment in a hundred
// lost on the link and fast-retransmitted, one duplicate ACK per loss. Deterministic (no randomness).
#pragma once

#include <cstddef>

#include "sim/trace/trace.hpp"

namespace wirestep::gui {

Trace make_synthetic_trace(std::size_t packets);

}  // namespace wirestep::gui
