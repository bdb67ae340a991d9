// Numbers a user reads after a run or a load: packets and bytes per protocol, what was lost and where,
// and how much of the wire was headers. Computed from the Trace alone.
#pragma once

#include <array>
#include <cstdint>

#include "sim/trace/trace.hpp"

namespace wirestep {

struct ProtocolSummary {
  std::uint64_t packets = 0;    // every packet sent (link copies included, hop copies not: hop_copy.hpp)
  std::uint64_t delivered = 0;  // reached a socket or the receiving stack
  std::uint64_t dropped_by_link = 0;  // loss models and scripted rules
  std::uint64_t dropped_by_queue = 0;
  std::uint64_t dropped_by_host = 0;  // closed port, full buffer, checksum error, no route
  std::uint64_t in_flight = 0;
  std::uint64_t duplicates = 0;  // copies made by the link
  std::uint64_t reordered = 0;
  std::uint64_t corrupted = 0;
  std::uint64_t wire_bytes = 0;    // IP packets: headers + payload
  std::uint64_t header_bytes = 0;  // IP + UDP/TCP headers (with TCP options)
  std::uint64_t payload_bytes = 0;
  std::array<std::uint64_t, kCauseCount> by_cause{};  // index: static_cast<int>(Cause)
};

struct TraceSummary {
  ProtocolSummary udp;
  ProtocolSummary tcp;
  ProtocolSummary other;
};

TraceSummary summarize(const Trace& trace);

}  // namespace wirestep
