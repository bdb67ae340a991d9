// What kind of packet an arrow on the ladder stands for: the most telling thing about it (a retransmission
// before "carries data", a link copy before anything). Decided once per packet when a Trace is indexed (the
// legend lists the kinds present) and again for each arrow drawn (its colour).
#pragma once

#include <cstdint>

#include "sim/trace/trace.hpp"

namespace wirestep {

// In priority order: the first that applies is the packet's kind.
enum class ArrowKind : std::uint8_t {
  Data,            // TCP segment carrying data, first transmission
  Control,         // SYN, FIN, RST
  Ack,             // pure ACK
  Retransmission,  // RTO, fast or recovery retransmission
  DuplicateAck,
  OutOfOrder,  // reordered by the link (arrives behind later packets)
  ZeroWindow,  // advertises a zero window, or probes one
  LinkCopy,    // a copy the link made
  Datagram,    // UDP
  Other,
  Count,
};

ArrowKind classify(const PacketRecord& p, Transport proto);

}  // namespace wirestep
