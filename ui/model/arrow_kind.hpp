// What kind of packet an arrow on the ladder stands for: the most telling thing about it (a retransmission
// before "carries data", a link copy before anything). Decided once per packet when a Trace is indexed (the
// legend lists the kinds present) and again for each arrow drawn (its colour).
#pragma once

#include <cstdint>

#include "sim/analysis/capture_finding.hpp"
#include "sim/trace/trace.hpp"

namespace wirestep {

// In priority order: the first that applies is the packet's kind.
enum class ArrowKind : std::uint8_t {
  Data,            // TCP segment carrying data, first transmission
  Control,         // SYN, FIN, RST
  Ack,             // pure ACK
  Retransmission,  // RTO, fast or recovery retransmission
  DuplicateAck,
  OutOfOrder,   // reordered by the link (arrives behind later packets)
  ZeroWindow,   // advertises a zero window, or probes one
  LostSegment,  // a capture: the analyzer saw a gap before it ("previous segment not captured")
  KeepAlive,    // a capture: a keep-alive probe
  LinkCopy,     // a copy the link made
  Datagram,     // UDP
  Arp,          // a routed network's address resolution (RFC 826)
  Icmp,         // echo and the errors routers and hosts send (RFC 792)
  Other,
  Count,
};

ArrowKind classify(const PacketRecord& p, Transport proto);
// A captured packet has no cause: the Wireshark-style analyzer's flags on it name it (issue #19), so a
// capture's retransmissions, duplicate ACKs and gaps are coloured as a simulated run's are.
ArrowKind classify(const PacketRecord& p, Transport proto, FlagMask analyzer_flags);
ArrowKind arrow_kind_for(Finding f);

}  // namespace wirestep
