#include "sim/trace/trace_summary.hpp"

#include "sim/trace/hop_copy.hpp"
#include "sim/wire/ipv4.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep {

TraceSummary summarize(const Trace& trace) {
  TraceSummary s;
  for (std::size_t i = 0; i < trace.packet_count(); ++i) {
    const PacketRecord p = trace.packet(i);
    const TraceFlow& f = trace.flows()[p.flow];
    ProtocolSummary& ps = f.proto == Transport::Udp ? s.udp : f.proto == Transport::Tcp ? s.tcp : s.other;
    if (is_hop_copy(trace, i)) {
      // Counted at its first hop; a drop further on (a lossy link, a TTL or port a router or the receiver
      // refused) is still what became of it. A flooded copy another card ignored is not.
      if (p.fate != Fate::Delivered && p.fate != Fate::Captured && ps.delivered > 0 &&
          !is_ignored_flood_copy(trace, p.rule)) {
        --ps.delivered;
        ++(p.fate == Fate::DroppedByLink    ? ps.dropped_by_link
           : p.fate == Fate::DroppedByQueue ? ps.dropped_by_queue
           : p.fate == Fate::DroppedByHost  ? ps.dropped_by_host
                                            : ps.in_flight);
      }
      continue;
    }
    ++ps.packets;
    switch (p.fate) {
      case Fate::Delivered:
        ++ps.delivered;
        break;
      case Fate::DroppedByLink:
        ++ps.dropped_by_link;
        break;
      case Fate::DroppedByQueue:
        ++ps.dropped_by_queue;
        break;
      case Fate::DroppedByHost:
        ++ps.dropped_by_host;
        break;
      case Fate::InFlight:
        ++ps.in_flight;
        break;
      case Fate::Captured:
        ++ps.delivered;
        break;
    }
    ++ps.by_cause[static_cast<std::size_t>(p.cause)];
    if (p.marks & mark::kDuplicate) ++ps.duplicates;
    if (p.marks & mark::kReordered) ++ps.reordered;
    if (p.marks & mark::kCorrupted) ++ps.corrupted;
    const std::uint64_t ip_header = f.a.v6 ? 40 : wire::kIpv4MinHeaderLen;
    std::uint64_t l4 = 0;
    if (f.proto == Transport::Udp) l4 = wire::kUdpHeaderLen;
    if (f.proto == Transport::Tcp)
      l4 = wire::kTcpMinHeaderLen + (p.options ? wire::tcp_options_length(*p.options) : 0);
    ps.header_bytes += ip_header + l4;
    ps.payload_bytes += p.payload_len;
    ps.wire_bytes += ip_header + l4 + p.payload_len;
  }
  return s;
}

}  // namespace wirestep
