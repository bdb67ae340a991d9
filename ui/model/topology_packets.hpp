// What the topology view shows at the time cursor (issue #18): each packet on a link, how far along it is
// (from its send time to its arrival time in the Trace), and the packets that died a moment ago, where they
// died: a link's loss rule half-way along the wire (where the ladder draws its cross), a full queue at the
// sender's end, the receiving host at the far end. Window-free, so tests check positions at given times.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/trace/trace.hpp"
#include "ui/model/topology_input.hpp"

namespace wirestep {

// The colours of the topology view, one per kind a learner tells apart.
enum class TopoPacketKind : std::uint8_t { Data, Ack, Control, Udp, Arp, Icmp, Other, Count };

TopoPacketKind topo_packet_kind(Transport proto, std::uint8_t tcp_flags, std::uint32_t payload_len);

// Which node sent a packet's row and which received it: a routed network's row is one hop (Trace::hop: a
// router forwarding is a new row); any other row goes from one end of its flow to the other.
struct PacketHop {
  std::uint32_t from = 0, to = 0;  // topology nodes
};

// Maps the Trace's hosts onto the topology's nodes (by name); kNoNode where a host has no node.
inline constexpr std::uint32_t kNoNode = 0xFFFFFFFF;
std::vector<std::uint32_t> nodes_of_trace_hosts(const Trace& trace, const TopologyInput& t);
std::optional<PacketHop> packet_hop(const Trace& trace, const std::vector<std::uint32_t>& host_nodes,
                                    std::size_t packet);

struct PacketOnLink {
  std::uint32_t packet = 0;
  PacketHop hop;
  std::optional<std::uint32_t> link;  // none: the two nodes have no link between them (drawn straight)
  float fraction = 0;                 // 0 at the sender, 1 at the receiver
  TopoPacketKind kind = TopoPacketKind::Other;
  bool dropped = false;  // died at or before the cursor: a cross where it died
  Fate fate = Fate::Delivered;
};

struct TopologyQuery {
  std::int64_t t_ns = 0;
  // The longest send-to-arrival time in the Trace: packets sent before t minus this have all arrived.
  std::int64_t max_flight_ns = 0;
  // How long a dead packet stays marked after it died, so a learner sees it at normal play speed.
  std::int64_t drop_mark_ns = 0;
  std::size_t limit = 256;  // at most this many results (the earliest sent first)
};

// The packets on the links at q.t_ns, in send order, into `out` (cleared first; its capacity is reused).
// Returns how many there were in all, which is more than out.size() when `q.limit` cut the list.
std::size_t packets_at(const Trace& trace, const TopologyInput& t,
                       const std::vector<std::uint32_t>& host_nodes, const TopologyQuery& q,
                       std::vector<PacketOnLink>& out);

// The longest flight (arrival minus send) of any packet in the Trace.
std::int64_t longest_flight_ns(const Trace& trace);

// A packet's short label on its box: "SYN", "SYN ACK", "ACK", "Len=1000", "UDP Len=12", "ARP", "ICMP".
// Protocol names and Wireshark's "Len=" read the same in both languages.
std::string topo_packet_label(const Trace& trace, std::size_t packet);
// The same into `out` (at most `size` bytes with the terminator), for drawing without allocating.
void format_topo_packet_label(const Trace& trace, std::size_t packet, char* out, std::size_t size);

}  // namespace wirestep
