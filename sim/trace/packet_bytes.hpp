// Rebuilds a simulated packet's exact wire bytes from its Trace record (flow addresses, header fields,
// options, payload), so the Trace never stores headers. Captured packets are re-read from their file instead.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/trace/bulk_payload.hpp"
#include "sim/trace/trace.hpp"

namespace wirestep {

enum class LinkLayer : std::uint8_t { Ethernet, RawIp };

// Appends the packet to `out`, payload included (Trace::payload_bytes), so exports are complete.
void rebuild_packet(const Trace& trace, std::size_t index, LinkLayer link, std::vector<std::uint8_t>& out);

}  // namespace wirestep
