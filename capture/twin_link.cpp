#include "capture/twin_link.hpp"

#include <algorithm>
#include <variant>

#include "sim/wire/ethernet.hpp"
#include "sim/wire/packet.hpp"

namespace wirestep {
namespace {

Error link_error(const std::string& reason, const std::string& reason_zh) {
  return Error{"", "", reason, "", reason_zh};
}

Result<TwinLinkDirection> direction_of(const LinkParams& p, const std::string& name) {
  TwinLinkDirection d;
  if (p.jitter.ns != 0)
    return link_error("link " + name + ": jitter is random and has no repeatable real counterpart here",
                      "链路 " + name + "：抖动是随机的，这里无法在真实网络中重现");
  if (p.queue_packets != 0)
    return link_error("link " + name + ": a queue limit is not reproduced by the twin relay",
                      "链路 " + name + "：twin 中继不重现队列长度限制");
  d.latency = p.latency;
  d.bandwidth_bps = p.bandwidth_bps;
  for (const auto& imp : p.impairments) {
    const auto* drop = std::get_if<ScriptedDrop>(&imp.kind);
    if (!drop) continue;  // twin_scenario_supported refuses the others
    d.drops.push_back({drop->kind, drop->nth});
  }
  return d;
}

}  // namespace

Result<TwinLink> TwinLink::from_scenario(const Scenario& sc) {
  if (sc.hosts.size() != 2 || sc.links.size() != 1)  // routers and switches are in hosts too
    return link_error("twin runs two hosts joined by one link; this scenario has " +
                          std::to_string(sc.hosts.size()) + " hosts and " + std::to_string(sc.links.size()) +
                          " links",
                      "twin 运行由一条链路相连的两台主机；这个场景有 " + std::to_string(sc.hosts.size()) +
                          " 台主机、" + std::to_string(sc.links.size()) + " 条链路");
  const auto& l = sc.links.front();
  const bool forward = l.a == sc.hosts[0].name;  // a_to_b runs from port 0 to port 1
  const std::string name = l.a + "-" + l.b;
  auto a_to_b = direction_of(l.a_to_b, name);
  if (!a_to_b) return a_to_b.error();
  auto b_to_a = direction_of(l.b_to_a, name);
  if (!b_to_a) return b_to_a.error();
  return forward ? TwinLink(*a_to_b, *b_to_a) : TwinLink(*b_to_a, *a_to_b);
}

TwinLink::TwinLink(TwinLinkDirection zero_to_one, TwinLinkDirection one_to_zero)
    : dirs_{std::move(zero_to_one), std::move(one_to_zero)} {}

TwinLink::Verdict TwinLink::on_frame(int port, wire::Bytes frame, std::int64_t now_ns) {
  TwinLinkDirection& d = dirs_[port & 1];
  Verdict v;
  // The TCP header, when the frame is Ethernet II + IPv4 + TCP (the namespaces send no VLAN tags).
  if (frame.size() >= wire::kEthernetHeaderLen && wire::load_be16(frame.data() + 12) == 0x0800) {
    auto pkt = wire::decode_ip_packet(frame, wire::kEthernetHeaderLen);
    if (pkt && pkt->tcp && !pkt->is_fragment) {
      const auto len = static_cast<std::uint32_t>(pkt->payload_len);
      for (auto& drop : d.drops) {
        if (!packet_is_kind(drop.kind, Transport::Tcp, pkt->tcp->flags, len)) continue;
        const std::uint32_t n = ++drop.seen;  // sim/net/link.cpp: every match counts, dropped or not
        if (drop.nth.empty() || std::find(drop.nth.begin(), drop.nth.end(), n) != drop.nth.end()) {
          ++drop.dropped;
          v.drop = true;
        }
      }
    }
  }
  if (v.drop) return v;
  // Serialization behind the frames before it, then the propagation delay (sim/net/link.cpp).
  std::int64_t start = std::max(now_ns, busy_until_ns_[port & 1]);
  if (d.bandwidth_bps) {
    start += static_cast<std::int64_t>(
        (std::uint64_t{frame.size()} * 8 * 1'000'000'000ULL + d.bandwidth_bps - 1) / d.bandwidth_bps);
    busy_until_ns_[port & 1] = start;
  }
  v.deliver_at_ns = start + d.latency.ns;
  return v;
}

std::uint64_t TwinLink::dropped() const {
  std::uint64_t n = 0;
  for (const auto& d : dirs_)
    for (const auto& drop : d.drops) n += drop.dropped;
  return n;
}

}  // namespace wirestep
