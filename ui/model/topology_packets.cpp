#include "ui/model/topology_packets.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace wirestep {

TopoPacketKind topo_packet_kind(Transport proto, std::uint8_t tcp_flags, std::uint32_t payload_len) {
  namespace f = wire::tcp_flag;
  switch (proto) {
    case Transport::Tcp:
      if (tcp_flags & (f::kSyn | f::kFin | f::kRst)) return TopoPacketKind::Control;
      return payload_len > 0 ? TopoPacketKind::Data : TopoPacketKind::Ack;
    case Transport::Udp:
      return TopoPacketKind::Udp;
    case Transport::Arp:
      return TopoPacketKind::Arp;
    case Transport::Icmp:
      return TopoPacketKind::Icmp;
    case Transport::Other:
      break;
  }
  return TopoPacketKind::Other;
}

std::vector<std::uint32_t> nodes_of_trace_hosts(const Trace& trace, const TopologyInput& t) {
  std::vector<std::uint32_t> out;
  out.reserve(trace.hosts().size());
  for (const TraceHost& h : trace.hosts()) out.push_back(t.node_named(h.name).value_or(kNoNode));
  return out;
}

std::optional<PacketHop> packet_hop(const Trace& trace, const std::vector<std::uint32_t>& host_nodes,
                                    std::size_t packet) {
  if (const Trace::LinkHop* h = trace.hop(packet)) {
    if (h->from_node >= host_nodes.size() || h->to_node >= host_nodes.size()) return std::nullopt;
    if (host_nodes[h->from_node] == kNoNode || host_nodes[h->to_node] == kNoNode) return std::nullopt;
    return PacketHop{host_nodes[h->from_node], host_nodes[h->to_node]};
  }
  const std::uint32_t flow = trace.flow_of(packet);
  if (flow >= trace.flows().size()) return std::nullopt;
  const TraceFlow& f = trace.flows()[flow];
  const bool forward = trace.direction(packet) == Direction::AtoB;
  const std::uint32_t from = forward ? f.a_host : f.b_host, to = forward ? f.b_host : f.a_host;
  if (from >= host_nodes.size() || to >= host_nodes.size()) return std::nullopt;
  if (host_nodes[from] == kNoNode || host_nodes[to] == kNoNode) return std::nullopt;
  return PacketHop{host_nodes[from], host_nodes[to]};
}

namespace {

// Where on its link a packet's journey ends: a link's loss rule drops it half-way along the wire (the
// ladder draws its cross there too, link.cpp), a full drop-tail queue before it leaves the sender.
float end_fraction(Fate fate) {
  switch (fate) {
    case Fate::DroppedByLink:
      return 0.5f;
    case Fate::DroppedByQueue:
      return 0.0f;
    case Fate::Delivered:
    case Fate::DroppedByHost:
    case Fate::InFlight:
    case Fate::Captured:
      break;
  }
  return 1.0f;
}

bool dies(Fate fate) {
  return fate == Fate::DroppedByLink || fate == Fate::DroppedByQueue || fate == Fate::DroppedByHost;
}

}  // namespace

std::size_t packets_at(const Trace& trace, const TopologyInput& t,
                       const std::vector<std::uint32_t>& host_nodes, const TopologyQuery& q,
                       std::vector<PacketOnLink>& out) {
  out.clear();
  const auto times = trace.packet_times_ns();
  // Sent at most the longest flight (plus the time a dead packet stays marked) before the cursor.
  const std::int64_t earliest =
      q.t_ns - std::max<std::int64_t>(q.max_flight_ns, 0) - std::max<std::int64_t>(q.drop_mark_ns, 0);
  const auto lo = std::lower_bound(times.begin(), times.end(), earliest);
  const auto hi = std::upper_bound(lo, times.end(), q.t_ns);
  std::size_t total = 0;
  for (auto it = lo; it != hi; ++it) {
    const std::size_t i = static_cast<std::size_t>(it - times.begin());
    const std::int64_t sent = *it, arrived = trace.arrive(i).ns;
    const Fate fate = trace.fate(i);
    const float end = end_fraction(fate);
    bool dropped = false;
    float fraction = end;
    if (q.t_ns < arrived) {
      fraction =
          end * static_cast<float>(static_cast<double>(q.t_ns - sent) / static_cast<double>(arrived - sent));
    } else if (dies(fate) && q.t_ns - arrived <= q.drop_mark_ns) {
      dropped = true;
    } else {
      continue;  // arrived, or dead too long ago to mark
    }
    const auto hop = packet_hop(trace, host_nodes, i);
    if (!hop) continue;
    ++total;
    if (out.size() >= q.limit) continue;
    PacketOnLink p;
    p.packet = static_cast<std::uint32_t>(i);
    p.hop = *hop;
    p.link = t.link_between(hop->from, hop->to);
    p.fraction = std::clamp(fraction, 0.0f, 1.0f);
    const std::uint32_t flow = trace.flow_of(i);
    const Transport proto = flow < trace.flows().size() ? trace.flows()[flow].proto : Transport::Other;
    p.kind = topo_packet_kind(proto, trace.tcp_flags(i), trace.payload_len(i));
    p.dropped = dropped;
    p.fate = fate;
    out.push_back(p);
  }
  return total;
}

std::int64_t longest_flight_ns(const Trace& trace) {
  std::int64_t longest = 0;
  const auto times = trace.packet_times_ns();
  for (std::size_t i = 0; i < times.size(); ++i) longest = std::max(longest, trace.arrive(i).ns - times[i]);
  return longest;
}

void format_topo_packet_label(const Trace& trace, std::size_t packet, char* out, std::size_t size) {
  namespace f = wire::tcp_flag;
  if (size == 0) return;
  out[0] = '\0';
  const std::uint32_t flow = trace.flow_of(packet);
  const Transport proto = flow < trace.flows().size() ? trace.flows()[flow].proto : Transport::Other;
  const std::uint32_t len = trace.payload_len(packet);
  switch (proto) {
    case Transport::Tcp: {
      const std::uint8_t flags = trace.tcp_flags(packet);
      const bool control = flags & (f::kSyn | f::kFin | f::kRst);
      char length[24] = "";
      if (len > 0)
        std::snprintf(length, sizeof length, "%sLen=%u", control && (flags & f::kAck) ? " " : "", len);
      std::snprintf(out, size, "%s%s%s%s%s%s", flags & f::kSyn ? "SYN " : "", flags & f::kFin ? "FIN " : "",
                    flags & f::kRst ? "RST " : "", control && (flags & f::kAck) ? "ACK" : "", length,
                    !control && len == 0 ? "ACK" : "");
      // "SYN " alone (no ACK, no data) keeps no trailing space.
      const std::size_t n = std::strlen(out);
      if (n > 0 && out[n - 1] == ' ') out[n - 1] = '\0';
      return;
    }
    case Transport::Udp:
      std::snprintf(out, size, "UDP Len=%u", len);
      return;
    case Transport::Arp:
      std::snprintf(out, size, "ARP");
      return;
    case Transport::Icmp:
      std::snprintf(out, size, "ICMP");
      return;
    case Transport::Other:
      break;
  }
  std::snprintf(out, size, "IP");
}

std::string topo_packet_label(const Trace& trace, std::size_t packet) {
  char buf[64];
  format_topo_packet_label(trace, packet, buf, sizeof buf);
  return buf;
}

}  // namespace wirestep
