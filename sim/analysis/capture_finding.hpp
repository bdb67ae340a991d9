// Wireshark's findings on a captured packet reduced to the one a timeline colours it by (issue #19): a
// segment can carry several flags (a fast retransmission that is also out of order); the eye needs one
// colour, and the hover text lists them all (tcp_explain.hpp).
#pragma once

#include <cstdint>

#include "sim/analysis/ground_truth.hpp"

namespace wirestep {

// In priority order: the first that applies names the packet.
enum class Finding : std::uint8_t {
  None,
  Retransmission,      // retransmission or spurious retransmission
  FastRetransmission,  // after duplicate ACKs (RFC 5681 §3.2)
  LostSegment,         // "previous segment not captured": a gap in the sequence space before it
  OutOfOrder,
  DuplicateAck,
  ZeroWindow,  // advertises a zero window, or probes one (RFC 9293 §3.8.6.1)
  KeepAlive,
  Count,
};
inline constexpr std::size_t kFindingCount = static_cast<std::size_t>(Finding::Count);

Finding most_telling(FlagMask flags);

}  // namespace wirestep
