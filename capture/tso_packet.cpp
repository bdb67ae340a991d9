#include "capture/tso_packet.hpp"

#include "sim/wire/ipv4.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep {

std::optional<wire::DecodedPacket> decode_ipv4_tso(wire::Bytes frame, std::size_t ip_offset,
                                                   std::uint32_t wire_len) {
  if (ip_offset > frame.size()) return std::nullopt;
  const wire::Bytes ip = frame.subspan(ip_offset);
  if (ip.size() < wire::kIpv4MinHeaderLen || (ip[0] >> 4) != 4) return std::nullopt;
  const std::size_t ihl = (ip[0] & 0x0F) * 4u;
  const std::uint16_t total_length = wire::load_be16(&ip[2]);
  const std::uint16_t fragment = wire::load_be16(&ip[6]) & 0x3FFF;  // MF + offset
  if (total_length != 0 || fragment != 0 || ip[9] != wire::kIpProtoTcp || ihl < wire::kIpv4MinHeaderLen ||
      ip.size() < ihl)
    return std::nullopt;
  auto tcp = wire::decode_tcp(ip.subspan(ihl));
  if (!tcp) return std::nullopt;
  wire::DecodedPacket d;
  d.src = wire::IpAddr::from_v4(wire::Ipv4Addr{wire::load_be32(&ip[12])});
  d.dst = wire::IpAddr::from_v4(wire::Ipv4Addr{wire::load_be32(&ip[16])});
  d.ip_protocol = wire::kIpProtoTcp;
  d.ip_id = wire::load_be16(&ip[4]);
  d.ttl = ip[8];
  d.transport = wire::Transport::Tcp;
  d.tcp = *tcp;
  d.ip_offset = ip_offset;
  d.payload_offset = ip_offset + ihl + tcp->header_len;
  const std::size_t headers = ip_offset + ihl + tcp->header_len;
  d.payload_len = wire_len > headers ? wire_len - headers : 0;
  d.truncated = frame.size() < wire_len;
  return d;
}

}  // namespace wirestep
