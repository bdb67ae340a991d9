// A switch: a learning bridge (IEEE 802.1D §7.7-7.8). It reads only Ethernet addresses: the source address
// teaches it which port leads to that station; a frame to a known address goes out of that port alone, a
// broadcast or an unknown address is flooded out of every other port. Each copy is its own Trace row, sent by
// the switch with the frame's original MAC addresses. An entry not refreshed for the ageing time is
// forgotten, and frames to that address are flooded again. No spanning tree: the topologies have no loops.
#include "sim/net/network.hpp"

namespace wirestep {
namespace {
// IEEE 802.1D §7.9.2 recommends 300 s; Linux's bridge ageing_time defaults to the same
// (BR_DEFAULT_AGEING_TIME).
constexpr SimDuration kAgeingTime = SimDuration::seconds(300);
}  // namespace

void Network::bridge(SimTime now, HostId node, std::uint32_t ifindex, std::uint32_t row) {
  const Trace::LinkHop* hop = trace_.hop(row);
  if (!hop) return;
  const wire::MacAddr src = hop->src_mac, dst = hop->dst_mac;
  mac_table_[{node, src}] = MacEntry{ifindex, now};  // learning: the sender is behind the port it came in on
  const Transport proto = trace_.flows().at(trace_.flow_of(row)).proto;
  auto send_copy = [&](std::uint32_t port) {
    PacketRecord rec = trace_.packet(row);
    rec.marks &= static_cast<std::uint8_t>(~(mark::kDuplicate | mark::kReordered));
    rec.rule = 0;
    rec.fate = Fate::Delivered;
    transmit(node, port, dst, std::move(rec), proto, &src);
  };
  if (dst != wire::kBroadcastMac) {
    if (auto it = mac_table_.find({node, dst}); it != mac_table_.end()) {
      if (now.ns - it->second.seen.ns > kAgeingTime.ns) {
        mac_table_.erase(it);  // aged out: flood below, as for an address never seen
      } else {
        // Filtering: a frame whose destination is behind the port it came in on is not sent back.
        if (it->second.port != ifindex) send_copy(it->second.port);
        return;
      }
    }
  }
  const auto count = static_cast<std::uint32_t>(hosts_[node]->interfaces().size());
  for (std::uint32_t port = 0; port < count; ++port)
    if (port != ifindex && ports_.count({node, port})) send_copy(port);
}

}  // namespace wirestep
