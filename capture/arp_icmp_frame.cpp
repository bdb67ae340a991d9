#include "capture/arp_icmp_frame.hpp"

#include <string>

#include "sim/wire/arp.hpp"
#include "sim/wire/byte_error.hpp"

namespace wirestep {

IcmpRecord icmp_record(const wire::IcmpMessage& m, const Trace& trace) {
  IcmpRecord r;
  r.message = m;
  if (m.quote) r.quoted_flow = trace.find_quoted_flow(*m.quote).value_or(IcmpRecord::kNoFlow);
  return r;
}

bool take_arp_frame(LinkKind link, wire::Bytes frame, FlowLookup& flows, PacketRecord& rec, FrameInfo& info,
                    std::optional<Error>& error) {
  const std::optional<std::size_t> at = locate_arp(link, frame);
  if (!at) return false;
  const wire::Bytes body = frame.subspan(*at);
  // RFC 826 allows other hardware and protocol types; those are not decoded and stay non-IP frames (as
  // Wireshark shows them, not malformed). An Ethernet/IPv4 ARP packet cut short is malformed.
  const bool ethernet_ipv4 = body.size() >= 6 && wire::load_be16(body.data()) == wire::kArpHardwareEthernet &&
                             wire::load_be16(body.data() + 2) == wire::kEtherTypeIpv4 && body[4] == 6 &&
                             body[5] == 4;
  if (!ethernet_ipv4 && body.size() >= 8) return false;
  auto arp = wire::decode_arp(body);
  if (!arp) {
    // The decoder's offsets are relative to the ARP header: make them relative to the frame.
    error = wire::shift_byte_error(arp.error(), *at);
    return false;
  }
  // Request and reply of one resolution are one conversation: sender and target swap places in the reply.
  const auto [flow, dir] = flows.flow_for(Transport::Arp, wire::IpAddr::from_v4(arp->sender_ip), 0,
                                          wire::IpAddr::from_v4(arp->target_ip), 0);
  rec.flow = flow;
  rec.dir = dir;
  rec.payload_len = 0;
  rec.arp = *arp;
  info.proto = Transport::Arp;
  return true;
}

}  // namespace wirestep
