// Rebuilds a simulated packet's exact wire bytes from its Trace record (flow addresses, header fields,
// options, payload), so the Trace never stores headers. Captured packets are re-read from their file instead.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/trace/trace.hpp"

namespace wirestep {

enum class LinkLayer : std::uint8_t { Ethernet, RawIp };

// Appends the packet to `out`. TCP payload that was not stored is regenerated from the stream offset
// (see tcp_payload_byte), so exports are complete and deterministic.
void rebuild_packet(const Trace& trace, std::size_t index, LinkLayer link, std::vector<std::uint8_t>& out);

// The byte at position `offset` of a simulated bulk stream: a readable repeating pattern.
inline std::uint8_t bulk_payload_byte(std::uint64_t offset) {
  static constexpr char kPattern[] = "wirestep bulk data 0123456789abcdefghijklmnopqrstuvwxyz\n";
  return static_cast<std::uint8_t>(kPattern[offset % (sizeof kPattern - 1)]);
}

}  // namespace wirestep
